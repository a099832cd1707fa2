"""Masking personal numbers (GB/T 35273-2020 practice): lists, searches, exports and summaries
show only these forms; the whole number appears only after an explicit, logged reveal."""


def mask_id_number(id_number: str) -> str:
    """110101199003071234 → 110101********1234: the region code and last four digits stay, so
    staff can tell people apart, but the birth date is hidden (个人信息保护)."""
    value = (id_number or "").strip()
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_mobile(mobile: str) -> str:
    """13812345678 → 138****5678: the carrier prefix and last four digits stay."""
    value = (mobile or "").strip()
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"
