"""The county and township dashboards: rows of headline figures, colours against targets, scores.

Every figure comes from `reports.indicators` (one `compute()` over the county's townships and one
`monthly()`), so the dashboard, the summary documents and the Excel export state the same numbers.
This module only picks the headline figures, sets them beside the county's targets and weights,
and words them.

Colours (达标 / 接近 / 未达标), for a cell with a target:
  - rates (建会率, 入会率, 农民工入会率, 办结率, 经费收缴率, 困难职工走访覆盖率,
    医疗互助参加率) and the stock 有效集体合同覆盖职工数 (a figure "at end") compare directly
    with the annual target;
  - flows counted within the period (新发展会员, 慰问户次, 慰问金额, 脱困, 职工活动次数,
    参与人次) compare with the annual target pro-rated to the period: a half-year ½, a quarter
    ¼, a month 1/12, a date range its days ÷ the days of its first year;
  - ratio = actual ÷ target: ≥ 100 % green 达标, ≥ 80 % amber 接近, below red 未达标. No colour
    where no target is set (or it is 0), and none where the figure is '—' (zero denominator).
    信访受理数 and 在档困难职工 have no target and are never coloured. The county total row is
    coloured for counts against the sum of its townships' targets (when every township has
    one); rates are not.

Score (考核得分) of a township for the period, from the county's weights for the year:
    completion_i = min(actual_i ÷ target_i, 1)         (targets pro-rated as above)
    score = Σ weight_i × completion_i ÷ Σ weight_i × 100
over the indicators with a weight > 0 and a target > 0 for that township whose figure is not '—'
(an indicator without a target or without a figure is shown as 不计分 and leaves the sum). With
weights adding up to 100 the score is simply Σ weight_i × completion_i.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from reports import figure_cache
from reports.indicators import TOTAL, Figures, Indicators, Rate, Scope
from reports.models import AnnualTarget, AssessmentWeight, TargetIndicator
from reports.summary import figures_span
from reports.trend import Month, months_of
from unionportal.fields import money_text
from unionportal.models import County, Township
from unionportal.periods import Period

RATE, FLOW, STOCK = "rate", "flow", "stock"
GOOD, NEAR, BEHIND = "good", "near", "behind"
STATUS_LABELS = {GOOD: _("达标"), NEAR: _("接近目标"), BEHIND: _("未达标")}
NEAR_RATIO = Decimal("0.8")  # amber from 80 % of the target
ONE = Decimal(1)


@dataclass(frozen=True)
class Headline:
    """One column of the dashboard table: a headline figure of spec/indicators.md."""

    key: str
    label: str
    unit: str  # 元, 人, 件 … or % for rates
    kind: str  # RATE, FLOW (counted within the period) or STOCK (at end)
    value: Callable[[Figures], Rate | int | Decimal]
    target: TargetIndicator | None = None


HEADLINES: tuple[Headline, ...] = (
    Headline(
        "unionisation_rate",
        _("建会率"),
        "%",
        RATE,
        lambda f: f.organisation.unionisation_rate,
        TargetIndicator.UNIONISATION_RATE,
    ),
    Headline(
        "membership_rate",
        _("入会率"),
        "%",
        RATE,
        lambda f: f.organisation.membership_rate,
        TargetIndicator.MEMBERSHIP_RATE,
    ),
    # 农民工入会率 (spec/indicators.md's 外来职工入会率): migrant members ÷ migrant employees
    # covered; the portal uses 农民工 for the group everywhere (农民工会员, 农民工入会率).
    Headline(
        "migrant_membership_rate",
        _("农民工入会率"),
        "%",
        RATE,
        lambda f: f.organisation.migrant_membership_rate,
        TargetIndicator.MIGRANT_MEMBERSHIP_RATE,
    ),
    Headline(
        "new_members",
        _("新发展会员"),
        _("人"),
        FLOW,
        lambda f: f.organisation.new_members,
        TargetIndicator.NEW_MEMBERS,
    ),
    Headline("cases", _("信访受理数"), _("件"), FLOW, lambda f: f.rights.cases),
    Headline(
        "closure_rate",
        _("办结率"),
        "%",
        RATE,
        lambda f: f.rights.closure_rate,
        TargetIndicator.CLOSURE_RATE,
    ),
    Headline(
        "contract_workers",
        _("有效集体合同覆盖职工数"),
        _("人"),
        STOCK,
        lambda f: f.rights.contract_workers,
        TargetIndicator.CONTRACT_WORKERS,
    ),
    Headline(
        "visits", _("慰问户次"), _("户次"), FLOW, lambda f: f.welfare.visits, TargetIndicator.VISITS
    ),
    # 慰问金额 here is cash plus goods (慰问金额 + 物资折款), as the summary's appendix states it.
    Headline(
        "welfare_amount",
        _("慰问金额"),
        _("元"),
        FLOW,
        lambda f: f.welfare.amount,
        TargetIndicator.WELFARE_AMOUNT,
    ),
    Headline(
        "events",
        _("职工活动次数"),
        _("次"),
        FLOW,
        lambda f: f.activities.events,
        TargetIndicator.EVENTS,
    ),
    Headline(
        "participants",
        _("职工活动参与人次"),
        _("人次"),
        FLOW,
        lambda f: f.activities.participants,
        TargetIndicator.PARTICIPANTS,
    ),
    Headline(
        "collection_rate",
        _("经费收缴率"),
        "%",
        RATE,
        lambda f: f.dues.collection_rate,
        TargetIndicator.COLLECTION_RATE,
    ),
    # 经费上缴率 (spec/indicators.md, second round): the township's own remittance upward, a
    # target of the county's like the collection rate.
    Headline(
        "remittance_rate",
        _("经费上缴率"),
        "%",
        RATE,
        lambda f: f.dues.remittance_rate,
        TargetIndicator.REMITTANCE_RATE,
    ),
    # The hardship register: households on file at end (no target: neither good nor bad in
    # itself), households out of hardship within the period, and the share of those on file
    # visited within it.
    Headline(
        "hardship_on_file",
        _("在档困难职工"),
        _("户"),
        STOCK,
        lambda f: f.welfare.hardship_on_file,
    ),
    Headline(
        "hardship_out",
        _("脱困"),
        _("户"),
        FLOW,
        lambda f: f.welfare.hardship_out,
        TargetIndicator.HARDSHIP_OUT,
    ),
    Headline(
        "hardship_coverage",
        _("困难职工走访覆盖率"),
        "%",
        RATE,
        lambda f: f.welfare.hardship_coverage,
        TargetIndicator.HARDSHIP_COVERAGE,
    ),
    Headline(
        "mutual_aid_rate",
        _("医疗互助参加率"),
        "%",
        RATE,
        lambda f: f.welfare.aid_rate,
        TargetIndicator.MUTUAL_AID_RATE,
    ),
)
BY_KEY = {h.key: h for h in HEADLINES}
TARGETED = tuple(h for h in HEADLINES if h.target is not None)
SORT_KEYS = ("township", "score", *BY_KEY)

# The monthly trend: (key of indicators.Month, label, unit).
TREND_SERIES = (
    ("new_members", _("新发展会员"), _("人")),
    ("cases", _("信访受理数"), _("件")),
    ("visits", _("慰问户次"), _("户次")),
    ("welfare_amount", _("慰问金额"), _("元")),
    ("events", _("职工活动次数"), _("次")),
    ("participants", _("职工活动参与人次"), _("人次")),
)


# --- links to the records behind a figure ---------------------------------------------------


# Indicator → (URL name of the filtered list from the record pages, query parameters). Each link
# lists exactly the records the figure counts, so the list's total is the figure (a count), the
# numerator of a rate made of records (建会率's unionised employers, 入会率's members, 办结率's
# closed cases), or the rows an amount adds up (慰问金额's visits, 参与人次's events, 有效集体
# 合同覆盖职工数's contracts in force, 经费收缴率's dues rows); reports/tests follow every link and
# compare. Parameters: `township` (for a township's cell; left out for the county total, whose
# list then shows every township the user may see), `from`/`to` on the record's own date
# (入会日期, 受理日期, 慰问日期, 开始日期, 所属期间起), members in place on the last day
# (`active=1&at=`), and day-valued filters of the lists: `unionised_at`, `closed_by`,
# `in_force`, `ends_by`.
def _span(p: Period) -> dict[str, str]:
    return {"from": p.start.isoformat(), "to": p.end.isoformat()}


def _range(p: Period) -> str:
    return f"{p.start.isoformat()}..{p.end.isoformat()}"


def _at_end(p: Period) -> dict[str, str]:
    return {"active": "1", "at": p.end.isoformat()}


RECORD_LISTS: dict[str, tuple[str, Callable[[Period], dict[str, str]]]] = {
    "unionisation_rate": (
        "members:employer_list",
        lambda p: {"should_unionise": "1", "unionised_at": p.end.isoformat()},
    ),
    "membership_rate": ("members:member_list", _at_end),
    "migrant_membership_rate": ("members:member_list", lambda p: _at_end(p) | {"migrant": "1"}),
    # Members transferred in from another township are no new members.
    "new_members": ("members:member_list", lambda p: _span(p) | {"transferred_in": "0"}),
    "cases": ("disputes:case_list", _span),
    "closure_rate": ("disputes:case_list", lambda p: _span(p) | {"closed_by": p.end.isoformat()}),
    "contract_workers": ("members:contract_list", lambda p: {"in_force": p.end.isoformat()}),
    "visits": ("welfare:visit_list", _span),
    "hardship_on_file": ("welfare:hardship_list", lambda p: {"on_file_at": p.end.isoformat()}),
    "hardship_out": ("welfare:hardship_list", lambda p: {"out_in": _range(p)}),
    # The numerator: households on file at end visited within the period.
    "hardship_coverage": (
        "welfare:hardship_list",
        lambda p: {"on_file_at": p.end.isoformat(), "visited_in": _range(p)},
    ),
    # The rows whose 参加人数 and 在职职工人数 add up to the rate: the period's year(s).
    "mutual_aid_rate": (
        "welfare:mutualaid_list",
        lambda p: {"years": f"{p.start.year}..{p.end.year}"},
    ),
    "welfare_amount": ("welfare:visit_list", _span),
    "events": ("events:event_list", lambda p: _span(p) | {"staff": "1"}),
    "participants": ("events:event_list", lambda p: _span(p) | {"staff": "1"}),
    "collection_rate": (
        "members:dues_list",
        lambda p: {"from": p.start.isoformat(), "ends_by": p.end.isoformat()},
    ),
    "remittance_rate": (
        "members:remittance_list",
        lambda p: {"from": p.start.isoformat(), "ends_by": p.end.isoformat()},
    ),
}


_addresses: dict[tuple, str | None] = {}


def _list_address(url_name: str) -> str | None:
    """reverse(url_name), or None where the list does not exist; found once per process (for
    the URL configuration and script prefix in force): 17 reverses were ~3 ms of a page."""
    key = (url_name, get_urlconf(), settings.ROOT_URLCONF, get_script_prefix())
    if key not in _addresses:
        try:
            _addresses[key] = reverse(url_name)
        except NoReverseMatch:
            _addresses[key] = None
    return _addresses[key]


class RecordLinks:
    """Builds the link from a figure to its filtered record list, or none while that list page
    does not exist (NoReverseMatch). Each indicator's address (URL name reversed, the period's
    parameters encoded) is made once per page; a township's cell only puts its id in front."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self._made: dict[str, tuple[str, str] | None] = {}

    def _parts(self, key: str) -> tuple[str, str] | None:
        if key not in self._made:
            url_name, params = RECORD_LISTS[key]
            base = _list_address(url_name)
            self._made[key] = None if base is None else (base, urlencode(params(self.period)))
        return self._made[key]

    def url(self, key: str, township_id: int = TOTAL) -> str | None:
        if key not in RECORD_LISTS:
            return None
        parts = self._parts(key)
        if parts is None:
            return None
        base, query = parts
        if township_id != TOTAL:
            return f"{base}?township={township_id}&{query}"
        return f"{base}?{query}"


