"""Field settings shared by every record kind, and how an amount is written (one home for each)."""

from decimal import ROUND_HALF_UP, Decimal

# Amounts in yuan: 14 digits, 2 after the point (up to 999,999,999,999.99 元). Every money
# field of every kind and the workbook's money cells use this.
MONEY = {"max_digits": 14, "decimal_places": 2}

FEN = Decimal("0.01")


def money_text(amount: Decimal | int | float) -> str:
    """An amount in 元 as every page writes it: to the fen, with thousands separators
    (1,100.00), whatever the language; the unit is the caller's (a column header or " 元").
    The summary documents have their own rule (万元 from 10,000: reports/summary.py)."""
    return f"{Decimal(str(amount)).quantize(FEN, rounding=ROUND_HALF_UP):,}"
