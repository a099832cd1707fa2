"""Record pages of the members app: employers, grassroots unions, members, collective contracts
and dues. Thin function views: the access door fetches, a form validates, a service writes."""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from audit.exports import export_list, wants_export
from audit.services import reveal_personal_info
from members import queries, services
from members.forms import (
    ContractForm,
    DuesForm,
    EmployerForm,
    MemberForm,
    TransferForm,
    UnionForm,
)
from members.models import CollectiveContract, DuesRecord, Employer, GrassrootsUnion, Member
from members.sheets import CONTRACTS, DUES, EMPLOYERS, MEMBERS, UNIONS
from unionportal.access import get_writable_or_404, may_reveal, visible
from unionportal.fields import money_text
from unionportal.record_services import create_record, update_record
from unionportal.records import (
    delete_page,
    get_visible_row_or_404,
    history_entries,
    list_page,
    record_actions,
    record_form_page,
    related_card,
    township_for_new_record,
)

# kind → (model, form, the kind's name on its pages)
KINDS = {
    "employer": (Employer, EmployerForm, "单位"),
    "union": (GrassrootsUnion, UnionForm, "基层工会"),
    "member": (Member, MemberForm, "会员"),
    "contract": (CollectiveContract, ContractForm, "集体合同"),
    "dues": (DuesRecord, DuesForm, "经费记录"),
}


# kind → its sheet of the records workbook (members/sheets.py)
SHEETS = {
    "employer": EMPLOYERS,
    "union": UNIONS,
    "member": MEMBERS,
    "contract": CONTRACTS,
    "dues": DUES,
}


# The kinds above members that point at its records (welfare visits name a member, cases an
# employer), reached through those relations so that members imports none of its siblings.
WELFARE_VISIT = Member._meta.get_field("welfare_visits").related_model
CASE = Employer._meta.get_field("cases").related_model
HARDSHIP_FILE = Member._meta.get_field("hardship_files").related_model


def _dues_note(dues: DuesRecord) -> str:
    return f"应缴 {money_text(dues.amount_due)} 元，实缴 {money_text(dues.amount_paid)} 元"


def _list(request: HttpRequest, kind: str, queryset, spec, template: str) -> HttpResponse:
    listing = list_page(request, queryset, spec)
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=SHEETS[kind], label=KINDS[kind][2])
    return render(
        request,
        template,
        {
            "listing": listing,
            "kind_label": KINDS[kind][2],
            "create_url": reverse(f"members:{kind}_create"),
        },
    )


def _detail(request: HttpRequest, kind: str, record, template: str, **extra) -> HttpResponse:
    context = {
        "record": record,
        "kind_label": KINDS[kind][2],
        "history": history_entries(record),
        "actions": record_actions(request.user, record),
        "list_url": reverse(f"members:{kind}_list"),
        "edit_url": reverse(f"members:{kind}_update", args=[record.pk]),
        "delete_url": reverse(f"members:{kind}_delete", args=[record.pk]),
        **extra,
    }
    return render(request, template, context)


def _create(request: HttpRequest, kind: str, create=None) -> HttpResponse:
    model, form_class, label = KINDS[kind]
    township = township_for_new_record(request)
    form = form_class(request.POST or None, instance=model(township=township), township=township)

    def save():
        if create:
            return create(user=request.user, township=township, data=form.data_for_service)
        return create_record(
            user=request.user, model=model, township=township, data=form.data_for_service
        )

    return record_form_page(
        request,
        form,
        save=save,
        saved_message=lambda record: f"已新增{label}“{record}”。",
        saved_url=lambda record: reverse(f"members:{kind}_detail", args=[record.pk]),
        title=f"新增{label}",
        cancel_url=reverse(f"members:{kind}_list"),
        township=township,
    )


def _update(request: HttpRequest, kind: str, pk: int, update=None) -> HttpResponse:
    model, form_class, label = KINDS[kind]
    record = get_writable_or_404(request.user, model, pk)
    form = form_class(request.POST or None, instance=record, township=record.township)
    detail_url = reverse(f"members:{kind}_detail", args=[pk])

    def save():
        # The form validated against a copy; the service re-reads and compares versions.
        original = visible(request.user, model).get(pk=pk)
        return (update or update_record)(
            user=request.user,
            record=original,
            data=form.data_for_service,
            expected_version=form.expected_version,
        )

    return record_form_page(
        request,
        form,
        save=save,
        saved_message=lambda saved: f"已保存{label}“{saved}”的修改。",
        saved_url=lambda saved: detail_url,
        title=f"修改{label}“{record}”",
        cancel_url=detail_url,
    )


def _delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = KINDS[kind][0]
    record = get_writable_or_404(request.user, model, pk)
    return delete_page(
        request,
        record,
        success_url=reverse(f"members:{kind}_list"),
        cancel_url=reverse(f"members:{kind}_detail", args=[pk]),
    )


