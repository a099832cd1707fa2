"""Every figure of spec/indicators.md (统计口径), computed in one place.

Each section function takes a scope (one township or a county's townships) and a period and
returns the figures per township plus their total (key `TOTAL`), so the dashboards, the summary
documents and the exports all state the same numbers. Aggregation happens in SQL with conditional
aggregates grouped by township: the number of queries is fixed, whatever the number of townships,
unions or rows. Rates are derived from summed numerators and denominators, so a county's rate is
the rate of its summed figures, not an average of rates.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Count, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from disputes.models import Case, CaseStatus, Handling
from disputes.queries import closed_by_q
from events.models import STAFF_ACTIVITIES, Event, EventCategory
from honours.models import MODEL_WORKER_TITLES, Honour, HonourLevel, RecipientType
from members.models import (
    CollectiveContract,
    ContractKind,
    DuesRecord,
    DuesRemittance,
    Employer,
    GrassrootsUnion,
    Member,
    MilestoneKind,
    MilestoneLevel,
    StarRating,
    UnionMilestone,
)
from members.queries import (
    STATUS_KINDS,
    not_ended_by,
    status_annotations,
    union_active_on,
)
from unionportal.models import County, Township
from unionportal.periods import Period
from unionportal.prepared import _shape, prepared
from welfare import queries as hardship_queries
from welfare.models import (
    BeneficiaryType,
    ExitReason,
    FundSource,
    HardshipCategory,
    HardshipFile,
    MutualAidEnrolment,
    WelfareVisit,
    review_cutoff,
)

TOTAL = 0  # key of the summed figures in every section's result (township ids start at 1)
ZERO = Decimal("0.00")
# 集体信访: a petition involving at least this many workers (spec/indicators.md).
COLLECTIVE_CASE_SIZE = 10


# --- scope --------------------------------------------------------------------------------------


# The labels' Chinese text, by the label's id (the label kept beside it, so the id stays its
# own): a compute states some 70 labels, and translation.override costs more than the rest of
# building them. The catalogues do not change while the process runs.
_ZH: dict[int, tuple[Any, str]] = {}
_ZH_CHOICES: dict[type, dict[str, str]] = {}


def _zh(label: Any) -> str:
    """A vocabulary's label as the figures hold it: in Chinese whatever the page's language, since
    labels key the figures' dicts (and a cached figure must read the same in every language) and
    the summary documents are Chinese by design."""
    found = _ZH.get(id(label))
    if found is not None and found[0] is label:
        return found[1]
    with translation.override("zh-hans"):
        text = str(label)
    if len(_ZH) < 4096:  # the vocabularies' labels; never a growing heap of passing strings
        _ZH[id(label)] = (label, text)
    return text


def zh_choices(choices: Any) -> dict[str, str]:
    """{value: Chinese label} of a Choices class (a new dict: the caller may change it)."""
    found = _ZH_CHOICES.get(choices)
    if found is None:
        found = _ZH_CHOICES[choices] = {value: _zh(label) for value, label in choices.choices}
    return dict(found)


@dataclass(frozen=True)
class Scope:
    """Whose figures: one township, or every township of a county (their sum)."""

    name: str
    township_ids: tuple[int, ...]
    county_name: str
    is_county: bool

    @classmethod
    def for_township(cls, township: Township) -> "Scope":
        return cls(township.name, (township.pk,), township.county.name, False)

    @classmethod
    def for_county(cls, county: County, townships: Iterable[Township] | None = None) -> "Scope":
        chosen = townships if townships is not None else county.townships.all()
        ids = tuple(sorted(t.pk for t in chosen))
        return cls(county.name, ids, county.name, True)


# --- rates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A ratio shown as a percentage to one decimal; '—' when the denominator is 0."""

    numerator: Decimal | int
    denominator: Decimal | int

    @property
    def value(self) -> Decimal | None:
        if not self.denominator:
            return None
        percent = Decimal(self.numerator) * 100 / Decimal(self.denominator)
        return percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        return "—" if self.value is None else f"{self.value}%"


# --- section figures ----------------------------------------------------------------------------

SectionT = TypeVar("SectionT")


def _sum_values(start: Any, values: list[Any]) -> Any:
    """start + values[0] + values[1] + … in that order (Decimals come out the same), dicts key by
    key: their keys in the order first seen (start's, then each value's new ones), a missing
    key counting 0."""
    if isinstance(start, dict):
        keys = dict.fromkeys(start)
        for value in values:
            keys.update(dict.fromkeys(value))
        return {k: _sum_values(start.get(k, 0), [v.get(k, 0) for v in values]) for k in keys}
    return sum(values, start)


def _sum_sections(items: Iterable[SectionT], empty: SectionT) -> SectionT:
    """The sections added field by field (a county's total from its townships): each field
    summed over all of them at once, not section after section (a county dashboard after a
    write sums 30 townships' five sections)."""
    items = list(items)
    sums = {
        f.name: _sum_values(getattr(empty, f.name), [getattr(item, f.name) for item in items])
        for f in dataclasses.fields(empty)
    }
    return dataclasses.replace(empty, **sums)


