from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from reports import rendered
from reports.forms import NarrativeForm, default_period, period_choices
from reports.models import FinalSummary
from reports.render_pdf import summary_context
from reports.services import (
    finalise_summary,
    load_narrative,
    save_narrative,
    summary_document,
    summary_drafts,
)
from reports.summary import Narrative, parts_stated
from unionportal import clock
from unionportal.access import (
    can_edit_county_narrative,
    can_edit_narrative,
    can_finalise,
    county_in_view,
    visible_townships,
)
from unionportal.models import County, Township
from unionportal.periods import Period, PeriodError, parse_period

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class BadPeriod(Exception):
    """The typed period is not one parse_period understands; shown as a message, not a 404."""


def _period(request: HttpRequest) -> Period:
    source = request.POST if request.method == "POST" else request.GET
    try:
        return parse_period(source.get("period") or default_period())
    except PeriodError as exc:
        raise BadPeriod(str(exc)) from None


def _period_or_default(request: HttpRequest) -> tuple[Period, str]:
    """The period asked for, or the default one with the typed text kept to show beside the
    message saying why it was not understood."""
    try:
        return _period(request), ""
    except BadPeriod as exc:
        messages.error(request, str(exc))
        source = request.POST if request.method == "POST" else request.GET
        return parse_period(default_period()), source.get("period", "")


def _back_to_page(request: HttpRequest, exc: BadPeriod, page: str) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect(reverse(page))


def _township(request: HttpRequest) -> Township:
    """The township the page is about: the user's own, or one a reviewer chose among theirs."""
    source = request.POST if request.method == "POST" else request.GET
    townships = visible_townships(request.user)
    chosen = source.get("township")
    if chosen:
        try:
            return townships.get(pk=int(chosen))
        except (ValueError, Township.DoesNotExist):
            raise Http404(_("乡镇不存在或无权查看。")) from None
    if request.user.township_id:
        return townships.get(pk=request.user.township_id)
    first = townships.first()
    if first is None:
        raise Http404(_("没有可查看的乡镇。"))
    return first


def _attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


def _narrative_from(form: NarrativeForm) -> Narrative:
    data = form.cleaned_data
    return Narrative(data["opening"], data["practices"], data["shortcomings"], data["plans"])


def summary_page(request: HttpRequest) -> HttpResponse:
    """The township's work summary: period, staff-written parts with live preview, downloads,
    finalisation and the finalised versions."""
    period, typed = _period_or_default(request)
    if typed and request.method == "POST":
        return redirect(reverse("reports:summary"))  # nothing saved under another period
    township = _township(request)
    editable = can_edit_narrative(request.user, township)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("您的角色只能查看，不能修改工作总结。"))
        form = NarrativeForm(request.POST)
        if form.is_valid():
            save_narrative(
                user=request.user, township=township, period=period, narrative=_narrative_from(form)
            )
            messages.success(request, _("已保存{label}工作总结草稿。").format(label=period.display))
            return redirect(
                f"{reverse('reports:summary')}?period={period.code}&township={township.pk}"
            )
        narrative = Narrative()
    else:
        narrative = load_narrative(township=township, period=period)
        form = NarrativeForm(initial=narrative.__dict__)
    document = summary_document(township=township, period=period, narrative=narrative)
    finals = (
        FinalSummary.objects.filter(township=township)
        .defer("pdf", "docx")
        .order_by("-period", "-version")
    )
    return render(
        request,
        "reports/summary_page.html",
        {
            "township": township,
            "townships": visible_townships(request.user),
            "period": period,
            "periods": period_choices(year_to_date=True),
            "typed_period": typed,
            "form": form,
            "editable": editable,
            "can_finalise": can_finalise(request.user, township),
            "finals": finals,
            "parts": parts_stated(document),
            "drafts": summary_drafts(township=township, period=period) if editable else None,
            **summary_context(document),
        },
    )


@require_POST
def summary_autosave(request: HttpRequest) -> HttpResponse:
    """The draft as the chair types it (static/reports/summary_editor.js posts the form a few
    seconds after a change): saved like 保存草稿, answered with the time it was saved."""
    try:
        period = _period(request)
    except BadPeriod as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    township = _township(request)
    if not can_edit_narrative(request.user, township):
        raise PermissionDenied(_("您的角色只能查看，不能修改工作总结。"))
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _("内容未保存：") + form.errors.as_text()}, status=400)
    save_narrative(
        user=request.user, township=township, period=period, narrative=_narrative_from(form)
    )
    saved = timezone.localtime(clock.now())
    return JsonResponse({"saved": saved.strftime("%H:%M")})