def records_url(key: str, period: Period, township_id: int = TOTAL) -> str | None:
    """The filtered list behind one figure (see RECORD_LISTS), or None where it does not exist."""
    return RecordLinks(period).url(key, township_id)


# --- targets, colours and scores ------------------------------------------------------------


def period_fraction(period: Period) -> Decimal:
    """The share of a year's flow target due within the period (see the module docstring)."""
    code = period.code
    if re.fullmatch(r"\d{4}", code):
        return ONE
    if re.fullmatch(r"\d{4}H[12]", code):
        return Decimal("0.5")
    if re.fullmatch(r"\d{4}Q[1-4]", code):
        return Decimal("0.25")
    if re.fullmatch(r"\d{4}-\d{2}", code):
        return ONE / 12
    year = period.start.year
    days_in_year = (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days
    return Decimal((period.end - period.start).days + 1) / days_in_year


def target_for_period(
    headline: Headline, annual: Decimal | None, period: Period, fraction: Decimal | None = None
) -> Decimal | None:
    """The annual target as it applies to this period; None where there is none (or it is 0).
    `fraction`: period_fraction(period), when the caller has it already."""
    if annual is None or annual <= 0:
        return None
    if headline.kind == FLOW:
        return annual * (period_fraction(period) if fraction is None else fraction)
    return annual


def number_of(value: Rate | int | Decimal) -> Decimal | None:
    """The comparable number of a figure: a rate's rounded percentage (None for '—')."""
    if isinstance(value, Rate):
        return value.value
    return Decimal(value)


def status_of(actual: Decimal | None, target: Decimal | None) -> str | None:
    if actual is None or target is None:
        return None
    ratio = actual / target
    if ratio >= ONE:
        return GOOD
    return NEAR if ratio >= NEAR_RATIO else BEHIND


def display(value: Rate | int | Decimal) -> str:
    """How the dashboard and the export write a figure: rates as in the summary (25.0%, —),
    counts with thousands separators, amounts in 元 to the fen."""
    if isinstance(value, Rate):
        return str(value)
    if isinstance(value, Decimal):
        return money_text(value)
    return f"{value:,}"


def display_target(headline: Headline, target: Decimal | None) -> str:
    if target is None:
        return ""
    if headline.kind == RATE:
        return f"{target.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
    if headline.key in page_words().money:
        return money_text(target)
    return f"{target.quantize(Decimal('1'), rounding=ROUND_HALF_UP):,}"


@dataclass(frozen=True)
class PageWords:
    """The dashboard's translated words as Cell.html and Score.items_html write them, for one
    language: some 2,700 gettext lookups a county page otherwise."""

    target: str
    status_progress: str
    hidden_status: str
    status: dict[str, str]  # escaped
    labels: dict[str, str]  # headline key → label, escaped
    money: frozenset[str]  # keys of the headlines in 元 (unit == _("元") in this language)
    scored: str
    no_data: str
    no_target: str
    separator: str
    localized: dict[tuple, str] = field(default_factory=dict)  # (type, str(value)) → escaped

    def number(self, value: int | Decimal) -> str:
        """escape(localize(value)), as a template writes a number, found once per value."""
        key = (type(value), str(value))
        text = self.localized.get(key)
        if text is None:
            text = self.localized[key] = escape(localize(value))
        return text


_WORDS: dict[str, PageWords] = {}


def page_words() -> PageWords:
    """PageWords of the active language, made once per process (and again when the settings of
    languages or catalogues change, as Django reloads its catalogues then)."""
    language = get_language()
    words = _WORDS.get(language)
    if words is None:
        words = PageWords(
            target=gettext("目标 %(target_text)s"),
            status_progress=gettext("，%(status_label)s（完成 %(progress)s）"),
            hidden_status=gettext("（%(unit)s）"),
            status={key: escape(label) for key, label in STATUS_LABELS.items()},
            labels={h.key: escape(h.label) for h in HEADLINES},
            money=frozenset(h.key for h in HEADLINES if str(h.unit) == gettext("元")),
            scored=gettext("%(label)s：%(weight)s × %(completion)s = %(points)s"),
            no_data=gettext("%(label)s：%(weight)s分，不计分（无数据）"),
            no_target=gettext("%(label)s：%(weight)s分，不计分（未设目标）"),
            separator=gettext("；"),
        )
        _WORDS[language] = words
    return words


@receiver(setting_changed)
def _forget_words(*, setting: str, **kwargs) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _WORDS.clear()


@dataclass(frozen=True)
class Cell:
    headline: Headline
    value: Rate | int | Decimal
    number: Decimal | None
    text: str
    target: Decimal | None = None
    target_text: str = ""
    status: str | None = None
    url: str | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "")

    @property
    def progress(self) -> str:
        """Actual ÷ target as a percentage (完成进度), or '' without a target or figure."""
        if self.target is None or self.number is None:
            return ""
        return f"{(self.number * 100 / self.target).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"

    @cached_property
    def html(self) -> SafeString:
        """The cell as {% include "reports/dashboard_cell.html" %} renders it, byte for byte
        (reports/tests/test_dashboard_cell_html.py compares them), built here because a county
        page shows some 560 cells and the include cost 0.1 s of its CPU. In the active language
        of the first use: a Cell lives for one request."""
        status = self.status
        words = page_words()
        label = words.status[status] if status else ""
        title = ""
        if self.target_text:
            title = words.target % {"target_text": escape(self.target_text)}
            if status:
                title += words.status_progress % {
                    "status_label": label,
                    "progress": escape(self.progress),
                }
            title = f' title="{title}"'
        text = escape(self.text)
        body = f'<a href="{escape(self.url)}" class="dash-link">{text}</a>' if self.url else text
        if status:
            mark = "✓" if status == GOOD else "△" if status == NEAR else "✗"
            hidden = words.hidden_status % {"unit": label}
            body += (
                f'<span class="dash-mark" aria-hidden="true">{mark}</span>'
                f'<span class="visually-hidden">{hidden}</span>'
            )
        css = f"text-end numeral dash-{status}" if status else "text-end numeral"
        # The include's own line breaks: after {% load i18n %} and at the end of the file.
        return mark_safe(f'\n<td class="{css}"{title}>{body}</td>\n')


