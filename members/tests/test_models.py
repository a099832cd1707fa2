import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import (
    CollectiveContract,
    ContractKind,
    DuesRecord,
    Employer,
    GrassrootsUnion,
    Member,
    UnionKind,
)
from unionportal.validators import id_check_char

D = datetime.date


def valid_id(first17: str = "33028219850612123") -> str:
    return first17 + id_check_char(first17)


@pytest.fixture
def union(township_a):
    return GrassrootsUnion.objects.create(
        township=township_a,
        name="恒达机械有限公司工会",
        kind=UnionKind.ENTERPRISE,
        founded_on=D(2020, 5, 1),
    )


@pytest.fixture
def employer(township_a, union):
    return Employer.objects.create(
        township=township_a,
        name="宁波恒达机械有限公司",
        employees=120,
        migrant_employees=40,
        union=union,
    )


def member_fields(township, union, **extra):
    id_number = extra.pop("id_number", valid_id())
    fields = {
        "township": township,
        "name": "陈晓燕",
        "id_number": id_number,
        "union": union,
        "joined_on": D(2021, 3, 1),
        "gender": "F",
        "birth_date": D(1985, 6, 12),
    }
    fields.update(extra)
    return fields


def refused_by_database(model, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)
    return True


# --- database constraints: a bad row cannot enter by any path -----------------------------


def test_union_name_is_unique_within_a_township_but_not_across(union, township_a, township_b):
    assert refused_by_database(
        GrassrootsUnion,
        township=township_a,
        name=union.name,
        kind=UnionKind.JOINT,
        founded_on=D(2021, 1, 1),
    )
    GrassrootsUnion.objects.create(
        township=township_b, name=union.name, kind=UnionKind.JOINT, founded_on=D(2021, 1, 1)
    )
    assert GrassrootsUnion.objects.filter(name=union.name).count() == 2


def test_union_dissolved_before_founded_is_refused(township_a):
    assert refused_by_database(
        GrassrootsUnion,
        township=township_a,
        name="甲工会",
        kind=UnionKind.VILLAGE,
        founded_on=D(2022, 1, 1),
        dissolved_on=D(2021, 1, 1),
    )


def test_union_kind_outside_vocabulary_is_refused(township_a):
    assert refused_by_database(
        GrassrootsUnion, township=township_a, name="乙工会", kind="工会", founded_on=D(2022, 1, 1)
    )


def test_more_migrants_than_employees_is_refused(township_a):
    assert refused_by_database(
        Employer, township=township_a, name="甲公司", employees=10, migrant_employees=11
    )


def test_negative_employees_are_refused(township_a):
    assert refused_by_database(Employer, township=township_a, name="乙公司", employees=-1)


def test_malformed_credit_code_is_refused_by_database(township_a):
    assert refused_by_database(
        Employer, township=township_a, name="丙公司", employees=5, credit_code="12345"
    )


def test_employer_name_unique_in_township(employer, township_a):
    assert refused_by_database(Employer, township=township_a, name=employer.name, employees=3)


def test_member_id_unique_in_township(township_a, union):
    Member.objects.create(**member_fields(township_a, union))
    assert refused_by_database(Member, **member_fields(township_a, union, name="另一人"))


def test_member_malformed_id_number_is_refused_by_model_validation(township_a, union):
    # The column holds ciphertext, which no database CHECK can read: the GB 11643 checksum is
    # the model's validator, run by every service before writing.
    member = Member(**member_fields(township_a, union, id_number="1234"))
    with pytest.raises(ValidationError) as exc:
        member.full_clean()
    assert "id_number" in exc.value.message_dict


def test_member_malformed_mobile_is_refused_by_database(township_a, union):
    assert refused_by_database(Member, **member_fields(township_a, union, mobile="12345"))


def test_member_leaving_before_joining_is_refused(township_a, union):
    assert refused_by_database(Member, **member_fields(township_a, union, left_on=D(2020, 1, 1)))


