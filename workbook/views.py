"""The records workbook in the browser: template download, upload → preview → confirm, export.

An uploaded file waits for confirmation on disk under var/uploads/<random token>.xlsx; the session
holds the token and the township it was checked for, so confirming imports exactly the file that
was previewed, into the township it was previewed for, and nothing is written before that.
"""

import functools
import io
import secrets
import time
from pathlib import Path
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.exports import export_response
from unionportal.access import (
    get_visible_or_404,
    may_reveal,
    require_write,
    visible,
    visible_townships,
    writable_townships,
)
from unionportal.files import DISK_FULL_PAGE_MESSAGE, is_disk_full, write_whole
from unionportal.models import Township
from unionportal.records import parse_id
from unionportal.security import accepts_body_up_to
from unionportal.spreadsheet.reading import MAX_UPLOAD_BYTES, XLSX_CONTENT_TYPE
from welfare.queries import sees_hardship_details, with_masked_name
from welfare.sheets import HARDSHIP_FOR_REVIEWERS
from workbook.book import SHEETS, SHEETS_BY_KEY
from workbook.book import write_template as write_template_file
from workbook.history import log_download, record_import
from workbook.models import ImportSource, WorkbookImport
from workbook.report import ImportReport
from workbook.services import import_workbook

UPLOAD_DIR = Path(settings.BASE_DIR) / "var" / "uploads"
PENDING_MAX_AGE = 2 * 3600
SESSION_KEY = "workbook_pending"


class UploadForm(forms.Form):
    file = forms.FileField(label=_("数据交换工作簿（.xlsx 或 .xls）"))


def _import_township(request: HttpRequest) -> Township:
    """The township an upload goes into: the user's own; an administrator picks one."""
    townships = writable_townships(request.user)
    chosen = request.POST.get("township") or request.GET.get("township")
    if request.user.is_township_user and request.user.township_id:
        township = townships.filter(pk=request.user.township_id).first()
    elif parse_id(chosen) is not None:
        township = townships.filter(pk=parse_id(chosen)).first()
    else:
        township = None
    if township is None:
        if not townships.exists():
            raise PermissionDenied(_("您的角色只能查看，不能导入数据。"))
        raise Http404(_("请选择要导入的乡镇。"))
    require_write(request.user, township)
    return township


def _clean_old_uploads() -> None:
    if not UPLOAD_DIR.exists():
        return
    cutoff = time.time() - PENDING_MAX_AGE
    for path in UPLOAD_DIR.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def _pending_path(token: str) -> Path:
    if not token or not token.isalnum():
        raise Http404(_("上传的文件已过期，请重新上传。"))
    return UPLOAD_DIR / f"{token}.xlsx"


@functools.cache
def _template_bytes() -> bytes:
    # The template never changes while the portal runs, and openpyxl takes over a second on it.
    out = io.BytesIO()
    write_template_file(out)
    return out.getvalue()


@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """The blank workbook with every sheet and column, notes and drop-down lists."""
    response = HttpResponse(_template_bytes(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote('数据交换工作簿模板.xlsx')}"
    )
    return response


@accepts_body_up_to(MAX_UPLOAD_BYTES)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Choose a file; on upload, check it and show what the import would do (nothing written)."""
    if not writable_townships(request.user).exists():
        raise PermissionDenied(_("您的角色只能查看和导出，不能导入数据。"))
    township = _import_township(request) if request.method == "POST" else None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        if upload_file.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("文件超过20 MB，请删去无关的工作表或分成几个文件导入。"))
        else:
            data = upload_file.read()
            report = import_workbook(data=data, township=township, user=request.user, dry_run=True)
            token = ""
            if report.ok:
                _clean_old_uploads()
                UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
                token = secrets.token_hex(16)
                try:
                    write_whole(_pending_path(token), data)
                except OSError as exc:
                    if not is_disk_full(exc):
                        raise
                    what = _("已检查的文件未能保存，没有导入任何数据")
                    messages.error(request, DISK_FULL_PAGE_MESSAGE.format(what=what))
                    return redirect("workbook:upload")
                request.session[SESSION_KEY] = {
                    "token": token,
                    "township": township.pk,
                    "name": upload_file.name,
                }
            return render(
                request,
                "workbook/preview.html",
                {
                    "report": report,
                    "township": township,
                    "filename": upload_file.name,
                    "token": token,
                },
            )
    return render(
        request,
        "workbook/upload.html",
        {
            "form": form,
            "townships": writable_townships(request.user),
            "own_township": request.user.township if request.user.is_township_user else None,
            "sheets": SHEETS,
        },
    )


@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed file for real, in one transaction."""
    if not writable_townships(request.user).exists():
        raise PermissionDenied(_("您的角色只能查看和导出，不能导入数据。"))
    pending = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    if not pending or pending.get("token") != token:
        messages.error(request, _("上传的文件已过期或已导入，请重新上传。"))
        return redirect("workbook:upload")
    township = visible_townships(request.user).filter(pk=pending["township"]).first()
    if township is None:
        raise Http404(_("乡镇不存在或无权查看。"))
    require_write(request.user, township)
    path = _pending_path(token)
    if not path.exists():
        messages.error(request, _("上传的文件已过期，请重新上传。"))
        return redirect("workbook:upload")
    data = path.read_bytes()
    report = import_workbook(data=data, township=township, user=request.user)
    if report.written:
        record_import(
            township=township,
            user=request.user,
            file_name=pending.get("name") or "台账.xlsx",
            data=data,
            report=report,
            source=ImportSource.BROWSER,
        )
    path.unlink(missing_ok=True)
    del request.session[SESSION_KEY]
    if not report.ok:
        return render(
            request,
            "workbook/preview.html",
            {"report": report, "township": township, "filename": pending.get("name"), "token": ""},
        )
    messages.success(request, _imported_message(report))
    return redirect("workbook:upload")