@dataclass(frozen=True)
class ScoreItem:
    headline: Headline
    weight: int
    actual: str
    target: str
    completion: Decimal | None  # min(actual ÷ target, 1); None when not scored
    points: Decimal | None  # weight × completion

    @property
    def scored(self) -> bool:
        return self.completion is not None

    @property
    def completion_text(self) -> str:
        if self.completion is None:
            return ""
        return f"{(self.completion * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class Score:
    items: tuple[ScoreItem, ...]

    @property
    def weights(self) -> int:
        return sum(i.weight for i in self.items if i.scored)

    @property
    def value(self) -> Decimal | None:
        """Σ weight × completion ÷ Σ weight × 100, to one decimal; None when nothing is scored."""
        if not self.weights:
            return None
        points = sum((i.points for i in self.items if i.scored), Decimal(0))
        return (points * 100 / self.weights).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def __str__(self) -> str:
        return "—" if self.value is None else str(self.value)

    @property
    def items_html(self) -> SafeString:
        """The county page's 构成 of the score, as its template wrote it with a blocktranslate
        per item (some 300 a page): test_dashboard_cell_html compares the two."""
        words = page_words()
        parts = []
        for item in self.items:
            values = {
                "label": words.labels[item.headline.key],
                "weight": words.number(item.weight),
            }
            if item.scored:
                values["completion"] = escape(item.completion_text)
                values["points"] = words.number(item.points)
                text = words.scored % values
            elif item.target:
                text = words.no_data % values
            else:
                text = words.no_target % values
            parts.append(f'<span class="dash-item">{text}</span>')
        return mark_safe(words.separator.join(parts))


