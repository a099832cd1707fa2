"""How every page writes an amount in 元 (unionportal/fields.py money_text, the |money filter)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from unionportal.fields import money_text


def test_an_amount_is_written_to_the_fen_with_thousands_separators():
    assert money_text(Decimal("1100")) == "1,100.00"
    assert money_text(Decimal("1234567.5")) == "1,234,567.50"
    assert money_text(0) == "0.00"


def test_half_a_fen_rounds_up():
    assert money_text(Decimal("2.345")) == "2.35"
    assert money_text(Decimal("1000") / 3) == "333.33"


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_the_money_filter_writes_the_same_in_every_language(language):
    # floatformat:"2g" wrote 1100.00 in Chinese (no grouping) beside the dashboards' 1,100.00.
    page = Template("{% load money %}[{{ a|money }}][{{ b|money }}]")

    with translation.override(language):
        text = page.render(Context({"a": Decimal("1100.00"), "b": None}))

    assert text == "[1,100.00][]"
