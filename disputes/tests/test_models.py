import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from disputes.models import Case, CaseCategory, CaseStatus

D = datetime.date


def case_fields(township, **extra):
    fields = {
        "township": township,
        "number": "CD-2026-001",
        "received_on": D(2026, 3, 2),
        "petitioner": "王建国等12人",
        "category": CaseCategory.WAGES,
    }
    fields.update(extra)
    return fields


def test_closed_case_without_closing_date_is_refused_by_database(township_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(**case_fields(township_a, status=CaseStatus.RESOLVED))


def test_closing_before_receiving_is_refused_by_database(township_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            **case_fields(township_a, status=CaseStatus.RESOLVED, closed_on=D(2026, 3, 1))
        )


def test_negative_recovered_amount_is_refused_by_database(township_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            **case_fields(
                township_a,
                status=CaseStatus.RESOLVED,
                closed_on=D(2026, 4, 1),
                amount_recovered=Decimal("-5"),
            )
        )


def test_case_number_unique_in_township_only(township_a, township_b):
    Case.objects.create(**case_fields(township_a))
    Case.objects.create(**case_fields(township_b))
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(**case_fields(township_a))


def test_closed_case_form_validation_asks_for_the_closing_date(township_a):
    case = Case(**case_fields(township_a, status=CaseStatus.ARBITRATION))
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert exc.value.message_dict["closed_on"] == ["状态不是“处理中”时必须填写结案日期。"]


def test_open_case_needs_no_closing_date(township_a):
    case = Case(**case_fields(township_a))
    case.full_clean()
    case.save()
    assert Case.objects.get().status == CaseStatus.OPEN
