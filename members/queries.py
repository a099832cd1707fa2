"""Reads of the members app shared by its pages (and by links from the dashboards): what each
list page searches, filters and sorts, and the related records a detail page shows.

Dashboards link here with query parameters (see each spec): member_list takes ?active=1&at=,
?migrant=1, ?union=, ?employer=, ?joined_from/?joined_to; union_list ?active=1&at=; employer_list
?should_unionise=1, ?unionised=1, ?unionised_at=<date>; contract_list ?in_force=<date>; dues_list
?ends_by=<date> (with ?from=, a 所属期间 lying within the range).
"""

import datetime
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from members import list_rows
from members.models import (
    LIFE_KINDS,
    CollectiveContract,
    ContractKind,
    DuesRecord,
    DuesRemittance,
    EconomicType,
    Employer,
    Gender,
    GrassrootsUnion,
    Member,
    MilestoneKind,
    MilestoneLevel,
    ModelWorkerLevel,
    StarRating,
    UnionKind,
    UnionMilestone,
)
from unionportal import clock
from unionportal.access import mark_scoped
from unionportal.pii import id_number_hash
from unionportal.records import (
    ListFilter,
    ListSpec,
    choice_filter,
    id_filter,
    parse_date,
    yes_no_filter,
)
from unionportal.validators import normalize_credit_code, normalize_id_number


def not_ended_by(day: datetime.date, *, end: str = "left_on") -> Q:
    """Not ended by `day`: no end date, or one after it (a member who has not left by then; with
    end="dissolved_on", a union not dissolved)."""
    return Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day})


def active_on(day: datetime.date, *, start: str = "joined_on", end: str = "left_on") -> Q:
    """In place on `day`: started on or before it and not ended by then; a member (在册) unless
    told otherwise. The one statement of the rule for the lists, the services, the workbook
    import and reports/indicators.py."""
    return Q(**{f"{start}__lte": day}) & not_ended_by(day, end=end)


def union_active_on(day: datetime.date, prefix: str = "") -> Q:
    """A union in place (存续) on `day`: founded by then and not dissolved, neither by its 撤销日期
    nor by a 撤销 milestone not followed by a 重建 by then (a re-founded union is out between
    the two); `prefix` reaches it through a relation ("union__")."""
    refounded_since = UnionMilestone.objects.filter(
        union_id=OuterRef("union_id"),
        kind=MilestoneKind.REFOUNDED,
        happened_on__gt=OuterRef("happened_on"),
        happened_on__lte=day,
    )
    dissolved = UnionMilestone.objects.filter(
        union_id=OuterRef(f"{prefix}pk"), kind=MilestoneKind.DISSOLVED, happened_on__lte=day
    ).filter(~Exists(refounded_since))
    return active_on(day, start=f"{prefix}founded_on", end=f"{prefix}dissolved_on") & ~Exists(
        dissolved
    )


def _active_filter(
    param_at: str | None, *, start: str, end: str, label: str, condition=None
) -> ListFilter:
    day = parse_date(param_at) or clock.today()

    def apply(qs: QuerySet, value: str) -> QuerySet:
        if value not in ("1", "0"):
            return qs
        # Built only when the filter is used: a union's (Exists on its 撤销/重建 milestones) cost
        # every union list page 1 ms to build and throw away.
        in_place = condition(day) if condition else active_on(day, start=start, end=end)
        return qs.filter(in_place) if value == "1" else qs.exclude(in_place)

    at = f"（{day:%Y-%m-%d}）" if param_at else ""
    return ListFilter("active", f"{label}{at}", apply, [("1", _("是")), ("0", _("否"))])


def _date_param(param: str, lookup: str, label: str) -> ListFilter:
    def apply(qs: QuerySet, value: str) -> QuerySet:
        day = parse_date(value)
        return qs.filter(**{lookup: day}) if day else qs

    return ListFilter(param, label, apply)


def _on_day(param: str, label: str, condition, *, chip: str = "") -> ListFilter:
    """A hidden filter whose value is a day (?param=2026-06-30), from a dashboard's link: the
    records `condition(day)` selects. A day that does not parse lists nothing rather than all."""

    def apply(qs: QuerySet, value: str) -> QuerySet:
        day = parse_date(value)
        return qs.filter(condition(day)) if day else qs.none()

    return ListFilter(param, label, apply, chip=chip)


# --- Employers


def _employer_search(q: str) -> Q:
    return Q(name__contains=q) | Q(credit_code__startswith=normalize_credit_code(q))


