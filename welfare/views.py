"""Welfare visit pages: list, detail, add, edit, delete, and the campaign form."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit.exports import export_list, wants_export
from audit.services import reveal_personal_info
from unionportal.access import get_writable_or_404, may_reveal, visible
from unionportal.pii import id_number_hash
from unionportal.records import (
    ListFilter,
    ListSpec,
    add_service_errors,
    choice_filter,
    creatable_townships,
    delete_page,
    get_visible_row_or_404,
    history_entries,
    id_filter,
    list_page,
    record_actions,
    record_form_page,
    township_for_new_record,
)
from unionportal.validators import normalize_id_number
from welfare import services
from welfare.forms import CampaignForm, HouseholdFormSet, VisitForm
from welfare.models import BeneficiaryType, FundSource, WelfareVisit
from welfare.sheets import VISITS


def _search(q: str) -> Q:
    found = Q(beneficiary_name__contains=q) | Q(campaign__contains=q) | Q(note__contains=q)
    # The recipient's ID is encrypted: a whole number is found by its keyed hash, not a prefix.
    if len(normalize_id_number(q)) in (15, 18):
        found |= Q(id_number_hash=id_number_hash(q))
    return found


VISIT_LIST = ListSpec(
    search=_search,
    sorts={
        "date": ("日期", ("visited_on", "id")),
        "name": ("对象姓名", ("beneficiary_name", "id")),
        "type": ("对象类型", ("beneficiary_type", "id")),
        "cash": ("慰问金额", ("cash", "id")),
        "goods": ("物资折款", ("goods_value", "id")),
        "campaign": ("活动名称", ("campaign", "visited_on", "id")),
    },
    default_sort="-date",
    filters=[
        choice_filter("type", "对象类型", "beneficiary_type", BeneficiaryType.choices),
        choice_filter("fund", "资金来源", "fund_source", FundSource.choices),
        ListFilter("campaign", "活动名称", lambda qs, v: qs.filter(campaign=v)),
        id_filter("member", "会员", "member_id"),
    ],
    date_field="visited_on",
    date_label="日期",
    search_placeholder="对象姓名、活动名称或完整身份证号",
)


def visit_list(request: HttpRequest) -> HttpResponse:
    visits = visible(request.user, WelfareVisit).select_related("township", "member")
    listing = list_page(request, visits, VISIT_LIST)
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=VISITS, label="慰问")
    # Over every row the search and filters select, not just this page (one query).
    totals = listing.page.paginator.object_list.order_by().aggregate(
        cash=Sum("cash"), goods=Sum("goods_value")
    )
    return render(
        request,
        "welfare/visit_list.html",
        {
            "listing": listing,
            "totals": totals,
            "kind_label": "慰问",
            "create_url": reverse("welfare:visit_create"),
        },
    )


def _visit(request: HttpRequest, pk: int) -> WelfareVisit:
    return get_visible_row_or_404(
        request.user, WelfareVisit, pk, lambda qs: qs.select_related("township", "member")
    )


def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _visit_page(request, _visit(request, pk), revealed=False)


@never_cache  # the whole number must not stay in the browser's cache
@require_POST
def visit_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """显示完整信息: the recipient's whole ID number, for staff of the visit's township; logged."""
    visit = _visit(request, pk)
    reveal_personal_info(user=request.user, record=visit, fields="身份证号", request=request)
    return _visit_page(request, visit, revealed=True)


def _visit_page(request: HttpRequest, visit: WelfareVisit, *, revealed: bool) -> HttpResponse:
    return render(
        request,
        "welfare/visit_detail.html",
        {
            "record": visit,
            "kind_label": "慰问",
            "list_url": reverse("welfare:visit_list"),
            "actions": record_actions(request.user, visit),
            "edit_url": reverse("welfare:visit_update", args=[visit.pk]),
            "delete_url": reverse("welfare:visit_delete", args=[visit.pk]),
            "history": history_entries(visit),
            "revealed": revealed,
            "may_reveal": may_reveal(request.user, visit.township_id) and bool(visit.id_number),
            "reveal_url": reverse("welfare:visit_reveal", args=[visit.pk]),
        },
    )


def visit_create(request: HttpRequest) -> HttpResponse:
    township = township_for_new_record(request)
    form = VisitForm(request.POST or None)
    return record_form_page(
        request,
        form,
        save=lambda: services.create_visit(
            user=request.user, township=township, data=form.data_for_service
        ),
        saved_message=lambda visit: f"已新增慰问记录“{visit}”。",
        saved_url=lambda visit: reverse("welfare:visit_detail", args=[visit.pk]),
        title="新增慰问",
        cancel_url=reverse("welfare:visit_list"),
        township=township,
    )


def visit_update(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_writable_or_404(request.user, WelfareVisit, pk)
    if request.method == "GET" and visit.id_number:
        # The form holds the whole ID to be corrected: opening it is a reveal.
        reveal_personal_info(
            user=request.user,
            record=visit,
            fields="身份证号",
            request=request,
            detail="打开修改表单",
        )
    form = VisitForm(request.POST or None, instance=visit)
    return record_form_page(
        request,
        form,
        save=lambda: services.update_visit(
            user=request.user,
            visit=visit,
            data=form.data_for_service,
            expected_version=form.expected_version,
        ),
        saved_message=lambda saved: f"已保存慰问记录“{saved}”。",
        saved_url=lambda saved: reverse("welfare:visit_detail", args=[saved.pk]),
        title=f"修改慰问记录：{visit}",
        cancel_url=reverse("welfare:visit_detail", args=[visit.pk]),
    )


def visit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_writable_or_404(request.user, WelfareVisit, pk)
    return delete_page(
        request,
        visit,
        success_url=reverse("welfare:visit_list"),
        cancel_url=reverse("welfare:visit_detail", args=[visit.pk]),
    )


def campaign_create(request: HttpRequest) -> HttpResponse:
    """A whole campaign in one form: what the households share once, then one row each."""
    township = township_for_new_record(request)
    form = CampaignForm(request.POST or None)
    households = HouseholdFormSet(request.POST or None, prefix="households")
    if request.method == "POST" and form.is_valid() and households.is_valid():
        rows = [f for f in households.forms if f.has_changed() and f.cleaned_data]
        try:
            visits = services.record_campaign(
                user=request.user,
                township=township,
                campaign=form.cleaned_data["campaign"],
                visited_on=form.cleaned_data["visited_on"],
                beneficiary_type=form.cleaned_data["beneficiary_type"],
                fund_source=form.cleaned_data["fund_source"],
                households=[
                    services.Household(
                        name=f.cleaned_data["name"],
                        id_number=f.cleaned_data.get("id_number") or "",
                        cash=f.cleaned_data.get("cash") or Decimal("0"),
                        goods_value=f.cleaned_data.get("goods_value") or Decimal("0"),
                        note=f.cleaned_data.get("note") or "",
                    )
                    for f in rows
                ],
            )
        except services.CampaignRowErrors as error:
            for index, fields in error.rows.items():
                for name, messages_ in fields.items():
                    rows[index].add_error(name if name in rows[index].fields else None, messages_)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            cash = sum((v.cash for v in visits), Decimal("0"))
            goods = sum((v.goods_value for v in visits), Decimal("0"))
            messages.success(
                request,
                f"已登记“{form.cleaned_data['campaign']}”慰问 {len(visits)} 户，"
                f"慰问金额合计 {cash:,.2f} 元，物资折款合计 {goods:,.2f} 元。",
            )
            query = urlencode({"campaign": form.cleaned_data["campaign"]})
            return redirect(f"{reverse('welfare:visit_list')}?{query}")
    return render(
        request,
        "welfare/campaign_form.html",
        {
            "form": form,
            "households": households,
            "has_errors": request.method == "POST",
            "township": township,
            "townships": creatable_townships(request.user),
            "cancel_url": reverse("welfare:visit_list"),
        },
    )
