"""Field settings shared by every record kind (one home for each)."""

# Amounts in yuan: 14 digits, 2 after the point (up to 999,999,999,999.99 元). Every money
# field of every kind and the workbook's money cells use this.
MONEY = {"max_digits": 14, "decimal_places": 2}
