"""Wording helpers of the work summary: dates, amounts, rates and changes written as a chair
writes them, and the words that depend on the federation (县/市/区, 全镇/全县)."""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from reports.document import Paragraph
from reports.indicators import Rate, Scope
from unionportal.periods import Period


def cn_date(day: datetime.date, *, with_year: bool = True) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if with_year else f"{day.month}月{day.day}日"


def strip_zeros(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(amount: Decimal | int) -> str:
    """An amount as a summary writes it: 7000元 below 10,000 yuan, 4.45万元 from there."""
    amount = Decimal(amount)
    if abs(amount) >= 10000:
        wan = (amount / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{strip_zeros(wan)}万元"
    return f"{strip_zeros(amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))}元"


def pct(rate: Rate) -> str:
    """A rate as a percentage without a trailing '.0' (84.5%, 100%); '—' without a base."""
    if rate.value is None:
        return "—"
    return f"{strip_zeros(rate.value)}%"


def _ratio(now, before) -> str:
    times = (Decimal(now) / Decimal(before)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return strip_zeros(times)


def change(
    now: int | Decimal,
    before: int | Decimal,
    unit: str,
    *,
    as_money: bool = False,
    none_before: str = "去年同期未开展",
) -> str:
    """Year-on-year wording attached to a figure: '比去年同期增加48人，增长8.5%',
    '比去年同期增加36人，是去年同期的2倍', '与去年同期持平', '去年同期未开展' (last year 0)."""
    if not before:
        return none_before if now else ""
    diff = now - before
    if diff == 0:
        return "与去年同期持平"
    amount = money(abs(diff)) if as_money else f"{abs(diff)}{unit}"
    text = f"比去年同期{'增加' if diff > 0 else '减少'}{amount}"
    if diff > 0 and now >= 2 * before:
        return f"{text}，是去年同期的{_ratio(now, before)}倍"
    if before < 10:  # 2 → 1 is not "下降50%" to a reader
        return text
    share = (Decimal(abs(diff)) * 100 / Decimal(before)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return f"{text}，{'增长' if diff > 0 else '下降'}{strip_zeros(share)}%"


def rate_change(now: Rate, before: Rate) -> str:
    if now.value is None or before.value is None:
        return ""
    diff = now.value - before.value
    if diff == 0:
        return "与去年同期持平"
    return f"比去年同期{'提高' if diff > 0 else '下降'}{strip_zeros(abs(diff))}个百分点"


def join(parts: list[str], sep: str = "，") -> str:
    return sep.join(p for p in parts if p)


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Staff text: one paragraph per non-empty line; kept as plain text (renderers escape it)."""
    return tuple(Paragraph(line.strip()) for line in re.split(r"\r?\n", text or "") if line.strip())


def county_base(name: str) -> str:
    """余姚市总工会 → 余姚市: the place, without the federation's word."""
    return name.removesuffix("总工会")


def county_kind(scope: Scope) -> str:
    """县, 市 or 区: what the federation's place is, by its name (余姚市 → 市)."""
    last = county_base(scope.county_name if not scope.is_county else scope.name)[-1:]
    return last if last in ("市", "区") else "县"


def area_word(scope: Scope) -> str:
    """全镇 / 全乡 / 全街道 / 全县 / 全市 / 全区, by how the place is named."""
    if scope.is_county:
        return f"全{county_kind(scope)}"
    for suffix, word in (("街道", "全街道"), ("镇", "全镇"), ("乡", "全乡")):
        if scope.name.endswith(suffix):
            return word
    return "辖区内"


def we_word(scope: Scope) -> str:
    """How the body names the issuing union as a sentence's subject: 镇工会, 县总工会 …"""
    if scope.is_county:
        # The roll-up states what the townships' unions did, not the federation alone.
        return f"{area_word(scope)}各级工会"
    for suffix in ("街道", "镇", "乡"):
        if scope.name.endswith(suffix):
            return f"{suffix}工会"
    return "工会"


def party_committee(scope: Scope) -> str:
    if scope.is_county:
        return f"{county_kind(scope)}委"
    for suffix, word in (("街道", "街道党工委"), ("镇", "镇党委"), ("乡", "乡党委")):
        if scope.name.endswith(suffix):
            return word
    return "党委"


def issuer_name(scope: Scope) -> str:
    if scope.is_county:
        return scope.name if scope.name.endswith("总工会") else f"{scope.name}总工会"
    return scope.name if scope.name.endswith("工会") else f"{scope.name}工会"


def title_for(scope: Scope, period: Period) -> str:
    if period.is_year:
        return f"{issuer_name(scope)}{period.code}年度工作总结"
    return f"{issuer_name(scope)}{period.label}工作总结"


def period_phrase(period: Period) -> str:
    """How the body refers to the period: 全年 / 上半年 / 第三季度 / 3月 / 1—8月 / 本期."""
    if period.is_year:
        return "全年"
    label = period.label
    if "半年" in label or "季度" in label:
        return label[5:]
    if period.months_label:
        return period.months_label
    if re.fullmatch(r"\d{4}-\d{2}", period.code):
        return f"{period.start.month}月"
    return "本期"


def plain_title(title: str, year: int) -> str:
    """An event's name inside the year's summary: its leading '2026年' left out, so a numbered
    line never starts with digits that run into the number ('1.2026年…')."""
    for prefix in (f"{year}年度", f"{year}年"):
        if title.startswith(prefix) and len(title) > len(prefix) + 1:
            return title[len(prefix) :]
    return title


def names_list(names: list[str], limit: int = 3) -> str:
    shown = "、".join(names[:limit])
    return shown + ("等" if len(names) > limit else "")


def split_units(text: str) -> list[str]:
    return [u for u in re.split(r"[、;；,，]\s*", text.strip()) if u]
