"""Every indicator of spec/indicators.md on hand-made data whose figures are worked out by hand."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disputes.models import Case, CaseStatus, Handling
from events.models import Event, EventCategory
from members.models import CollectiveContract, DuesRecord, Employer, GrassrootsUnion, Member
from reports import indicators
from reports.indicators import TOTAL, Rate, Scope
from unionportal.periods import parse_period
from unionportal.validators import id_check_char
from welfare.models import WelfareVisit

D = datetime.date
H1 = parse_period("2026H1")
_serial = iter(range(1000, 9999))


def union(township, name, founded, **extra):
    return GrassrootsUnion.objects.create(
        township=township, name=name, kind="enterprise", founded_on=founded, **extra
    )


def employer(township, name, employees, **extra):
    return Employer.objects.create(township=township, name=name, employees=employees, **extra)


def member(township, in_union, joined, **extra):
    first17 = f"3302821985061{next(_serial)}"
    return Member.objects.create(
        township=township,
        name="会员",
        id_number=first17 + id_check_char(first17),
        gender="M",
        birth_date=D(1985, 6, 1),
        union=in_union,
        joined_on=joined,
        **extra,
    )


def case(township, number, received, **extra):
    return Case.objects.create(
        township=township,
        number=number,
        received_on=received,
        petitioner="诉求人",
        category="wages",
        **extra,
    )


def dues(township, payer, period, due, paid):
    record = DuesRecord(
        township=township,
        employer=payer,
        period=period,
        amount_due=Decimal(due),
        amount_paid=Decimal(paid),
    )
    record.derive_period()
    record.save()


@pytest.fixture
def data(township_a, township_b):
    a = township_a
    u1 = union(
        a,
        "U1",
        D(2020, 1, 1),
        standardised=True,
        star="one",
        has_congress=True,
        has_affairs_openness=True,
        has_women_committee=True,
        chair_is_migrant=True,
    )
    u2 = union(a, "U2", D(2026, 3, 1), star="two")
    u3 = union(a, "U3", D(2019, 1, 1), dissolved_on=D(2026, 6, 30))
    u4 = union(a, "U4", D(2026, 7, 1))
    union(a, "U5", D(2018, 1, 1), dissolved_on=D(2026, 7, 15))
    e1 = employer(a, "E1", 100, migrant_employees=30, union=u1)
    e2 = employer(a, "E2", 50, union=u3)
    employer(a, "E3", 40)
    e4 = employer(a, "E4", 10, migrant_employees=2, union=u2, should_unionise=False)
    employer(a, "E5", 20, union=u4)

    member(a, u1, D(2020, 1, 1), is_migrant=True)
    member(a, u1, D(2026, 2, 1))
    member(a, u1, D(2021, 1, 1), left_on=D(2026, 6, 30))
    member(a, u1, D(2021, 1, 1), left_on=D(2026, 7, 10), is_migrant=True)
    member(a, u1, D(2026, 7, 1))
    member(a, u1, D(2026, 6, 30), is_migrant=True)

    case(
        a,
        "C1",
        D(2026, 1, 5),
        people_involved=12,
        status=CaseStatus.RESOLVED,
        closed_on=D(2026, 2, 1),
        amount_recovered=Decimal("50000"),
    )
    case(a, "C2", D(2026, 3, 1), people_involved=3, handling=Handling.ARBITRATION)
    case(
        a,
        "C3",
        D(2025, 12, 20),
        status=CaseStatus.RESOLVED,
        closed_on=D(2026, 1, 10),
        amount_recovered=Decimal("8000"),
    )
    case(a, "C4", D(2026, 6, 20), status=CaseStatus.ARBITRATION, closed_on=D(2026, 7, 5))
    case(a, "C5", D(2026, 4, 1), status=CaseStatus.REJECTED, closed_on=D(2026, 4, 2))

    CollectiveContract.objects.create(
        township=a,
        party_name="E1",
        employer=e1,
        kind="general",
        signed_on=D(2026, 3, 1),
        expires_on=D(2029, 2, 28),
        workers_covered=100,
    )
    CollectiveContract.objects.create(
        township=a,
        party_name="E1",
        employer=e1,
        kind="wage",
        signed_on=D(2025, 5, 1),
        expires_on=D(2028, 4, 30),
        workers_covered=90,
    )
    CollectiveContract.objects.create(
        township=a,
        party_name="E4",
        employer=e4,
        kind="general",
        signed_on=D(2026, 5, 1),
        expires_on=D(2029, 4, 30),
        workers_covered=10,
        is_renewal=True,
    )
    CollectiveContract.objects.create(
        township=a,
        party_name="E2",
        employer=e2,
        kind="general",
        signed_on=D(2023, 1, 1),
        expires_on=D(2026, 6, 30),
        workers_covered=50,
    )

    Event.objects.create(
        township=a,
        title="执法检查",
        starts_on=D(2026, 4, 10),
        category=EventCategory.INSPECTION,
        participants=5,
    )
    Event.objects.create(
        township=a,
        title="技能比武",
        starts_on=D(2026, 5, 1),
        category=EventCategory.COMPETITION,
        participants=200,
    )
    Event.objects.create(
        township=a,
        title="报道",
        starts_on=D(2026, 6, 1),
        category=EventCategory.PUBLICITY,
        media="宁波日报",
    )
    Event.objects.create(
        township=a,
        title="运动会",
        starts_on=D(2026, 7, 1),
        category=EventCategory.SPORTS_CULTURE,
        participants=300,
    )

    WelfareVisit.objects.create(
        township=a,
        visited_on=D(2026, 1, 20),
        beneficiary_type="hardship",
        beneficiary_name="甲",
        cash=Decimal("1000"),
        goods_value=Decimal("200"),
        fund_source="higher",
    )
    WelfareVisit.objects.create(
        township=a,
        visited_on=D(2026, 1, 21),
        beneficiary_type="extreme",
        beneficiary_name="乙",
        cash=Decimal("2000"),
        fund_source="own",
    )
    WelfareVisit.objects.create(
        township=a,
        visited_on=D(2025, 12, 31),
        beneficiary_type="hardship",
        beneficiary_name="丙",
        cash=Decimal("500"),
    )

    dues(a, e1, "2026-01", "1000", "1000")
    dues(a, e1, "2026Q2", "3000", "1500")
    dues(a, e1, "2026", "12000", "12000")
    dues(a, e1, "2025-12", "1000", "0")

    b = township_b
    ub = union(b, "UB", D(2015, 1, 1))
    employer(b, "EB", 30, union=ub)
    member(b, ub, D(2016, 1, 1))
    member(b, ub, D(2016, 1, 1))
    return a, b


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
    assert (act.events, act.participants, act.publicity) == (3, 205, 1)
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
    assert len(small) == len(large) == 10