def score_of(cells: Iterable[Cell], weights: dict[str, int]) -> Score:
    """The township's score from its cells (figures and pro-rated targets) and the weights."""
    items = []
    for cell in cells:
        h = cell.headline
        weight = weights.get(h.target, 0) if h.target else 0
        if not weight:
            continue
        completion = points = None
        if cell.target is not None and cell.number is not None:
            completion = min(cell.number / cell.target, ONE).quantize(
                Decimal("0.0001"), ROUND_HALF_UP
            )
            points = (weight * completion).quantize(Decimal("0.01"), ROUND_HALF_UP)
        items.append(ScoreItem(h, weight, cell.text, cell.target_text, completion, points))
    return Score(tuple(items))


# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    township: Township | None  # None for the county total
    name: str
    cells: tuple[Cell, ...]
    score: Score | None = None

    @property
    def is_total(self) -> bool:
        return self.township is None

    def cell(self, key: str) -> Cell:
        return next(c for c in self.cells if c.headline.key == key)

    @property
    def cells_html(self) -> SafeString:
        """{% for cell in row.cells %}{% include "reports/dashboard_cell.html" %}{% endfor %}."""
        return mark_safe("".join(c.html for c in self.cells))


@dataclass(frozen=True)
class Dashboard:
    """Everything a county (or township) dashboard page shows for one period."""

    county: County
    period: Period
    townships: tuple[Township, ...]
    rows: tuple[Row, ...]  # one per township, in the requested order (just one with `only`)
    total: Row
    months: tuple[datetime.date, ...]
    trend: dict[int, dict[datetime.date, Month]]
    weights: dict[str, int]
    has_targets: bool
    figures: Indicators = field(repr=False)
    # A period not over today runs to today (截至): the day, and the span figures, targets and
    # the trend cover; None and the whole period once it is over.
    as_of: datetime.date | None = None
    span: Period | None = None

    def row_for(self, township_id: int) -> Row:
        return next(r for r in self.rows if r.township is not None and r.township.pk == township_id)

    @property
    def target_year(self) -> int:
        return self.period.start.year


