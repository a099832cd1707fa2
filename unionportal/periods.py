"""Periods (统计期间): `2026`, `2026H1`, `2026Q3`, `2026-03` and `2026-01-01..2026-08-31`.

Used by the indicators (spec/indicators.md), the summaries and the dues records' 所属期间.
Both ends are included.
"""

import calendar
import datetime
import re
from dataclasses import dataclass


class PeriodError(ValueError):
    """The text is not a period; the message is Chinese and says which forms are accepted."""


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    code: str

    @property
    def label(self) -> str:
        """How a Chinese document names the period: 2026年上半年, 2026年第三季度, 2026年3月 …"""
        m = re.fullmatch(r"(\d{4})(?:(H)([12])|(Q)([1-4])|-(\d{2}))?", self.code)
        if m:
            year, h, half, q, quarter, month = m.groups()
            if h:
                return f"{year}年{'上' if half == '1' else '下'}半年"
            if q:
                return f"{year}年第{'一二三四'[int(quarter) - 1]}季度"
            if month:
                return f"{year}年{int(month)}月"
            return f"{year}年"
        return (
            f"{self.start.year}年{self.start.month}月{self.start.day}日至"
            f"{self.end.year}年{self.end.month}月{self.end.day}日"
        )

    @property
    def is_year(self) -> bool:
        return re.fullmatch(r"\d{4}", self.code) is not None

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def year_earlier(self) -> "Period":
        """The same period a year before (同比). 29 February falls back to the 28th."""

        def shift(day: datetime.date) -> datetime.date:
            last = calendar.monthrange(day.year - 1, day.month)[1]
            return day.replace(year=day.year - 1, day=min(day.day, last))

        m = re.fullmatch(r"(\d{4})(.*)", self.code)
        if m and ".." not in self.code:
            return parse_period(f"{int(m.group(1)) - 1}{m.group(2)}")
        start, end = shift(self.start), shift(self.end)
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


FORMS_HELP = "可用格式：2026、2026H1、2026H2、2026Q1–2026Q4、2026-03 或 2026-01-01..2026-08-31"


def parse_period(text: str, *, allow_range: bool = True) -> Period:
    value = (text or "").strip().upper().replace("Ｈ", "H").replace("Ｑ", "Q")
    try:
        if m := re.fullmatch(r"(\d{4})", value):
            year = int(m.group(1))
            return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), value)
        if m := re.fullmatch(r"(\d{4})H([12])", value):
            year, half = int(m.group(1)), int(m.group(2))
            first = 1 if half == 1 else 7
            return Period(datetime.date(year, first, 1), _month_end(year, first + 5), value)
        if m := re.fullmatch(r"(\d{4})Q([1-4])", value):
            year, quarter = int(m.group(1)), int(m.group(2))
            first = 3 * quarter - 2
            return Period(datetime.date(year, first, 1), _month_end(year, first + 2), value)
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
            year, month = int(m.group(1)), int(m.group(2))
            return Period(
                datetime.date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}"
            )
        if allow_range and (
            m := re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2})\.\.(\d{4}-\d{1,2}-\d{1,2})", value)
        ):
            start = datetime.date(*map(int, m.group(1).split("-")))
            end = datetime.date(*map(int, m.group(2).split("-")))
            if end < start:
                raise PeriodError(f"期间“{text}”的结束日期早于开始日期。")
            return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(f"期间“{text}”中有不存在的日期或月份。{FORMS_HELP}") from exc
    raise PeriodError(f"无法识别期间“{text}”。{FORMS_HELP}")
