"""Every indicator of spec/indicators.md on hand-made data whose figures are worked out by hand."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import indicators
from reports.indicators import TOTAL, Rate, Scope
from unionportal.models import Township
from unionportal.periods import parse_period
from unionportal.tests.factories import H1, D, member, union


def test_organisation_figures_for_one_township(data):
    a, _ = data
    org = indicators.organisation(Scope.for_township(a), H1)[TOTAL]
    assert org.unions == 3  # U1, U2, U5 (U3 dissolved on the last day, U4 founded after)
    assert org.new_unions == 1
    assert org.standardised_unions == 1
    assert org.star_unions == {"一星": 1, "二星": 1, "三星": 0}
    assert (org.congress_unions, org.openness_unions, org.women_committee_unions) == (1, 1, 1)
    assert org.migrant_chair_unions == 1
    assert (org.employers_due, org.employers_unionised) == (4, 1)
    assert str(org.unionisation_rate) == "25.0%"
    assert org.members == 4  # left on the last day is out; left after the end is in
    assert org.new_members == 2
    assert org.migrant_members == 3
    assert org.covered_employees == 110
    assert str(org.membership_rate) == "3.6%"
    assert str(org.migrant_membership_rate) == "9.4%"


def test_rights_figures_for_one_township(data):
    a, _ = data
    r = indicators.rights(Scope.for_township(a), H1)[TOTAL]
    assert (r.cases, r.people, r.collective_cases) == (4, 17, 1)
    assert r.resolved_cases == 2  # C1 and C3, closed within the period
    assert r.arbitration_cases == 2  # C2 by 处理方式, C4 by 状态
    assert r.recovered == Decimal("58000")
    assert (r.closed_cases, r.open_cases) == (2, 2)
    assert str(r.closure_rate) == "50.0%"
    assert r.new_contracts == {"综合": 1, "工资专项": 0, "女职工专项": 0, "安全卫生专项": 0}
    assert r.renewed_contracts["综合"] == 1
    assert r.contract_units == 2
    assert r.contract_workers == 110  # E1 counted once at its largest contract, plus E4
    assert r.inspections == 1


def test_welfare_activities_and_dues_for_one_township(data):
    a, _ = data
    scope = Scope.for_township(a)
    w = indicators.welfare(scope, H1)[TOTAL]
    assert (w.visits, w.cash, w.goods) == (2, Decimal("3000"), Decimal("200"))
    assert w.visits_by_type == {"困难职工": 1, "特困职工": 1}
    assert w.cash_by_source == {"上级工会": Decimal("1000"), "本级工会": Decimal("2000")}
    act = indicators.activities(scope, H1)[TOTAL]
    # 职工活动 leaves out the inspection (5 people) and the report: the competition alone
    assert (act.events, act.participants, act.publicity) == (1, 200, 1)
    assert act.events_by_category["劳动竞赛"] == 1
    d = indicators.dues(scope, H1)[TOTAL]
    assert (d.due, d.paid) == (Decimal("4000"), Decimal("2500"))
    assert str(d.collection_rate) == "62.5%"
    # the whole-year row lies within the year, not within the half-year
    year = indicators.dues(scope, parse_period("2026"))[TOTAL]
    assert (year.due, year.paid) == (Decimal("16000"), Decimal("14500"))


def test_county_figures_are_the_sum_of_its_townships(data, county):
    a, b = data
    result = indicators.compute(Scope.for_county(county), H1)
    assert result.organisation[b.pk].members == 2
    assert result.organisation[TOTAL].members == 6
    assert result.organisation[TOTAL].covered_employees == 140
    assert str(result.organisation[TOTAL].unionisation_rate) == "40.0%"  # 2 of 5
    assert result.rights[TOTAL].cases == 4


def test_zero_denominators_show_a_dash(data):
    _, b = data
    figures = indicators.compute(Scope.for_township(b), H1).total()
    assert figures.rights.cases == 0
    assert str(figures.rights.closure_rate) == "—"
    assert figures.rights.closure_rate.value is None
    assert str(figures.dues.collection_rate) == "—"
    assert str(Rate(0, 0)) == "—"


def test_last_years_same_period_uses_the_same_definitions(data):
    a, _ = data
    this, last = indicators.with_last_year(Scope.for_township(a), H1)
    assert last.period.code == "2025H1"
    assert last.total().organisation.unions == 3  # U1, U3, U5 on 2025-06-30
    assert last.total().organisation.members == 3
    assert last.total().organisation.new_members == 0
    assert this.total().organisation.new_members == 2


def test_date_range_periods_include_both_ends(data):
    a, _ = data
    one_day = parse_period("2026-06-30..2026-06-30")
    org = indicators.organisation(Scope.for_township(a), one_day)[TOTAL]
    assert org.new_members == 1


def test_query_count_does_not_grow_with_data_or_townships(data, county, township_a):
    one, whole = Scope.for_township(township_a), Scope.for_county(county)
    with CaptureQueriesContext(connection) as small:
        indicators.compute(one, H1)
    extra = union(township_a, "更多工会", D(2010, 1, 1))
    for _ in range(20):
        member(township_a, extra, D(2022, 1, 1))
    with CaptureQueriesContext(connection) as large:
        indicators.compute(whole, H1)
    # The hardship register, mutual aid and the period's milestones add one grouped query each;
    # honours, remittances and inspections ride in a UNION ALL with events, dues and contracts
    # signed, so the county dashboard page stays within its 20 queries (docs/performance.md).
    assert len(small) == len(large) == 12


def _fold(a, b):
    """Adding two sections' field values one pair at a time (how the totals were first summed):
    the reference _sum_sections must agree with."""
    if isinstance(a, dict):
        keys = list(a) + [k for k in b if k not in a]
        return {k: _fold(a.get(k, 0), b.get(k, 0)) for k in keys}
    return a + b


def test_a_total_of_sections_is_the_pairwise_sum_field_by_field_keys_in_order(data, county):
    import dataclasses

    from reports.indicators import SECTIONS, _sum_sections, _sum_values

    scope = Scope.for_county(county, Township.objects.filter(county=county))
    figures = indicators.compute(scope, parse_period("2026"))
    for name, build in SECTIONS:
        parts = [getattr(figures, name)[t] for t in scope.township_ids] * 3
        expected = {f.name: getattr(build(), f.name) for f in dataclasses.fields(build)}
        for part in parts:
            expected = {k: _fold(v, getattr(part, k)) for k, v in expected.items()}
        total = _sum_sections(parts, build())
        assert dataclasses.asdict(total) == expected, name
        for key, value in expected.items():
            if isinstance(value, dict):
                assert list(getattr(total, key)) == list(value), (name, key)  # order kept
    ragged = [{"甲": 1}, {"乙": Decimal("0.10"), "甲": 2}, {"丙": 3}, {}]
    summed = _sum_values({"丁": 0}, ragged)
    assert summed == {"丁": 0, "甲": 3, "乙": Decimal("0.10"), "丙": 3}
    assert list(summed) == ["丁", "甲", "乙", "丙"]