@dataclass(frozen=True)
class Organisation:
    unions: int = 0  # 基层工会数
    new_unions: int = 0  # 新建工会数
    standardised_unions: int = 0  # 规范化工会数
    star_unions: dict[str, int] = field(default_factory=dict)  # 星级工会数 by 一星/二星/三星
    congress_unions: int = 0  # 建立职代会制度数
    openness_unions: int = 0  # 厂务公开数
    women_committee_unions: int = 0  # 女职工委员会数
    migrant_chair_unions: int = 0  # 外来职工任主席数
    employers_due: int = 0  # 应建会单位数
    employers_unionised: int = 0  # 已建会单位数
    members: int = 0  # 会员数
    new_members: int = 0  # 新发展会员数
    migrant_members: int = 0  # 农民工会员数
    covered_employees: int = 0  # 建会单位职工数
    covered_migrant_employees: int = 0  # migrant employees of covered employers
    # Milestones dated within the period (spec/indicators.md, second round).
    re_elected_unions: int = 0  # 换届工会数
    migrant_chairs_elected: int = 0  # of those, unions electing a migrant worker as chair
    congresses_held: int = 0  # 召开职代会次数
    new_congress_systems: int = 0  # 新建立职代会制度数
    new_openness: int = 0  # 新建立厂务公开数
    new_standardised: int = 0  # 新达标规范化工会数
    new_stars: dict[str, int] = field(default_factory=dict)  # 新评星级工会数 by 一星/二星/三星
    new_model_homes: int = 0  # 新评模范职工之家
    new_women_committees: int = 0  # 新成立女职工委员会
    refounded_unions: int = 0  # 重建工会数
    model_home_unions: int = 0  # 模范职工之家 at end

    @property
    def new_stars_total(self) -> int:
        return sum(self.new_stars.values())

    @property
    def unionisation_rate(self) -> Rate:  # 建会率
        return Rate(self.employers_unionised, self.employers_due)

    @property
    def membership_rate(self) -> Rate:  # 入会率
        return Rate(self.members, self.covered_employees)

    @property
    def migrant_membership_rate(self) -> Rate:  # 外来职工入会率
        return Rate(self.migrant_members, self.covered_migrant_employees)

    @property
    def star_total(self) -> int:
        return sum(self.star_unions.values())


@dataclass(frozen=True)
class Rights:
    cases: int = 0  # 信访受理数
    people: int = 0  # 涉及人数
    collective_cases: int = 0  # 集体信访数
    resolved_cases: int = 0  # 协调解决数
    arbitration_cases: int = 0  # 参与仲裁数
    recovered: Decimal = ZERO  # 追回金额
    closed_cases: int = 0  # received within the period and closed by its end
    open_cases: int = 0  # received within the period and still open at its end
    new_contracts: dict[str, int] = field(default_factory=dict)  # 新签 by 合同类型 label
    renewed_contracts: dict[str, int] = field(default_factory=dict)  # 续签 by 合同类型 label
    contract_units: int = 0  # 有效集体合同覆盖单位数
    contract_workers: int = 0  # 有效集体合同覆盖职工数
    inspections: int = 0  # 执法检查次数

    @property
    def closure_rate(self) -> Rate:  # 办结率
        return Rate(self.closed_cases, self.cases)

    @property
    def new_contracts_total(self) -> int:
        return sum(self.new_contracts.values())

    @property
    def renewed_contracts_total(self) -> int:
        return sum(self.renewed_contracts.values())


@dataclass(frozen=True)
class Welfare:
    visits: int = 0  # 慰问户次
    cash: Decimal = ZERO  # 慰问金额
    goods: Decimal = ZERO  # 物资折款
    visits_by_type: dict[str, int] = field(default_factory=dict)
    cash_by_type: dict[str, Decimal] = field(default_factory=dict)
    goods_by_type: dict[str, Decimal] = field(default_factory=dict)
    cash_by_source: dict[str, Decimal] = field(default_factory=dict)
    goods_by_source: dict[str, Decimal] = field(default_factory=dict)

    # The hardship register (困难职工档案) and medical mutual aid (spec/indicators.md, second round)
    hardship_on_file: int = 0  # 在档困难职工户数 at end
    hardship_by_category: dict[str, int] = field(default_factory=dict)  # by 困难类别 label
    hardship_new: int = 0  # 新建档户数
    hardship_out: int = 0  # 脱困户数
    hardship_out_by_reason: dict[str, int] = field(default_factory=dict)  # by 脱困原因 label
    hardship_overdue: int = 0  # 复核逾期户数 at end
    hardship_visited: int = 0  # on file at end and visited within the period
    aid_workers: int = 0  # 在职职工人数 over the period's year(s)
    aid_enrolled: int = 0  # 医疗互助参加人数
    aid_payouts: int = 0  # 受助人次
    aid_paid: Decimal = ZERO  # 受助金额

    @property
    def amount(self) -> Decimal:
        return self.cash + self.goods

    @property
    def hardship_coverage(self) -> Rate:  # 困难职工走访覆盖率
        return Rate(self.hardship_visited, self.hardship_on_file)

    @property
    def aid_rate(self) -> Rate:  # 医疗互助参加率
        return Rate(self.aid_enrolled, self.aid_workers)


