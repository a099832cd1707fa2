"""Welfare pages: visits (list, detail, add, edit, delete, and the campaign form), the hardship
register (困难职工档案) and medical mutual aid (职工医疗互助)."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit.exports import export_list, wants_export
from audit.services import reveal_personal_info
from unionportal import clock
from unionportal.access import get_writable_or_404, may_reveal, visible
from unionportal.fields import money_text
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
    related_card,
    township_for_new_record,
)
from unionportal.validators import normalize_id_number
from welfare import list_rows, queries, services
from welfare.forms import (
    CampaignForm,
    HardshipFileForm,
    HardshipReviewForm,
    HouseholdFormSet,
    MutualAidForm,
    VisitForm,
)
from welfare.models import (
    BeneficiaryType,
    FundSource,
    HardshipFile,
    MutualAidEnrolment,
    WelfareVisit,
)
from welfare.sheets import HARDSHIP, HARDSHIP_FOR_REVIEWERS, MUTUAL_AID, VISITS


def _search(q: str) -> Q:
    found = Q(beneficiary_name__contains=q) | Q(campaign__contains=q) | Q(note__contains=q)
    # The recipient's ID is encrypted: a whole number is found by its keyed hash, not a prefix.
    if len(normalize_id_number(q)) in (15, 18):
        found |= Q(id_number_hash=id_number_hash(q))
    return found


VISIT_LIST = ListSpec(
    search=_search,
    sorts={
        "date": (_("日期"), ("visited_on", "id")),
        "name": (_("对象姓名"), ("beneficiary_name", "id")),
        "type": (_("对象类型"), ("beneficiary_type", "id")),
        "cash": (_("慰问金额"), ("cash", "id")),
        "goods": (_("物资折款"), ("goods_value", "id")),
        "campaign": (_("活动名称"), ("campaign", "visited_on", "id")),
    },
    default_sort="-date",
    filters=[
        choice_filter("type", _("对象类型"), "beneficiary_type", BeneficiaryType.choices),
        choice_filter("fund", _("资金来源"), "fund_source", FundSource.choices),
        ListFilter("campaign", _("活动名称"), lambda qs, v: qs.filter(campaign=v)),
        id_filter("member", _("会员"), "member_id"),
    ],
    date_field="visited_on",
    date_label=_("日期"),
    search_placeholder=_("对象姓名、活动名称或完整身份证号"),
    add_label=_("新增慰问"),
    # What a row of the list shows (welfare/list_rows.py builds it; of the member: whether there
    # is one).
    row_fields=(
        "visited_on",
        "beneficiary_name",
        "beneficiary_type",
        "cash",
        "goods_value",
        "campaign",
        "fund_source",
        "member",
        "township__name",
    ),
    row_cells=list_rows.visit_cells,
)


def visit_list(request: HttpRequest) -> HttpResponse:
    visits = visible(request.user, WelfareVisit).select_related("township", "member")
    listing = list_page(request, visits, VISIT_LIST)
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=VISITS, label=_("慰问"))
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
            "kind_label": _("慰问"),
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
    reveal_personal_info(user=request.user, record=visit, fields=_("身份证号"), request=request)
    return _visit_page(request, visit, revealed=True)


def _visit_page(request: HttpRequest, visit: WelfareVisit, *, revealed: bool) -> HttpResponse:
    # The hardship file this visit counts against (困难职工走访覆盖率): the household's file on
    # the register on the day of the visit, found by the same ID number.
    hardship_file = (
        visible(request.user, HardshipFile)
        .filter(
            queries.open_on_q(visit.visited_on),
            township_id=visit.township_id,
            id_number_hash=visit.id_number_hash,
        )
        .first()
        if visit.id_number_hash
        else None
    )
    return render(
        request,
        "welfare/visit_detail.html",
        {
            "record": visit,
            "kind_label": _("慰问"),
            "list_url": reverse("welfare:visit_list"),
            "actions": record_actions(request.user, visit),
            "edit_url": reverse("welfare:visit_update", args=[visit.pk]),
            "delete_url": reverse("welfare:visit_delete", args=[visit.pk]),
            "history": history_entries(visit),
            "revealed": revealed,
            "may_reveal": may_reveal(request.user, visit.township_id) and bool(visit.id_number),
            "reveal_url": reverse("welfare:visit_reveal", args=[visit.pk]),
            "hardship_file": hardship_file,
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
        saved_message=lambda visit: _("已新增慰问记录“{visit}”。").format(visit=visit),
        saved_url=lambda visit: reverse("welfare:visit_detail", args=[visit.pk]),
        title=_("新增慰问"),
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
            fields=_("身份证号"),
            request=request,
            detail=_("打开修改表单"),
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
        saved_message=lambda saved: _("已保存慰问记录“{saved}”。").format(saved=saved),
        saved_url=lambda saved: reverse("welfare:visit_detail", args=[saved.pk]),
        title=_("修改慰问记录：{visit}").format(visit=visit),
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
                _(
                    "已登记“{campaign}”慰问 {households} 户，"
                    "慰问金额合计 {cash} 元，物资折款合计 {goods} 元。"
                ).format(
                    campaign=form.cleaned_data["campaign"],
                    households=len(visits),
                    cash=money_text(cash),
                    goods=money_text(goods),
                ),
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


# --- 困难职工档案 (hardship register) ---------------------------------------------------------


def hardship_list(request: HttpRequest) -> HttpResponse:
    files = visible(request.user, HardshipFile).select_related("township", "union")
    # The flag by the same rule as the home page's task and the figures (the review history).
    files = queries.with_review_overdue(files, clock.today())
    listing = list_page(request, files, queries.HARDSHIP_LIST)
    if wants_export(request):
        if request.user.is_reviewer:
            # Reviewers' export: masked names, no causes or income (sees_hardship_details).
            return export_list(
                request,
                queries.with_masked_name(listing.queryset),
                sheet=HARDSHIP_FOR_REVIEWERS,
                label=_("困难职工"),
            )
        return export_list(request, listing.queryset, sheet=HARDSHIP, label=_("困难职工"))
    for row in listing.rows:
        row.shows_details = queries.sees_hardship_details(request.user, row.township_id)
    return render(
        request,
        "welfare/hardship_list.html",
        {
            "listing": listing,
            "kind_label": _("困难职工档案"),
            "create_url": reverse("welfare:hardship_create"),
        },
    )


def _hardship(request: HttpRequest, pk: int) -> HardshipFile:
    return get_visible_row_or_404(
        request.user,
        HardshipFile,
        pk,
        lambda qs: qs.select_related("township", "member", "employer", "union"),
    )


def hardship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _hardship_page(request, _hardship(request, pk), revealed=False)


@never_cache  # the whole number must not stay in the browser's cache
@require_POST
def hardship_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """显示完整信息: the household's whole ID number, for staff of the file's township; logged."""
    file = _hardship(request, pk)
    reveal_personal_info(user=request.user, record=file, fields=_("身份证号"), request=request)
    return _hardship_page(request, file, revealed=True)


def _hardship_page(request: HttpRequest, file: HardshipFile, *, revealed: bool) -> HttpResponse:
    details = queries.sees_hardship_details(request.user, file.township_id)
    # The household's visits: the same ID number (its keyed hash) in the same township.
    visits = (
        visible(request.user, WelfareVisit)
        .filter(township_id=file.township_id, id_number_hash=file.id_number_hash)
        .order_by("-visited_on", "id")
    )
    others = (
        visible(request.user, HardshipFile)
        .filter(township_id=file.township_id, id_number_hash=file.id_number_hash)
        .exclude(pk=file.pk)
        .order_by("-filed_on")
    )
    related = [
        related_card(
            _("该户的慰问记录"),
            visits,
            "welfare:visit_detail",
            note=lambda v: _("{visited_on:%Y-%m-%d} {money_text} 元").format(
                visited_on=v.visited_on, money_text=money_text(v.cash)
            ),
            label=lambda v: v.campaign or v.get_beneficiary_type_display(),
        ),
        related_card(
            _("该户的其他档案"),
            others,
            "welfare:hardship_detail",
            label=lambda f: _("{filed_on:%Y-%m-%d} 建档").format(filed_on=f.filed_on),
            note=lambda f: (
                _("{out_on:%Y-%m-%d} 脱困").format(out_on=f.out_on) if f.out_on else _("在档")
            ),
        ),
    ]
    return render(
        request,
        "welfare/hardship_detail.html",
        {
            "record": file,
            "kind_label": _("困难职工档案"),
            "list_url": reverse("welfare:hardship_list"),
            "actions": record_actions(request.user, file),
            "edit_url": reverse("welfare:hardship_update", args=[file.pk]),
            "delete_url": reverse("welfare:hardship_delete", args=[file.pk]),
            "history": history_entries(file) if details else [],
            "related": related,
            "details": details,
            "overdue": queries.is_review_overdue(file, clock.today()),
            "reviews": file.reviews.select_related("recorded_by"),
            "review_url": reverse("welfare:hardship_review", args=[file.pk]),
            "revealed": revealed,
            "may_reveal": may_reveal(request.user, file.township_id),
            "reveal_url": reverse("welfare:hardship_reveal", args=[file.pk]),
        },
    )


def hardship_create(request: HttpRequest) -> HttpResponse:
    township = township_for_new_record(request)
    form = HardshipFileForm(request.POST or None, township=township)
    return record_form_page(
        request,
        form,
        save=lambda: services.create_hardship_file(
            user=request.user, township=township, data=form.data_for_service
        ),
        saved_message=lambda file: _("已新增困难职工档案“{file}”。").format(file=file),
        saved_url=lambda file: reverse("welfare:hardship_detail", args=[file.pk]),
        title=_("新增困难职工档案"),
        cancel_url=reverse("welfare:hardship_list"),
        township=township,
    )


def hardship_update(request: HttpRequest, pk: int) -> HttpResponse:
    file = get_writable_or_404(request.user, HardshipFile, pk)
    if request.method == "GET":
        # The form holds the whole ID to be corrected: opening it is a reveal.
        reveal_personal_info(
            user=request.user,
            record=file,
            fields=_("身份证号"),
            request=request,
            detail=_("打开修改表单"),
        )
    form = HardshipFileForm(request.POST or None, instance=file, township=file.township)
    return record_form_page(
        request,
        form,
        save=lambda: services.update_hardship_file(
            user=request.user,
            file=visible(request.user, HardshipFile).get(pk=pk),
            data=form.data_for_service,
            expected_version=form.expected_version,
        ),
        saved_message=lambda saved: _("已保存困难职工档案“{saved}”。").format(saved=saved),
        saved_url=lambda saved: reverse("welfare:hardship_detail", args=[saved.pk]),
        title=_("修改困难职工档案：{file}").format(file=file),
        cancel_url=reverse("welfare:hardship_detail", args=[file.pk]),
    )


def hardship_review(request: HttpRequest, pk: int) -> HttpResponse:
    """复核: record one annual review of the file; it joins the file's review history."""
    file = get_writable_or_404(request.user, HardshipFile, pk)
    form = HardshipReviewForm(request.POST or None, file=file)
    detail_url = reverse("welfare:hardship_detail", args=[file.pk])
    return record_form_page(
        request,
        form,
        save=lambda: services.record_hardship_review(
            user=request.user,
            file=file,
            reviewed_on=form.cleaned_data["reviewed_on"],
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        ),
        saved_message=lambda review: _("已登记{day}的复核。").format(
            day=f"{review.reviewed_on:%Y-%m-%d}"
        ),
        saved_url=lambda review: detail_url,
        title=_("登记复核：{file}").format(file=file),
        cancel_url=detail_url,
    )


