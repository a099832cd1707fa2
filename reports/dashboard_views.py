"""The county and township dashboards, their Excel export, and the county's targets and weights.

Reviewers see their county (read-only for records), administrators any county; township staff and
chairs see their own township's page and get 403 on the county dashboard. A township outside what
the user may see is a 404. With htmx (HX-Request), the pages answer with just the part below the
selector, so changing the period, the sort or the compared indicator swaps the figures in place
while hx-push-url keeps the state in the address.
"""

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from reports import dashboards
from reports.dashboard_excel import (
    MAX_TARGETS_BYTES,
    XLSX,
    TargetsFileError,
    export_workbook,
    read_targets,
    targets_template,
)
from reports.dashboards import BY_KEY, HEADLINES, TARGETED, TREND_SERIES, build_dashboard
from reports.forms import (
    RANGE,
    DashboardForm,
    TargetsForm,
    TargetsUploadForm,
    dashboard_period_choices,
)
from reports.models import RATE_TARGETS, AnnualTarget, AssessmentWeight
from reports.services import save_targets
from unionportal import clock
from unionportal.access import can_set_targets, county_in_view, visible_townships
from unionportal.models import County, Township
from unionportal.security import accepts_body_up_to

DEFAULT_COMPARE = "membership_rate"


def _county_and_townships(request: HttpRequest) -> tuple[County, list[Township]]:
    """The county a reviewer (or an administrator, ?county=) looks at, with its townships in one
    query. Township staff and chairs may not look at the county: 403."""
    user = request.user
    chosen = request.GET.get("county") or request.POST.get("county")
    county = county_in_view(user, chosen)
    townships = list(visible_townships(user).filter(county=county))
    for township in townships:
        township.county = county
    return county, townships


def _selection(request: HttpRequest) -> tuple[DashboardForm, str, str]:
    form = DashboardForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    sort = data.get("sort") or ""
    if sort.lstrip("-") not in dashboards.SORT_KEYS:
        sort = ""
    compare = data.get("compare") or DEFAULT_COMPARE
    if compare not in BY_KEY:
        compare = DEFAULT_COMPARE
    return form, sort, compare


def _state(period, sort: str, compare: str, county: County | None = None) -> dict[str, str]:
    """The query string that reproduces what the page shows."""
    state = {"period": period.code}
    if sort:
        state["sort"] = sort
    if compare != DEFAULT_COMPARE:
        state["compare"] = compare
    if county is not None:
        state["county"] = str(county.pk)
    return state


def _sort_links(state: dict[str, str], current: str) -> dict[str, dict]:
    """For each sortable column: the query string that sorts by it (descending first for
    figures, ascending for the township name; clicking again reverses) and the current arrow."""
    links = {}
    for key in dashboards.SORT_KEYS:
        if current == key:
            nxt, arrow = f"-{key}", "▲"
        elif current == f"-{key}":
            nxt, arrow = key, "▼"
        else:
            nxt, arrow = (key if key == "township" else f"-{key}"), ""
        links[key] = {"query": urlencode(state | {"sort": nxt}), "arrow": arrow}
    return links


def _period_context(form: DashboardForm, period) -> dict:
    is_range = ".." in period.code
    return {
        "period": period,
        "form": form,
        "period_options": dashboard_period_choices(period),
        "selected_period": RANGE if is_range else period.code,
        "range_start": period.start.isoformat() if is_range else "",
        "range_end": period.end.isoformat() if is_range else "",
        "RANGE": RANGE,
    }


def partial_aware(response: HttpResponse) -> HttpResponse:
    # The same address answers with the whole page or (for htmx) just the figures: caches and
    # the browser's back button must keep the two apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def dashboard_home(request: HttpRequest) -> HttpResponse:
    """工作看板: the county's for reviewers and administrators, one's own township's for staff."""
    user = request.user
    if user.is_township_user and not user.is_administrator and user.township_id:
        return redirect("reports:township_dashboard", pk=user.township_id)
    return redirect("reports:county_dashboard")


