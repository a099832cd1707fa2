"""Record pages of the members app: employers, grassroots unions, members, collective contracts
and dues. Thin function views, one per page and kind, written as welfare/, disputes/ and events/
write theirs: the access door fetches, a form validates, a service writes."""

from collections.abc import Callable

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from audit.exports import export_list, wants_export
from audit.services import reveal_personal_info
from members import queries, services
from members.forms import (
    ContractForm,
    DuesForm,
    EmployerForm,
    LeaveForm,
    MemberForm,
    TransferForm,
    UnionForm,
)
from members.models import (
    CollectiveContract,
    DuesRecord,
    Employer,
    GrassrootsUnion,
    Member,
    MemberTransfer,
    TransferState,
)
from members.sheets import CONTRACTS, DUES, EMPLOYERS, MEMBERS, UNIONS
from unionportal.access import (
    door,
    get_writable_or_404,
    may_reveal,
    through_door,
    visible,
    visible_between,
)
from unionportal.fields import money_text
from unionportal.prepared import prepared
from unionportal.record_services import create_record, update_record
from unionportal.records import (
    delete_page,
    get_visible_row_or_404,
    history_entries,
    history_rows,
    list_page,
    record_actions,
    record_form_page,
    related_card,
    township_for_new_record,
    with_total,
)

# The kinds above members that point at its records (welfare visits name a member, cases an
# employer), reached through those relations so that members imports none of its siblings.
WELFARE_VISIT = Member._meta.get_field("welfare_visits").related_model
CASE = Employer._meta.get_field("cases").related_model
HARDSHIP_FILE = Member._meta.get_field("hardship_files").related_model
HONOUR = Member._meta.get_field("honours").related_model
# The 离会 form's fields on the transfer page (leave-day, leave-reason).
LEAVE_PREFIX = "leave"


def _dues_note(dues: DuesRecord) -> str:
    return _("应缴 {money_text} 元，实缴 {money_text2} 元").format(
        money_text=money_text(dues.amount_due), money_text2=money_text(dues.amount_paid)
    )


# --- Employers


def employer_list(request: HttpRequest) -> HttpResponse:
    employers = queries.employer_rows(visible(request.user, Employer))
    listing = list_page(request, employers, queries.employer_spec())
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=EMPLOYERS, label=_("单位"))
    return render(
        request,
        "members/employer_list.html",
        {
            "listing": listing,
            "kind_label": _("单位"),
            "create_url": reverse("members:employer_create"),
        },
    )


def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_visible_row_or_404(request.user, Employer, pk, queries.employer_rows)
    related = [
        related_card(
            _("集体合同"),
            employer.contracts.all(),
            "members:contract_detail",
            note=lambda c: _("{signed_on:%Y-%m-%d} 至 {expires_on:%Y-%m-%d}").format(
                signed_on=c.signed_on, expires_on=c.expires_on
            ),
            more_url=f"{reverse('members:contract_list')}?employer={pk}",
        ),
        related_card(
            _("经费记录"),
            employer.dues.all(),
            "members:dues_detail",
            label=lambda d: d.period,
            note=_dues_note,
            more_url=f"{reverse('members:dues_list')}?employer={pk}",
        ),
        related_card(
            _("信访案件"),
            visible(request.user, CASE).filter(employer=employer).order_by("-received_on"),
            "disputes:case_detail",
            note=lambda c: f"{c.received_on:%Y-%m-%d} {c.get_status_display()}",
        ),
        related_card(
            _("会员"),
            employer.members.order_by("name", "id"),
            "members:member_detail",
            note=lambda m: _("{joined_on:%Y-%m-%d}入会").format(joined_on=m.joined_on),
            more_url=f"{reverse('members:member_list')}?employer={pk}",
        ),
    ]
    return render(
        request,
        "members/employer_detail.html",
        {
            "record": employer,
            "kind_label": _("单位"),
            "history": history_entries(employer),
            "actions": record_actions(request.user, employer),
            "list_url": reverse("members:employer_list"),
            "edit_url": reverse("members:employer_update", args=[employer.pk]),
            "delete_url": reverse("members:employer_delete", args=[employer.pk]),
            "related": related,
        },
    )


