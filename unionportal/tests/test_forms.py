"""The shared form helpers (unionportal/forms.py) as a user meets them: messages in Chinese."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError

from unionportal import clock
from unionportal.forms import date_fields, money_field, not_in_future


class DayForm(forms.Form):
    day = forms.DateField(label="慰问日期")
    amount = money_field("慰问金额")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "day")


def test_a_date_that_does_not_parse_is_answered_with_an_example():
    form = DayForm({"day": "2026-13-45", "amount": ""})

    assert form.errors["day"] == ["请输入有效的日期，如 2026-03-27。"]
    assert 'type="date"' in str(form["day"])


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "慰问金额应为数字。"),
        ("-1", "慰问金额不能为负数。"),
        ("1.005", "慰问金额最多两位小数。"),
    ],
)
def test_a_wrong_amount_is_named_in_its_message(typed, message):
    form = DayForm({"day": "2026-03-27", "amount": typed})

    assert form.errors["amount"] == [message]


def test_an_amount_is_optional_and_kept_to_the_fen():
    form = DayForm({"day": "2026-03-27", "amount": "1100.5"})

    assert form.is_valid() and str(form.cleaned_data["amount"]) == "1100.5"
    assert form.fields["amount"].label == "慰问金额（元）"


def test_tomorrow_is_refused_naming_the_date_and_today_is_kept():
    today = clock.today()

    with pytest.raises(ValidationError, match="受理日期不能晚于今天。"):
        not_in_future(today + datetime.timedelta(days=1), "受理日期")
    assert not_in_future(today, "受理日期") == today
    assert not_in_future(None) is None
