"""Password rules of 等保 level 2 (GB/T 22239-2019, 8.1.4.1 身份鉴别): passwords long enough and
mixing character classes. Used by every form that sets a password (password change, the admin's
user forms, createsuperuser) through AUTH_PASSWORD_VALIDATORS."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHARACTER_CLASSES: list[tuple[str, str]] = [
    ("upper", _("大写字母")),
    ("lower", _("小写字母")),
    ("digit", _("数字")),
    ("symbol", _("符号")),
]


def character_classes(password: str) -> set[str]:
    """Which of upper-case letters, lower-case letters, digits and symbols the password uses.

    Letters and digits are the ASCII ones; any other character (punctuation, a space, a
    full-width sign, a hanzi) counts as a symbol.
    """
    classes = set()
    for char in password:
        if char in string.ascii_uppercase:
            classes.add("upper")
        elif char in string.ascii_lowercase:
            classes.add("lower")
        elif char in string.digits:
            classes.add("digit")
        else:
            classes.add("symbol")
    return classes


class CharacterClassesValidator:
    """At least `min_length` characters, from at least `min_classes` of the four classes."""

    def __init__(self, min_length: int = 10, min_classes: int = 3) -> None:
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    _("密码太短：至少需要 %(min_length)d 个字符，现在只有 %(length)d 个。"),
                    code="password_too_short",
                    params={"min_length": self.min_length, "length": len(password)},
                )
            )
        used = character_classes(password)
        if len(used) < self.min_classes:
            missing = "、".join(str(label) for key, label in CHARACTER_CLASSES if key not in used)
            errors.append(
                ValidationError(
                    _(
                        "密码须包含大写字母、小写字母、数字、符号中的至少 %(min_classes)d 类，"
                        "现在只有 %(count)d 类（缺少：%(missing)s）。"
                    ),
                    code="password_too_simple",
                    params={
                        "min_classes": self.min_classes,
                        "count": len(used),
                        "missing": missing,
                    },
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return _(
            "密码至少 {min_length} 个字符，"
            "并包含大写字母、小写字母、数字、符号中的至少 {min_classes} 类。"
        ).format(min_length=self.min_length, min_classes=self.min_classes)