@require_GET
def county_dashboard(request: HttpRequest) -> HttpResponse:
    """Every township of the county at a glance for one period, against its targets."""
    county, townships = _county_and_townships(request)
    form, sort, compare = _selection(request)
    period = form.period_value()
    counties = list(County.objects.order_by("name")) if request.user.is_administrator else []
    # The record lists narrow to a township, not to a county: for an administrator who sees
    # several counties, a county total's list would count the other counties' records too.
    dashboard = build_dashboard(county, townships, period, sort=sort, link_total=len(counties) <= 1)
    state = _state(period, sort, compare, county if request.user.is_administrator else None)
    links = _sort_links(state, sort)
    context = {
        "county": county,
        "dashboard": dashboard,
        "headlines": HEADLINES,
        "compare": BY_KEY[compare],
        "compare_options": [(h.key, h.label) for h in HEADLINES],
        "compare_rows": [(row, row.cell(compare)) for row in dashboard.rows],
        "compare_chart": dashboards.compare_chart(dashboard, compare),
        "trend_series": TREND_SERIES,
        "trend_rows": dashboards.trend_rows(dashboard),
        "trend_chart": dashboards.trend_chart(dashboard),
        "sort": sort,
        "sort_links": links,
        "sort_columns": [(h, links[h.key]) for h in HEADLINES],
        "state_query": urlencode(state),
        "can_set_targets": can_set_targets(request.user, county),
        "counties": counties,
        **_period_context(form, period),
    }
    template = (
        "reports/dashboard_county_body.html"
        if wants_fragment(request)
        else "reports/dashboard_county.html"
    )
    return partial_aware(render(request, template, context))