# --- Employers


def employer_list(request: HttpRequest) -> HttpResponse:
    qs = queries.employer_rows(visible(request.user, Employer))
    return _list(request, "employer", qs, queries.employer_spec(), "members/employer_list.html")


def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_visible_row_or_404(request.user, Employer, pk, queries.employer_rows)
    related = [
        related_card(
            "集体合同",
            employer.contracts.all(),
            "members:contract_detail",
            note=lambda c: f"{c.signed_on:%Y-%m-%d} 至 {c.expires_on:%Y-%m-%d}",
            more_url=f"{reverse('members:contract_list')}?employer={pk}",
        ),
        related_card(
            "经费记录",
            employer.dues.all(),
            "members:dues_detail",
            label=lambda d: d.period,
            note=_dues_note,
            more_url=f"{reverse('members:dues_list')}?employer={pk}",
        ),
        related_card(
            "信访案件",
            visible(request.user, CASE).filter(employer=employer).order_by("-received_on"),
            "disputes:case_detail",
            note=lambda c: f"{c.received_on:%Y-%m-%d} {c.get_status_display()}",
        ),
        related_card(
            "会员",
            employer.members.order_by("name", "id"),
            "members:member_detail",
            note=lambda m: f"{m.joined_on:%Y-%m-%d}入会",
            more_url=f"{reverse('members:member_list')}?employer={pk}",
        ),
    ]
    return _detail(request, "employer", employer, "members/employer_detail.html", related=related)


@require_http_methods(["GET", "POST"])
def employer_create(request: HttpRequest) -> HttpResponse:
    return _create(request, "employer")


@require_http_methods(["GET", "POST"])
def employer_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _update(request, "employer", pk)


@require_http_methods(["GET", "POST"])
def employer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, "employer", pk)


# --- Grassroots unions


def union_list(request: HttpRequest) -> HttpResponse:
    qs = queries.union_rows(visible(request.user, GrassrootsUnion))
    spec = queries.union_spec(request.GET.get("at"))
    return _list(request, "union", qs, spec, "members/union_list.html")


def union_detail(request: HttpRequest, pk: int) -> HttpResponse:
    union = get_visible_row_or_404(request.user, GrassrootsUnion, pk, queries.union_rows)
    related = [
        related_card(
            "覆盖单位",
            union.employers.all(),
            "members:employer_detail",
            note=lambda e: f"职工 {e.employees} 人",
            more_url=f"{reverse('members:employer_list')}?union={pk}",
        ),
        related_card(
            "会员",
            union.members.order_by("name", "id"),
            "members:member_detail",
            note=lambda m: f"{m.joined_on:%Y-%m-%d}入会" + ("，已离会" if m.left_on else ""),
            more_url=f"{reverse('members:member_list')}?union={pk}",
        ),
        related_card(
            "集体合同",
            union.contracts.all(),
            "members:contract_detail",
            note=lambda c: f"{c.signed_on:%Y-%m-%d} 至 {c.expires_on:%Y-%m-%d}",
            more_url=f"{reverse('members:contract_list')}?union={pk}",
        ),
        related_card(
            "所属单位的经费记录",
            visible(request.user, DuesRecord)
            .filter(employer__union=union)
            .select_related("employer"),
            "members:dues_detail",
            note=_dues_note,
        ),
    ]
    return _detail(request, "union", union, "members/union_detail.html", related=related)


@require_http_methods(["GET", "POST"])
def union_create(request: HttpRequest) -> HttpResponse:
    return _create(request, "union")


@require_http_methods(["GET", "POST"])
def union_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _update(request, "union", pk)


@require_http_methods(["GET", "POST"])
def union_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, "union", pk)


# --- Members


def member_list(request: HttpRequest) -> HttpResponse:
    qs = queries.member_rows(visible(request.user, Member))
    spec = queries.member_spec(request.GET.get("at"))
    return _list(request, "member", qs, spec, "members/member_list.html")


def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_visible_row_or_404(request.user, Member, pk, queries.member_rows)
    return _member_page(request, member, revealed=False)


@never_cache  # the whole numbers must not stay in the browser's cache
@require_POST
def member_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """显示完整信息: the member's page once more, with the whole ID number and mobile, for staff
    of the member's township; each reveal is logged. Shown in this response only."""
    member = get_visible_row_or_404(request.user, Member, pk, queries.member_rows)
    reveal_personal_info(
        user=request.user, record=member, fields="身份证号、手机号", request=request
    )
    return _member_page(request, member, revealed=True)


