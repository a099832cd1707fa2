"""Periods (统计期间): `2026`, `2026H1`, `2026Q3`, `2026-03` and `2026-01-01..2026-08-31`.

Used by the indicators (spec/indicators.md), the summaries and the dues records' 所属期间.
Both ends are included. People may also type the Chinese names of the same periods —
2026年, 2026年上半年, 2026年第三季度, 2026年3月, 2026年1-8月 (or 1—8月, 1至8月) — which parse to
the same codes; a run of whole months is a range, named 2026年1—8月.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Each quarter its own message: translators see whole phrases.
QUARTERS = (
    gettext_lazy("{year}年第一季度"),
    gettext_lazy("{year}年第二季度"),
    gettext_lazy("{year}年第三季度"),
    gettext_lazy("{year}年第四季度"),
)


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
        if self.whole_months:
            s, e = self.start, self.end
            if s.year == e.year:
                return (
                    f"{s.year}年{s.month}月"
                    if s.month == e.month
                    else f"{s.year}年{s.month}—{e.month}月"
                )
            return f"{s.year}年{s.month}月—{e.year}年{e.month}月"
        return (
            f"{self.start.year}年{self.start.month}月{self.start.day}日至"
            f"{self.end.year}年{self.end.month}月{self.end.day}日"
        )

    @property
    def display(self) -> str:
        """The period as a page names it, in the page's language (`label` stays Chinese: the
        summary documents and the workbook use it)."""
        m = re.fullmatch(r"(\d{4})(?:(H)([12])|(Q)([1-4])|-(\d{2}))?", self.code)
        if m:
            year, h, half, q, quarter, month = m.groups()
            if h:
                text = _("{year}年上半年") if half == "1" else _("{year}年下半年")
                return text.format(year=year)
            if q:
                return QUARTERS[int(quarter) - 1].format(year=year)
            if month:
                return _("{year}年{month}月").format(year=year, month=int(month))
            return _("{year}年").format(year=year)
        s, e = self.start, self.end
        if self.whole_months and s.year == e.year and s.month != e.month:
            return _("{year}年{first}—{last}月").format(year=s.year, first=s.month, last=e.month)
        if self.whole_months and s.year == e.year:
            return _("{year}年{month}月").format(year=s.year, month=s.month)
        if self.whole_months:
            return _("{y1}年{m1}月—{y2}年{m2}月").format(
                y1=s.year, m1=s.month, y2=e.year, m2=e.month
            )
        return _("{y1}年{m1}月{d1}日至{y2}年{m2}月{d2}日").format(
            y1=s.year, m1=s.month, d1=s.day, y2=e.year, m2=e.month, d2=e.day
        )

    @property
    def whole_months(self) -> bool:
        """Whether the period starts on a month's first day and ends on a month's last."""
        return self.start.day == 1 and self.end == _month_end(self.end.year, self.end.month)

    @property
    def months_label(self) -> str:
        """A run of whole months within one year as the body names it: 1—8月; else ''."""
        s, e = self.start, self.end
        if self.whole_months and s.year == e.year and ".." in self.code and s.month != e.month:
            return f"{s.month}—{e.month}月"
        return ""

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


FORMS_HELP = (
    "可用格式：2026年、2026年上半年、2026年第三季度、2026年3月、2026年1-8月，"
    "或 2026、2026H1、2026Q3、2026-03、2026-01-01..2026-08-31"
)

_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _from_chinese(value: str) -> str:
    """2026年上半年 → 2026H1, 2026年第三季度 → 2026Q3, 2026年3月 → 2026-03,
    2026年1-8月 → 2026-01-01..2026-08-31, 2026年(度) → 2026; anything else unchanged."""
    value = re.sub(r"\s+", "", value).removesuffix("工作总结")
    if m := re.fullmatch(r"(\d{4})年度?(?:全年)?", value):
        return m.group(1)
    if m := re.fullmatch(r"(\d{4})年([上下])半年", value):
        return f"{m.group(1)}H{1 if m.group(2) == '上' else 2}"
    if m := re.fullmatch(r"(\d{4})年第?([一二三四1-4])季度", value):
        return f"{m.group(1)}Q{_QUARTERS[m.group(2)]}"
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月(?:份)?", value):
        return f"{m.group(1)}-{m.group(2)}"
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月?(?:-|－|—|–|~|～|至|到)+(\d{1,2})月(?:份)?", value):
        year, first, last = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not (1 <= first <= 12 and 1 <= last <= 12):
            raise PeriodError(
                _("期间“{value}”中有不存在的月份。{FORMS_HELP}").format(
                    value=value, FORMS_HELP=FORMS_HELP
                )
            )
        if last < first:
            raise PeriodError(_("期间“{value}”的结束月份早于开始月份。").format(value=value))
        if first == last:
            return f"{year}-{first}"
        return f"{year}-{first:02d}-01..{_month_end(year, last).isoformat()}"
    return value


def parse_period(text: str, *, allow_range: bool = True) -> Period:
    value = (text or "").strip().upper().replace("Ｈ", "H").replace("Ｑ", "Q")
    try:
        if "年" in value:
            value = _from_chinese(value)
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
                raise PeriodError(_("期间“{text}”的结束日期早于开始日期。").format(text=text))
            return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(
            _("期间“{text}”中有不存在的日期或月份。{FORMS_HELP}").format(
                text=text, FORMS_HELP=FORMS_HELP
            )
        ) from exc
    raise PeriodError(
        _("无法识别期间“{text}”。{FORMS_HELP}").format(text=text, FORMS_HELP=FORMS_HELP)
    )