# Each sheet's list page, linked from the message after an import. (portal/kinds.py holds the
# same names but sits above the workbook; test_every_sheet_links_to_its_list keeps them whole.)
SHEET_LIST_URLS = {
    "employers": "members:employer_list",
    "unions": "members:union_list",
    "members": "members:member_list",
    "visits": "welfare:visit_list",
    "cases": "disputes:case_list",
    "events": "events:event_list",
    "contracts": "members:contract_list",
    "dues": "members:dues_list",
    "hardship": "welfare:hardship_list",
    "mutual_aid": "welfare:mutualaid_list",
    "milestones": "members:milestone_list",
    "honours": "honours:honour_list",
    "remittances": "members:remittance_list",
}


def _imported_message(report: ImportReport) -> str:
    """One line of totals, then one short line per sheet that had rows, linked to its list."""
    totals = _("导入完成：新增{created}条，更新{updated}条，未变{unchanged}条。").format(
        created=report.created, updated=report.updated, unchanged=report.unchanged
    )
    lines = format_html_join(
        "",
        '<li><a href="{}">{}</a>：{}</li>',
        (
            (
                reverse(SHEET_LIST_URLS[c.key]),
                c.sheet,
                _("新增{created}条，更新{updated}条，未变{unchanged}条").format(
                    created=c.created, updated=c.updated, unchanged=c.unchanged
                ),
            )
            for c in report.counts
            if c.read and c.key in SHEET_LIST_URLS
        ),
    )
    return format_html('{}<ul class="mb-0 mt-1" id="imported-sheets">{}</ul>', totals, lines)


@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    """All records the user may see: a township's (?township=<id> for reviewers), or the whole
    county's with a 乡镇 column (?township=all). ?sheet=members (repeatable) limits the sheets.

    ID numbers and mobiles are masked. A POST with full=1 exports them whole, so the file can
    be imported back: only one township's, only for its staff (and administrators), logged."""
    params = request.POST if request.method == "POST" else request.GET
    full = request.method == "POST" and params.get("full") == "1"
    townships = visible_townships(request.user)
    chosen = params.get("township", "")
    township = None
    if chosen == "all" and not request.user.is_township_user:
        selected, label, with_township = townships, _("全县"), True
    elif parse_id(chosen) is not None or request.user.township_id:
        pk = parse_id(chosen) if parse_id(chosen) is not None else request.user.township_id
        township = townships.filter(pk=pk).first()
        if township is None:
            raise Http404(_("乡镇不存在或无权查看。"))
        selected, label, with_township = townships.filter(pk=pk), township.name, False
    else:
        return render(
            request,
            "workbook/export.html",
            {
                "townships": townships,
                "full_townships": [t for t in townships if may_reveal(request.user, t.pk)],
            },
        )
    if full and (township is None or not may_reveal(request.user, township.pk)):
        raise PermissionDenied(
            _("含完整身份证号与手机号的导出只限本乡镇工作人员，且每次只能导出一个乡镇。")
        )
    wanted = [key for key in params.getlist("sheet") if key in SHEETS_BY_KEY] or [
        s.key for s in SHEETS
    ]
    querysets = {
        key: visible(request.user, SHEETS_BY_KEY[key].model).filter(township__in=selected)
        for key in wanted
    }
    sheets = SHEETS
    if "hardship" in querysets and not all(
        sees_hardship_details(request.user, t.pk) for t in selected
    ):
        # A reviewer's workbook: the register with masked names and without causes or income,
        # as on the hardship list (welfare/queries.py sees_hardship_details).
        sheets = tuple(HARDSHIP_FOR_REVIEWERS if s.key == "hardship" else s for s in SHEETS)
        querysets["hardship"] = with_masked_name(querysets["hardship"])
    return export_response(
        request,
        sheets=sheets,
        querysets=querysets,
        label=_("{label}（含完整身份证号）").format(label=label) if full else label,
        with_township=with_township,
        full=full,
        township=township,
    )


def imports(request: HttpRequest) -> HttpResponse:
    """导入记录: the imports of the townships the user sees, newest first."""
    entries = (
        visible(request.user, WorkbookImport).select_related("township").order_by("-imported_at")
    )
    township = request.GET.get("township")
    if township and township.isdigit():
        entries = entries.filter(township_id=int(township))
    return render(
        request,
        "workbook/imports.html",
        {"entries": [(e, may_reveal(request.user, e.township_id)) for e in entries[:200]]},
    )


@require_GET
def import_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The original file of an import, for the township's own staff; logged."""
    entry = get_visible_or_404(request.user, WorkbookImport, pk)
    if not may_reveal(request.user, entry.township_id):
        raise PermissionDenied(_("导入的原文件含完整身份证号，只有本乡镇的工作人员可以下载。"))
    try:
        handle = entry.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("原文件已不在服务器上。")) from None
    with handle:
        data = handle.read()
    log_download(user=request.user, entry=entry, request=request)
    xlsx = entry.file_name.lower().endswith(".xlsx")
    response = HttpResponse(
        data, content_type=XLSX_CONTENT_TYPE if xlsx else "application/vnd.ms-excel"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(entry.file_name)}"
    response["Cache-Control"] = "private, no-store"
    return response