def _unionised(qs: QuerySet, value: str) -> QuerySet:
    if value in ("1", "0"):
        return qs.filter(union__isnull=value == "0")
    return qs


def employer_spec() -> ListSpec:
    return ListSpec(
        search=_employer_search,
        search_placeholder=_("单位名称或统一社会信用代码"),
        add_label=_("新增单位"),
        sorts={
            "name": (_("单位名称"), ("name", "id")),
            "employees": (_("职工人数"), ("employees", "id")),
            "migrants": (_("外来职工"), ("migrant_employees", "id")),
            "union": (_("所属工会"), ("union__name", "id")),
        },
        default_sort="name",
        filters=[
            choice_filter("type", _("经济类型"), "economic_type", EconomicType.choices),
            yes_no_filter("should_unionise", _("应建会"), "should_unionise"),
            ListFilter("unionised", _("已建会"), _unionised, [("1", _("是")), ("0", _("否"))]),
            id_filter("union", _("所属工会"), "union_id"),
            # 建会率's employers: with a union in place on that day (founded, not dissolved).
            _on_day(
                "unionised_at",
                _("截至所选日期已建会"),
                lambda day: Q(union__isnull=False) & union_active_on(day, "union__"),
                chip=_("截至{value}已建会"),
            ),
        ],
        # What a row of the list shows (members/list_rows.py builds it).
        row_fields=(
            "name",
            "credit_code",
            "economic_type",
            "employees",
            "migrant_employees",
            "should_unionise",
            "township__name",
            "union",
            "union__name",
        ),
        row_cells=list_rows.employer_cells,
    )


def employer_rows(qs: QuerySet[Employer]) -> QuerySet[Employer]:
    return qs.select_related("union", "township")


# --- Grassroots unions


def union_spec(at: str | None) -> ListSpec:
    return ListSpec(
        search=lambda q: Q(name__contains=q) | Q(chair_name__startswith=q),
        search_placeholder=_("工会名称或主席姓名"),
        add_label=_("新增基层工会"),
        sorts={
            "name": (_("工会名称"), ("name", "id")),
            "founded": (_("成立日期"), ("founded_on", "id")),
            "kind": (_("类型"), ("kind", "name")),
            "star": (_("星级"), ("star", "name")),
        },
        default_sort="name",
        filters=[
            choice_filter("kind", _("类型"), "kind", UnionKind.choices),
            *_status_filters(at),
            _active_filter(
                at,
                start="founded_on",
                end="dissolved_on",
                label=_("存续"),
                condition=union_active_on,  # a re-founded union is out between 撤销 and 重建
            ),
        ],
        date_field="founded_on",
        date_label=_("成立日期"),
        # What a row of the list shows (members/list_rows.py builds it with the page's counts).
        row_fields=(
            "name",
            "kind",
            "founded_on",
            "chair_name",
            "star",
            "dissolved_on",
            "township__name",
        ),
        row_cells=lambda rows, show_township: list_rows.union_cells(
            rows, show_township, page_active_member_counts(rows)
        ),
    )


def _status_filters(at: str | None) -> list[ListFilter]:
    """星级 and 规范化 of the union on the list's day (?at=, today when absent): its latest
    milestone on or before the day, as the summaries count them."""
    day = parse_date(at) or clock.today()
    suffix = f"（{day:%Y-%m-%d}）" if at else ""

    def star(qs: QuerySet, value: str) -> QuerySet:
        if value not in StarRating.values:
            return qs
        qs = qs.annotate(**status_annotations(day))
        if value == StarRating.NONE:
            return qs.filter(Q(st_star__isnull=True) | Q(st_star=MilestoneLevel.NONE))
        return qs.filter(st_star=value)

    def standardised(qs: QuerySet, value: str) -> QuerySet:
        if value not in ("1", "0"):
            return qs
        qs = qs.annotate(**status_annotations(day))
        return (
            qs.filter(holds(MilestoneKind.STANDARDISED))
            if value == "1"
            else qs.exclude(holds(MilestoneKind.STANDARDISED))
        )

    return [
        ListFilter(
            "star",
            _("星级{suffix}").format(suffix=suffix),
            star,
            [(str(v), str(lb)) for v, lb in StarRating.choices],
        ),
        ListFilter(
            "standardised",
            _("规范化{suffix}").format(suffix=suffix),
            standardised,
            [("1", _("是")), ("0", _("否"))],
        ),
    ]