@require_POST
def hardship_review_delete(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    """Remove a review recorded by mistake (users who may change the file); back to its page."""
    file = get_writable_or_404(request.user, HardshipFile, pk)
    review = get_object_or_404(file.reviews.select_related("file"), pk=review_pk)
    services.delete_hardship_review(user=request.user, review=review)
    messages.success(request, _("已删除{day}的复核。").format(day=f"{review.reviewed_on:%Y-%m-%d}"))
    return redirect("welfare:hardship_detail", pk=file.pk)


def hardship_delete(request: HttpRequest, pk: int) -> HttpResponse:
    file = get_writable_or_404(request.user, HardshipFile, pk)
    return delete_page(
        request,
        file,
        success_url=reverse("welfare:hardship_list"),
        cancel_url=reverse("welfare:hardship_detail", args=[file.pk]),
    )


# --- 职工医疗互助 (medical mutual aid) ---------------------------------------------------------


def mutualaid_list(request: HttpRequest) -> HttpResponse:
    rows = visible(request.user, MutualAidEnrolment).select_related("township", "union")
    listing = list_page(request, rows, queries.MUTUAL_AID_LIST)
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=MUTUAL_AID, label=_("医疗互助"))
    totals = listing.page.paginator.object_list.order_by().aggregate(
        workers=Sum("workers"),
        enrolled=Sum("enrolled"),
        payouts=Sum("payouts"),
        paid=Sum("paid_out"),
    )
    return render(
        request,
        "welfare/mutualaid_list.html",
        {
            "listing": listing,
            "totals": totals,
            "rate": MutualAidEnrolment(
                workers=totals["workers"] or 0, enrolled=totals["enrolled"] or 0
            ).rate,
            "kind_label": _("医疗互助"),
            "create_url": reverse("welfare:mutualaid_create"),
        },
    )


