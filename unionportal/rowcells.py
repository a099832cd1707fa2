"""Helpers for the list rows a kind builds in Python (ListSpec.row_cells, unionportal/records.py).

Each helper gives what the list templates' filters gave for one cell, so that a row built here is
byte for byte the row the template rendered: values escaped as autoescape does, translated literals
not escaped (a template's literal is safe), dates as `|date:"Y-m-d"` (a fixed format: the same in
every language), whole numbers as `|intcomma:False`, 是/否 as `|yesno:_("是,否")`.
"""

import datetime
from collections.abc import Iterable

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from unionportal.fields import money_text
from unionportal.templatetags.records import record_url

__all__ = ["escape", "mark_safe", "SafeString"]


def day(value: datetime.date | None) -> str:
    """{{ value|date:"Y-m-d" }}: nothing for no date."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}" if value else ""


def whole(value: int | None) -> str:
    """{{ value|intcomma:False }}."""
    return f"{value:,}" if type(value) is int else intcomma(value, False)


def literal(translated: str) -> str:
    """{% translate "…" %}: the translation, not escaped (a template's own text). Given as
    literal(_("…")) so that makemessages finds the message."""
    return mark_safe(translated)


def yes_no() -> tuple[str, str]:
    """The escaped words of |yesno:_("是,否") in the active language: (yes, no)."""
    yes, no = gettext("是,否").split(",")[:2]
    return escape(yes), escape(no)


def labels(choices: Iterable[tuple[str, str]]) -> dict[str, str]:
    """get_FOO_display for each value, translated into the active language and escaped (an
    unknown value shows as itself, as get_FOO_display does)."""
    return {value: escape(str(label)) for value, label in choices}


def label(found: dict[str, str], value: str | None) -> str:
    return found[value] if value in found else escape(str(value))


def address(view_name: str) -> tuple[str, str]:
    """A record page's address around its id ({% record_url view_name pk %} = before + pk + after):
    made once per page instead of once per row."""
    made = record_url(view_name, 987654321)
    before, _mark, after = made.partition("987654321")
    return escape(before), escape(after)


def township_td(row, show_township: bool, *, nowrap: bool = True) -> str:
    """The 乡镇 cell of a county-wide list ("" on a township's own list)."""
    if not show_township:
        return ""
    opening = '<td class="text-nowrap">' if nowrap else "<td>"
    return f"{opening}{escape(row.township__name)}</td>"


def member_badge() -> str:
    """The 会员 badge after a name linked to a member record (in the active language)."""
    # Looked up outside the f-string, where makemessages (xgettext) sees the strings.
    linked, member = literal(gettext("已关联会员")), literal(gettext("会员"))
    return f' <span class="badge text-bg-light border" title="{linked}">{member}</span>'


def money(amount) -> str:
    """{{ amount|money }}: the amount with thousands separators and two decimals; "" for none."""
    return "" if amount is None or amount == "" else escape(money_text(amount))