def active_member_count() -> Subquery:
    """Members in place today of the row's union, counted per row only for the page's rows
    (a correlated subquery on the member_union index, not a GROUP BY over every member)."""
    today = clock.today()
    counted = (
        Member.objects.filter(union=OuterRef("pk"))
        .filter(not_ended_by(today))
        .order_by()
        .values("union")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def page_active_member_counts(rows: list) -> dict[int, int]:
    """{union id: members in place today} for the union list's rows (named tuples with pk): what
    active_member_count() gives each row, in one grouped query over the page's unions that reads
    the member_union_left index alone. As a subquery on the page's rows without that index it
    read every member of the fifty unions (~7,000 rows), 6 ms of each union list page on SQLite.
    Counted per page, not kept per township: members are written all day, and a reviewer's page
    spans townships, each of which a kept count would have to count whole again after a write."""
    if not rows:
        return {}
    today = clock.today()
    # The unions are rows the user may see (the list's query came through the access door);
    # their members are counted, as the subquery did, whatever each member's own township.
    counted = dict(
        mark_scoped(
            Member.objects.filter(union_id__in=[row.pk for row in rows])
            .filter(not_ended_by(today))
            .order_by()
            .values_list("union_id")
            # COUNT(*), not COUNT(id): every column the query reads is then in member_union_left,
            # so PostgreSQL counts off the index alone (2.3 → 1.0 ms for a page of 50 unions).
            .annotate(n=Count("*"))
        )
    )
    return {row.pk: counted.get(row.pk, 0) for row in rows}


def union_rows(qs: QuerySet[GrassrootsUnion]) -> QuerySet[GrassrootsUnion]:
    return qs.select_related("township").annotate(member_count=active_member_count())


# --- Members


def _member_search(q: str) -> Q:
    # ID numbers are encrypted: a whole number finds its member through the keyed hash; part
    # of a number cannot be searched (the hint under the box says so).
    # name__prefix reads the name index (unionportal/lookups.py); card_number has its own.
    found = Q(name__prefix=q) | Q(card_number=q)
    if len(normalize_id_number(q)) in (15, 18):
        found |= Q(id_number_hash=id_number_hash(q))
    return found


def member_spec(at: str | None) -> ListSpec:
    return ListSpec(
        search=_member_search,
        search_placeholder=_("姓名、会员证号或完整身份证号"),
        add_label=_("新增会员"),
        sorts={
            "name": (_("姓名"), ("name", "id")),
            "joined": (_("入会日期"), ("joined_on", "id")),
            "union": (_("所属工会"), ("union__name", "name", "id")),
        },
        default_sort="name",
        filters=[
            _active_filter(at, start="joined_on", end="left_on", label=_("在册")),
            yes_no_filter("migrant", _("农民工"), "is_migrant"),
            # 新发展会员 (the dashboards' link) leaves out members transferred in.
            yes_no_filter("transferred_in", _("由外乡镇转入"), "transferred_in"),
            choice_filter("gender", _("性别"), "gender", Gender.choices),
            choice_filter("model_worker", _("劳模"), "model_worker", ModelWorkerLevel.choices),
            id_filter("union", _("所属工会"), "union_id"),
            id_filter("employer", _("工作单位"), "employer_id"),
            _date_param("joined_from", "joined_on__gte", _("入会日期起")),
            _date_param("joined_to", "joined_on__lte", _("入会日期止")),
        ],
        date_field="joined_on",
        date_label=_("入会日期"),
        # What a row of the list shows (members/list_rows.py builds it).
        row_fields=(
            "name",
            "id_number",
            "gender",
            "joined_on",
            "is_migrant",
            "left_on",
            "township__name",
            "union__name",
            "employer__name",
        ),
        row_cells=list_rows.member_cells,
    )


def member_rows(qs: QuerySet[Member]) -> QuerySet[Member]:
    return qs.select_related("union", "employer", "township")


# --- Collective contracts


def contract_spec() -> ListSpec:
    return ListSpec(
        search=lambda q: Q(party_name__contains=q),
        search_placeholder=_("单位名称"),
        add_label=_("新增集体合同"),
        sorts={
            "signed": (_("签订日期"), ("signed_on", "id")),
            "expires": (_("期满日期"), ("expires_on", "id")),
            "party": (_("单位名称"), ("party_name", "id")),
            "workers": (_("覆盖职工"), ("workers_covered", "id")),
        },
        default_sort="-signed",
        filters=[
            choice_filter("kind", _("合同类型"), "kind", ContractKind.choices),
            yes_no_filter("renewal", _("续签"), "is_renewal"),
            id_filter("employer", _("签约单位"), "employer_id"),
            id_filter("union", _("签约工会"), "union_id"),
            # 有效集体合同: signed by that day and not yet expired on it (期满日期 after it).
            _on_day(
                "in_force",
                _("截至所选日期有效"),
                lambda day: Q(signed_on__lte=day, expires_on__gt=day),
                chip=_("截至{value}有效"),
            ),
            # The home page's 待办: with ?in_force=<today>, contracts running out by that day.
            _on_day(
                "expires_by",
                _("期满日期不晚于所选日期"),
                lambda day: Q(expires_on__lte=day),
                chip=_("{value}前期满"),
            ),
        ],
        date_field="signed_on",
        date_label=_("签订日期"),
        row_fields=(
            "party_name",
            "township__name",
            "kind",
            "signed_on",
            "expires_on",
            "workers_covered",
            "is_renewal",
        ),
        row_cells=list_rows.contract_cells,
    )


def contract_rows(qs: QuerySet[CollectiveContract]) -> QuerySet[CollectiveContract]:
    return qs.select_related("employer", "union", "township")


# --- Dues


def _paid_filter(qs: QuerySet, value: str) -> QuerySet:
    from django.db.models import F

    if value == "1":
        return qs.filter(amount_paid__gte=F("amount_due"))
    if value == "0":
        return qs.filter(amount_paid__lt=F("amount_due"))
    return qs


def dues_spec() -> ListSpec:
    return ListSpec(
        search=lambda q: Q(employer__name__contains=q) | Q(period__startswith=q.upper()),
        search_placeholder=_("单位名称或所属期间"),
        add_label=_("新增经费记录"),
        sorts={
            "period": (_("所属期间"), ("period_start", "employer__name", "id")),
            "employer": (_("缴费单位"), ("employer__name", "period_start", "id")),
            "due": (_("应缴金额"), ("amount_due", "id")),
            "paid": (_("实缴金额"), ("amount_paid", "id")),
        },
        default_sort="-period",
        filters=[
            ListFilter(
                "paid_in_full", _("足额缴纳"), _paid_filter, [("1", _("是")), ("0", _("否"))]
            ),
            id_filter("employer", _("缴费单位"), "employer_id"),
            # With ?from= (on 期间起): rows whose whole 所属期间 lies within the range, as the
            # dashboards' 经费收缴率 counts them (an annual row is not part of a half-year).
            _on_day(
                "ends_by",
                _("所属期间止不晚于所选日期"),
                lambda day: Q(period_end__lte=day),
                chip=_("所属期间止不晚于{value}"),
            ),
        ],
        date_field="period_start",
        date_label=_("期间起"),
        row_fields=(
            "employer__name",
            "township__name",
            "period",
            "amount_due",
            "amount_paid",
            "paid_on",
        ),
        row_cells=list_rows.dues_cells,
    )


def dues_rows(qs: QuerySet[DuesRecord]) -> QuerySet[DuesRecord]:
    return qs.select_related("employer", "township")


# --- Union status on a day (工会建设)

# The status of a union on a day is its latest milestone of that 事项 on or before the day
# (spec/workbook.md, 工会建设). Each is a correlated subquery on the milestone_union_kind_day
# index, so a grouped count over unions stays one query whatever the number of unions.
STATUS_KINDS = (
    MilestoneKind.STANDARDISED,
    MilestoneKind.STAR,
    MilestoneKind.CONGRESS_SYSTEM,
    MilestoneKind.OPENNESS,
    MilestoneKind.WOMEN_COMMITTEE,
    MilestoneKind.MODEL_HOME,
)


def _latest(kinds, day: datetime.date, field: str, prefix: str = "") -> Subquery:
    return Subquery(
        UnionMilestone.objects.filter(
            union_id=OuterRef(f"{prefix}pk"), kind__in=kinds, happened_on__lte=day
        )
        .order_by("-happened_on", "-pk")
        .values(field)[:1]
    )


def status_annotations(day: datetime.date, prefix: str = "") -> dict[str, Any]:
    """Annotations of a union's status on `day` from its milestones: `st_<事项>` is the latest
    milestone's 等级 ('' or a level: held; 'none': withdrawn; NULL: never recorded); st_chair and
    st_chair_migrant the chair elected at the latest 换届; st_life 'dissolved' when the latest of
    撤销/重建 is a 撤销. `prefix` reaches a union through a relation (e.g. 'union__')."""
    annotations: dict[str, Any] = {
        f"st_{kind}": _latest([kind], day, "level", prefix) for kind in STATUS_KINDS
    }
    annotations["st_chair"] = _latest([MilestoneKind.ELECTION], day, "chair_name", prefix)
    annotations["st_chair_migrant"] = _latest(
        [MilestoneKind.ELECTION], day, "chair_is_migrant", prefix
    )
    annotations["st_life"] = _latest(list(LIFE_KINDS), day, "kind", prefix)
    return annotations


def holds(kind: str) -> Q:
    """The union (annotated with status_annotations) holds this yes/no status on the day."""
    return Q(**{f"st_{kind}__isnull": False}) & ~Q(**{f"st_{kind}": MilestoneLevel.NONE})


def not_dissolved_by_milestone() -> Q:
    """Not dissolved by a 撤销 milestone still in force (a later 重建 re-activates)."""
    return Q(st_life__isnull=True) | ~Q(st_life=MilestoneKind.DISSOLVED)


def union_status(union: GrassrootsUnion, day: datetime.date) -> dict[str, Any]:
    """One union's status on `day` (its page, the union form's shortcut): {事项: level or
    None}, the chair and whether a migrant, and whether dissolved by a milestone."""
    row = (
        GrassrootsUnion.objects.filter(pk=union.pk)
        .annotate(**status_annotations(day))
        .values(*[f"st_{k}" for k in STATUS_KINDS], "st_chair", "st_chair_migrant", "st_life")
        .get()
    )
    return row


# --- Union milestones


def milestone_spec() -> ListSpec:
    return ListSpec(
        search=lambda q: (
            Q(union__name__contains=q) | Q(chair_name__startswith=q) | Q(note__contains=q)
        ),
        search_placeholder=_("工会名称、主席姓名或说明"),
        add_label=_("新增工会建设"),
        sorts={
            "date": (_("日期"), ("happened_on", "id")),
            "union": (_("工会名称"), ("union__name", "happened_on", "id")),
            "kind": (_("事项"), ("kind", "happened_on", "id")),
        },
        default_sort="-date",
        filters=[
            choice_filter("kind", _("事项"), "kind", MilestoneKind.choices),
            choice_filter("level", _("等级"), "level", MilestoneLevel.choices),
            yes_no_filter("migrant_chair", _("主席为外来职工"), "chair_is_migrant"),
            id_filter("union", _("工会"), "union_id"),
        ],
        date_field="happened_on",
        date_label=_("日期"),
        row_fields=(
            "happened_on",
            "township__name",
            "union_id",
            "union__name",
            "kind",
            "level",
            "chair_name",
            "chair_is_migrant",
            "delegates",
            "note",
        ),
        row_cells=list_rows.milestone_cells,
    )


def milestone_rows(qs: QuerySet[UnionMilestone]) -> QuerySet[UnionMilestone]:
    return qs.select_related("union", "township")


# --- Dues remitted upward


def _remitted_filter(qs: QuerySet, value: str) -> QuerySet:
    if value == "1":
        return qs.filter(amount_paid__gte=F("amount_due"))
    if value == "0":
        return qs.filter(amount_paid__lt=F("amount_due"))
    return qs


def remittance_spec() -> ListSpec:
    return ListSpec(
        search=lambda q: Q(period__startswith=q.upper()),
        search_placeholder=_("所属期间"),
        add_label=_("新增经费上缴"),
        sorts={
            "period": (_("所属期间"), ("period_start", "period", "id")),
            "due": (_("应上缴金额"), ("amount_due", "id")),
            "paid": (_("实上缴金额"), ("amount_paid", "id")),
            "paid_on": (_("上缴日期"), ("paid_on", "id")),
        },
        default_sort="-period",
        filters=[
            ListFilter(
                "paid_in_full", _("足额上缴"), _remitted_filter, [("1", _("是")), ("0", _("否"))]
            ),
            _on_day(
                "ends_by",
                _("所属期间止不晚于所选日期"),
                lambda day: Q(period_end__lte=day),
                chip=_("所属期间止不晚于{value}"),
            ),
        ],
        date_field="period_start",
        date_label=_("期间起"),
    )


def remittance_rows(qs: QuerySet[DuesRemittance]) -> QuerySet[DuesRemittance]:
    return qs.select_related("township")
