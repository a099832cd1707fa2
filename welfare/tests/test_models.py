import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from welfare.models import BeneficiaryType, WelfareVisit

D = datetime.date


def visit_fields(township, **extra):
    fields = {
        "township": township,
        "visited_on": D(2026, 1, 20),
        "beneficiary_type": BeneficiaryType.HARDSHIP,
        "beneficiary_name": "周桂英",
        "cash": Decimal("1000.00"),
        "campaign": "2026年春节送温暖",
    }
    fields.update(extra)
    return fields


@pytest.mark.parametrize("field", ["cash", "goods_value"])
def test_negative_amounts_are_refused_by_database(township_a, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        WelfareVisit.objects.create(**visit_fields(township_a, **{field: Decimal("-0.01")}))


def test_unknown_beneficiary_type_is_refused_by_database(township_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        WelfareVisit.objects.create(**visit_fields(township_a, beneficiary_type="贫困户"))


def test_visit_id_number_is_validated_and_canonicalised(township_a):
    visit = WelfareVisit(**visit_fields(township_a, id_number="11010519491231002x"))
    visit.full_clean()
    assert visit.id_number == "11010519491231002X"
    visit.id_number = "110105194912310021"
    with pytest.raises(ValidationError) as exc:
        visit.full_clean()
    assert "id_number" in exc.value.message_dict