@dataclass(frozen=True)
class Activities:
    events: int = 0  # 职工活动次数 (every 类别 but 执法检查, 宣传报道, 会议)
    participants: int = 0  # 职工活动参与人次 (the same events)
    events_by_category: dict[str, int] = field(default_factory=dict)  # every 类别, by label
    participants_by_category: dict[str, int] = field(default_factory=dict)
    publicity: int = 0  # 宣传报道 count

    @property
    def meetings(self) -> int:  # 会议次数, stated apart from 职工活动
        return self.events_by_category.get(_zh(EventCategory.MEETING.label), 0)

    # 荣誉表彰 granted within the period (spec/indicators.md, second round), beside the
    # 评选表彰 events that often award them.
    honours: int = 0  # 荣誉数
    honours_by_level: dict[str, int] = field(default_factory=dict)  # by 级别 label
    honours_by_type: dict[str, int] = field(default_factory=dict)  # by 对象类型 label
    model_workers: int = 0  # 劳模: 劳动模范 or 五一劳动奖章
    model_workers_by_level: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Dues:
    due: Decimal = ZERO  # 应缴
    paid: Decimal = ZERO  # 实缴
    remit_due: Decimal = ZERO  # 应上缴
    remit_paid: Decimal = ZERO  # 实上缴

    @property
    def collection_rate(self) -> Rate:  # 收缴率
        return Rate(self.paid, self.due)

    @property
    def remittance_rate(self) -> Rate:  # 经费上缴率
        return Rate(self.remit_paid, self.remit_due)


# --- helpers ------------------------------------------------------------------------------------


def _by_township(rows: Iterable[dict], scope: Scope, build: type[SectionT]) -> dict[int, SectionT]:
    """Turn grouped rows (with `township_id`) into {township_id: section, TOTAL: sum}."""
    result: dict[int, SectionT] = {tid: build() for tid in scope.township_ids}
    for row in rows:
        tid = row.pop("township_id")
        if tid in result:
            result[tid] = build(**row)
    result[TOTAL] = _sum_sections((result[t] for t in scope.township_ids), build())
    return result


def nz(value: Any, zero: Any = 0) -> Any:
    return zero if value is None else value


# --- queries built once per shape ---------------------------------------------------------------

# Building and compiling a section's queries (Q objects, conditional aggregates, the union
# status annotations) cost about three quarters of computing a township's figures, the SQL itself
# a tenth. So each query is built and compiled once per process and *shape*: its name and the
# number of township ids (unionportal.prepared). The township ids and the days are the SQL's
# parameters: a township or a period never seen by the process then costs what a seen one does.


def _tagged(queryset: QuerySet, ids: tuple[int, ...], tag: str, keys: dict, **aggregates):
    """The rows of `queryset` of the townships `ids` grouped by township and `keys`
    (annotations) as tuples (township_id, tag, *keys, *aggregates): one part of a UNION ALL of
    grouped counts or sums."""
    names = ["township_id", "tag", *keys]
    return (
        queryset.filter(township_id__in=ids)
        .annotate(tag=Value(tag), **keys)
        .values(*names)
        .annotate(**aggregates)
        .values_list(*names, *aggregates)
        .order_by()
    )


def _count_over(
    name: str, build: Callable[..., QuerySet], values: dict[str, Any], **counts: str
) -> dict[int, dict[str, int]]:
    """{township_id: {name: rows of build(**values)'s queryset meeting the SQL condition
    (constant text)}}: as a MATERIALIZED CTE each column is computed once per row (folded in,
    once per FILTER naming it). Built once per process and shape, as prepared()."""
    found = _shape(name, build, None, values)
    if found is None:
        return {}
    shape, flat = found
    columns = ", ".join(f"COUNT(*) FILTER (WHERE {where})" for where in counts.values())
    query = f"WITH u AS MATERIALIZED ({shape.sql}) SELECT township_id, {columns} FROM u GROUP BY 1"
    with connections[shape.db].cursor() as cursor:
        cursor.execute(query, shape.params_for(flat))
        return {tid: dict(zip(counts, values, strict=True)) for tid, *values in cursor.fetchall()}


# --- sections -----------------------------------------------------------------------------------


def organisation(scope: Scope, period: Period) -> dict[int, Organisation]:
    """组织建设: unions, employers covered, members, rates (four queries, ORGANISATION_PARTS)."""
    parts = {name: part(scope, period) for name, part in ORGANISATION_PARTS.items()}
    return organisation_of(scope, parts)


def organisation_of(
    scope: Scope, parts: dict[str, dict[int, dict[str, Any]]]
) -> dict[int, Organisation]:
    """The section from its parts ({part name: {township id: its fields}}, every township in
    each): what organisation() returns. The dashboards keep each part under the tokens of the
    tables it reads (reports/figure_cache.py), so a member written costs the member counts
    again, not the unions' status."""
    result = {
        tid: organisation_for({name: parts[name][tid] for name in ORGANISATION_PARTS})
        for tid in scope.township_ids
    }
    result[TOTAL] = _sum_sections((result[t] for t in scope.township_ids), Organisation())
    return result


def organisation_for(parts: dict[str, dict[str, Any]]) -> Organisation:
    """One township's section from its parts ({part name: its fields})."""
    return Organisation(**{k: v for name in ORGANISATION_PARTS for k, v in parts[name].items()})


