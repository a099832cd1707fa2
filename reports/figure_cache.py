"""The dashboards' per-township figures, kept in memory under each township's data token.

A dashboard states every township of the county (the county page, and the county average beside
a township's own figures on its page and on its staff's home page), so computing it from the
records costs the whole county's queries (about 0.1 s at county scale) on every view. Here each
township's sections (reports.indicators.compute) and monthly trend (reports.trend.monthly)
for a period are kept with unionportal.kept under the township's token, which the database
changes in the same transaction as any write to the township's records: a view computes only the
townships written since, together, with the same functions, and sums the county total from the
townships as compute() sums it. Figures are therefore never older than the records.

The county's figures summed from its townships' (and the trend's total) are kept too, in this
process's memory, under the tuple of every township's token: seen again with no write anywhere
in the county, a dashboard neither sums 30 townships nor reads their kept parts again. They are
kept only from a view that computed no township (every part was kept, so read under its token).
"""

import dataclasses
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS

from reports import indicators
from reports.indicators import (
    Indicators,
    Scope,
)
from reports.trend import monthly, trend_of_townships
from unionportal import kept
from unionportal.periods import Period

# "-2": 活动次数 became 职工活动次数 (second round); figures kept before mean another thing.
KIND = "indicators-2"


@dataclasses.dataclass(frozen=True)
class TownshipFigures:
    """One township's sections and monthly trend for one period."""

    sections: dict[str, Any]
    months: dict  # {first day of month: Month}


def _compute(scope: Scope, period: Period, ids: tuple[int, ...]) -> dict[int, TownshipFigures]:
    part = dataclasses.replace(scope, township_ids=ids)
    figures = indicators.compute(part, period)
    trend = monthly(part, period)
    return {
        tid: TownshipFigures(
            sections={name: getattr(figures, name)[tid] for name, _ in indicators.SECTIONS},
            months=trend[tid],
        )
        for tid in ids
    }


def figures_and_trend(
    scope: Scope,
    period: Period,
    *,
    using: str = DEFAULT_DB_ALIAS,
    compute: Callable[[Scope, Period, tuple[int, ...]], dict[int, TownshipFigures]] = _compute,
) -> tuple[Indicators, dict[int, dict]]:
    """What indicators.compute(scope, period) and reports.trend.monthly(scope, period) return,
    with each township's part taken from memory where its token has not changed."""
    ids = scope.township_ids
    before = kept.tokens(ids, using)
    whole = None
    if all(t in before for t in ids):
        tokens = tuple(before[t] for t in ids)
        whole = ("county-" + KIND, kept.database_of(using), scope, period, tokens)
        found_whole = kept.store.get(whole)
        if found_whole is not None:
            return found_whole
    computed = []

    def missing_ones(missing: tuple[int, ...]) -> dict[int, TownshipFigures]:
        computed.append(missing)
        return compute(scope, period, missing)

    found = kept.per_township(
        KIND, ids, missing_ones, key=(period.start, period.end), using=using, before=before
    )
    figures = indicators.of_townships(scope, period, {t: found[t].sections for t in ids})
    trend = trend_of_townships(scope, period, {t: found[t].months for t in ids})
    result = (figures, trend)
    if whole is not None and not computed:
        kept.store.put(whole, result)
    return result