def _member_page(request: HttpRequest, member: Member, *, revealed: bool) -> HttpResponse:
    # Visits linked to the member, or recorded with their ID number but not linked.
    visits = (
        visible(request.user, WELFARE_VISIT)
        .filter(township_id=member.township_id)
        .filter(Q(member=member) | Q(id_number_hash=member.id_number_hash))
        .order_by("-visited_on", "id")
    )
    # A case names no member: it is linked through the member's employer.
    cases = (
        visible(request.user, CASE).filter(employer_id=member.employer_id).order_by("-received_on")
        if member.employer_id
        else CASE.objects.none()
    )
    # The member's household on the hardship register, by link or by the same ID number.
    hardship_files = (
        visible(request.user, HARDSHIP_FILE)
        .filter(township_id=member.township_id)
        .filter(Q(member=member) | Q(id_number_hash=member.id_number_hash))
        .order_by("-filed_on", "id")
    )
    related = [
        related_card(
            "困难职工档案",
            hardship_files,
            "welfare:hardship_detail",
            label=lambda f: f"{f.filed_on:%Y-%m-%d} 建档（{f.get_category_display()}）",
            note=lambda f: f"{f.out_on:%Y-%m-%d} 脱困" if f.out_on else "在档",
        ),
        related_card(
            "慰问记录",
            visits,
            "welfare:visit_detail",
            note=lambda v: f"{v.get_beneficiary_type_display()} {money_text(v.cash)} 元",
        ),
        related_card(
            f"工作单位（{member.employer.name}）的信访案件" if member.employer else "信访案件",
            cases,
            "disputes:case_detail",
            note=lambda c: f"{c.received_on:%Y-%m-%d} {c.get_status_display()}",
        ),
    ]
    return _detail(
        request,
        "member",
        member,
        "members/member_detail.html",
        related=related,
        transfer_url=reverse("members:member_transfer", args=[member.pk]),
        revealed=revealed,
        may_reveal=may_reveal(request.user, member.township_id),
        reveal_url=reverse("members:member_reveal", args=[member.pk]),
    )


@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest) -> HttpResponse:
    return _create(request, "member", create=services.create_member)


@require_http_methods(["GET", "POST"])
def member_update(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        # The form holds the whole ID and mobile to be corrected: opening it is a reveal.
        member = get_writable_or_404(request.user, Member, pk)
        reveal_personal_info(
            user=request.user,
            record=member,
            fields="身份证号、手机号",
            request=request,
            detail="打开修改表单",
        )

    def update(*, user, record, data, expected_version):
        return services.update_member(
            user=user, member=record, data=data, expected_version=expected_version
        )

    return _update(request, "member", pk, update=update)


@require_http_methods(["GET", "POST"])
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, "member", pk)


@require_http_methods(["GET", "POST"])
def member_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """转会: move the member to another union of the township; the history keeps the move."""
    member = get_writable_or_404(request.user, Member, pk)
    form = TransferForm(request.POST or None, member=member)
    detail_url = reverse("members:member_detail", args=[pk])
    return record_form_page(
        request,
        form,
        save=lambda: services.transfer_member(
            user=request.user,
            member=member,
            union=form.cleaned_data["union"],
            expected_version=form.cleaned_data["version"],
        ),
        saved_message=lambda moved: f"已将{member.name}从“{member.union}”转入“{moved.union}”。",
        saved_url=lambda moved: detail_url,
        title=f"会员转会：{member.name}（现属“{member.union}”）",
        cancel_url=detail_url,
    )


# --- Collective contracts


def contract_list(request: HttpRequest) -> HttpResponse:
    qs = queries.contract_rows(visible(request.user, CollectiveContract))
    return _list(request, "contract", qs, queries.contract_spec(), "members/contract_list.html")


def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_visible_row_or_404(request.user, CollectiveContract, pk, queries.contract_rows)
    return _detail(request, "contract", contract, "members/contract_detail.html")


@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest) -> HttpResponse:
    return _create(request, "contract")


@require_http_methods(["GET", "POST"])
def contract_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _update(request, "contract", pk)


@require_http_methods(["GET", "POST"])
def contract_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, "contract", pk)


# --- Dues


def dues_list(request: HttpRequest) -> HttpResponse:
    qs = queries.dues_rows(visible(request.user, DuesRecord))
    return _list(request, "dues", qs, queries.dues_spec(), "members/dues_list.html")


def dues_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dues = get_visible_row_or_404(request.user, DuesRecord, pk, queries.dues_rows)
    return _detail(request, "dues", dues, "members/dues_detail.html")


@require_http_methods(["GET", "POST"])
def dues_create(request: HttpRequest) -> HttpResponse:
    return _create(request, "dues")


@require_http_methods(["GET", "POST"])
def dues_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _update(request, "dues", pk)


@require_http_methods(["GET", "POST"])
def dues_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, "dues", pk)