_STARS = [s for s in StarRating if s != StarRating.NONE]


def _organisation_unions(scope: Scope, period: Period) -> dict[int, dict[str, Any]]:
    """Unions in place, founded, holding each status at the end (one query over one row per
    union, _count_over)."""
    # Status at the end: the latest milestone by then (a past period states that time's; a 撤销
    # with no later 重建 ends a union), counted over one row per union (_count_over).
    end, start = period.end, period.start
    ids = scope.township_ids
    holds = "alive AND st_{0} IS NOT NULL AND st_{0} <> 'none'"  # members.queries.holds
    unions_by_tid = _count_over(
        "unions",
        _per_union,
        {"ids": ids, "start": start, "end": end},
        unions="alive",
        new_unions="founded_in",
        standardised_unions=holds.format(MilestoneKind.STANDARDISED),
        congress_unions=holds.format(MilestoneKind.CONGRESS_SYSTEM),
        openness_unions=holds.format(MilestoneKind.OPENNESS),
        women_committee_unions=holds.format(MilestoneKind.WOMEN_COMMITTEE),
        model_home_unions=holds.format(MilestoneKind.MODEL_HOME),
        migrant_chair_unions="alive AND st_chair_migrant",
        **{f"star_{s.value}": f"alive AND st_star = '{s.value}'" for s in _STARS},
    )
    found = {}
    for tid in ids:
        u = unions_by_tid.get(tid, {})
        found[tid] = {
            **{name: n for name, n in u.items() if not name.startswith("star_")},
            "star_unions": {_zh(s.label): u.get(f"star_{s.value}", 0) for s in _STARS},
        }
    return found


def _organisation_employers(scope: Scope, period: Period) -> dict[int, dict[str, Any]]:
    """Employers due to unionise, unionised, and the employees their unions cover."""
    rows = {
        row.pop("township_id"): row
        for row in prepared("employers", _employers, ids=scope.township_ids, end=period.end)
    }
    found = {}
    for tid in scope.township_ids:
        e = rows.get(tid, {})
        found[tid] = {
            "employers_due": e.get("employers_due", 0),
            "employers_unionised": e.get("employers_unionised", 0),
            "covered_employees": nz(e.get("covered_employees")),
            "covered_migrant_employees": nz(e.get("covered_migrant_employees")),
        }
    return found


def _organisation_members(scope: Scope, period: Period) -> dict[int, dict[str, Any]]:
    """Members in place at the end, new members and migrant members (one query)."""
    found = {
        tid: {"members": 0, "new_members": 0, "migrant_members": 0} for tid in scope.township_ids
    }
    rows = prepared("members", _tallies, ids=scope.township_ids, start=period.start, end=period.end)
    for tid, kind, n, m in rows:
        row = found.get(tid)
        if row is None:
            continue
        if kind == "joined":
            row["members"] += n
            row["migrant_members"] = m
        elif kind == "left":
            row["members"] -= n
        else:
            row["new_members"] = n
    return found


def _organisation_flows(scope: Scope, period: Period) -> dict[int, dict[str, Any]]:
    """Milestones dated within the period (换届, 职代会, 星级 …)."""
    flows = _milestone_flows(scope, period)
    return {tid: flows.get(tid, _milestone_flow_row()) for tid in scope.township_ids}


# The parts of 组织建设, each read from its own tables (reports/figure_cache.py keeps them apart).
ORGANISATION_PARTS: dict[str, Callable[[Scope, Period], dict[int, dict[str, Any]]]] = {
    "unions": _organisation_unions,
    "employers": _organisation_employers,
    "members": _organisation_members,
    "flows": _organisation_flows,
}


def _per_union(ids: tuple[int, ...], start: datetime.date, end: datetime.date) -> QuerySet:
    """One row per union: its status at the end (the latest milestone by then: a past period
    states that time's; a 撤销 with no later 重建 ends a union), whether it was in place (存续)
    then and whether it was founded within the period."""
    status_columns = [f"st_{kind}" for kind in STATUS_KINDS]
    return (
        GrassrootsUnion.objects.filter(township_id__in=ids)
        .annotate(**status_annotations(end), alive=union_active_on(end))  # 存续 at the end
        .annotate(founded_in=Q(founded_on__gte=start, founded_on__lte=end))
        .values("township_id", "alive", "founded_in", "st_chair_migrant", *status_columns)
        .order_by()
    )


def _employers(ids: tuple[int, ...], end: datetime.date) -> QuerySet:
    covered = Q(union__isnull=False) & union_active_on(end, "union__")
    return (
        Employer.objects.filter(township_id__in=ids)
        .values("township_id")
        .annotate(
            employers_due=Count("id", filter=Q(should_unionise=True)),
            employers_unionised=Count("id", filter=Q(should_unionise=True) & covered),
            covered_employees=Sum("employees", filter=covered),
            covered_migrant_employees=Sum("migrant_employees", filter=covered),
        )
        .order_by()
    )


# Members in place at the end = joined by the end − left by the end (a member leaves on or after
# joining, a CheckConstraint): each part is an index range scan that counts with at most one
# filter, instead of testing "not left" on every row joined by the end (two fifths faster on
# SQLite at county scale). One query: three grouped counts joined by UNION ALL.
def _tally(ids: tuple[int, ...], kind: str, migrants, **where) -> QuerySet:
    return (
        Member.objects.filter(township_id__in=ids, **where)
        .annotate(kind=Value(kind))
        .values("township_id", "kind")
        .annotate(n=Count("*"), m=migrants)
        .values_list("township_id", "kind", "n", "m")
        .order_by()
    )