def test_contract_expiring_before_signing_is_refused(township_a):
    assert refused_by_database(
        CollectiveContract,
        township=township_a,
        party_name="甲公司",
        kind=ContractKind.GENERAL,
        signed_on=D(2026, 1, 1),
        expires_on=D(2025, 12, 31),
    )


def test_negative_dues_are_refused(township_a, employer):
    assert refused_by_database(
        DuesRecord,
        township=township_a,
        employer=employer,
        period="2026-03",
        period_start=D(2026, 3, 1),
        period_end=D(2026, 3, 31),
        amount_due=Decimal("-1"),
        amount_paid=Decimal("0"),
    )


def test_dues_period_outside_the_forms_is_refused(township_a, employer):
    assert refused_by_database(
        DuesRecord,
        township=township_a,
        employer=employer,
        period="2026-13",
        period_start=D(2026, 3, 1),
        period_end=D(2026, 3, 31),
        amount_due=Decimal("1"),
        amount_paid=Decimal("0"),
    )


def test_union_with_members_cannot_be_deleted(township_a, union):
    from django.db.models import ProtectedError

    Member.objects.create(**member_fields(township_a, union))
    with pytest.raises(ProtectedError):
        union.delete()


# --- model validation: what a form or importer reports ---------------------------------------


def test_member_full_clean_canonicalises_id_and_derives_gender_and_birth(township_a, union):
    member = Member(
        township=township_a,
        name="刘伟",
        id_number="１１０１０５１９４９１２３１００２ｘ",
        union=union,
        joined_on=D(2020, 1, 1),
        mobile="138 1234 5678",
    )
    member.full_clean()
    member.save()
    member.refresh_from_db()
    assert member.id_number == "11010519491231002X"
    assert member.gender == "F"
    assert member.birth_date == D(1949, 12, 31)
    assert member.mobile == "13812345678"


def test_member_with_wrong_check_digit_is_refused_with_message_on_the_field(township_a, union):
    bad = valid_id()[:17] + ("0" if valid_id()[17] != "0" else "1")
    member = Member(
        township=township_a, name="刘伟", id_number=bad, union=union, joined_on=D(2020, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        member.full_clean()
    assert "校验位" in exc.value.message_dict["id_number"][0]


def test_member_of_another_townships_union_is_refused(township_b, union):
    member = Member(
        township=township_b, name="刘伟", id_number=valid_id(), union=union, joined_on=D(2020, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        member.full_clean()
    assert "union" in exc.value.message_dict


def test_employer_migrants_over_employees_message(township_a):
    employer = Employer(township=township_a, name="丁公司", employees=5, migrant_employees=6)
    with pytest.raises(ValidationError) as exc:
        employer.full_clean()
    assert exc.value.message_dict["migrant_employees"] == ["外来职工人数不能超过职工人数。"]


def test_employer_credit_code_check_character_message(township_a):
    employer = Employer(
        township=township_a, name="戊公司", employees=5, credit_code="91350100M000100Y44"
    )
    with pytest.raises(ValidationError) as exc:
        employer.full_clean()
    assert "校验位" in exc.value.message_dict["credit_code"][0]


def test_money_with_three_decimals_is_refused(township_a, employer):
    dues = DuesRecord(
        township=township_a,
        employer=employer,
        period="2026-3",
        amount_due=Decimal("10.005"),
        amount_paid=Decimal("0"),
    )
    with pytest.raises(ValidationError) as exc:
        dues.full_clean()
    assert "amount_due" in exc.value.message_dict


def test_dues_period_is_canonicalised_and_spans_its_dates(township_a, employer):
    dues = DuesRecord(
        township=township_a,
        employer=employer,
        period="2026q1",
        amount_due=Decimal("100.50"),
        amount_paid=Decimal("80"),
    )
    dues.full_clean()
    assert (dues.period, dues.period_start, dues.period_end) == (
        "2026Q1",
        D(2026, 1, 1),
        D(2026, 3, 31),
    )