def _cells(
    figures: Figures,
    targets: dict[str, Decimal],
    period: Period,
    links: RecordLinks | None,
    township_id: int,
) -> tuple[Cell, ...]:
    cells = []
    fraction = period_fraction(period)
    for h in HEADLINES:
        value = h.value(figures)
        number = number_of(value)
        target = target_for_period(h, targets.get(h.target), period, fraction) if h.target else None
        cells.append(
            Cell(
                headline=h,
                value=value,
                number=number,
                text=display(value),
                target=target,
                target_text=display_target(h, target),
                status=status_of(number, target),
                url=links.url(h.key, township_id) if links else None,
            )
        )
    return tuple(cells)


def _sorted(rows: list[Row], sort: str) -> list[Row]:
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    if key == "township" or key not in SORT_KEYS:
        return list(reversed(rows)) if descending and key == "township" else rows

    def number(row: Row) -> Decimal | None:
        if key == "score":
            return row.score.value if row.score else None
        return row.cell(key).number

    present = [r for r in rows if number(r) is not None]
    missing = [r for r in rows if number(r) is None]  # '—' sorts last either way
    present.sort(key=number, reverse=descending)
    return present + missing


def build_dashboard(
    county: County,
    townships: Iterable[Township],
    period: Period,
    *,
    sort: str = "",
    link_total: bool = True,
    only: int | None = None,
) -> Dashboard:
    """The county's dashboard for the period: one row per township (sorted by `sort`, a key of
    SORT_KEYS with '-' for descending), the county total, the monthly trend, targets and scores.
    `link_total=False` leaves the county total's figures without links to the record lists
    (for a viewer whose lists hold other counties' records too). `only` (a township id) builds
    the row of that township alone, for a township's page: the county total, average and trend
    still cover every township.

    A fixed number of queries whatever the number of townships: the townships' data tokens (1),
    then, for the townships whose figures this process has not kept under their current token,
    compute() (12), monthly() (1) and the tokens again (1); the year's targets (1) and weights (1).
    With every township kept that is 3 queries (reports.figure_cache)."""
    townships = tuple(townships)
    scope = Scope.for_county(county, townships)
    # In the middle of a period, figures and targets run to today and months to come are not
    # drawn: a half-year's whole target beside figures with months still to come showed every
    # township red early on (the summaries follow the same rule, reports.summary.figures_span).
    named = period
    period, as_of = figures_span(period)
    # compute() and monthly() of the county, each township's part kept under its data token.
    figures, trend = figure_cache.figures_and_trend(scope, period)
    year = period.start.year
    targets: dict[int, dict[str, Decimal]] = {t.pk: {} for t in townships}
    # Ordered by indicator alone: the models' default orderings (by township, by county) joined
    # those tables on every dashboard and home page view for an order nothing here reads.
    for tid, indicator, value in (
        AnnualTarget.objects.filter(township_id__in=scope.township_ids, year=year)
        .order_by("indicator")
        .values_list("township_id", "indicator", "value")
    ):
        targets[tid][indicator] = value
    weights = dict(
        AssessmentWeight.objects.filter(county=county, year=year)
        .order_by("indicator")
        .values_list("indicator", "weight")
    )
    links = RecordLinks(period)
    rows = []
    for township in townships:
        if only is not None and township.pk != only:
            continue
        cells = _cells(
            figures.for_township(township.pk), targets[township.pk], period, links, township.pk
        )
        rows.append(Row(township, township.name, cells, score_of(cells, weights)))
    # The county's count targets are its townships' summed, when every township has one.
    county_targets: dict[str, Decimal] = {}
    for h in TARGETED:
        if h.kind != RATE and townships and all(h.target in targets[t.pk] for t in townships):
            county_targets[h.target] = sum((targets[t.pk][h.target] for t in townships), Decimal(0))
    total = Row(
        None,
        _("全县合计"),
        _cells(figures.total(), county_targets, period, links if link_total else None, TOTAL),
    )
    return Dashboard(
        county=county,
        period=named,
        townships=townships,
        rows=tuple(_sorted(rows, sort)),
        total=total,
        months=tuple(months_of(period)),
        trend=trend,
        weights=weights,
        has_targets=any(targets.values()),
        figures=figures,
        as_of=as_of,
        span=period,
    )


