"""Model validation without a query where the answer is already known (issue 18).

Django's full_clean asks the database twice over for things a save already knows: every
CheckConstraint is run as a `SELECT 1 WHERE COALESCE(<condition>, true)` (inside a savepoint
when a transaction is open), and every foreign key as `SELECT 1 FROM <related> WHERE id = …`.
A member's save ran 20 such queries (the form's full_clean, then the service's), about half a
millisecond of ORM work each: most of the save.

`QuietValidation` (a base of every TownshipRecord) answers them in Python when that is certain to
give the database's answer, and asks the database otherwise:
- a CheckConstraint whose condition is made of AND/OR/NOT over exact, in, isnull, gt/gte/lt/lte
  and the project's anchored regexes, on plain Django fields holding values of their own Python
  type, is evaluated with SQL's three-valued logic (NULL passes, as COALESCE(…, true) does);
  anything else (another lookup, an expression, an encrypted field, a string ordered by a
  collation, text with a line break for a regex) goes to the database as before;
- a foreign key is not looked up again when it points at the record already loaded from the
  database in this request (the form's chosen union, the user, the township), or when it still
  holds the value the row was read with (the database's own foreign key guarantees it).
The messages, their fields and their order are Django's: the same constraints in the same order
raise the same ValidationError. unionportal/tests/test_validation.py compares every
CheckConstraint of the project in Python and in the database over edge values.
"""

import datetime
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import CheckConstraint, F, Q

# Django's own field classes whose value is stored as the Python value is (no encryption, no
# conversion that changes a comparison), with the Python types their values then have.
_PLAIN_TYPES: dict[type[models.Field], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.BigIntegerField: (int,),
    models.DecimalField: (Decimal, int),
    models.DateField: (datetime.date,),
    models.ForeignKey: (int,),
}
# Anchored patterns of plain characters (the project's ID, mobile, credit code and period
# patterns): Python's re.search and PostgreSQL's ~ agree on them for text without a line break.
_SIMPLE_PATTERN = re.compile(r"^\^[0-9A-Za-z\[\]{}()|?,\-]*\$$")
_ORDERED = {"gt", "gte", "lt", "lte"}


class _Unknown(Exception):
    """The condition cannot be answered in Python with certainty: ask the database."""


class _Skip(Exception):
    """The condition names a field left out of the validation: Django skips the constraint."""


def _field_value(instance: models.Model, name: str, exclude: set) -> tuple[Any, models.Field]:
    if name == "pk":
        raise _Unknown
    try:
        field = instance._meta.get_field(name)
    except Exception as error:  # a related name, a transform: not a plain column
        raise _Unknown from error
    if not getattr(field, "concrete", False):
        raise _Unknown
    if field.name in exclude:
        raise _Skip
    types = _PLAIN_TYPES.get(type(field))
    if types is None or getattr(field, "generated", False):
        raise _Unknown
    value = getattr(instance, field.attname)
    if value is None:
        return None, field
    if isinstance(value, datetime.datetime) or type(value) is bool and bool not in types:
        raise _Unknown
    if not isinstance(value, types):
        raise _Unknown
    return value, field


def _constant(value: Any, field: models.Field) -> Any:
    """A constant of the condition as compared with the field's values."""
    types = _PLAIN_TYPES[type(field)]
    if isinstance(value, list | tuple):
        raise _Unknown
    if isinstance(value, datetime.datetime) or type(value) is bool and bool not in types:
        raise _Unknown
    if not isinstance(value, types) and not (Decimal in types and isinstance(value, int)):
        raise _Unknown
    return value


