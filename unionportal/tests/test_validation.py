"""A record's full_clean answers in Python what the database would (unionportal/validation.py):
every CheckConstraint of the project gives the same verdict both ways over edge values, and a
foreign key is still refused when it names no stored row."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import CheckConstraint, Q
from django.test.utils import CaptureQueriesContext

from members.models import GrassrootsUnion, Member
from unionportal.models import TownshipRecord
from unionportal.tests.factories import make_member, make_union
from unionportal.validation import QuietValidation, check_in_python

TEXTS = [
    "",
    "x",
    "13800138000",
    "12800138000",
    "1380013800",
    "138001380001",
    "13800138000 ",
    "１３８００１３８０００",
    "2026",
    "2026-03",
    "2026-13",
    "2026Q1",
    "2026Q5",
    "2026H2",
    "110101198503150016",
    "11010119850315001X",
    "91350100M000100Y43",
    "91350100M000100Y4I",
    "13800138000\n",
]
DAYS = [datetime.date(2020, 1, 1), datetime.date(2020, 1, 2), datetime.date(2026, 12, 5)]
NUMBERS = [0, 1, 5, 100]
AMOUNTS = [Decimal("-0.01"), Decimal("0"), Decimal("0.00"), Decimal("-0.00"), Decimal("500")]


def _names(condition: Q) -> list[str]:
    found = []
    for child in condition.children:
        if isinstance(child, Q):
            found += _names(child)
        else:
            key, value = child
            found.append(key.split("__")[0])
            if isinstance(value, models.F):
                found.append(value.name)
    return list(dict.fromkeys(found))


def _candidates(field: models.Field) -> list:
    values: list = [None] if field.null else []
    if field.choices:
        values += [v for v, _label in field.flatchoices] + ["nope"]
    if isinstance(field, models.ForeignKey):
        values += [1]
    elif isinstance(field, models.DecimalField):
        values += AMOUNTS
    elif isinstance(field, models.IntegerField):
        values += NUMBERS
    elif isinstance(field, models.BooleanField):
        values += [True, False]
    elif isinstance(field, models.DateField):
        values += DAYS
    elif isinstance(field, models.CharField | models.TextField):
        values += TEXTS
    return values


def _check_constraints():
    for model in apps.get_models():
        if not issubclass(model, TownshipRecord):
            continue
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                yield model, constraint


@pytest.mark.django_db(transaction=True)
def test_every_check_constraint_gets_the_databases_verdict_in_python():
    compared = 0
    for model, constraint in _check_constraints():
        fields = [model._meta.get_field(name) for name in _names(constraint.condition)]
        combos = list(itertools.product(*(_candidates(f) for f in fields)))
        assert combos, constraint.name
        for combo in combos[:400]:
            record = model()
            for field, value in zip(fields, combo, strict=True):
                setattr(record, field.attname, value)
            in_python = check_in_python(constraint, record, set())
            if in_python is None:
                continue
            against = record._get_field_expression_map(meta=model._meta)
            in_database = Q(constraint.condition).check(against)
            assert in_python == in_database, (model.__name__, constraint.name, combo)
            compared += 1
    # Most are answered in Python (an encrypted ID number, text with a line break go to SQL).
    assert compared > 1000


@pytest.mark.django_db
def test_a_check_on_a_field_left_out_passes_as_in_django(township_a):
    member = Member(township=township_a, mobile="12345")
    constraint = next(c for c in Member._meta.constraints if c.name == "member_mobile_format")
    assert check_in_python(constraint, member, {"mobile"}) is True
    assert check_in_python(constraint, member, set()) is False


def _djangos_errors(record: models.Model) -> dict:
    """What Django's own validate_constraints says (every check asked of the database)."""
    try:
        super(QuietValidation, record).validate_constraints()
    except ValidationError as error:
        return error.message_dict
    return {}


@pytest.mark.django_db
def test_a_broken_member_gets_djangos_errors_without_validation_queries(township_a):
    union = make_union(township_a)
    member = make_member(township_a, union=union)
    member.mobile = "12345"
    member.model_worker = "nope"
    member.left_on = member.joined_on - datetime.timedelta(days=1)
    expected = _djangos_errors(member)
    assert "手机号应为以1开头的11位数字。" in expected["__all__"]
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as error:
        member.validate_constraints()
    assert error.value.message_dict == expected
    assert list(error.value.message_dict) == list(expected)
    # Only the unique check on the ID's hash is left to the database.
    assert len(queries) == 1


@pytest.mark.django_db
def test_a_saved_member_passes_with_only_the_unique_query(township_a):
    member = make_member(township_a, union=make_union(township_a))
    member = Member.objects.select_related("union", "employer").get(pk=member.pk)
    with CaptureQueriesContext(connection) as queries:
        member.full_clean()
    assert len(queries) == 1


@pytest.mark.django_db
def test_a_union_that_is_not_stored_is_still_refused(township_a):
    union = make_union(township_a)
    member = make_member(township_a, union=union)
    member.union_id = union.pk + 1000
    with pytest.raises(ValidationError) as error:
        member.clean_fields()
    assert list(error.value.message_dict) == ["union"]
    # An unsaved union object is looked up too.
    member.union = GrassrootsUnion(pk=union.pk + 1001, township=township_a, name="未存")
    with pytest.raises(ValidationError) as error:
        member.clean_fields()
    assert list(error.value.message_dict) == ["union"]
    member.union = GrassrootsUnion.objects.get(pk=union.pk)
    member.full_clean()
