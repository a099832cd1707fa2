"""Reads of the tenancy layer used by more than one page."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from disputes.models import Case
from events.models import Event
from members.models import CollectiveContract, DuesRecord, Employer, GrassrootsUnion, Member
from unionportal import kept
from unionportal.access import visible, visible_townships
from unionportal.models import County, Township, User
from welfare.models import WelfareVisit

# (key, label, model) in the order the home page shows them.
RECORD_KINDS = [
    ("employers", _("单位"), Employer),
    ("unions", _("基层工会"), GrassrootsUnion),
    ("members", _("会员"), Member),
    ("contracts", _("集体合同"), CollectiveContract),
    ("dues", _("经费记录"), DuesRecord),
    ("visits", _("慰问"), WelfareVisit),
    ("cases", _("信访案件"), Case),
    ("events", _("活动"), Event),
]


@dataclass
class TownshipCounts:
    township: Township
    counts: dict[str, int]

    @property
    def ordered(self) -> list[int]:
        """The counts in RECORD_KINDS order, zero for a kind with no records."""
        return [self.counts.get(key, 0) for key, _label, _model in RECORD_KINDS]

    @property
    def labelled(self) -> list[tuple[str, str, int]]:
        """(key, label, count) in RECORD_KINDS order."""
        return [(key, label, self.counts.get(key, 0)) for key, label, _model in RECORD_KINDS]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class CountyCounts:
    """The townships of one county with their counts, and the county's total per kind."""

    county: County
    rows: list[TownshipCounts] = field(default_factory=list)

    @property
    def totals(self) -> list[int]:
        return total_counts(self.rows)


def record_counts_by_township(user: User) -> list[TownshipCounts]:
    """Count every record kind per visible township.

    One query for the townships, one for their data tokens, and, for the townships whose
    counts this process has not kept under their current token (unionportal.kept), one grouped
    query per kind: the number of queries does not depend on how many townships the user may
    see, and a page seen again with nothing written since counts nothing.
    """
    townships = list(visible_townships(user))

    def count(ids: tuple[int, ...]) -> dict[int, dict[str, int]]:
        counts: dict[int, dict[str, int]] = {tid: {} for tid in ids}
        for key, _label, model in RECORD_KINDS:
            for tid, n in _count_by_township(user, model, ids).items():
                if n:
                    counts[tid][key] = n
        return counts

    counts = kept.per_township("record_counts", [t.pk for t in townships], count)
    return [TownshipCounts(t, dict(counts[t.pk])) for t in townships]


def visible_total(user: User, model: type, township_ids: list[int]) -> int:
    """How many records of `model` the user may see in these townships (all they may see):
    each township's count kept under its data token, counted again only once it changed."""

    kind = f"count:{model._meta.label_lower}"
    counted = kept.per_township(
        kind, township_ids, lambda ids: _count_by_township(user, model, ids)
    )
    return sum(counted.values())


def _count_by_township(user: User, model: type, ids: tuple[int, ...]) -> dict[int, int]:
    """{township id: records of `model` the user may see there} for these townships (one
    grouped query; 0 where there are none)."""
    counts = dict.fromkeys(ids, 0)
    grouped = (
        visible(user, model)
        .filter(township_id__in=ids)
        .values("township_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    for row in grouped:
        counts[row["township_id"]] = row["n"]
    return counts


def total_counts(rows: list[TownshipCounts]) -> list[int]:
    """Sum of each kind over the given townships, in RECORD_KINDS order.

    Adds up the figures already counted in SQL, so a total row always agrees with the rows above.
    """
    return [sum(r.counts.get(key, 0) for r in rows) for key, _label, _model in RECORD_KINDS]


def counts_by_county(rows: list[TownshipCounts]) -> list[CountyCounts]:
    """Group township counts by county, keeping the order of `rows` (county name, then code)."""
    groups: dict[int, CountyCounts] = {}
    for row in rows:
        county = row.township.county
        groups.setdefault(county.pk, CountyCounts(county)).rows.append(row)
    return list(groups.values())
