"""The monthly trend of the dashboards: per township and month, grouped in SQL."""

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, DecimalField, F, Func, Sum, Value
from django.db.models.functions import Cast, Coalesce

from disputes.models import Case
from events.models import STAFF_ACTIVITIES, Event
from members.models import (
    Member,
)
from reports.indicators import TOTAL, ZERO, Scope, nz
from unionportal.periods import Period
from unionportal.prepared import prepared
from welfare.models import (
    WelfareVisit,
)

# --- monthly trend (dashboards) -----------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    """The flow figures of one calendar month (or the part of it inside the period)."""

    new_members: int = 0  # 新发展会员数
    cases: int = 0  # 信访受理数
    visits: int = 0  # 慰问户次
    welfare_amount: Decimal = ZERO  # 慰问金额 + 物资折款
    events: int = 0  # 职工活动次数
    participants: int = 0  # 职工活动参与人次


class YearMonth(Func):
    """'2026-03' for a date, computed by the database itself: Django's TruncMonth calls back into
    Python for every row on SQLite, which made the trend query five times slower at county scale."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="strftime('%%%%Y-%%%%m', %(expressions)s)"
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM')")


def months_of(period: Period) -> list[datetime.date]:
    """The first day of every calendar month the period touches, in order."""
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def monthly(scope: Scope, period: Period) -> dict[int, dict[datetime.date, Month]]:
    """The period's flow figures (新发展会员, 信访受理数, 慰问户次 and 金额, 职工活动次数 and
    参与人次) by calendar month, per township and in total (key TOTAL), with the same
    definitions as the sections above. One query: four grouped queries joined by UNION ALL, so
    the count does not grow with townships or months."""
    rows = prepared(
        "monthly", _monthly_rows, ids=scope.township_ids, start=period.start, end=period.end
    )
    months = months_of(period)
    acc: dict[int, dict[datetime.date, dict[str, Any]]] = {
        tid: {m: {} for m in months} for tid in scope.township_ids
    }
    for tid, month, kind, n, total in rows:
        if tid not in acc:
            continue
        figures = acc[tid][datetime.date(int(month[:4]), int(month[5:7]), 1)]
        total = nz(total, ZERO)
        if kind == "members":
            figures["new_members"] = figures.get("new_members", 0) + n
        elif kind == "cases":
            figures["cases"] = figures.get("cases", 0) + n
        elif kind == "visits":
            figures["visits"] = figures.get("visits", 0) + n
            figures["welfare_amount"] = figures.get("welfare_amount", ZERO) + total
        else:
            figures["events"] = figures.get("events", 0) + n
            figures["participants"] = figures.get("participants", 0) + int(total)
    trend = {
        tid: {m: Month(**figures) for m, figures in by_month.items()}
        for tid, by_month in acc.items()
    }
    return trend_of_townships(scope, period, trend)


AMOUNT = DecimalField(max_digits=16, decimal_places=2)


def _grouped(model, ids, start, end, day: str, kind: str, total, **where):
    return (
        model.objects.filter(
            township_id__in=ids, **{f"{day}__gte": start, f"{day}__lte": end}, **where
        )
        .annotate(month=YearMonth(day), kind=Value(kind))
        .values("township_id", "month", "kind")
        # COUNT(*), not COUNT(id): PostgreSQL then reads the new members off the
        # (township, joined_on, …) index alone instead of visiting each member's row.
        .annotate(n=Count("*"), total=Cast(Coalesce(total, Value(0)), AMOUNT))
        .values_list("township_id", "month", "kind", "n", "total")
        .order_by()
    )


def _monthly_rows(ids: tuple[int, ...], start: datetime.date, end: datetime.date):
    """Four grouped queries joined by UNION ALL: new members, cases, visits, staff activities."""
    parts = (ids, start, end)
    return _grouped(Member, *parts, "joined_on", "members", Value(0), transferred_in=False).union(
        _grouped(Case, *parts, "received_on", "cases", Value(0)),
        _grouped(WelfareVisit, *parts, "visited_on", "visits", Sum(F("cash") + F("goods_value"))),
        _grouped(
            Event, *parts, "starts_on", "events", Sum("participants"), category__in=STAFF_ACTIVITIES
        ),
        all=True,
    )


def trend_of_townships(
    scope: Scope, period: Period, by_township: dict[int, dict[datetime.date, Month]]
) -> dict[int, dict[datetime.date, Month]]:
    """The monthly trend of the scope from each township's months: theirs, and their sum (key
    TOTAL). monthly() and the dashboards' kept figures (reports/figure_cache.py) both total
    here."""
    names = [f.name for f in dataclasses.fields(Month)]
    total = {m: {name: getattr(Month(), name) for name in names} for m in months_of(period)}
    for tid in scope.township_ids:
        for month, figures in by_township[tid].items():
            for name in names:
                total[month][name] += getattr(figures, name)
    trend = {tid: by_township[tid] for tid in scope.township_ids}
    trend[TOTAL] = {m: Month(**values) for m, values in total.items()}
    return trend