@require_GET
def county_dashboard_export(request: HttpRequest) -> HttpResponse:
    """The dashboard table as an Excel workbook, in the page's order, with period and time."""
    county, townships = _county_and_townships(request)
    form, sort, _chosen = _selection(request)
    period = form.period_value()
    dashboard = build_dashboard(county, townships, period, sort=sort)
    data = export_workbook(dashboard, timezone.localtime(clock.now()))
    filename = _("{federation_name}各乡镇主要指标（{label}）.xlsx").format(
        federation_name=county.federation_name, label=period.display
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


def township_context(request: HttpRequest, township: Township, *, action: str) -> dict:
    """What a township's dashboard shows (its figures beside the county average, targets, score
    and monthly trend) for the period in the request; `action` is the address the period
    selector reloads, the township page or, for its staff and chair, the home page."""
    county = township.county
    townships = list(county.townships.all())
    for t in townships:
        t.county = county
    form, _sort, _chosen = _selection(request)
    period = form.period_value()
    # Only this township's row: the others' cells and scores are not on the page.
    dashboard = build_dashboard(county, townships, period, only=township.pk)
    row = dashboard.row_for(township.pk)
    averaged = len(dashboards.townships_in_average(dashboard))
    lines = [
        (cell, dashboards.county_average(dashboard, cell.headline, averaged), total)
        for cell, total in zip(row.cells, dashboard.total.cells, strict=True)
    ]
    return {
        "township": township,
        "county": county,
        "dashboard": dashboard,
        "averaged": averaged,
        "left_out": len(dashboard.townships) - averaged,
        "row": row,
        "lines": lines,
        "trend_series": TREND_SERIES,
        "trend_rows": dashboards.trend_rows(dashboard, township.pk),
        "trend_chart": dashboards.trend_chart(dashboard, township.pk),
        "state_query": urlencode({"period": period.code}),
        "is_reviewer": request.user.is_reviewer,
        "show_county_link": request.user.is_reviewer or request.user.is_administrator,
        "action": action,
        **_period_context(form, period),
    }


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for the figures alone (not htmx restoring a page from its history)."""
    return bool(
        request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    )


@require_GET
def township_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """One township's headline figures with the county average beside them, its targets and
    score, and its monthly trend; each figure links to the records behind it."""
    township = visible_townships(request.user).filter(pk=pk).first()
    if township is None:
        raise Http404(_("乡镇不存在或无权查看。"))
    context = township_context(
        request, township, action=reverse("reports:township_dashboard", args=[township.pk])
    )
    template = (
        "reports/dashboard_township_body.html"
        if wants_fragment(request)
        else "reports/dashboard_township.html"
    )
    return partial_aware(render(request, template, context))


# --- targets and weights ----------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    source = request.POST if request.method == "POST" else request.GET
    text = source.get("year") or ""
    if text.isdecimal() and 2000 <= int(text) <= 2100:
        return int(text)
    return clock.today().year


def _targets_form(townships, data=None, initial=None) -> TargetsForm:
    return TargetsForm(
        data,
        initial=initial,
        townships=townships,
        indicators=[(h.target.value, h.label) for h in TARGETED],
        rate_indicators={i.value for i in RATE_TARGETS},
    )


def _current(county: County, townships, year: int):
    targets: dict[int, dict] = {t.pk: {} for t in townships}
    for tid, indicator, value in AnnualTarget.objects.filter(
        township__in=townships, year=year
    ).values_list("township_id", "indicator", "value"):
        targets[tid][indicator] = value
    weights = dict(
        AssessmentWeight.objects.filter(county=county, year=year).values_list("indicator", "weight")
    )
    return targets, weights


def _targets_url(county: County, year: int, admin: bool) -> str:
    query = {"year": year} | ({"county": county.pk} if admin else {})
    return f"{reverse('reports:targets')}?{urlencode(query)}"


def targets_page(request: HttpRequest) -> HttpResponse:
    """年度目标与考核权重: the county's targets per township and the weights, for one year."""
    county, townships = _county_and_townships(request)
    editable = can_set_targets(request.user, county)
    year = _year(request)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("您无权设置年度目标和考核权重。"))
        form = _targets_form(townships, data=request.POST)
        if form.is_valid():
            save_targets(
                user=request.user,
                county=county,
                year=year,
                targets=form.targets(),
                weights=form.weights(),
            )
            messages.success(request, _("已保存{year}年度目标和考核权重。").format(year=year))
            return redirect(_targets_url(county, year, request.user.is_administrator))
    else:
        targets, weights = _current(county, townships, year)
        initial = {
            f"t_{tid}_{indicator}": value
            for tid, values in targets.items()
            for indicator, value in values.items()
        } | {f"w_{indicator}": weight for indicator, weight in weights.items()}
        form = _targets_form(townships, initial=initial)
    this_year = clock.today().year
    return render(
        request,
        "reports/dashboard_targets.html",
        {
            "county": county,
            "year": year,
            "years": list(range(this_year - 2, this_year + 2)),
            "form": form,
            "upload_form": TargetsUploadForm(),
            "editable": editable,
            "targeted": TARGETED,
            "is_admin": request.user.is_administrator,
        },
    )


@require_GET
def targets_template_download(request: HttpRequest) -> HttpResponse:
    county, townships = _county_and_townships(request)
    year = _year(request)
    targets, weights = _current(county, townships, year)
    data = targets_template(county, townships, year, targets, weights)
    filename = _("{federation_name}{year}年度目标模板.xlsx").format(
        federation_name=county.federation_name, year=year
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@accepts_body_up_to(MAX_TARGETS_BYTES)
@require_POST
def targets_upload(request: HttpRequest) -> HttpResponse:
    county, townships = _county_and_townships(request)
    if not can_set_targets(request.user, county):
        raise PermissionDenied(_("您无权设置年度目标和考核权重。"))
    year = _year(request)
    form = TargetsUploadForm(request.POST, request.FILES)
    back = _targets_url(county, year, request.user.is_administrator)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的 Excel 文件。"))
        return redirect(back)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_TARGETS_BYTES:
        messages.error(request, _("文件太大：目标表不应超过 2 MB。"))
        return redirect(back)
    try:
        targets, weights = read_targets(upload.read(), townships, year)
    except TargetsFileError as exc:
        messages.error(request, _("未导入：{exc}").format(exc=exc))
        return redirect(back)
    written = save_targets(
        user=request.user, county=county, year=year, targets=targets, weights=weights
    )
    messages.success(
        request,
        _("已从 Excel 导入{year}年度目标和权重，共{written}项。").format(
            year=year, written=written
        ),
    )
    return redirect(back)
