"""{{ amount|money }}: an amount in 元 as every page writes it (unionportal.fields.money_text)."""

from decimal import Decimal

from django import template

from unionportal.fields import money_text

register = template.Library()


@register.filter
def money(amount: Decimal | int | None) -> str:
    """1,100.00; nothing for an empty amount (the template says — where it has none)."""
    if amount is None or amount == "":
        return ""
    return money_text(amount)
