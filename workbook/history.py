"""Import history (导入记录): each workbook imported, from the browser or the command line, kept
with who, when, the file's name, SHA-256 and size, the counts per sheet, and the file itself in
the private storage (PRIVATE_MEDIA_ROOT, never served by the web server)."""

import hashlib

from django.core.files.base import ContentFile
from django.http import HttpRequest

from audit.models import AccessAction
from audit.services import record_access
from unionportal.models import Township, User
from workbook.models import ImportSource, WorkbookImport
from workbook.report import ImportReport

COMMAND_LINE = "命令行"


def record_import(
    *,
    township: Township,
    user: User | None,
    file_name: str,
    data: bytes,
    report: ImportReport,
    source: ImportSource,
) -> WorkbookImport:
    """Keep one import that was written (report.written) and its original file."""
    entry = WorkbookImport(
        township=township,
        imported_by=user,
        imported_by_label=user.display_name if user is not None else COMMAND_LINE,
        source=source,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        counts=[
            {
                "sheet": c.sheet,
                "created": c.created,
                "updated": c.updated,
                "unchanged": c.unchanged,
            }
            for c in report.counts
            if c.read
        ],
    )
    entry.file.save(file_name, ContentFile(data), save=False)
    entry.save()
    return entry


def log_download(*, user: User, entry: WorkbookImport, request: HttpRequest) -> None:
    """The original file holds whole ID numbers and mobiles: its download is logged like a full
    export of personal data."""
    record_access(
        user=user,
        action=AccessAction.EXPORT_FULL,
        record_label=f"导入的原文件：{entry.file_name}",
        fields="身份证号、手机号",
        township=entry.township,
        record=entry,
        request=request,
        detail=f"{entry.imported_at:%Y-%m-%d %H:%M} 导入，SHA-256 {entry.sha256[:16]}…",
    )
