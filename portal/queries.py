"""Record counts per township and county for the home pages (the kinds of portal.kinds)."""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Value

from portal.kinds import KINDS
from reports.indicators import prepared
from unionportal import kept
from unionportal.access import mark_scoped, visible_townships
from unionportal.models import County, Township, User


@dataclass
class TownshipCounts:
    township: Township
    counts: dict[str, int]

    @property
    def ordered(self) -> list[int]:
        """The counts in KINDS order, zero for a kind with no records."""
        return [self.counts.get(key, 0) for key, _label, _model in KINDS]

    @property
    def labelled(self) -> list[tuple[str, str, int]]:
        """(key, label, count) in KINDS order."""
        return [(key, label, self.counts.get(key, 0)) for key, label, _model in KINDS]

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
    counts this process has not kept under their current token (unionportal.kept), one query
    of every kind's grouped counts (and the tokens again): the number of queries does not
    depend on how many townships the user may see, and a page seen again with nothing written
    since counts nothing.
    """
    townships = list(visible_townships(user))

    def count(ids: tuple[int, ...]) -> dict[int, dict[str, int]]:
        # `ids` are townships the user may see (visible_townships, the access door), so their
        # records are the ones visible() would give. One query, built and compiled once per
        # process and number of townships (reports.indicators.prepared): building and compiling
        # the 13-part UNION ALL was most of a home page after a write.
        found = {(tid, key): n for tid, key, n in prepared("record_counts", _kind_counts, ids=ids)}
        return {
            tid: {key: n for key, _label, _model in KINDS if (n := found.get((tid, key), 0))}
            for tid in ids
        }

    counts = kept.per_township("record_counts", [t.pk for t in townships], count)
    return [TownshipCounts(t, dict(counts[t.pk])) for t in townships]


def _kind_counts(ids: tuple[int, ...]) -> QuerySet:
    """(township_id, kind key, count) of every record kind in the townships `ids`: each kind's
    grouped count joined by UNION ALL."""
    parts = [
        mark_scoped(model._default_manager.filter(township_id__in=ids))
        .annotate(record_kind=Value(key))
        .values("township_id", "record_kind")
        .annotate(n=Count("*"))
        .values_list("township_id", "record_kind", "n")
        .order_by()
        for key, _label, model in KINDS
    ]
    return parts[0].union(*parts[1:], all=True)


def total_counts(rows: list[TownshipCounts]) -> list[int]:
    """Sum of each kind over the given townships, in KINDS order.

    Adds up the figures already counted in SQL, so a total row always agrees with the rows above.
    """
    return [sum(r.counts.get(key, 0) for r in rows) for key, _label, _model in KINDS]


def counts_by_county(rows: list[TownshipCounts]) -> list[CountyCounts]:
    """Group township counts by county, keeping the order of `rows` (county name, then code)."""
    groups: dict[int, CountyCounts] = {}
    for row in rows:
        county = row.township.county
        groups.setdefault(county.pk, CountyCounts(county)).rows.append(row)
    return list(groups.values())