@require_http_methods(["GET", "POST"])
def employer_create(request: HttpRequest) -> HttpResponse:
    township = township_for_new_record(request)
    form = EmployerForm(
        request.POST or None, instance=Employer(township=township), township=township
    )
    return record_form_page(
        request,
        form,
        save=lambda: create_record(
            user=request.user, model=Employer, township=township, data=form.data_for_service
        ),
        saved_message=lambda employer: _("已新增单位“{employer}”。").format(employer=employer),
        saved_url=lambda employer: reverse("members:employer_detail", args=[employer.pk]),
        title=_("新增单位"),
        cancel_url=reverse("members:employer_list"),
        township=township,
    )


@require_http_methods(["GET", "POST"])
def employer_update(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_writable_or_404(request.user, Employer, pk)
    form = EmployerForm(request.POST or None, instance=employer, township=employer.township)
    detail_url = reverse("members:employer_detail", args=[employer.pk])
    return record_form_page(
        request,
        form,
        save=lambda: update_record(
            user=request.user,
            record=employer,
            data=form.data_for_service,
            expected_version=form.expected_version,
        ),
        saved_message=lambda saved: _("已保存单位“{saved}”的修改。").format(saved=saved),
        saved_url=lambda saved: detail_url,
        title=_("修改单位“{employer}”").format(employer=employer),
        cancel_url=detail_url,
    )


@require_http_methods(["GET", "POST"])
def employer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_writable_or_404(request.user, Employer, pk)
    return delete_page(
        request,
        employer,
        success_url=reverse("members:employer_list"),
        cancel_url=reverse("members:employer_detail", args=[employer.pk]),
    )


# --- Grassroots unions


def union_list(request: HttpRequest) -> HttpResponse:
    # The rows' member counts come from one query over the page's unions
    # (queries.page_active_member_counts), not a subquery per row: nothing else is annotated.
    unions = visible(request.user, GrassrootsUnion)
    listing = list_page(request, unions, queries.union_spec(request.GET.get("at")))
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=UNIONS, label=_("基层工会"))
    return render(
        request,
        "members/union_list.html",
        {
            "listing": listing,
            "kind_label": _("基层工会"),
            "create_url": reverse("members:union_create"),
        },
    )


def union_detail(request: HttpRequest, pk: int) -> HttpResponse:
    union = get_visible_row_or_404(request.user, GrassrootsUnion, pk, queries.union_rows)
    related = [
        related_card(
            _("覆盖单位"),
            union.employers.all(),
            "members:employer_detail",
            note=lambda e: _("职工 {employees} 人").format(employees=e.employees),
            more_url=f"{reverse('members:employer_list')}?union={pk}",
        ),
        related_card(
            _("会员"),
            union.members.order_by("name", "id"),
            "members:member_detail",
            note=lambda m: (
                _("{joined_on:%Y-%m-%d}入会").format(joined_on=m.joined_on)
                + (_("，已离会") if m.left_on else "")
            ),
            more_url=f"{reverse('members:member_list')}?union={pk}",
        ),
        related_card(
            _("集体合同"),
            union.contracts.all(),
            "members:contract_detail",
            note=lambda c: _("{signed_on:%Y-%m-%d} 至 {expires_on:%Y-%m-%d}").format(
                signed_on=c.signed_on, expires_on=c.expires_on
            ),
            more_url=f"{reverse('members:contract_list')}?union={pk}",
        ),
        related_card(
            _("所属单位的经费记录"),
            visible(request.user, DuesRecord)
            .filter(employer__union=union)
            .select_related("employer"),
            "members:dues_detail",
            note=_dues_note,
        ),
    ]
    return render(
        request,
        "members/union_detail.html",
        {
            "record": union,
            "kind_label": _("基层工会"),
            "history": history_entries(union),
            "actions": record_actions(request.user, union),
            "list_url": reverse("members:union_list"),
            "edit_url": reverse("members:union_update", args=[union.pk]),
            "delete_url": reverse("members:union_delete", args=[union.pk]),
            "related": related,
            # 工会建设: the union's life as a timeline, latest first.
            "milestones": union.milestones.order_by("-happened_on", "-pk"),
            "milestone_add_url": f"{reverse('members:milestone_create')}?union={union.pk}",
        },
    )


