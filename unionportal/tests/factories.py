"""Small factories for records of every kind, valid against the models' constraints.

Each `make_*` creates one record in a township; `make_records` creates a chosen number of each
kind, so a test can state the figures a page must show.
"""

import datetime
import itertools
from decimal import Decimal

from disputes.models import Case, CaseCategory
from events.models import Event, EventCategory
from honours.models import Honour, HonourLevel, RecipientType
from members.models import (
    CollectiveContract,
    ContractKind,
    DuesRecord,
    DuesRemittance,
    Employer,
    GrassrootsUnion,
    Member,
    MilestoneKind,
    UnionKind,
    UnionMilestone,
)
from unionportal.models import County, Township
from unionportal.validators import id_check_char
from welfare.models import BeneficiaryType, HardshipFile, MutualAidEnrolment, WelfareVisit

_serial = itertools.count(1)
_DAY = datetime.date(2026, 3, 2)


def id_number(*, birth: datetime.date = datetime.date(1985, 3, 15), male: bool = True) -> str:
    """A fresh, valid 18-digit resident ID number (GB 11643-1999)."""
    sequence = next(_serial) % 500 * 2 + (1 if male else 0)
    first17 = f"330282{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


def make_township(county: County, name: str | None = None) -> Township:
    n = next(_serial)
    return Township.objects.create(code=f"t{n}", name=name or f"第{n}镇", county=county)


def make_union(township: Township, **fields) -> GrassrootsUnion:
    fields.setdefault("name", f"第{next(_serial)}基层工会")
    fields.setdefault("kind", UnionKind.ENTERPRISE)
    fields.setdefault("founded_on", datetime.date(2015, 5, 1))
    return GrassrootsUnion.objects.create(township=township, **fields)


def make_employer(township: Township, **fields) -> Employer:
    fields.setdefault("name", f"第{next(_serial)}公司")
    fields.setdefault("employees", 40)
    return Employer.objects.create(township=township, **fields)


def make_member(township: Township, *, union: GrassrootsUnion | None = None, **fields) -> Member:
    member = Member(
        township=township,
        union=union or make_union(township),
        name=fields.pop("name", f"会员{next(_serial)}"),
        id_number=fields.pop("id_number", None) or id_number(),
        joined_on=fields.pop("joined_on", datetime.date(2020, 1, 1)),
        **fields,
    )
    member.derive_from_id()
    member.save()
    return member


def make_contract(township: Township, **fields) -> CollectiveContract:
    fields.setdefault("party_name", f"第{next(_serial)}公司")
    fields.setdefault("kind", ContractKind.GENERAL)
    fields.setdefault("signed_on", datetime.date(2025, 1, 1))
    fields.setdefault("expires_on", datetime.date(2027, 12, 31))
    return CollectiveContract.objects.create(township=township, **fields)


def make_dues(township: Township, *, employer: Employer | None = None, **fields) -> DuesRecord:
    record = DuesRecord(
        township=township,
        employer=employer or make_employer(township),
        period=fields.pop("period", "2026-01"),
        amount_due=fields.pop("amount_due", Decimal("1000.00")),
        amount_paid=fields.pop("amount_paid", Decimal("1000.00")),
        **fields,
    )
    record.derive_period()
    record.save()
    return record


def make_visit(township: Township, **fields) -> WelfareVisit:
    fields.setdefault("visited_on", _DAY)
    fields.setdefault("beneficiary_type", BeneficiaryType.HARDSHIP)
    fields.setdefault("beneficiary_name", f"困难职工{next(_serial)}")
    fields.setdefault("cash", Decimal("500.00"))
    return WelfareVisit.objects.create(township=township, **fields)


def make_hardship_file(township: Township, **fields) -> HardshipFile:
    fields.setdefault("name", f"困难职工{next(_serial)}")
    fields.setdefault("id_number", id_number(birth=datetime.date(1976, 6, 6)))
    fields.setdefault("category", "relative")
    fields.setdefault("causes", "illness")
    fields.setdefault("filed_on", datetime.date(2025, 9, 1))
    return HardshipFile.objects.create(township=township, **fields)


def make_mutual_aid(township: Township, **fields) -> MutualAidEnrolment:
    if "union" not in fields:
        fields["union"] = make_union(township)
    fields.setdefault("year", 2026)
    fields.setdefault("workers", 100)
    fields.setdefault("enrolled", 90)
    return MutualAidEnrolment.objects.create(township=township, **fields)


def make_case(township: Township, **fields) -> Case:
    fields.setdefault("number", f"XF-{next(_serial):04d}")
    fields.setdefault("received_on", _DAY)
    fields.setdefault("petitioner", f"诉求人{next(_serial)}")
    fields.setdefault("category", CaseCategory.WAGES)
    return Case.objects.create(township=township, **fields)


def make_milestone(township: Township, **fields) -> UnionMilestone:
    fields["union"] = fields.get("union") or make_union(township)
    fields.setdefault("kind", MilestoneKind.CONGRESS_HELD)
    fields.setdefault("happened_on", _DAY)
    return UnionMilestone.objects.create(township=township, **fields)


def make_remittance(township: Township, **fields) -> DuesRemittance:
    record = DuesRemittance(
        township=township,
        period=fields.pop("period", f"{2000 + next(_serial) % 30}"),
        amount_due=fields.pop("amount_due", Decimal("1000.00")),
        amount_paid=fields.pop("amount_paid", Decimal("900.00")),
        **fields,
    )
    record.derive_period()
    record.save()
    return record


def make_honour(township: Township, **fields) -> Honour:
    fields.setdefault("recipient", f"获奖者{next(_serial)}")
    fields.setdefault("recipient_type", RecipientType.PERSON)
    if fields["recipient_type"] == RecipientType.PERSON:
        fields.setdefault("id_number", id_number())
    fields.setdefault("title", "劳动模范")
    fields.setdefault("level", HonourLevel.CITY)
    fields.setdefault("granted_on", _DAY)
    honour = Honour(township=township, **fields)
    honour.clean_fields()
    honour.save()
    return honour


def make_event(township: Township, **fields) -> Event:
    fields.setdefault("title", f"第{next(_serial)}次职工培训")
    fields.setdefault("starts_on", _DAY)
    fields.setdefault("category", EventCategory.TRAINING)
    return Event.objects.create(township=township, **fields)


def make_records(
    township: Township,
    *,
    employers: int = 0,
    unions: int = 0,
    members: int = 0,
    contracts: int = 0,
    dues: int = 0,
    visits: int = 0,
    cases: int = 0,
    events: int = 0,
) -> None:
    """Exactly the given number of records of each kind in the township.

    Members and dues need a union and an employer: they reuse the first ones made here, so ask
    for at least one union (for members) and one employer (for dues).
    """
    if members and not unions:
        raise ValueError("members need a union: ask for unions=1 or more")
    if dues and not employers:
        raise ValueError("dues need an employer: ask for employers=1 or more")
    made_employers = [make_employer(township) for _ in range(employers)]
    made_unions = [make_union(township) for _ in range(unions)]
    for _ in range(members):
        make_member(township, union=made_unions[0])
    for _ in range(contracts):
        make_contract(township)
    for i in range(dues):
        period = f"{2025 - i // 12}-{i % 12 + 1:02d}"
        make_dues(township, employer=made_employers[0], period=period)
    for _ in range(visits):
        make_visit(township)
    for _ in range(cases):
        make_case(township)
    for _ in range(events):
        make_event(township)