# --- what a township's page adds ---------------------------------------------------------------


def townships_in_average(dashboard: Dashboard) -> tuple[Township, ...]:
    """The townships a count's 全县平均 divides by: those with any union, member or employer to
    unionise at the period's end. A township just added, with nothing recorded yet, would
    otherwise lower every township's average (docs/summaries.md). While no township has any,
    all of them (the averages are then 0)."""
    organisation = dashboard.figures.organisation
    with_records = tuple(
        t
        for t in dashboard.townships
        if (o := organisation.get(t.pk)) is not None and (o.unions or o.members or o.employers_due)
    )
    return with_records or dashboard.townships


def county_average(dashboard: Dashboard, headline: Headline, averaged: int | None = None) -> str:
    """全县平均 beside a township's figure: rates are the county's rate (of summed figures, as the
    indicators define a county's rate); counts and amounts the county total ÷ the townships
    that have records (townships_in_average; `averaged`: their number, when the caller has
    it)."""
    value = headline.value(dashboard.figures.total())
    if isinstance(value, Rate):
        return str(value)
    n = len(townships_in_average(dashboard)) if averaged is None else averaged
    if not n:
        return "—"
    average = Decimal(value) / n
    if headline.key in page_words().money:
        return money_text(average)
    return f"{average.quantize(Decimal('0.1'), ROUND_HALF_UP):,}"


