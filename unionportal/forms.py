"""The helpers every record kind's forms share, one home for each: the version carried for
optimistic locking, the township a form belongs to and a type-ahead choice among its records, the
date box, the money box and its messages, "not after today", and numbers typed with spaces.

How a kind's form uses them (members/forms.py is the worked example): subclass TownshipForm (or
VersionedForm when the record's township narrows no choice), then in __init__
`date_fields(self, "…_on")`, `choose_related(self, "union", UNION)` and
`loosen_length(self, "id_number")`; a model's money field gets `money_input()` in Meta.widgets,
a form's own amount is `money_field("…")`; `clean_<date>()` returns `not_in_future(day, "…日期")`.
"""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from unionportal import clock
from unionportal.fields import MONEY
from unionportal.models import Township
from unionportal.records import Lookup, typeahead_field

DATE_INVALID = _("请输入有效的日期，如 2026-03-27。")
# What a phone's keyboard and the browser's spinner need for an amount in 元.
MONEY_ATTRS = {"step": "0.01", "min": "0", "inputmode": "decimal"}


class VersionedForm(forms.ModelForm):
    """A ModelForm carrying the version it was opened at (hidden), for update_record()."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    @property
    def data_for_service(self) -> dict[str, Any]:
        """The cleaned values of the model's fields, for create_record/update_record."""
        names = {f.name for f in self._meta.model._meta.get_fields()}
        return {k: v for k, v in self.cleaned_data.items() if k in names and k != "version"}


class TownshipForm(VersionedForm):
    """A record form that knows the township the record belongs to (for related choices and
    checks within the township)."""

    def __init__(self, *args, township: Township, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.township = township


def township_choice(
    lookup: Lookup,
    queryset: QuerySet,
    township_id: int,
    *,
    label: str,
    required: bool = True,
    help_text: str = "",
) -> forms.ModelChoiceField:
    """A type-ahead box offering only one township's records: a form accepts no other
    township's, and the box neither suggests nor names them."""
    field = typeahead_field(
        lookup,
        queryset.filter(township_id=township_id),
        label=label,
        required=required,
        help_text=help_text,
    )
    field.widget.township_id = township_id
    return field


def choose_related(form: TownshipForm, name: str, lookup: Lookup) -> None:
    """The model's relation `name` (a union, an employer) as a type-ahead box among the form's
    township's records, labelled and required as the model field says."""
    model_field = form._meta.model._meta.get_field(name)
    form.fields[name] = township_choice(
        lookup,
        lookup.model._default_manager.all(),
        form.township.pk,
        label=str(model_field.verbose_name),
        required=not model_field.blank,
    )


class DateInput(forms.DateInput):
    """The browser's date picker; it reads and writes 2026-03-27 whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def date_fields(form: forms.BaseForm, *names: str) -> None:
    """The named fields as date pickers, with a Chinese example when a typed date does not
    parse."""
    for name in names:
        form.fields[name].widget = DateInput()
        form.fields[name].error_messages["invalid"] = DATE_INVALID


def not_in_future(day: datetime.date | None, what: str = _("日期")) -> datetime.date | None:
    """For clean_<name>(): a day after today (the project's time zone) is refused."""
    if day and day > clock.today():
        raise ValidationError(format_lazy(_("{what}不能晚于今天。"), what=what))
    return day


def money_input() -> forms.NumberInput:
    """The box of an amount in 元 (for a model's money field in Meta.widgets)."""
    return forms.NumberInput(attrs=MONEY_ATTRS)


def money_field(name: str, **kwargs: Any) -> forms.DecimalField:
    """A form's own amount in 元 (not a model field): optional, not negative, to the fen, with
    messages that name it."""
    return forms.DecimalField(
        label=format_lazy(_("{name}（元）"), name=name),
        **MONEY,
        min_value=Decimal("0"),
        required=False,
        widget=money_input(),
        error_messages={
            "invalid": format_lazy(_("{name}应为数字。"), name=name),
            "min_value": format_lazy(_("{name}不能为负数。"), name=name),
            "max_decimal_places": format_lazy(_("{name}最多两位小数。"), name=name),
        },
        **kwargs,
    )


def loosen_length(form: forms.BaseForm, *names: str) -> None:
    """Let an ID or phone number be typed with spaces or full-width digits: the raw text may be
    longer than the stored form, which the form's clean_<name>() normalises and the model's
    validators then check."""
    for name in names:
        field = form.fields[name]
        field.max_length = None
        field.widget.attrs.pop("maxlength", None)
        field.validators = [
            v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)
        ]
