"""Downloads of records as a spreadsheet in the records workbook's layout, with the exports of
personal information (ID numbers, mobiles) written into the access log. A list page exports its
own filtered rows with `export_list`; the records workbook (workbook/) exports several sheets."""

import datetime
import tempfile
from collections.abc import Sequence
from typing import IO, Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from audit.models import AccessAction
from audit.services import record_access
from unionportal import clock
from unionportal.files import DISK_FULL_PAGE_MESSAGE, is_disk_full
from unionportal.models import Township, User
from unionportal.spreadsheet.cells import Sheet
from unionportal.spreadsheet.reading import XLSX_CONTENT_TYPE
from unionportal.spreadsheet.writing import write_workbook


def export_sheets(
    out: IO[bytes],
    *,
    sheets: Sequence[Sheet],
    querysets: dict[str, QuerySet],
    with_township: bool = False,
    full: bool = False,
    user: User | None = None,
    township: Township | None = None,
    request: Any = None,
    label: str = "",
) -> dict[str, int]:
    """Write the records of `querysets` (sheet key → queryset) in the layout of `sheets`,
    streamed; returns the number of rows written per sheet. The querysets must come through the
    access door (unionportal.access.visible); a filtered list page passes its own queryset.

    ID numbers and mobiles are masked unless `full` (the export that can be imported back;
    the caller has checked the user may have it). An export with a personal sheet (members,
    visits) is logged in the personal-information access log: `user` None is an operator's
    command."""
    written = write_workbook(
        out, sheets=sheets, querysets=querysets, with_township=with_township, masked=not full
    )
    names = {s.key: s.name for s in sheets if s.personal}
    personal = {k: n for k, n in written.items() if k in names}
    if personal:
        counts = "，".join(f"{names[k]}{n}条" for k, n in personal.items())
        record_access(
            user=user,
            action=AccessAction.EXPORT_FULL if full else AccessAction.EXPORT,
            record_label=f"数据交换工作簿：{label or (township.name if township else '多个乡镇')}",
            fields="身份证号、手机号",
            township=township,
            request=request,
            detail=counts,
        )
    return written


def export_filename(label: str, *, today: datetime.date | None = None) -> str:
    return f"{label}数据交换工作簿{(today or clock.today()):%Y%m%d}.xlsx"


def export_response(
    request: HttpRequest,
    *,
    sheets: Sequence[Sheet],
    querysets: dict[str, QuerySet],
    label: str,
    with_township: bool = False,
    full: bool = False,
    township: Township | None = None,
) -> HttpResponse:
    """A download of the given querysets in the layout of `sheets`, written to a temporary file
    first so memory stays bounded at county scale. ID numbers and mobiles are masked unless
    `full`; exports of them are logged. A full disk sends the user back to the page with a
    message instead of an error page."""
    handle = tempfile.TemporaryFile()
    try:
        export_sheets(
            handle,
            sheets=sheets,
            querysets=querysets,
            with_township=with_township,
            full=full,
            user=request.user,
            township=township,
            request=request,
            label=label,
        )
    except OSError as exc:
        handle.close()
        if not is_disk_full(exc):
            raise
        messages.error(request, DISK_FULL_PAGE_MESSAGE.format(what=_("未能生成导出文件")))
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export_filename(label),
        content_type=XLSX_CONTENT_TYPE,
    )


def export_list(
    request: HttpRequest, queryset: QuerySet, *, sheet: Sheet, label: str
) -> HttpResponse:
    """The rows of a filtered list page (all pages, in its order) in its sheet's layout, ID
    numbers and mobiles masked; a reviewer's or administrator's export carries the 乡镇 column."""
    return export_response(
        request,
        sheets=[sheet],
        querysets={sheet.key: queryset},
        label=label,
        with_township=not request.user.is_township_user,
    )


def wants_export(request: HttpRequest) -> bool:
    """The list page was asked for its rows as a spreadsheet (?format=xlsx)."""
    return request.GET.get("format") == "xlsx"
