"""Identity numbers used across the records: resident ID, unified social credit code, mobile.

Each `normalize_*` function turns what a person typed (full-width digits, lower-case x, spaces)
into the canonical stored form; each `validate_*` raises ValidationError with a Chinese message.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unionportal import clock

_FULLWIDTH = {
    ord(c): ord(c) - 0xFEE0
    for c in "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ"
}
_FULLWIDTH.update(
    {ord(c): ord(c.upper()) - 0xFEE0 for c in "ａｂｃｄｅｆｇｈｊｋｌｍｎｐｑｒｔｕｗｘｙ"}
)
_FULLWIDTH[0x3000] = ord(" ")


def _fold(value: str) -> str:
    return "".join(str(value).translate(_FULLWIDTH).split()).upper()


# GB 11643-1999: weights 2^(17-i) mod 11 over the first 17 digits; check = (12 - sum mod 11) mod 11,
# where 10 is written X.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
ID_NUMBER_PATTERN = r"^[1-9][0-9]{16}[0-9X]$"


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_id_number(value: str) -> str:
    return _fold(value or "")


def id_birth_date(id_number: str) -> datetime.date | None:
    try:
        return datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except (ValueError, IndexError):
        return None


def id_gender(id_number: str) -> str:
    """'M' or 'F': the 17th digit is odd for men, even for women (GB 11643-1999)."""
    return "M" if int(id_number[16]) % 2 else "F"


def validate_id_number(value: str, *, today: datetime.date | None = None) -> None:
    number = normalize_id_number(value)
    if not re.fullmatch(ID_NUMBER_PATTERN, number):
        raise ValidationError(
            _("身份证号应为18位：前17位为数字，最后一位为数字或X。"), code="id_format"
        )
    birth = id_birth_date(number)
    if birth is None:
        raise ValidationError(_("身份证号中的出生日期（第7–14位）不是有效日期。"), code="id_birth")
    if birth > (today or clock.today()) or birth.year < 1900:
        raise ValidationError(
            _("身份证号中的出生日期不合理（晚于今天或早于1900年）。"), code="id_birth"
        )
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验位不正确，请核对后重新输入。"), code="id_check")


# GB 32100-2015: 31-character alphabet without I, O, Z, S, V; weights 3^i mod 31.
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"


def credit_check_char(first17: str) -> str:
    total = sum(
        _CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return _fold(value or "")


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if not re.fullmatch(CREDIT_CODE_PATTERN, code):
        raise ValidationError(
            _("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V），第3–8位为行政区划码。"),
            code="credit_format",
        )
    if credit_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对后重新输入。"), code="credit_check"
        )


MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"


def normalize_mobile(value: str) -> str:
    folded = _fold(value or "").replace("-", "")
    return folded[3:] if folded.startswith("+86") else folded


def validate_mobile(value: str) -> None:
    if not re.fullmatch(MOBILE_PATTERN, normalize_mobile(value)):
        raise ValidationError(_("手机号应为以1开头的11位数字。"), code="mobile")


def parse_id(value: object) -> int | None:
    """A record id read from a URL or a form as text, or None when it cannot be one: digits
    only (str.isdigit() also passes ², which int() refuses) and short enough for a 64-bit key
    (a longer number overflows the database's integer)."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdecimal() and len(text) <= 18 else None