@require_http_methods(["GET", "POST"])
def union_create(request: HttpRequest) -> HttpResponse:
    township = township_for_new_record(request)
    form = UnionForm(
        request.POST or None, instance=GrassrootsUnion(township=township), township=township
    )
    return record_form_page(
        request,
        form,
        # Its yes/no marks become milestones; a dissolved union's name re-founds it (重建).
        save=lambda: services.create_union(
            user=request.user, township=township, data=form.data_for_service
        ),
        saved_message=lambda union: _("已新增基层工会“{union}”。").format(union=union),
        saved_url=lambda union: reverse("members:union_detail", args=[union.pk]),
        title=_("新增基层工会"),
        cancel_url=reverse("members:union_list"),
        township=township,
    )


@require_http_methods(["GET", "POST"])
def union_update(request: HttpRequest, pk: int) -> HttpResponse:
    union = get_writable_or_404(request.user, GrassrootsUnion, pk)
    form = UnionForm(request.POST or None, instance=union, township=union.township)
    detail_url = reverse("members:union_detail", args=[union.pk])
    return record_form_page(
        request,
        form,
        # A changed mark, chair or 撤销日期 is recorded as a milestone dated today.
        save=lambda: services.update_union(
            user=request.user,
            union=union,
            data=form.data_for_service,
            expected_version=form.expected_version,
        ),
        saved_message=lambda saved: _("已保存基层工会“{saved}”的修改。").format(saved=saved),
        saved_url=lambda saved: detail_url,
        title=_("修改基层工会“{union}”").format(union=union),
        cancel_url=detail_url,
    )


@require_http_methods(["GET", "POST"])
def union_delete(request: HttpRequest, pk: int) -> HttpResponse:
    union = get_writable_or_404(request.user, GrassrootsUnion, pk)
    return delete_page(
        request,
        union,
        success_url=reverse("members:union_list"),
        cancel_url=reverse("members:union_detail", args=[union.pk]),
    )


# --- Members


def member_list(request: HttpRequest) -> HttpResponse:
    members = queries.member_rows(visible(request.user, Member))
    listing = list_page(request, members, queries.member_spec(request.GET.get("at")))
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=MEMBERS, label=_("会员"))
    return render(
        request,
        "members/member_list.html",
        {
            "listing": listing,
            "kind_label": _("会员"),
            "create_url": reverse("members:member_create"),
        },
    )


def _member_row(pk: int, **door: int | tuple[int, ...]) -> QuerySet[Member]:
    """The member's page's row through the door's values (access.door): kept by shape."""
    return queries.member_rows(through_door(Member, **door)).filter(pk=pk).order_by()[:1]


def _cases_preview(employer_id: int, **door: int | tuple[int, ...]) -> QuerySet:
    """The member's page's box of the employer's cases (as _related's "cases", newest first,
    with their total), through the door's values (access.door): kept by shape."""
    cases = through_door(CASE, **door).filter(employer_id=employer_id)
    return with_total(cases.order_by("-received_on"))


def _member_history(pk: int) -> QuerySet:
    """The member's page's history rows (history_rows): kept by shape."""
    return history_rows(Member, pk)


def _visible_member_or_404(user, pk: int) -> Member:
    """get_visible_row_or_404 for the member's page, without an ORDER BY: its .first() sorted
    the one row found by id in the members' list order (name, id), and compiling that ordering
    (matched against the row's 60 selected columns: member, union, employer, township) was
    about a fifth of the query's ORM work; PostgreSQL drops a sort step. Same door, same row.

    Built and compiled once per process and shape of the door (unionportal.prepared): the
    member's id and the user's township, or the reviewer's county's townships, are parameters."""
    scope = door(user)  # None: the user sees no member
    try:
        pk = int(pk)
    except (ValueError, TypeError):
        scope = None
    rows = [] if scope is None else list(prepared("member_page_row", _member_row, pk=pk, **scope))
    if not rows:
        raise Http404(_("记录不存在或无权查看。"))
    return rows[0]


def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = _visible_member_or_404(request.user, pk)
    return _member_page(request, member, revealed=False)


