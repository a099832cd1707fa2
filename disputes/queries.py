"""Reads of cases shared by the case list, the home page and the indicators."""

import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from disputes.models import Case, CaseStatus
from unionportal import clock
from unionportal.access import visible
from unionportal.models import User

# An open case not closed within 30 days of being received is flagged (超过30天未办结). The one
# statement of the number: the list's filter, the flag on the list and the detail page, and the
# home page's warning all show this value (templates get it as `overdue_days`).
OVERDUE_DAYS = 30


def overdue_before(today: datetime.date | None = None) -> datetime.date:
    """Open cases received before this date are overdue."""
    return (today or clock.today()) - datetime.timedelta(days=OVERDUE_DAYS)


def overdue_q(today: datetime.date | None = None) -> Q:
    return Q(status=CaseStatus.OPEN, received_on__lt=overdue_before(today))


def closed_by_q(day: datetime.date) -> Q:
    """Closed by the end of `day` (办结: any status but 处理中, with its 结案日期 on or before it).
    The same test counts 办结率's closed cases (reports/indicators.py) and narrows the case list
    for ?closed_by=, so the dashboard's link lists exactly the cases it counted."""
    return ~Q(status=CaseStatus.OPEN) & Q(closed_on__lte=day)


def closed_by_filter(qs: QuerySet[Case], value: str) -> QuerySet[Case]:
    """?closed_by=2026-06-30 on the case list; a date that does not parse lists nothing."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return qs.none()
    return qs.filter(closed_by_q(day))


def with_overdue_flag(cases: QuerySet[Case], today: datetime.date | None = None) -> QuerySet[Case]:
    """Each case annotated `is_overdue`, computed in SQL."""
    return cases.annotate(
        is_overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField())
    )


def overdue_counts_by_township(user: User, today: datetime.date | None = None) -> dict[int, int]:
    """{township id: open cases older than OVERDUE_DAYS} over the townships the user may see.

    One grouped query; townships without overdue cases are absent.
    """
    rows = (
        visible(user, Case)
        .filter(overdue_q(today))
        .values("township_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["township_id"]: row["n"] for row in rows}