# COUNT(is_migrant), not COUNT(id): every column the count reads is in the member_township_joined
# index, so PostgreSQL counts off the index alone (an index-only scan, about twice as fast at
# county scale) instead of visiting all 300,000 rows for their id. SQLite's indexes carry the
# rowid, so it was covered there either way.
def _tallies(ids: tuple[int, ...], start: datetime.date, end: datetime.date) -> QuerySet:
    not_left, zero = not_ended_by(end), Value(0)
    migrants = Count("is_migrant", filter=Q(is_migrant=True) & not_left)
    return _tally(ids, "joined", migrants, joined_on__lte=end).union(
        _tally(ids, "left", zero, left_on__lte=end),
        # 新发展会员: a member transferred in from another township of the county joined it on
        # the transfer date but is no new member (spec/indicators.md).
        _tally(ids, "new", zero, joined_on__gte=start, joined_on__lte=end, transferred_in=False),
        all=True,
    )


def _milestone_flow_row() -> dict[str, Any]:
    stars = {_zh(s.label): 0 for s in StarRating if s != StarRating.NONE}
    return {
        "re_elected_unions": 0,
        "migrant_chairs_elected": 0,
        "congresses_held": 0,
        "new_congress_systems": 0,
        "new_openness": 0,
        "new_standardised": 0,
        "new_stars": stars,
        "new_model_homes": 0,
        "new_women_committees": 0,
        "refounded_unions": 0,
    }


def _milestone_flows(scope: Scope, period: Period) -> dict[int, dict[str, Any]]:
    """Milestones dated within the period, by 事项 (and 等级 for 星级): one grouped query. A
    milestone that withdraws a status (等级 无) is not a new one."""
    grouped = prepared(
        "milestones", _milestones, ids=scope.township_ids, start=period.start, end=period.end
    )
    simple = {
        MilestoneKind.CONGRESS_HELD: "congresses_held",
        MilestoneKind.CONGRESS_SYSTEM: "new_congress_systems",
        MilestoneKind.OPENNESS: "new_openness",
        MilestoneKind.STANDARDISED: "new_standardised",
        MilestoneKind.MODEL_HOME: "new_model_homes",
        MilestoneKind.WOMEN_COMMITTEE: "new_women_committees",
        MilestoneKind.REFOUNDED: "refounded_unions",
    }
    star_label = zh_choices(StarRating)
    acc: dict[int, dict[str, Any]] = {}
    for row in grouped:
        a = acc.setdefault(row["township_id"], _milestone_flow_row())
        kind, level = row["kind"], row["level"]
        if kind == MilestoneKind.ELECTION:
            # Distinct unions per (kind, level) row: an election has no level, so one row.
            a["re_elected_unions"] += row["unions"]
            a["migrant_chairs_elected"] += row["migrant"]
        elif kind == MilestoneKind.STAR:
            if level in star_label and level != StarRating.NONE:
                a["new_stars"][star_label[level]] += row["unions"]
        elif kind in simple and (
            level != MilestoneLevel.NONE or kind == MilestoneKind.CONGRESS_HELD
        ):
            a[simple[kind]] += row["n"]
    return acc


def _milestones(ids: tuple[int, ...], start: datetime.date, end: datetime.date) -> QuerySet:
    return (
        UnionMilestone.objects.filter(
            township_id__in=ids, happened_on__gte=start, happened_on__lte=end
        )
        .values("township_id", "kind", "level")
        .annotate(
            n=Count("id"),
            unions=Count("union_id", distinct=True),
            migrant=Count("union_id", distinct=True, filter=Q(chair_is_migrant=True)),
        )
        .order_by()
    )


def rights(scope: Scope, period: Period) -> dict[int, Rights]:
    """维权: petitions and disputes, collective contracts, inspections (three queries)."""
    start, end = period.start, period.end
    ids = scope.township_ids
    case_rows = {
        row.pop("township_id"): row
        for row in prepared("cases", _cases, ids=ids, start=start, end=end)
    }
    kinds = list(ContractKind)
    # Contracts signed by kind and renewal, and 执法检查 events, within the period: one query.
    signed: dict[int, dict[str, int]] = defaultdict(dict)
    inspection_rows: dict[int, int] = {}
    for tid, tag, kind, is_renewal, n in prepared(
        "signed", _signed_and_inspections, ids=ids, start=start, end=end
    ):
        if tag == "inspection":
            inspection_rows[tid] = n
        else:
            signed[tid][f"{'renewed' if is_renewal else 'new'}_{kind}"] = n
    # Contracts in force at the end, one row per party: the number of rows is the units covered
    # (有效集体合同覆盖单位数, distinct parties), and workers covered add up each party's largest
    # contract, so an employer with a 综合 and a 工资专项 contract in force counts its workers once.
    in_force = prepared("in_force", _in_force, ids=ids, end=end)
    workers: dict[int, int] = defaultdict(int)
    units: dict[int, int] = defaultdict(int)
    for tid, most in in_force:
        workers[tid] += most or 0
        units[tid] += 1
    rows = []
    for tid in scope.township_ids:
        c = case_rows.get(tid, {})
        k = signed.get(tid, {})
        cases = c.get("cases", 0)
        closed = c.get("closed_cases", 0)
        rows.append(
            {
                "township_id": tid,
                "cases": cases,
                "people": nz(c.get("people")),
                "collective_cases": c.get("collective_cases", 0),
                "resolved_cases": c.get("resolved_cases", 0),
                "arbitration_cases": c.get("arbitration_cases", 0),
                "recovered": nz(c.get("recovered"), ZERO),
                "closed_cases": closed,
                "open_cases": cases - closed,
                "new_contracts": {_zh(kk.label): k.get(f"new_{kk.value}", 0) for kk in kinds},
                "renewed_contracts": {
                    _zh(kk.label): k.get(f"renewed_{kk.value}", 0) for kk in kinds
                },
                "contract_units": units.get(tid, 0),
                "contract_workers": workers.get(tid, 0),
                "inspections": inspection_rows.get(tid, 0),
            }
        )
    return _by_township(rows, scope, Rights)


