"""Figures of the hardship register and medical mutual aid (spec/indicators.md, second round) on
hand-made records, worked out by hand; and their query count, which does not grow with
townships."""

import datetime
from decimal import Decimal

import pytest

from reports import indicators
from reports.indicators import TOTAL, Scope
from unionportal.models import Township
from unionportal.periods import parse_period
from unionportal.tests.factories import id_number, make_union, make_visit
from welfare.models import HardshipFile, HardshipReview, MutualAidEnrolment

D = datetime.date


def _file(township, n: int, **fields) -> HardshipFile:
    fields.setdefault("name", f"困难户{n}")
    fields.setdefault("category", "relative")
    fields.setdefault("causes", "illness")
    fields.setdefault("id_number", id_number(birth=D(1970, 1, 1) + datetime.timedelta(days=n)))
    file = HardshipFile.objects.create(township=township, **fields)
    if file.reviewed_on:
        HardshipReview.objects.create(file=file, reviewed_on=file.reviewed_on)
    return file


@pytest.fixture
def register(township_a, township_b):
    """Township A, period 2026H1 (1 Jan – 30 Jun 2026):
    1 deep, filed 2024-05-01, reviewed 2025-07-10 → on file; review 2025-07-10 ≥ 2025-06-30: in time
    2 relative, filed 2025-03-01, never reviewed → on file; 2025-03-01 < 2025-06-30: overdue
    3 accident, filed 2026-02-01 → new, on file, not overdue
    4 relative, filed 2023-01-01, out 2026-03-15 (就业增收) → out within the period, not on file
    5 deep, filed 2022-01-01, out 2025-12-31 (帮扶救助) → out before the period: neither
    6 deep, filed 2026-07-01 → after the period: nothing
    7 relative, filed 2024-01-01, reviewed 2026-08-01 (after the end), → on file; review after the
      end does not count, filing 2024-01-01 is before 2025-06-30: overdue
    Visits in the period with the ID of 1 (twice) and 4, and one of 2 in 2025 (before): visited on
    file = 1 → coverage 1 / 4 = 25.0%.
    Township B: one file on file (deep), visited → B coverage 100.0%; county 2 / 5 = 40.0%.
    """
    a = {
        1: _file(
            township_a, 1, category="deep", filed_on=D(2024, 5, 1), reviewed_on=D(2025, 7, 10)
        ),
        2: _file(township_a, 2, filed_on=D(2025, 3, 1)),
        3: _file(township_a, 3, category="accident", filed_on=D(2026, 2, 1)),
        4: _file(
            township_a, 4, filed_on=D(2023, 1, 1), out_on=D(2026, 3, 15), out_reason="employment"
        ),
        5: _file(
            township_a,
            5,
            category="deep",
            filed_on=D(2022, 1, 1),
            out_on=D(2025, 12, 31),
            out_reason="assistance",
        ),
        6: _file(township_a, 6, category="deep", filed_on=D(2026, 7, 1)),
        7: _file(township_a, 7, filed_on=D(2024, 1, 1), reviewed_on=D(2026, 8, 1)),
    }
    make_visit(township_a, visited_on=D(2026, 1, 20), id_number=a[1].id_number)
    make_visit(township_a, visited_on=D(2026, 5, 20), id_number=a[1].id_number)
    make_visit(township_a, visited_on=D(2026, 1, 20), id_number=a[4].id_number)
    make_visit(township_a, visited_on=D(2025, 12, 20), id_number=a[2].id_number)
    # Same ID as file 3 but in township B: does not cover A's file.
    make_visit(township_b, visited_on=D(2026, 2, 20), id_number=a[3].id_number)
    b = _file(township_b, 50, category="deep", filed_on=D(2025, 9, 1))
    make_visit(township_b, visited_on=D(2026, 6, 30), id_number=b.id_number)
    # Mutual aid: A 2026 two unions, 2025 one (not in 2026H1); B 2026 one.
    u1, u2 = make_union(township_a), make_union(township_a)
    rows = [
        (township_a, u1, 2026, 200, 190, 5, "12000.00"),
        (township_a, u2, 2026, 100, 80, 2, "3000.50"),
        (township_a, u1, 2025, 180, 150, 9, "20000.00"),
        (township_b, make_union(township_b), 2026, 100, 98, 1, "800.00"),
    ]
    for township, union, year, workers, enrolled, payouts, paid in rows:
        MutualAidEnrolment.objects.create(
            township=township,
            union=union,
            year=year,
            workers=workers,
            enrolled=enrolled,
            payouts=payouts,
            paid_out=Decimal(paid),
        )
    return township_a, township_b