def mutualaid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_visible_row_or_404(
        request.user,
        MutualAidEnrolment,
        pk,
        lambda qs: qs.select_related("township", "union"),
    )
    return render(
        request,
        "welfare/mutualaid_detail.html",
        {
            "record": enrolment,
            "kind_label": _("医疗互助"),
            "list_url": reverse("welfare:mutualaid_list"),
            "actions": record_actions(request.user, enrolment),
            "edit_url": reverse("welfare:mutualaid_update", args=[enrolment.pk]),
            "delete_url": reverse("welfare:mutualaid_delete", args=[enrolment.pk]),
            "history": history_entries(enrolment),
        },
    )


def mutualaid_create(request: HttpRequest) -> HttpResponse:
    township = township_for_new_record(request)
    form = MutualAidForm(request.POST or None, township=township)
    return record_form_page(
        request,
        form,
        save=lambda: services.create_mutual_aid(
            user=request.user, township=township, data=form.data_for_service
        ),
        saved_message=lambda row: _("已新增“{row}”。").format(row=row),
        saved_url=lambda row: reverse("welfare:mutualaid_detail", args=[row.pk]),
        title=_("新增医疗互助"),
        cancel_url=reverse("welfare:mutualaid_list"),
        township=township,
    )


def mutualaid_update(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_writable_or_404(request.user, MutualAidEnrolment, pk)
    form = MutualAidForm(request.POST or None, instance=enrolment, township=enrolment.township)
    return record_form_page(
        request,
        form,
        save=lambda: services.update_mutual_aid(
            user=request.user,
            enrolment=visible(request.user, MutualAidEnrolment).get(pk=pk),
            data=form.data_for_service,
            expected_version=form.expected_version,
        ),
        saved_message=lambda saved: _("已保存“{saved}”。").format(saved=saved),
        saved_url=lambda saved: reverse("welfare:mutualaid_detail", args=[saved.pk]),
        title=_("修改医疗互助：{enrolment}").format(enrolment=enrolment),
        cancel_url=reverse("welfare:mutualaid_detail", args=[enrolment.pk]),
    )


def mutualaid_delete(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_writable_or_404(request.user, MutualAidEnrolment, pk)
    return delete_page(
        request,
        enrolment,
        success_url=reverse("welfare:mutualaid_list"),
        cancel_url=reverse("welfare:mutualaid_detail", args=[enrolment.pk]),
    )