@require_POST
def summary_preview(request: HttpRequest) -> HttpResponse:
    """The whole summary with the text being typed (not saved), for the live preview."""
    try:
        period = _period(request)
    except BadPeriod as exc:
        return HttpResponse(str(exc), status=400)
    township = _township(request)
    form = NarrativeForm(request.POST)
    narrative = _narrative_from(form) if form.is_valid() else None
    document = summary_document(township=township, period=period, narrative=narrative)
    # htmx swaps the fragment into the page; 在新窗口预览 opens it as a page of its own, which
    # needs the stylesheets around it.
    fragment = bool(request.headers.get("HX-Request"))
    template = "reports/summary_body.html" if fragment else "reports/summary_preview_page.html"
    return render(request, template, summary_context(document))


@require_GET
def summary_download(request: HttpRequest) -> HttpResponse:
    try:
        period = _period(request)
    except BadPeriod as exc:
        return _back_to_page(request, exc, "reports:summary")
    township = _township(request)
    language = "zh-hant" if request.GET.get("lang") == "zh-hant" else "zh-hans"
    document = summary_document(township=township, period=period, language=language)
    if request.GET.get("format") == "docx":
        return _attachment(rendered.docx_bytes(document), f"{document.title}.docx", DOCX)
    return _attachment(rendered.pdf_bytes(document), f"{document.title}.pdf", PDF)


@require_POST
def summary_finalise(request: HttpRequest) -> HttpResponse:
    try:
        period = _period(request)
    except BadPeriod as exc:
        return _back_to_page(request, exc, "reports:summary")
    township = _township(request)
    if not can_finalise(request.user, township):
        raise PermissionDenied(_("只有本乡镇工会主席可以定稿工作总结。"))
    page = f"{reverse('reports:summary')}?period={period.code}&township={township.pk}"
    if (
        not request.POST.get("confirm_empty")
        and not summary_document(township=township, period=period).sections
    ):
        messages.warning(
            request,
            _("{label}没有任何记录，总结只有一句“暂无记录”。确需定稿，请勾选确认后再定稿。").format(
                label=period.display
            ),
        )
        return redirect(page + "&confirm=empty")
    before = (
        FinalSummary.objects.filter(township=township, period=period.code)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    final = finalise_summary(user=request.user, township=township, period=period)
    if final.version == before:
        messages.info(
            request,
            _("内容与已定稿的第{version}版相同，没有生成新版本。").format(version=final.version),
        )
    else:
        messages.success(
            request,
            _("《{title}》已定稿（第{version}版），定稿文件不再改变。").format(
                title=final.title, version=final.version
            ),
        )
    return redirect(page)


@require_GET
def final_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A finalised file, byte for byte as it was stored."""
    townships = visible_townships(request.user).values("pk")
    final = get_object_or_404(FinalSummary.objects.filter(township__in=townships), pk=pk)
    name = _("{title}（定稿第{version}版）").format(title=final.title, version=final.version)
    if fmt == "pdf":
        return _attachment(bytes(final.pdf), f"{name}.pdf", PDF)
    if fmt == "docx":
        return _attachment(bytes(final.docx), f"{name}.docx", DOCX)
    raise Http404(_("不支持的格式。"))


def _county(request: HttpRequest) -> County:
    return county_in_view(request.user, request.GET.get("county"))


def county_summary_page(request: HttpRequest) -> HttpResponse:
    """The county federation's roll-up summary over all its townships, as a preview, with the
    parts its reviewers write themselves (做法、不足、打算)."""
    county = _county(request)
    period, typed = _period_or_default(request)
    editable = can_edit_county_narrative(request.user, county)
    page = f"{reverse('reports:county_summary')}?period={period.code}&county={county.pk}"
    if request.method == "POST":
        if typed:
            return redirect(reverse("reports:county_summary"))
        if not editable:
            raise PermissionDenied(_("只有本县总工会审阅人员可以填写全县工作总结。"))
        form = NarrativeForm(request.POST)
        if form.is_valid():
            save_narrative(
                user=request.user, county=county, period=period, narrative=_narrative_from(form)
            )
            messages.success(
                request, _("已保存{label}全县工作总结的文字部分。").format(label=period.display)
            )
            return redirect(page)
    else:
        form = NarrativeForm(initial=load_narrative(county=county, period=period).__dict__)
    document = summary_document(county=county, period=period)
    return render(
        request,
        "reports/county_summary_page.html",
        {
            "county": county,
            "period": period,
            "typed_period": typed,
            "periods": period_choices(year_to_date=True),
            "form": form,
            "editable": editable,
            "parts": parts_stated(document),
            "drafts": summary_drafts(county=county, period=period) if editable else None,
            **summary_context(document),
        },
    )


@require_GET
def county_summary_download(request: HttpRequest) -> HttpResponse:
    county = _county(request)
    try:
        period = _period(request)
    except BadPeriod as exc:
        return _back_to_page(request, exc, "reports:county_summary")
    language = "zh-hant" if request.GET.get("lang") == "zh-hant" else "zh-hans"
    document = summary_document(county=county, period=period, language=language)
    if request.GET.get("format") == "docx":
        return _attachment(rendered.docx_bytes(document), f"{document.title}.docx", DOCX)
    return _attachment(rendered.pdf_bytes(document), f"{document.title}.pdf", PDF)