def _trend(dashboard: Dashboard, township_id: int) -> list[tuple[datetime.date, list]]:
    by_month = dashboard.trend[township_id]
    return [
        (month, [getattr(by_month[month], k) for k, _, _ in TREND_SERIES])
        for month in dashboard.months
    ]


def trend_rows(dashboard: Dashboard, township_id: int = TOTAL) -> list[tuple[str, list[str]]]:
    """The monthly trend as table rows: (month label, [figure per TREND_SERIES, as written])."""
    return [
        (
            _("{year}年{month}月").format(year=month.year, month=month.month),
            [display(v) for v in values],
        )
        for month, values in _trend(dashboard, township_id)
    ]


def trend_chart(dashboard: Dashboard, township_id: int = TOTAL) -> dict:
    """The data dashboard.js draws the trend chart from (plain numbers, JSON-safe)."""
    rows = _trend(dashboard, township_id)
    return {
        "kind": "trend",
        "categories": [
            _("{year}年{month}月").format(year=month.year, month=month.month)
            for month, _values in rows
        ],
        "series": [
            {
                "key": key,
                "name": label,
                "unit": unit,
                "data": [float(values[i]) for _, values in rows],
            }
            for i, (key, label, unit) in enumerate(TREND_SERIES)
        ],
    }


def compare_chart(dashboard: Dashboard, key: str) -> dict:
    """The data of the bar chart comparing townships on one headline figure (in table order)."""
    headline = BY_KEY[key]
    return {
        "kind": "compare",
        "name": headline.label,
        "target_name": _("目标"),
        "unit": headline.unit,
        "categories": [r.name for r in dashboard.rows],
        "data": [
            None if r.cell(key).number is None else float(r.cell(key).number)
            for r in dashboard.rows
        ],
        "targets": [
            None if r.cell(key).target is None else float(r.cell(key).target)
            for r in dashboard.rows
        ],
        "status": [r.cell(key).status for r in dashboard.rows],
    }
