"""A dashboard in the middle of a period: figures and targets run to today (the page says 截至
which day) and months to come are not drawn; once the period is over, the whole period."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.dashboards import build_dashboard, period_fraction, trend_rows
from reports.models import AnnualTarget, TargetIndicator
from unionportal import clock
from unionportal.periods import parse_period
from unionportal.tests.factories import make_visit

try:
    from unionportal.tests.factories import page_text
except ImportError:  # until the test helpers' move into factories.py is committed
    from unionportal.tests.pages import page_text

D = datetime.date
H2 = parse_period("2026H2")


@pytest.fixture
def visits(township_a, township_b):
    make_visit(township_a, visited_on=D(2026, 7, 20))
    make_visit(township_a, visited_on=D(2026, 9, 10))
    make_visit(township_a, visited_on=D(2026, 11, 3))  # after "today" below
    AnnualTarget.objects.create(
        township=township_a, year=2026, indicator=TargetIndicator.VISITS, value=Decimal("73")
    )
    return township_a, township_b


def test_in_the_middle_of_a_period_figures_and_targets_run_to_today(visits, monkeypatch):
    a, b = visits
    monkeypatch.setattr(clock, "today", lambda: D(2026, 9, 15))

    dashboard = build_dashboard(a.county, [a, b], H2)

    assert dashboard.as_of == D(2026, 9, 15)
    assert dashboard.period == H2  # the period named stays the one chosen
    cell = dashboard.row_for(a.pk).cell("visits")
    assert cell.number == 2  # the visit of 3 November is not counted yet
    # 1 July – 15 September is 77 days of 365: 73 × 77/365 = 15.4 visits due by today.
    assert cell.target == Decimal("73") * Decimal(77) / Decimal(365)
    assert [m.month for m in dashboard.months] == [7, 8, 9]
    assert [label for label, _ in trend_rows(dashboard, a.pk)] == [
        "2026年7月",
        "2026年8月",
        "2026年9月",
    ]


def test_once_the_period_is_over_the_whole_period_counts(visits, monkeypatch):
    a, b = visits
    monkeypatch.setattr(clock, "today", lambda: D(2027, 1, 10))

    dashboard = build_dashboard(a.county, [a, b], H2)

    assert dashboard.as_of is None
    cell = dashboard.row_for(a.pk).cell("visits")
    assert cell.number == 3
    assert cell.target == Decimal("73") * period_fraction(H2)
    assert len(dashboard.months) == 6


def test_a_period_not_begun_is_shown_whole(visits, monkeypatch):
    a, b = visits
    monkeypatch.setattr(clock, "today", lambda: D(2026, 5, 1))

    assert build_dashboard(a.county, [a, b], H2).as_of is None


def test_the_pages_say_up_to_which_day(client, visits, staff_a, reviewer, monkeypatch):
    a, _b = visits
    monkeypatch.setattr(clock, "today", lambda: D(2026, 9, 15))
    client.force_login(reviewer)

    county = page_text(client.get(reverse("reports:county_dashboard"), {"period": "2026H2"}))
    township = page_text(
        client.get(reverse("reports:township_dashboard", kwargs={"pk": a.pk}), {"period": "2026H2"})
    )
    over = page_text(client.get(reverse("reports:county_dashboard"), {"period": "2026H1"}))

    assert "数字和目标均截至2026年9月15日" in county
    assert "数字和目标均截至2026年9月15日" in township
    assert "截至2026年9月15日" not in over