def test_hardship_figures_of_a_half_year(register, county):
    a, b = register
    figures = indicators.welfare(Scope.for_county(county), parse_period("2026H1"))
    w = figures[a.pk]

    assert w.hardship_on_file == 4  # 1, 2, 3, 7
    assert w.hardship_by_category == {"深度困难": 1, "相对困难": 2, "意外致困": 1}
    assert w.hardship_new == 1  # 3
    assert w.hardship_out == 1  # 4
    assert w.hardship_out_by_reason == {"就业增收": 1, "帮扶救助": 0, "政策保障": 0, "其他": 0}
    assert w.hardship_overdue == 2  # 2, 7
    assert w.hardship_visited == 1  # 1
    assert str(w.hardship_coverage) == "25.0%"
    assert str(figures[b.pk].hardship_coverage) == "100.0%"
    total = figures[TOTAL]
    assert (total.hardship_on_file, total.hardship_visited) == (5, 2)
    assert str(total.hardship_coverage) == "40.0%"


def test_mutual_aid_sums_the_rows_of_the_periods_year(register, county):
    a, b = register
    figures = indicators.welfare(Scope.for_county(county), parse_period("2026H1"))
    w = figures[a.pk]

    assert (w.aid_workers, w.aid_enrolled, w.aid_payouts) == (300, 270, 7)
    assert w.aid_paid == Decimal("15000.50")
    assert str(w.aid_rate) == "90.0%"
    assert str(figures[TOTAL].aid_rate) == "92.0%"  # 368 / 400


def test_a_period_spanning_two_years_sums_both_years(register):
    a, _b = register
    period = parse_period("2025-07-01..2026-06-30")
    w = indicators.welfare(Scope.for_township(a), period)[a.pk]

    assert (w.aid_workers, w.aid_enrolled) == (480, 420)


def test_the_review_falls_due_on_the_day_after_twelve_months(township_a):
    _file(township_a, 1, filed_on=D(2025, 6, 30))
    on_time = indicators.welfare(Scope.for_township(township_a), parse_period("2026H1"))
    late = indicators.welfare(Scope.for_township(township_a), parse_period("2026-07"))

    assert on_time[township_a.pk].hardship_overdue == 0
    assert late[township_a.pk].hardship_overdue == 1


def test_no_files_gives_a_dash_not_zero_percent(township_a):
    w = indicators.welfare(Scope.for_township(township_a), parse_period("2026H1"))[township_a.pk]

    assert w.hardship_on_file == 0
    assert str(w.hardship_coverage) == "—"
    assert str(w.aid_rate) == "—"


def test_the_welfare_queries_do_not_grow_with_townships(
    register, county, django_assert_num_queries
):
    for n in range(5):
        t = Township.objects.create(code=f"extra-{n}", name=f"加{n}镇", county=county)
        _file(t, 100 + n, filed_on=D(2025, 1, 1))
    scope = Scope.for_county(county)
    with django_assert_num_queries(3):
        indicators.welfare(scope, parse_period("2026H1"))


def test_dashboard_columns_with_targets_colours_and_scores(register, county):
    from reports.dashboards import GOOD, NEAR, build_dashboard
    from reports.models import AnnualTarget, AssessmentWeight, TargetIndicator

    a, b = register
    for indicator, value in (
        (TargetIndicator.HARDSHIP_COVERAGE, 30),  # 25.0% of 30: amber
        (TargetIndicator.MUTUAL_AID_RATE, 90),  # 90.0%: green
        (TargetIndicator.HARDSHIP_OUT, 2),  # a year's 2, half a year's 1: 1 out, green
    ):
        AnnualTarget.objects.create(township=a, year=2026, indicator=indicator, value=value)
        AssessmentWeight.objects.create(county=county, year=2026, indicator=indicator, weight=10)
    dashboard = build_dashboard(county, [a, b], parse_period("2026H1"))
    row = dashboard.row_for(a.pk)

    assert row.cell("hardship_on_file").text == "4"
    assert row.cell("hardship_on_file").status is None  # no target: never coloured
    assert row.cell("hardship_out").status == GOOD
    assert row.cell("hardship_coverage").text == "25.0%"
    assert row.cell("hardship_coverage").status == NEAR
    assert row.cell("mutual_aid_rate").status == GOOD
    # 10 × 25/30 (8.33) + 10 + 10 = 28.33 points of 30 weights → 94.4
    assert str(row.score) == "94.4"
    assert dashboard.total.cell("hardship_coverage").text == "40.0%"
