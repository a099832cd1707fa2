"""The dashboards' per-township figures, kept in memory under the township's data tokens.

A dashboard states every township of the county (the county page, and the county average beside
a township's own figures on its page and on its staff's home page), so computing it from the
records costs the whole county's queries (about 0.1 s at county scale) on every view. Here each
township's sections (reports.indicators: organisation in its four parts, rights, welfare,
activities, dues) and monthly trend (reports.trend.monthly) for a period are kept apart with
unionportal.kept, each under the township's tokens of the record tables it reads (PART_TABLES),
which the database changes in the same transaction as any write to those tables: a view
computes only the parts of the townships written since, together, with the same functions, and
sums the county total from the townships as compute() sums it. Figures are therefore never older
than the records, and a welfare visit written costs the welfare section and the months again,
not the membership figures.

The county's figures summed from its townships' (and the trend's total) are kept too, in this
process's memory, under every township's tokens: seen again with no write anywhere in the county,
a dashboard neither sums 30 townships nor reads their kept parts again. They are kept only from a
view that computed no township (every part was kept, so read under its token).
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

# "-3": kept per section under the tokens of the tables it reads (it was all sections under one
# token per township); "-2": 活动次数 became 职工活动次数 (second round).
KIND = "indicators-3"

# The record tables each part reads (tests/test_figure_cache.py checks these against the SQL each
# one runs): a part is kept under the tokens of these alone, so a welfare visit written leaves the
# township's membership, rights, activity and dues figures kept, and a member written costs the
# member counts again, not the unions' status. 组织建设 is kept in its four parts
# (indicators.ORGANISATION_PARTS); the other sections whole.
UNIONS = frozenset({"members_grassrootsunion", "members_unionmilestone"})
PART_TABLES: dict[str, frozenset[str]] = {
    "organisation.unions": UNIONS,
    "organisation.employers": UNIONS | {"members_employer"},
    "organisation.members": frozenset({"members_member"}),
    "organisation.flows": frozenset({"members_unionmilestone"}),
    "rights": frozenset({"disputes_case", "events_event", "members_collectivecontract"}),
    "welfare": frozenset(
        {"welfare_hardshipfile", "welfare_mutualaidenrolment", "welfare_welfarevisit"}
    ),
    "activities": frozenset({"events_event", "honours_honour"}),
    "dues": frozenset({"members_duesrecord", "members_duesremittance"}),
    "months": frozenset(
        {"disputes_case", "events_event", "members_member", "welfare_welfarevisit"}
    ),
}
ORGANISATION = "organisation"
MONTHS = "months"


def _scoped(function: Callable[[Scope, Period], Any]) -> Callable:
    def compute(scope: Scope, period: Period, ids: tuple[int, ...]) -> dict[int, Any]:
        return function(dataclasses.replace(scope, township_ids=ids), period)

    return compute


def _compute_functions() -> dict[str, Callable]:
    functions: dict[str, Callable] = {
        f"{ORGANISATION}.{name}": _scoped(part)
        for name, part in indicators.ORGANISATION_PARTS.items()
    }
    functions.update(
        {
            name: _scoped(getattr(indicators, name))
            for name, _ in indicators.SECTIONS
            if name != ORGANISATION
        }
    )
    functions[MONTHS] = _scoped(monthly)
    return functions


# {part: (tables, compute(scope, period, ids) → {township id: the part}, TOTAL may be there too)}
PARTS: dict[str, tuple[frozenset[str], Callable]] = {
    name: (PART_TABLES[name], compute) for name, compute in _compute_functions().items()
}


def figures_and_trend(
    scope: Scope,
    period: Period,
    *,
    using: str = DEFAULT_DB_ALIAS,
    parts: dict[str, tuple[frozenset[str], Callable]] | None = None,
) -> tuple[Indicators, dict[int, dict]]:
    """What indicators.compute(scope, period) and reports.trend.monthly(scope, period) return,
    with each township's sections and months taken from memory where the tokens of the tables
    they read have not changed. `parts`: PARTS with other compute functions (tests)."""
    parts = PARTS if parts is None else parts
    ids = scope.township_ids
    stamps = kept.table_tokens(ids, using)
    read = frozenset().union(*(tables for tables, _ in parts.values()))
    tokens = tuple(kept.combined(stamps.get(t), read) for t in ids)
    whole = None
    if None not in tokens:
        whole = ("county-" + KIND, kept.database_of(using), scope, period, tokens)
        found_whole = kept.store.get(whole)
        if found_whole is not None:
            return found_whole
    computed = []

    def part(name: str, compute: Callable) -> kept.Part:
        def missing_ones(missing: tuple[int, ...]) -> dict[int, Any]:
            computed.append((name, missing))
            return compute(scope, period, missing)

        return kept.Part(parts[name][0], missing_ones)

    found = kept.per_township_parts(
        {f"{KIND}:{name}": part(name, compute) for name, (_, compute) in parts.items()},
        ids,
        key=(period.start, period.end),
        using=using,
        stamps=stamps,
    )

    def of(name: str, tid: int) -> Any:
        return found[f"{KIND}:{name}"][tid]

    by_township = {
        t: {
            ORGANISATION: indicators.organisation_for(
                {name: of(f"{ORGANISATION}.{name}", t) for name in indicators.ORGANISATION_PARTS}
            ),
            **{name: of(name, t) for name, _ in indicators.SECTIONS if name != ORGANISATION},
        }
        for t in ids
    }
    figures = indicators.of_townships(scope, period, by_township)
    trend = trend_of_townships(scope, period, {t: of(MONTHS, t) for t in ids})
    result = (figures, trend)
    if whole is not None and not computed:
        kept.store.put(whole, result)
    return result