def _cases(ids: tuple[int, ...], start: datetime.date, end: datetime.date) -> QuerySet:
    received = Q(received_on__gte=start, received_on__lte=end)
    closed_in = Q(closed_on__gte=start, closed_on__lte=end)
    return (
        Case.objects.filter(township_id__in=ids)
        .values("township_id")
        .annotate(
            cases=Count("id", filter=received),
            people=Sum("people_involved", filter=received),
            collective_cases=Count(
                "id", filter=received & Q(people_involved__gte=COLLECTIVE_CASE_SIZE)
            ),
            resolved_cases=Count("id", filter=closed_in & Q(status=CaseStatus.RESOLVED)),
            arbitration_cases=Count(
                "id",
                filter=received
                & (Q(handling=Handling.ARBITRATION) | Q(status=CaseStatus.ARBITRATION)),
            ),
            recovered=Sum("amount_recovered", filter=closed_in),
            closed_cases=Count("id", filter=received & closed_by_q(end)),
        )
        .order_by()
    )


def _signed_and_inspections(
    ids: tuple[int, ...], start: datetime.date, end: datetime.date
) -> QuerySet:
    contracts = CollectiveContract.objects.filter(signed_on__gte=start, signed_on__lte=end)
    inspections = Event.objects.filter(
        category=EventCategory.INSPECTION, starts_on__gte=start
    ).filter(starts_on__lte=end)
    keys, none = (
        {"k": F("kind"), "renewal": F("is_renewal")},
        {"k": Value(""), "renewal": Value(False)},
    )
    return _tagged(contracts, ids, "signed", keys, n=Count("*")).union(
        _tagged(inspections, ids, "inspection", none, n=Count("*")), all=True
    )


def _in_force(ids: tuple[int, ...], end: datetime.date) -> QuerySet:
    return (
        CollectiveContract.objects.filter(
            township_id__in=ids, signed_on__lte=end, expires_on__gt=end
        )
        .values("township_id", "party_name")
        .annotate(workers=Max("workers_covered"))
        .values_list("township_id", "workers")
        .order_by()
    )


def welfare(scope: Scope, period: Period) -> dict[int, Welfare]:
    """帮扶: visits, cash and goods by beneficiary type and by source of funds (one query); the
    hardship register and medical mutual aid (two more grouped queries)."""
    grouped = prepared(
        "visits", _visits, ids=scope.township_ids, start=period.start, end=period.end
    )
    type_label = zh_choices(BeneficiaryType)
    source_label = zh_choices(FundSource) | {"": "未注明"}
    acc: dict[int, dict[str, Any]] = {}
    for row in grouped:
        a = acc.setdefault(
            row["township_id"],
            {
                "visits": 0,
                "cash": ZERO,
                "goods": ZERO,
                "visits_by_type": defaultdict(int),
                "cash_by_type": defaultdict(lambda: ZERO),
                "goods_by_type": defaultdict(lambda: ZERO),
                "cash_by_source": defaultdict(lambda: ZERO),
                "goods_by_source": defaultdict(lambda: ZERO),
            },
        )
        kind = type_label.get(row["beneficiary_type"], row["beneficiary_type"])
        source = source_label.get(row["fund_source"], row["fund_source"])
        cash, goods = nz(row["cash"], ZERO), nz(row["goods"], ZERO)
        a["visits"] += row["n"]
        a["cash"] += cash
        a["goods"] += goods
        a["visits_by_type"][kind] += row["n"]
        a["cash_by_type"][kind] += cash
        a["goods_by_type"][kind] += goods
        a["cash_by_source"][source] += cash
        a["goods_by_source"][source] += goods
    hardship = _hardship(scope, period)
    aid = _mutual_aid(scope, period)
    rows = [
        {
            "township_id": tid,
            **{k: dict(v) if isinstance(v, dict) else v for k, v in acc.get(tid, {}).items()},
            **hardship.get(tid, {}),
            **aid.get(tid, {}),
        }
        for tid in set(acc) | set(hardship) | set(aid)
    ]
    return _by_township(rows, scope, Welfare)