def _lookup(instance: models.Model, key: str, rhs: Any, exclude: set) -> bool | None:
    name, _sep, lookup = key.partition("__")
    lookup = lookup or "exact"
    value, field = _field_value(instance, name, exclude)
    if isinstance(rhs, F):
        # Another column of the row: NULL there makes the comparison NULL.
        if lookup not in _ORDERED and lookup != "exact":
            raise _Unknown
        rhs, other = _field_value(instance, rhs.name, exclude)
        if type(other) is not type(field):
            raise _Unknown
        if value is None or rhs is None:
            return None
    elif hasattr(rhs, "resolve_expression"):
        raise _Unknown
    if lookup == "isnull":
        if type(rhs) is not bool:
            raise _Unknown
        return (value is None) == rhs
    if lookup == "exact" and rhs is None:
        return value is None
    if lookup == "in":
        if not isinstance(rhs, list | tuple) or not rhs:
            raise _Unknown
        choices = [_constant(v, field) for v in rhs]
        return None if value is None else value in choices
    if rhs is None:
        return None
    if not isinstance(rhs, list | tuple):
        rhs = _constant(rhs, field)
    if value is None:
        return None
    if lookup == "exact":
        return value == rhs
    if lookup in _ORDERED:
        if isinstance(value, str):
            raise _Unknown  # text is ordered by the database's collation
        return {
            "gt": value > rhs,
            "gte": value >= rhs,
            "lt": value < rhs,
            "lte": value <= rhs,
        }[lookup]
    if lookup == "regex":
        if not isinstance(value, str) or not isinstance(rhs, str):
            raise _Unknown
        if not _SIMPLE_PATTERN.match(rhs) or "\n" in value or "\r" in value:
            raise _Unknown
        return re.search(rhs, value) is not None
    raise _Unknown


def _evaluate(instance: models.Model, condition: Q, exclude: set) -> bool | None:
    """SQL's three-valued logic: True, False or None (NULL)."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_evaluate(instance, child, exclude))
        elif isinstance(child, tuple) and len(child) == 2:
            results.append(_lookup(instance, child[0], child[1], exclude))
        else:
            raise _Unknown
    if condition.connector == Q.AND:
        found = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        found = True if True in results else (None if None in results else False)
    else:
        raise _Unknown
    if condition.negated and found is not None:
        found = not found
    return found


def check_in_python(
    constraint: CheckConstraint, instance: models.Model, exclude: set
) -> bool | None:
    """Whether the record passes the constraint, answered in Python: True or False, or None when
    only the database can say. A condition on a field left out of the validation passes, as in
    Django."""
    condition = constraint.condition
    if not isinstance(condition, Q):
        return None
    try:
        return _evaluate(instance, condition, exclude) is not False
    except _Skip:
        return True
    except _Unknown:
        return None


class QuietValidation(models.Model):
    """full_clean as Django's, with the foreign key and CheckConstraint queries that cannot
    change its answer left out (see the module's docstring)."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The row as read (its foreign keys' targets existed then): kept by reference, looked at
        # only when the record is validated, so loading rows costs no more.
        instance._loaded_row = (field_names, values)
        return instance

    def _key_known(self, field: models.Field) -> bool:
        if field.remote_field.parent_link or field.validators or field.get_limit_choices_to():
            return False
        value = getattr(self, field.attname)
        if value is None:
            return False
        loaded = getattr(self, "_loaded_row", None)
        if loaded is not None and field.attname in loaded[0]:
            if loaded[1][list(loaded[0]).index(field.attname)] == value:
                return True
        if not field.is_cached(self):
            return False
        target = field.get_cached_value(self)
        return (
            target is not None
            and not target._state.adding
            and getattr(target, field.target_field.attname) == value
        )

    def clean_fields(self, exclude=None) -> None:
        exclude = set(exclude or ())
        known = {
            f.name
            for f in self._meta.concrete_fields
            if f.many_to_one and f.name not in exclude and self._key_known(f)
        }
        # A known key's field would pass Field.clean: its value is the int id of a stored row
        # (not None, no validators, no choices), so only the lookup query is left out.
        super().clean_fields(exclude=exclude | known)

    def validate_constraints(self, exclude=None) -> None:
        # Django's Model.validate_constraints, with CheckConstraints answered in Python when
        # that is certain; the errors are gathered in the same order and shape.
        exclude = set(exclude or ())
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict = {}
        for model_class, model_constraints in self.get_constraints():
            for constraint in model_constraints:
                try:
                    passed = (
                        check_in_python(constraint, self, exclude)
                        if isinstance(constraint, CheckConstraint)
                        else None
                    )
                    if passed is None:
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                    elif not passed:
                        raise ValidationError(
                            constraint.get_violation_error_message(),
                            code=constraint.violation_error_code,
                        )
                except ValidationError as e:
                    if getattr(e, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(e)
                    else:
                        errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
