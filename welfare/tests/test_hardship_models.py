"""The hardship register's and mutual aid's rules hold in the database, with Chinese messages."""

import datetime

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.db import IntegrityError, connection, transaction

from unionportal.pii import id_number_hash
from unionportal.tests.factories import id_number, make_union
from welfare.models import HardshipFile, HardshipReview, MutualAidEnrolment, review_cutoff
from welfare.queries import is_review_overdue

D = datetime.date
pytestmark = pytest.mark.django_db


def file(township, number: str, **fields) -> HardshipFile:
    values = {"name": "甲", "category": "deep", "causes": "illness", "filed_on": D(2025, 1, 1)}
    return HardshipFile(township=township, id_number=number, **(values | fields))


def test_the_id_is_stored_encrypted_and_found_by_its_hash(township_a):
    number = id_number()
    file(township_a, number).save()

    stored = HardshipFile.objects.values_list("id_number", flat=True).get()
    assert HardshipFile.objects.get(id_number_hash=id_number_hash(number)).id_number == number
    with pytest.raises(FieldError):
        HardshipFile.objects.filter(id_number=number).exists()
    assert stored == number  # decrypted on read; the column holds ciphertext
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM welfare_hardshipfile")
        assert cursor.fetchone()[0].startswith("e1:")


def test_one_open_file_per_id_in_a_township_but_refiling_after_exit(township_a, township_b):
    number = id_number()
    file(township_a, number, out_on=D(2025, 6, 1), out_reason="policy").save()
    file(township_a, number, filed_on=D(2025, 9, 1)).save()
    file(township_b, number, filed_on=D(2025, 9, 1)).save()  # another township's own register

    with pytest.raises(IntegrityError), transaction.atomic():
        file(township_a, number, filed_on=D(2026, 1, 1)).save()
    with pytest.raises(ValidationError) as refused:
        file(township_a, number, filed_on=D(2026, 1, 1)).full_clean()
    assert "在档（未脱困）" in str(refused.value)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"out_on": D(2025, 6, 1)}, "脱困原因"),
        ({"out_reason": "policy"}, "脱困日期"),
        ({"out_on": D(2024, 6, 1), "out_reason": "policy"}, "脱困日期不能早于建档日期"),
        ({"reviewed_on": D(2024, 6, 1)}, "复核日期不能早于建档日期"),
        ({"household_size": 0}, "家庭人口至少为1人"),
        ({"causes": "illness,luck"}, "不在可选范围内"),
        ({"causes": ""}, "不能为空"),
    ],
)
def test_each_rule_is_refused_with_a_chinese_message(township_a, fields, message):
    with pytest.raises(ValidationError) as refused:
        file(township_a, id_number(), **fields).full_clean()
    assert message in str(refused.value)


@pytest.mark.parametrize(
    "fields",
    [
        {"out_on": D(2025, 6, 1)},
        {"out_on": D(2024, 6, 1), "out_reason": "policy"},
        {"reviewed_on": D(2024, 6, 1)},
        {"household_size": 0},
    ],
)
def test_the_database_itself_refuses_the_same(township_a, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        file(township_a, id_number(), **fields).save()


def test_causes_are_kept_in_the_vocabularys_order_and_named_in_chinese(township_a):
    record = file(township_a, id_number(), causes="schooling,illness")
    record.full_clean()
    assert record.causes == "illness,schooling"
    assert record.causes_display == "本人大病、子女就学"
    assert record.masked_name == "甲*"


def test_a_review_is_overdue_the_day_after_twelve_months(township_a):
    record = file(township_a, id_number(), filed_on=D(2024, 1, 1), reviewed_on=D(2025, 3, 1))
    record.save()
    HardshipReview.objects.create(file=record, reviewed_on=D(2025, 3, 1))

    assert not is_review_overdue(record, D(2026, 3, 1))
    assert is_review_overdue(record, D(2026, 3, 2))
    assert review_cutoff(D(2028, 2, 29)) == D(2027, 2, 28)


def test_mutual_aid_rules(township_a):
    union = make_union(township_a)
    MutualAidEnrolment.objects.create(
        township=township_a, union=union, year=2026, workers=10, enrolled=9
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MutualAidEnrolment.objects.create(
            township=township_a, union=union, year=2026, workers=10, enrolled=9
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MutualAidEnrolment.objects.create(
            township=township_a, union=union, year=2025, workers=10, enrolled=11
        )
    with pytest.raises(ValidationError) as refused:
        MutualAidEnrolment(
            township=township_a, union=union, year=2024, workers=10, enrolled=11
        ).full_clean()
    assert "参加人数不能超过在职职工人数" in str(refused.value)