@never_cache  # the whole numbers must not stay in the browser's cache
@require_POST
def member_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """显示完整信息: the member's page once more, with the whole ID number and mobile, for staff
    of the member's township; each reveal is logged. Shown in this response only."""
    member = _visible_member_or_404(request.user, pk)
    reveal_personal_info(
        user=request.user, record=member, fields=_("身份证号、手机号"), request=request
    )
    return _member_page(request, member, revealed=True)


def _related(user, member: Member) -> dict[str, Callable[[], QuerySet]]:
    """The records of the member's page's related boxes, through the access door; each built
    only when its box holds records (building a queryset's filters is ORM work too)."""
    # Linked to the member, or recorded with their ID number but not linked.
    same_person = Q(member=member.pk) | Q(id_number_hash=member.id_number_hash)
    township_id = member.township_id
    return {
        # Transfers out of this record, and the one that created it (转入).
        "transfers": lambda: (
            visible_between(user, MemberTransfer, "to_township")
            .filter(Q(member=member.pk) | Q(received_member=member.pk))
            .select_related("township", "to_township")
        ),
        # The member's household on the hardship register, by link or by the same ID number.
        "hardship_files": lambda: (
            visible(user, HARDSHIP_FILE).filter(township_id=township_id).filter(same_person)
        ),
        "honours": lambda: (
            visible(user, HONOUR).filter(township_id=township_id).filter(same_person)
        ),
        "visits": lambda: (
            visible(user, WELFARE_VISIT).filter(township_id=township_id).filter(same_person)
        ),
        # A case names no member: it is linked through the member's employer.
        "cases": lambda: visible(user, CASE).filter(employer_id=member.employer_id),
    }


