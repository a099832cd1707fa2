"""The dashboards' per-township figures, kept in memory under each township's data token.

A dashboard states every township of the county (the county page, and the county average beside
a township's own figures on its page and on its staff's home page), so computing it from the
records costs the whole county's queries (about 0.1 s at county scale) on every view. Here each
township's sections (reports.indicators.compute) and monthly trend (reports.indicators.monthly)
for a period are kept in this process under the township's token (unionportal.datastamp), which
the database changes in the same transaction as any write to the township's records. A view
reads the 30 tokens (one query), takes the townships whose token it has seen, and computes only
the others, together, with the same functions; the county total is summed from the townships as
compute() sums it. Figures are therefore never older than the records: a write changes the token
and the next view recomputes that township.

Stored only when the token read before the computation is still the token after it, so figures
read across a concurrent commit are not kept under the earlier token. Per process (each gunicorn
worker keeps its own), bounded (least recently used entries go first); nothing to configure or
clear. A township without a token (no DataStamp row) is always computed.
"""

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from reports import indicators
from reports.indicators import (
    TOTAL,
    Activities,
    Dues,
    Indicators,
    Month,
    Organisation,
    Rights,
    Scope,
    Welfare,
    _sum_sections,
)
from unionportal.datastamp import tokens
from unionportal.periods import Period

MAX_ENTRIES = 2000  # townships × periods × tokens: a county of 30 in ~20 periods with room over
SECTIONS: tuple[tuple[str, type], ...] = (
    ("organisation", Organisation),
    ("rights", Rights),
    ("welfare", Welfare),
    ("activities", Activities),
    ("dues", Dues),
)


@dataclasses.dataclass(frozen=True)
class TownshipFigures:
    """One township's sections and monthly trend for one period."""

    sections: dict[str, Any]
    months: dict  # {first day of month: Month}


class _Store:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._items: OrderedDict[tuple, TownshipFigures] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> TownshipFigures | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item

    def put(self, key: tuple, item: TownshipFigures) -> None:
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)


store = _Store(MAX_ENTRIES)


def _key(using: str, township_id: int, period: Period, token: int) -> tuple:
    name = str(connections[using].settings_dict.get("NAME"))
    return (using, name, township_id, period.start, period.end, token)


def _compute(scope: Scope, period: Period, ids: tuple[int, ...]) -> dict[int, TownshipFigures]:
    part = dataclasses.replace(scope, township_ids=ids)
    figures = indicators.compute(part, period)
    trend = indicators.monthly(part, period)
    return {
        tid: TownshipFigures(
            sections={name: getattr(figures, name)[tid] for name, _ in SECTIONS},
            months=trend[tid],
        )
        for tid in ids
    }


def _sum_months(by_township: Iterable[dict], months: list) -> dict:
    fields = [f.name for f in dataclasses.fields(Month)]
    total = {m: {name: getattr(Month(), name) for name in fields} for m in months}
    for by_month in by_township:
        for month, figures in by_month.items():
            acc = total[month]
            for name in fields:
                acc[name] += getattr(figures, name)
    return {m: Month(**values) for m, values in total.items()}


def figures_and_trend(
    scope: Scope,
    period: Period,
    *,
    using: str = DEFAULT_DB_ALIAS,
    compute: Callable[[Scope, Period, tuple[int, ...]], dict[int, TownshipFigures]] = _compute,
) -> tuple[Indicators, dict[int, dict]]:
    """What indicators.compute(scope, period) and indicators.monthly(scope, period) return,
    with each township's part taken from memory where its token has not changed."""
    ids = scope.township_ids
    before = tokens(ids, using)
    found: dict[int, TownshipFigures] = {}
    missing: list[int] = []
    for tid in ids:
        item = store.get(_key(using, tid, period, before[tid])) if tid in before else None
        if item is None:
            missing.append(tid)
        else:
            found[tid] = item
    if missing:
        fresh = compute(scope, period, tuple(missing))
        after = tokens(missing, using)
        for tid, item in fresh.items():
            if tid in before and after.get(tid) == before[tid]:
                store.put(_key(using, tid, period, before[tid]), item)
        found.update(fresh)
    sections: dict[str, dict] = {}
    for name, build in SECTIONS:
        per = {tid: found[tid].sections[name] for tid in ids}
        per[TOTAL] = _sum_sections((per[tid] for tid in ids), build())
        sections[name] = per
    months = indicators.months_of(period)
    trend = {tid: found[tid].months for tid in ids}
    trend[TOTAL] = _sum_months((trend[tid] for tid in ids), months)
    return Indicators(scope=scope, period=period, **sections), trend
