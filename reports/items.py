"""The items a summary names (new unions, contracts signed, inspections, main events, meetings,
publicity, campaigns, milestones, honours), not just counts: one query each, per scope."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Min, Q, Sum

from events.models import STAFF_ACTIVITIES, Event, EventCategory
from honours.models import MODEL_WORKER_TITLES, Honour, HonourLevel, RecipientType
from members.models import (
    CollectiveContract,
    ContractKind,
    GrassrootsUnion,
    MilestoneKind,
    MilestoneLevel,
    UnionKind,
    UnionMilestone,
)
from reports.indicators import ZERO, Scope, nz, zh_choices
from unionportal.periods import Period
from welfare.models import (
    WelfareVisit,
)

# --- notable items (named in the summary, not just counted) -----------------------------------

# A summary names at most this many items of a kind; the rest are counted in the sentence.
LIST_LIMIT = 12


@dataclass(frozen=True)
class NewUnion:
    township: str
    name: str
    kind: str
    founded_on: datetime.date


@dataclass(frozen=True)
class SignedContract:
    township: str
    party: str
    kind: str
    workers: int
    signed_on: datetime.date
    is_renewal: bool


@dataclass(frozen=True)
class EventItem:
    township: str
    title: str
    category: str
    starts_on: datetime.date
    participants: int | None
    units: str
    media: str


@dataclass(frozen=True)
class Campaign:
    name: str
    visits: int
    amount: Decimal


def new_unions(scope: Scope, period: Period) -> list[NewUnion]:
    """Unions founded within the period, oldest first."""
    kinds = zh_choices(UnionKind)
    rows = (
        GrassrootsUnion.objects.filter(
            township_id__in=scope.township_ids,
            founded_on__gte=period.start,
            founded_on__lte=period.end,
        )
        .order_by("founded_on", "name")
        .values_list("township__name", "name", "kind", "founded_on")[:LIST_LIMIT]
    )
    return [NewUnion(t, n, kinds.get(k, k), d) for t, n, k, d in rows]


def contracts_signed(scope: Scope, period: Period) -> list[SignedContract]:
    """Collective contracts signed within the period, largest coverage first."""
    kinds = zh_choices(ContractKind)
    rows = (
        CollectiveContract.objects.filter(
            township_id__in=scope.township_ids,
            signed_on__gte=period.start,
            signed_on__lte=period.end,
        )
        .order_by("-workers_covered", "signed_on", "party_name")
        .values_list(
            "township__name", "party_name", "kind", "workers_covered", "signed_on", "is_renewal"
        )[:LIST_LIMIT]
    )
    return [SignedContract(t, p, kinds.get(k, k), w, d, r) for t, p, k, w, d, r in rows]


def _events(scope: Scope, period: Period, categories: Sequence[str], order: Sequence[str]):
    label = zh_choices(EventCategory)
    rows = (
        Event.objects.filter(
            township_id__in=scope.township_ids,
            starts_on__gte=period.start,
            starts_on__lte=period.end,
            category__in=categories,
        )
        .order_by(*order)
        .values_list(
            "township__name",
            "title",
            "category",
            "starts_on",
            "participants",
            "participating_units",
            "media",
        )[:LIST_LIMIT]
    )
    return [EventItem(t, title, label.get(c, c), d, p, u, m) for t, title, c, d, p, u, m in rows]


def inspections(scope: Scope, period: Period) -> list[EventItem]:
    """执法检查 events within the period, by date, with the units visited."""
    return _events(scope, period, [EventCategory.INSPECTION], ["starts_on", "title"])


def main_events(scope: Scope, period: Period) -> list[EventItem]:
    """The largest 职工活动 of the period (by participants), by date: inspections, publicity and
    meetings are stated in their own places."""
    items = _events(
        scope, period, STAFF_ACTIVITIES, [F("participants").desc(nulls_last=True), "starts_on"]
    )
    return sorted(items, key=lambda e: e.starts_on)


def meetings(scope: Scope, period: Period) -> list[EventItem]:
    """会议 within the period, by date."""
    return _events(scope, period, [EventCategory.MEETING], ["starts_on", "title"])


def publicity(scope: Scope, period: Period) -> list[EventItem]:
    """宣传报道 within the period, by date, with the outlet (媒体) and title."""
    return _events(scope, period, [EventCategory.PUBLICITY], ["starts_on", "title"])


def campaigns(scope: Scope, period: Period) -> list[Campaign]:
    """Named welfare campaigns (活动名称) within the period with their visits and amounts."""
    rows = (
        WelfareVisit.objects.filter(
            township_id__in=scope.township_ids,
            visited_on__gte=period.start,
            visited_on__lte=period.end,
        )
        .exclude(campaign="")
        .values("campaign")
        .annotate(
            n=Count("id"), cash=Sum("cash"), goods=Sum("goods_value"), first=Min("visited_on")
        )
        .order_by("first", "campaign")[:LIST_LIMIT]
    )
    return [
        Campaign(r["campaign"], r["n"], nz(r["cash"], ZERO) + nz(r["goods"], ZERO)) for r in rows
    ]


@dataclass(frozen=True)
class MilestoneItem:
    township: str
    union: str
    kind: str  # 事项 label
    happened_on: datetime.date
    level: str  # 等级 label, or ''
    chair: str
    chair_is_migrant: bool


# The milestones a summary names: a star rating or a 模范职工之家 gained, a union re-founded.
NAMED_MILESTONES = (MilestoneKind.STAR, MilestoneKind.MODEL_HOME, MilestoneKind.REFOUNDED)


def milestone_items(scope: Scope, period: Period) -> list[MilestoneItem]:
    """Star ratings and 模范职工之家 gained (not withdrawn) and unions re-founded within the
    period, highest rating first, then by date."""
    kinds, levels = zh_choices(MilestoneKind), zh_choices(MilestoneLevel)
    rank = {"three": 0, "national": 0, "province": 1, "two": 1, "city": 2, "one": 3, "county": 3}
    rows = (
        UnionMilestone.objects.filter(
            township_id__in=scope.township_ids,
            happened_on__gte=period.start,
            happened_on__lte=period.end,
            kind__in=NAMED_MILESTONES,
        )
        .exclude(level=MilestoneLevel.NONE)
        .order_by("happened_on", "union__name")
        .values_list(
            "township__name",
            "union__name",
            "kind",
            "happened_on",
            "level",
            "chair_name",
            "chair_is_migrant",
        )[: LIST_LIMIT * 3]
    )
    items = [
        MilestoneItem(t, u, kinds.get(k, k), d, levels.get(lv, "") if lv else "", c, m)
        for t, u, k, d, lv, c, m in rows
    ]
    order = {v: rank.get(k, 5) for k, v in levels.items()}
    return sorted(items, key=lambda i: (order.get(i.level, 5), i.happened_on))[:LIST_LIMIT]


@dataclass(frozen=True)
class HonourItem:
    township: str
    recipient: str
    recipient_type: str  # 个人 / 集体
    title: str
    level: str  # 级别 label
    granted_on: datetime.date


def honour_items(scope: Scope, period: Period) -> list[HonourItem]:
    """Honours a summary names: 劳模 (劳动模范, 五一劳动奖章) at city level or above, and
    collective honours at county level or above, granted within the period; highest first."""
    notable = (
        Q(title__in=MODEL_WORKER_TITLES)
        & Q(level__in=[HonourLevel.CITY, HonourLevel.PROVINCE, HonourLevel.NATIONAL])
    ) | (Q(recipient_type=RecipientType.COLLECTIVE) & ~Q(level=HonourLevel.TOWNSHIP))
    levels, types = zh_choices(HonourLevel), zh_choices(RecipientType)
    rank = {v: i for i, v in enumerate(reversed(HonourLevel.values))}
    rows = (
        Honour.objects.filter(
            notable,
            township_id__in=scope.township_ids,
            granted_on__gte=period.start,
            granted_on__lte=period.end,
        )
        .order_by("granted_on", "recipient")
        .values_list(
            "township__name", "recipient", "recipient_type", "title", "level", "granted_on"
        )[: LIST_LIMIT * 4]
    )
    ordered = sorted(rows, key=lambda r: (rank.get(r[4], 9), r[5]))[:LIST_LIMIT]
    return [
        HonourItem(t, r, types.get(k, k), title, levels.get(lv, lv), d)
        for t, r, k, title, lv, d in ordered
    ]