def _related_presence(member: Member) -> dict[str, bool]:
    """For each related box of the member's page, whether any record at all (in any township,
    whoever may see it) is linked to the member as the box links them: one plain SQL query.

    Most members have none of most kinds (at county scale a member's page fills one box in
    three, mostly the employer's cases), and each box's query through the access door cost
    about a millisecond of ORM work (Exists() annotations on the member's query cost as much to
    build). A box found empty here is drawn with its total of 0 and no query; one found here is
    fetched through the door as before, which alone decides what the user sees: this only ever
    answers "no" where the door would find nothing either."""

    def column(model, name: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(name).column)

    def same_person(model) -> tuple[type, str, list]:
        where = (
            f"{column(model, 'township')} = %s"
            f" AND ({column(model, 'member')} = %s OR {column(model, 'id_number_hash')} = %s)"
        )
        return model, where, [member.township_id, member.pk, member.id_number_hash]

    tests = {
        "transfers": (
            MemberTransfer,
            f"{column(MemberTransfer, 'member')} = %s"
            f" OR {column(MemberTransfer, 'received_member')} = %s",
            [member.pk, member.pk],
        ),
        "hardship_files": same_person(HARDSHIP_FILE),
        "honours": same_person(HONOUR),
        "visits": same_person(WELFARE_VISIT),
    }
    if member.employer_id:
        tests["cases"] = (CASE, f"{column(CASE, 'employer')} = %s", [member.employer_id])
    sql = ", ".join(
        f"EXISTS (SELECT 1 FROM {connection.ops.quote_name(model._meta.db_table)} WHERE {where})"
        for model, where, _params in tests.values()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", [p for _m, _w, params in tests.values() for p in params])
        row = cursor.fetchone()
    found = {name: bool(value) for name, value in zip(tests, row, strict=True)}
    found.setdefault("cases", False)  # no employer: no case is linked
    return found


def _member_page(request: HttpRequest, member: Member, *, revealed: bool) -> HttpResponse:
    related_records = _related(request.user, member)
    present = _related_presence(member)

    def found(name: str) -> bool:
        return present[name]

    def records(name: str, *order: str) -> QuerySet | None:
        # None for an empty box: related_card draws it without a query.
        return related_records[name]().order_by(*order) if found(name) else None

    # The employer's cases (the box most often filled): kept by shape of the door.
    scope, employer_id = door(request.user), member.employer_id
    cases = None
    if found("cases") and scope is not None and type(employer_id) is int:
        cases = prepared("member_page_cases", _cases_preview, employer_id=employer_id, **scope)

    related = [
        related_card(
            _("跨乡镇转会"),
            records("transfers", "-created_at", "-id"),
            "members:transfer_detail",
            label=lambda t: (
                _("自{township}转入").format(township=t.township.name)
                if t.received_member_id == member.pk
                else _("转往{township}").format(township=t.to_township.name)
            ),
            note=lambda t: f"{t.day:%Y-%m-%d} {t.get_state_display()}",
            found=found("transfers"),
        ),
        related_card(
            _("困难职工档案"),
            records("hardship_files", "-filed_on", "id"),
            "welfare:hardship_detail",
            label=lambda f: _("{filed_on:%Y-%m-%d} 建档（{get_category_display}）").format(
                filed_on=f.filed_on, get_category_display=f.get_category_display()
            ),
            note=lambda f: (
                _("{out_on:%Y-%m-%d} 脱困").format(out_on=f.out_on) if f.out_on else _("在档")
            ),
            found=found("hardship_files"),
        ),
        related_card(
            _("荣誉表彰"),
            records("honours", "-granted_on", "id"),
            "honours:honour_detail",
            label=lambda h: h.title,
            note=lambda h: f"{h.get_level_display()} {h.granted_on:%Y-%m-%d}",
            found=found("honours"),
        ),
        related_card(
            _("慰问记录"),
            records("visits", "-visited_on", "id"),
            "welfare:visit_detail",
            note=lambda v: _("{get_beneficiary_type_display} {money_text} 元").format(
                get_beneficiary_type_display=v.get_beneficiary_type_display(),
                money_text=money_text(v.cash),
            ),
            found=found("visits"),
        ),
        related_card(
            _("工作单位（{name}）的信访案件").format(name=member.employer.name)
            if member.employer
            else _("信访案件"),
            None if cases is not None else records("cases", "-received_on"),
            "disputes:case_detail",
            note=lambda c: f"{c.received_on:%Y-%m-%d} {c.get_status_display()}",
            found=found("cases"),
            rows=cases,
        ),
    ]
    return render(
        request,
        "members/member_detail.html",
        {
            "record": member,
            "kind_label": _("会员"),
            "history": history_entries(
                member, rows=prepared("member_history", _member_history, pk=member.pk)
            ),
            "actions": record_actions(request.user, member),
            "list_url": reverse("members:member_list"),
            "edit_url": reverse("members:member_update", args=[member.pk]),
            "delete_url": reverse("members:member_delete", args=[member.pk]),
            "related": related,
            "transfer_url": reverse("members:member_transfer", args=[member.pk]),
            "revealed": revealed,
            "may_reveal": may_reveal(request.user, member.township_id),
            "reveal_url": reverse("members:member_reveal", args=[member.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest) -> HttpResponse:
    township = township_for_new_record(request)
    form = MemberForm(request.POST or None, instance=Member(township=township), township=township)
    return record_form_page(
        request,
        form,
        save=lambda: services.create_member(
            user=request.user, township=township, data=form.data_for_service
        ),
        saved_message=lambda member: _("已新增会员“{member}”。").format(member=member),
        saved_url=lambda member: reverse("members:member_detail", args=[member.pk]),
        title=_("新增会员"),
        cancel_url=reverse("members:member_list"),
        township=township,
    )


@require_http_methods(["GET", "POST"])
def member_update(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_writable_or_404(request.user, Member, pk)
    if member.township_id == request.user.township_id:
        # Staff of the member's township: their township came with the user, no query for it.
        member.township = request.user.township
    if request.method == "GET":
        # The form holds the whole ID and mobile to be corrected: opening it is a reveal.
        reveal_personal_info(
            user=request.user,
            record=member,
            fields=_("身份证号、手机号"),
            request=request,
            detail=_("打开修改表单"),
        )
    form = MemberForm(request.POST or None, instance=member, township=member.township)
    detail_url = reverse("members:member_detail", args=[member.pk])
    return record_form_page(
        request,
        form,
        save=lambda: services.update_member(
            user=request.user,
            member=member,
            data=form.data_for_service,
            expected_version=form.expected_version,
        ),
        saved_message=lambda saved: _("已保存会员“{saved}”的修改。").format(saved=saved),
        saved_url=lambda saved: detail_url,
        title=_("修改会员“{member}”").format(member=member),
        cancel_url=detail_url,
    )


@require_http_methods(["GET", "POST"])
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_writable_or_404(request.user, Member, pk)
    return delete_page(
        request,
        member,
        success_url=reverse("members:member_list"),
        cancel_url=reverse("members:member_detail", args=[member.pk]),
    )


@require_http_methods(["GET", "POST"])
def member_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """转会 or 离会, one page: move the member to another union of the township (a day, a reason,
    perhaps a new employer), or end the membership; the history names the step."""
    member = get_writable_or_404(request.user, Member, pk)
    leaving = request.method == "POST" and f"{LEAVE_PREFIX}-day" in request.POST
    data = request.POST or None
    transfer_form = TransferForm(None if leaving else data, member=member)
    leave_form = LeaveForm(data if leaving else None, member=member, prefix=LEAVE_PREFIX)
    detail_url = reverse("members:member_detail", args=[pk])
    # A transfer to another township waiting for the receiving township, if any.
    moving_out = (
        visible_between(request.user, MemberTransfer, "to_township")
        .filter(member=member, state=TransferState.PENDING)
        .select_related("to_township")
        .first()
    )
    context = {
        "transfer_form": transfer_form,
        "leave_form": leave_form,
        "record": member,
        "moving_out": moving_out,
        "transfer_out_url": reverse("members:member_transfer_out", args=[member.pk]),
    }
    if leaving:
        return record_form_page(
            request,
            leave_form,
            save=lambda: services.leave_member(
                user=request.user,
                member=member,
                day=leave_form.cleaned_data["day"],
                reason=leave_form.cleaned_data["reason"],
                expected_version=leave_form.cleaned_data["version"],
            ),
            saved_message=lambda left: _("已登记{name}于 {day} 离会。").format(
                name=member.name, day=f"{left.left_on:%Y-%m-%d}"
            ),
            saved_url=lambda left: detail_url,
            title=_("会员转会或离会：{name}（现属“{union}”）").format(
                name=member.name, union=member.union
            ),
            cancel_url=detail_url,
            template="members/member_transfer.html",
            context=context,
        )
    return record_form_page(
        request,
        transfer_form,
        save=lambda: services.transfer_member(
            user=request.user,
            member=member,
            union=transfer_form.cleaned_data["union"],
            employer=transfer_form.cleaned_data["employer"],
            day=transfer_form.cleaned_data["day"],
            reason=transfer_form.cleaned_data["reason"],
            expected_version=transfer_form.cleaned_data["version"],
        ),
        saved_message=lambda moved: _("已将{name}从“{union}”转入“{union2}”。").format(
            name=member.name, union=member.union, union2=moved.union
        ),
        saved_url=lambda moved: detail_url,
        title=_("会员转会或离会：{name}（现属“{union}”）").format(
            name=member.name, union=member.union
        ),
        cancel_url=detail_url,
        template="members/member_transfer.html",
        context=context,
    )


# --- Collective contracts


def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = queries.contract_rows(visible(request.user, CollectiveContract))
    listing = list_page(request, contracts, queries.contract_spec())
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=CONTRACTS, label=_("集体合同"))
    return render(
        request,
        "members/contract_list.html",
        {
            "listing": listing,
            "kind_label": _("集体合同"),
            "create_url": reverse("members:contract_create"),
        },
    )


def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_visible_row_or_404(request.user, CollectiveContract, pk, queries.contract_rows)
    return render(
        request,
        "members/contract_detail.html",
        {
            "record": contract,
            "kind_label": _("集体合同"),
            "history": history_entries(contract),
            "actions": record_actions(request.user, contract),
            "list_url": reverse("members:contract_list"),
            "edit_url": reverse("members:contract_update", args=[contract.pk]),
            "delete_url": reverse("members:contract_delete", args=[contract.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest) -> HttpResponse:
    township = township_for_new_record(request)
    form = ContractForm(
        request.POST or None, instance=CollectiveContract(township=township), township=township
    )
    return record_form_page(
        request,
        form,
        save=lambda: create_record(
            user=request.user,
            model=CollectiveContract,
            township=township,
            data=form.data_for_service,
        ),
        saved_message=lambda contract: _("已新增集体合同“{contract}”。").format(contract=contract),
        saved_url=lambda contract: reverse("members:contract_detail", args=[contract.pk]),
        title=_("新增集体合同"),
        cancel_url=reverse("members:contract_list"),
        township=township,
    )


@require_http_methods(["GET", "POST"])
def contract_update(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_writable_or_404(request.user, CollectiveContract, pk)
    form = ContractForm(request.POST or None, instance=contract, township=contract.township)
    detail_url = reverse("members:contract_detail", args=[contract.pk])
    return record_form_page(
        request,
        form,
        save=lambda: update_record(
            user=request.user,
            record=contract,
            data=form.data_for_service,
            expected_version=form.expected_version,
        ),
        saved_message=lambda saved: _("已保存集体合同“{saved}”的修改。").format(saved=saved),
        saved_url=lambda saved: detail_url,
        title=_("修改集体合同“{contract}”").format(contract=contract),
        cancel_url=detail_url,
    )


@require_http_methods(["GET", "POST"])
def contract_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_writable_or_404(request.user, CollectiveContract, pk)
    return delete_page(
        request,
        contract,
        success_url=reverse("members:contract_list"),
        cancel_url=reverse("members:contract_detail", args=[contract.pk]),
    )


# --- Dues


def dues_list(request: HttpRequest) -> HttpResponse:
    dues = queries.dues_rows(visible(request.user, DuesRecord))
    listing = list_page(request, dues, queries.dues_spec())
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=DUES, label=_("经费记录"))
    return render(
        request,
        "members/dues_list.html",
        {
            "listing": listing,
            "kind_label": _("经费记录"),
            "create_url": reverse("members:dues_create"),
        },
    )


def dues_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dues = get_visible_row_or_404(request.user, DuesRecord, pk, queries.dues_rows)
    return render(
        request,
        "members/dues_detail.html",
        {
            "record": dues,
            "kind_label": _("经费记录"),
            "history": history_entries(dues),
            "actions": record_actions(request.user, dues),
            "list_url": reverse("members:dues_list"),
            "edit_url": reverse("members:dues_update", args=[dues.pk]),
            "delete_url": reverse("members:dues_delete", args=[dues.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def dues_create(request: HttpRequest) -> HttpResponse:
    township = township_for_new_record(request)
    form = DuesForm(request.POST or None, instance=DuesRecord(township=township), township=township)
    return record_form_page(
        request,
        form,
        save=lambda: create_record(
            user=request.user, model=DuesRecord, township=township, data=form.data_for_service
        ),
        saved_message=lambda dues: _("已新增经费记录“{dues}”。").format(dues=dues),
        saved_url=lambda dues: reverse("members:dues_detail", args=[dues.pk]),
        title=_("新增经费记录"),
        cancel_url=reverse("members:dues_list"),
        township=township,
    )


@require_http_methods(["GET", "POST"])
def dues_update(request: HttpRequest, pk: int) -> HttpResponse:
    dues = get_writable_or_404(request.user, DuesRecord, pk)
    form = DuesForm(request.POST or None, instance=dues, township=dues.township)
    detail_url = reverse("members:dues_detail", args=[dues.pk])
    return record_form_page(
        request,
        form,
        save=lambda: update_record(
            user=request.user,
            record=dues,
            data=form.data_for_service,
            expected_version=form.expected_version,
        ),
        saved_message=lambda saved: _("已保存经费记录“{saved}”的修改。").format(saved=saved),
        saved_url=lambda saved: detail_url,
        title=_("修改经费记录“{dues}”").format(dues=dues),
        cancel_url=detail_url,
    )


@require_http_methods(["GET", "POST"])
def dues_delete(request: HttpRequest, pk: int) -> HttpResponse:
    dues = get_writable_or_404(request.user, DuesRecord, pk)
    return delete_page(
        request,
        dues,
        success_url=reverse("members:dues_list"),
        cancel_url=reverse("members:dues_detail", args=[dues.pk]),
    )
