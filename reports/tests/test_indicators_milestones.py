"""The second round's figures (spec/indicators.md): a union's status on a day from its
milestones, the period's milestones, honours and 经费上缴率, on hand-made data."""

import datetime
from decimal import Decimal

from members.models import UnionMilestone
from reports import indicators
from reports.indicators import TOTAL, Scope
from unionportal.periods import parse_period
from unionportal.tests import factories as f

D = datetime.date
H1_2026, H2_2025 = parse_period("2026H1"), parse_period("2025H2")


def milestone(union, kind, day, **fields):
    return UnionMilestone.objects.create(
        township_id=union.township_id, union=union, kind=kind, happened_on=day, **fields
    )


def _unions(township):
    u = f.make_union(township, name="甲工会", founded_on=D(2015, 1, 1))
    milestone(u, "standardised", D(2020, 1, 1))
    milestone(u, "star", D(2020, 1, 1), level="one")
    milestone(u, "star", D(2026, 3, 1), level="three")
    milestone(u, "standardised", D(2026, 5, 1), level="none")  # 规范化 no longer met
    milestone(u, "election", D(2023, 6, 1), chair_name="甲", chair_is_migrant=True)
    milestone(u, "election", D(2026, 4, 1), chair_name="乙")
    milestone(u, "congress_held", D(2026, 3, 18), delegates=45)
    milestone(u, "congress_held", D(2025, 9, 18), delegates=40)
    milestone(u, "openness", D(2026, 2, 1))
    milestone(u, "model_home", D(2026, 6, 30), level="city")
    # Dissolved in 2024 and re-founded in 2026 (its 撤销日期 cleared by the 重建).
    v = f.make_union(township, name="乙工会", founded_on=D(2010, 1, 1))
    milestone(v, "dissolved", D(2024, 6, 30))
    milestone(v, "refounded", D(2026, 2, 1))
    milestone(v, "election", D(2026, 2, 1), chair_name="丙", chair_is_migrant=True)
    return u, v


def test_a_past_period_states_the_status_of_that_time(township_a):
    _unions(township_a)
    scope = Scope.for_township(township_a)

    past = indicators.organisation(scope, H2_2025)[TOTAL]
    now = indicators.organisation(scope, H1_2026)[TOTAL]

    assert past.unions == 1  # 乙工会 dissolved then
    assert (past.standardised_unions, past.migrant_chair_unions) == (1, 1)
    assert past.star_unions == {"一星": 1, "二星": 0, "三星": 0}
    assert (past.openness_unions, past.model_home_unions) == (0, 0)
    assert now.unions == 2  # re-founded within the period
    assert (now.standardised_unions, now.migrant_chair_unions) == (0, 1)  # 乙工会's chair
    assert now.star_unions == {"一星": 0, "二星": 0, "三星": 1}
    assert (now.openness_unions, now.model_home_unions) == (1, 1)


def test_the_milestones_of_the_period_are_counted_by_kind(township_a):
    _unions(township_a)

    now = indicators.organisation(Scope.for_township(township_a), H1_2026)[TOTAL]

    assert (now.re_elected_unions, now.migrant_chairs_elected) == (2, 1)
    assert now.congresses_held == 1  # the 2025 congress is in the year before
    assert now.new_stars == {"一星": 0, "二星": 0, "三星": 1}
    assert now.new_stars_total == 1
    assert (now.new_openness, now.new_congress_systems) == (1, 0)
    assert now.new_standardised == 0  # a withdrawal (等级 无) is not a new one
    assert (now.new_model_homes, now.refounded_unions) == (1, 1)


def test_honours_are_counted_by_level_and_type_with_model_workers(township_a, township_b):
    f.make_honour(township_a, title="劳动模范", level="city", granted_on=D(2026, 4, 28))
    f.make_honour(township_a, title="五一劳动奖章", level="province", granted_on=D(2026, 4, 30))
    f.make_honour(
        township_a,
        recipient="装配车间",
        recipient_type="collective",
        title="工人先锋号",
        level="county",
        granted_on=D(2026, 5, 1),
    )
    f.make_honour(township_a, title="劳动模范", level="city", granted_on=D(2025, 4, 28))
    f.make_honour(township_b, title="十佳职工", level="township", granted_on=D(2026, 1, 5))
    county = Scope.for_county(township_a.county)

    per = indicators.activities(county, H1_2026)
    a, total = per[township_a.pk], per[TOTAL]

    assert a.honours == 3
    assert a.honours_by_type == {"个人": 2, "集体": 1}
    assert a.honours_by_level == {"乡镇": 0, "县级": 1, "市级": 1, "省级": 1, "全国": 0}
    assert (a.model_workers, a.model_workers_by_level["市级"]) == (2, 1)
    assert (total.honours, total.honours_by_level["乡镇"], total.model_workers) == (4, 1, 2)


def test_remittance_rate_is_paid_over_due_for_periods_within(township_a, township_b):
    f.make_remittance(township_a, period="2026Q1", amount_due=Decimal(100), amount_paid=Decimal(80))
    f.make_remittance(
        township_a, period="2026Q2", amount_due=Decimal(100), amount_paid=Decimal(100)
    )
    f.make_remittance(township_a, period="2026", amount_due=Decimal(1000), amount_paid=Decimal(0))
    f.make_remittance(township_b, period="2026H1", amount_due=Decimal(50), amount_paid=Decimal(0))
    per = indicators.dues(Scope.for_county(township_a.county), H1_2026)

    assert (per[township_a.pk].remit_due, per[township_a.pk].remit_paid) == (200, 180)
    assert str(per[township_a.pk].remittance_rate) == "90.0%"
    assert str(per[TOTAL].remittance_rate) == "72.0%"  # 180 ÷ 250
    assert (
        str(
            indicators.dues(Scope.for_township(township_a), parse_period("2025"))[
                TOTAL
            ].remittance_rate
        )
        == "—"
    )
