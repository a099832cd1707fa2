"""Case pages (信访/劳动争议): list with the overdue flag, detail, add, edit, delete and the close
form of the workflow. The attachment pages are unionportal/attachments.py's (see urls.py)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from audit.exports import export_list, wants_export
from disputes import list_rows, queries, services
from disputes.forms import CaseCloseForm
from disputes.models import Case, CaseCategory, CaseStatus, Channel
from disputes.sheets import CASES
from unionportal.access import get_writable_or_404, visible
from unionportal.attachments import attached_record_context
from unionportal.records import (
    ListFilter,
    ListSpec,
    choice_filter,
    get_visible_row_or_404,
    id_filter,
    list_page,
    record_form_page,
    text_search,
)


def _overdue(qs, value: str):
    return qs.filter(queries.overdue_q()) if value == "1" else qs


CASE_LIST = ListSpec(
    search=text_search("number", "petitioner", "employer__name", "summary"),
    sorts={
        "received": (_("受理日期"), ("received_on", "number")),
        "number": (_("编号"), ("number",)),
        "petitioner": (_("诉求人"), ("petitioner", "number")),
        "status": (_("状态"), ("status", "received_on", "number")),
        "closed": (_("结案日期"), ("closed_on", "number")),
        "recovered": (_("追回金额"), ("amount_recovered", "number")),
    },
    default_sort="-received",
    filters=[
        choice_filter("status", _("状态"), "status", CaseStatus.choices),
        ListFilter(
            "overdue",
            _("超期"),
            _overdue,
            [
                (
                    "1",
                    format_lazy(_("超过{OVERDUE_DAYS}天未办结"), OVERDUE_DAYS=queries.OVERDUE_DAYS),
                )
            ],
        ),
        choice_filter("category", _("类别"), "category", CaseCategory.choices),
        choice_filter("channel", _("方式"), "channel", Channel.choices),
        id_filter("employer", _("涉及单位"), "employer_id"),
        # From the dashboards' 办结率: received in the period and closed by its last day.
        ListFilter(
            "closed_by",
            _("截至所选日期已办结"),
            queries.closed_by_filter,
            chip=_("截至{value}已办结"),
        ),
    ],
    date_field="received_on",
    date_label=_("受理日期"),
    search_placeholder=_("编号、诉求人、涉及单位"),
    add_label=_("新增信访案件"),
    # What a row of the list shows (disputes/list_rows.py builds it; is_overdue is annotated).
    row_fields=(
        "number",
        "received_on",
        "petitioner",
        "category",
        "status",
        "closed_on",
        "amount_recovered",
        "township__name",
        "employer__name",
        "is_overdue",
    ),
    row_cells=list_rows.case_cells,
)


def case_list(request: HttpRequest) -> HttpResponse:
    cases = queries.with_overdue_flag(
        visible(request.user, Case).select_related("township", "employer")
    )
    listing = list_page(request, cases, CASE_LIST)
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=CASES, label=_("信访案件"))
    return render(
        request,
        "disputes/case_list.html",
        {
            "listing": listing,
            "kind_label": _("信访案件"),
            "create_url": reverse("disputes:case_create"),
            "overdue_days": queries.OVERDUE_DAYS,
        },
    )


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible_row_or_404(
        request.user,
        Case,
        pk,
        lambda qs: queries.with_overdue_flag(qs.select_related("township", "employer")),
    )
    return render(
        request,
        "disputes/case_detail.html",
        {
            **attached_record_context(
                request.user, case, label=_("信访案件"), app="disputes", kind="case"
            ),
            "overdue_days": queries.OVERDUE_DAYS,
        },
    )


def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    """办结: the outcome (已解决 / 转仲裁 / 不予受理), the closing date and the amount recovered."""
    case = get_writable_or_404(request.user, Case, pk)
    if case.is_closed:
        messages.info(
            request,
            _("该案件已于 {closed_on:%Y-%m-%d} 办结，无需再次结案。").format(
                closed_on=case.closed_on
            ),
        )
        return redirect("disputes:case_detail", pk=case.pk)
    form = CaseCloseForm(request.POST or None, case=case)
    return record_form_page(
        request,
        form,
        save=lambda: services.close_case(
            user=request.user,
            case=case,
            status=form.cleaned_data["status"],
            closed_on=form.cleaned_data["closed_on"],
            amount_recovered=form.cleaned_data["amount_recovered"],
            expected_version=form.cleaned_data["version"],
        ),
        saved_message=lambda closed: _("信访案件“{closed}”已办结：{get_status_display}。").format(
            closed=closed, get_status_display=closed.get_status_display()
        ),
        saved_url=lambda closed: reverse("disputes:case_detail", args=[closed.pk]),
        title=_("办结信访案件 {number}").format(number=case.number),
        cancel_url=reverse("disputes:case_detail", args=[case.pk]),
        template="disputes/case_close.html",
        context={"case": case},
    )
