"""Hand-made records for two townships whose figures are worked out by hand (see the tests)."""

import datetime
from decimal import Decimal

import pytest

from disputes.models import Case, CaseStatus, Handling
from events.models import Event, EventCategory
from members.models import CollectiveContract, DuesRecord, Employer, GrassrootsUnion, Member
from members.services import status_milestones
from unionportal.periods import parse_period
from unionportal.validators import id_check_char
from welfare.models import WelfareVisit

D = datetime.date
H1 = parse_period("2026H1")
_serial = iter(range(1000, 9999))


def union(township, name, founded, **extra):
    """A union whose marks (规范化, 星级, chair …) hold from its founding day: milestones dated
    then, as the data migration made of the marks kept before milestones."""
    made = GrassrootsUnion.objects.create(
        township=township, name=name, kind="enterprise", founded_on=founded, **extra
    )
    for milestone in status_milestones(union=made, before={}, day=founded):
        milestone.save()
    return made


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