def _visits(ids: tuple[int, ...], start: datetime.date, end: datetime.date) -> QuerySet:
    return (
        WelfareVisit.objects.filter(township_id__in=ids, visited_on__gte=start, visited_on__lte=end)
        .values("township_id", "beneficiary_type", "fund_source")
        .annotate(n=Count("id"), cash=Sum("cash"), goods=Sum("goods_value"))
        .order_by()
    )


def _hardship(scope: Scope, period: Period) -> dict[int, dict[str, Any]]:
    """在档 (by 困难类别), 新建档, 脱困 (by 脱困原因), 复核逾期 and visited-on-file households per
    township (one grouped query; the visit test is an EXISTS on the visits' ID hash index)."""
    rows = prepared(
        "hardship",
        _hardship_files,
        derived=_review_cutoff,
        ids=scope.township_ids,
        start=period.start,
        end=period.end,
    )
    result = {}
    for row in rows:
        tid = row.pop("township_id")
        result[tid] = {
            "hardship_by_category": {
                _zh(c.label): row.pop(f"category_{c.value}") for c in HardshipCategory
            },
            "hardship_out_by_reason": {
                _zh(r.label): row.pop(f"reason_{r.value}") for r in ExitReason
            },
            **row,
        }
    return result


def _hardship_files(ids: tuple[int, ...], start: datetime.date, end: datetime.date) -> QuerySet:
    on_file = hardship_queries.open_on_q(end)
    out_in = Q(out_on__gte=start, out_on__lte=end)
    visited = hardship_queries.visited_q(start, end)
    return (
        HardshipFile.objects.filter(township_id__in=ids)
        .values("township_id")
        .annotate(
            hardship_on_file=Count("id", filter=on_file),
            hardship_new=Count("id", filter=Q(filed_on__gte=start, filed_on__lte=end)),
            hardship_out=Count("id", filter=out_in),
            hardship_overdue=Count("id", filter=hardship_queries.review_overdue_q(end)),
            hardship_visited=Count("id", filter=on_file & visited),
            **{
                f"category_{c.value}": Count("id", filter=on_file & Q(category=c))
                for c in HardshipCategory
            },
            **{
                f"reason_{r.value}": Count("id", filter=out_in & Q(out_reason=r))
                for r in ExitReason
            },
        )
        .order_by()
    )


def _review_cutoff(values: dict[str, Any]) -> dict[str, Any]:
    """复核逾期 compares reviews with the day a year before the end (review_overdue_q)."""
    return {"cutoff": review_cutoff(values["end"])}


def _mutual_aid(scope: Scope, period: Period) -> dict[int, dict[str, Any]]:
    """医疗互助: sums over the rows of the years the period touches (one grouped query)."""
    rows = prepared(
        "mutual_aid",
        _aid_years,
        ids=scope.township_ids,
        first=period.start.year,
        last=period.end.year,
    )
    return {
        row["township_id"]: {
            "aid_workers": nz(row["aid_workers"]),
            "aid_enrolled": nz(row["aid_enrolled"]),
            "aid_payouts": nz(row["aid_payouts"]),
            "aid_paid": nz(row["aid_paid"], ZERO),
        }
        for row in rows
    }


def _aid_years(ids: tuple[int, ...], first: int, last: int) -> QuerySet:
    return (
        MutualAidEnrolment.objects.filter(township_id__in=ids, year__gte=first, year__lte=last)
        .values("township_id")
        .annotate(
            aid_workers=Sum("workers"),
            aid_enrolled=Sum("enrolled"),
            aid_payouts=Sum("payouts"),
            aid_paid=Sum("paid_out"),
        )
        .order_by()
    )


def activities(scope: Scope, period: Period) -> dict[int, Activities]:
    """活动: events starting within the period and their participants, by category; 职工活动次数
    and 参与人次 over every 类别 but 执法检查, 宣传报道 and 会议; honours granted within it (one
    query: the events by category and the honours by level, type and 劳模, joined by UNION ALL)."""
    rows: dict[str, list[tuple]] = {"event": [], "honour": []}
    built = prepared(
        "events", _events_and_honours, ids=scope.township_ids, start=period.start, end=period.end
    )
    for tid, tag, key, subkey, n, x in built:
        rows[tag].append((tid, key, subkey, n, x))
    label = zh_choices(EventCategory)
    acc: dict[int, dict[str, Any]] = {}
    for tid, category, _, n, people in rows["event"]:
        a = acc.setdefault(
            tid,
            {
                "events": 0,
                "participants": 0,
                "events_by_category": {},
                "participants_by_category": {},
                "publicity": 0,
            },
        )
        name = label.get(category, category)
        people = nz(people)
        if category in STAFF_ACTIVITIES:
            a["events"] += n
            a["participants"] += people
        a["events_by_category"][name] = n
        a["participants_by_category"][name] = people
        if category == EventCategory.PUBLICITY:
            a["publicity"] = n
    honours = _honours(rows["honour"])
    return _by_township(
        [
            {"township_id": tid, **acc.get(tid, {}), **honours.get(tid, {})}
            for tid in set(acc) | set(honours)
        ],
        scope,
        Activities,
    )


