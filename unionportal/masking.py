"""Masking personal numbers before they are shown beyond the township that holds them."""


def mask_id_number(id_number: str) -> str:
    """110101199003071234 → 110101********1234: the region code and last four digits stay, so
    staff can tell people apart, but the birth date is hidden (个人信息保护)."""
    value = (id_number or "").strip()
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"