def _events_and_honours(ids: tuple[int, ...], start: datetime.date, end: datetime.date) -> QuerySet:
    events = _tagged(
        Event.objects.filter(starts_on__gte=start, starts_on__lte=end),
        ids,
        "event",
        {"key": F("category"), "subkey": Value("")},
        n=Count("id"),
        x=Sum("participants"),
    )
    honour_rows = _tagged(
        Honour.objects.filter(granted_on__gte=start, granted_on__lte=end),
        ids,
        "honour",
        {"key": F("level"), "subkey": F("recipient_type")},
        n=Count("id"),
        x=Count("id", filter=Q(title__in=MODEL_WORKER_TITLES)),  # 劳模
    )
    return events.union(honour_rows, all=True)


def _honours(grouped: list[tuple]) -> dict[int, dict[str, Any]]:
    """荣誉数 by 级别 and 对象类型, and 劳模 (劳动模范 or 五一劳动奖章) by 级别, from rows
    (township, 级别, 对象类型, honours, 劳模 among them)."""
    level_label, type_label = zh_choices(HonourLevel), zh_choices(RecipientType)
    acc: dict[int, dict[str, Any]] = {}
    for tid, level, recipient_type, n, model in grouped:
        a = acc.setdefault(
            tid,
            {
                "honours": 0,
                "honours_by_level": {label: 0 for label in level_label.values()},
                "honours_by_type": {label: 0 for label in type_label.values()},
                "model_workers": 0,
                "model_workers_by_level": {label: 0 for label in level_label.values()},
            },
        )
        level = level_label.get(level, level)
        a["honours"] += n
        a["honours_by_level"][level] += n
        a["honours_by_type"][type_label.get(recipient_type, "")] += n
        a["model_workers"] += model
        a["model_workers_by_level"][level] += model
    return acc


def dues(scope: Scope, period: Period) -> dict[int, Dues]:
    """经费: amounts due and paid over dues rows whose 所属期间 lies within the period, and the
    same for remittances (经费上缴率): one query, the two sums joined by UNION ALL."""
    acc: dict[int, dict[str, Any]] = defaultdict(dict)
    parts = prepared(
        "dues", _dues_parts, ids=scope.township_ids, start=period.start, end=period.end
    )
    for tid, prefix, due, paid in parts:
        acc[tid].update({f"{prefix}due": due, f"{prefix}paid": paid})
    return _by_township([{"township_id": tid, **row} for tid, row in acc.items()], scope, Dues)


def _summed(model, ids: tuple[int, ...], start: datetime.date, end: datetime.date, prefix: str):
    rows = model.objects.filter(period_start__gte=start, period_end__lte=end)
    due, paid = Coalesce(Sum("amount_due"), ZERO), Coalesce(Sum("amount_paid"), ZERO)
    return _tagged(rows, ids, prefix, {}, due=due, paid=paid)


def _dues_parts(ids: tuple[int, ...], start: datetime.date, end: datetime.date) -> QuerySet:
    return _summed(DuesRecord, ids, start, end, "").union(
        _summed(DuesRemittance, ids, start, end, "remit_"), all=True
    )


# --- all together -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicators:
    """Every section for one scope and period, per township and in total."""

    scope: Scope
    period: Period
    organisation: dict[int, Organisation]
    rights: dict[int, Rights]
    welfare: dict[int, Welfare]
    activities: dict[int, Activities]
    dues: dict[int, Dues]

    def total(self) -> "Figures":
        return self.for_township(TOTAL)

    def for_township(self, township_id: int) -> "Figures":
        return Figures(
            self.organisation[township_id],
            self.rights[township_id],
            self.welfare[township_id],
            self.activities[township_id],
            self.dues[township_id],
        )


@dataclass(frozen=True)
class Figures:
    organisation: Organisation
    rights: Rights
    welfare: Welfare
    activities: Activities
    dues: Dues


SECTIONS: tuple[tuple[str, type], ...] = (
    ("organisation", Organisation),
    ("rights", Rights),
    ("welfare", Welfare),
    ("activities", Activities),
    ("dues", Dues),
)


def of_townships(
    scope: Scope, period: Period, by_township: dict[int, dict[str, Any]]
) -> Indicators:
    """The scope's Indicators from each township's sections ({township id: {section name:
    section}}), the total summed as compute() sums it (the dashboards' kept figures,
    reports/figure_cache.py)."""
    sections: dict[str, dict] = {}
    for name, build in SECTIONS:
        per = {tid: by_township[tid][name] for tid in scope.township_ids}
        per[TOTAL] = _sum_sections((per[tid] for tid in scope.township_ids), build())
        sections[name] = per
    return Indicators(scope=scope, period=period, **sections)


def compute(scope: Scope, period: Period) -> Indicators:
    """All indicators of spec/indicators.md for the scope and period, in a fixed number of
    queries (12), whatever the number of townships or records."""
    return Indicators(
        scope=scope,
        period=period,
        organisation=organisation(scope, period),
        rights=rights(scope, period),
        welfare=welfare(scope, period),
        activities=activities(scope, period),
        dues=dues(scope, period),
    )


def with_last_year(scope: Scope, period: Period) -> tuple[Indicators, Indicators]:
    """This period's indicators and the same period a year earlier (同比)."""
    return compute(scope, period), compute(scope, period.year_earlier())
