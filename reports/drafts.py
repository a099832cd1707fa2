"""Drafted 存在不足 and 下一步打算 lines, from the records, for the chair to keep, edit or drop.

Each line cites the figure it rests on and nothing else: a key indicator below the year's target
(AnnualTarget, pro-rated for flows as the dashboard does), a rate that fell on the same span a
year earlier, hardship households whose review is overdue, cases still open more than 30 days
after they were received, and collective contracts that expire within the next six months and
have no later contract for the same party.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef
from django.utils import translation

from disputes.models import Case, CaseStatus
from members.models import CollectiveContract
from reports import dashboards
from reports.indicators import Figures, Rate, Scope
from reports.models import AnnualTarget
from reports.wording import cn_date, money, pct, strip_zeros
from unionportal import clock
from unionportal.periods import Period

OPEN_CASE_DAYS = 30
EXPIRY_WINDOW_DAYS = 183  # six months

# The rates compared with a year earlier: (label, how to read it off the figures).
RATES = (
    ("建会率", lambda f: f.organisation.unionisation_rate),
    ("入会率", lambda f: f.organisation.membership_rate),
    ("农民工入会率", lambda f: f.organisation.migrant_membership_rate),
    ("办结率", lambda f: f.rights.closure_rate),
    ("经费收缴率", lambda f: f.dues.collection_rate),
)


@dataclass(frozen=True)
class Drafts:
    """Lines for the two staff-written parts; either may be empty."""

    shortcomings: tuple[str, ...] = ()
    plans: tuple[str, ...] = ()


def _amount(value: Decimal | int, unit: str) -> str:
    if unit == "元":
        return money(value)
    if unit == "%":
        return f"{strip_zeros(Decimal(value).quantize(Decimal('0.1')))}%"
    return f"{strip_zeros(Decimal(value).quantize(Decimal('0.1')))}{unit}"


def _stated(value: Rate | int | Decimal, unit: str) -> str:
    if isinstance(value, Rate):
        return pct(value)
    return _amount(value, unit)


def below_target(scope: Scope, period: Period, figures: Figures) -> list[tuple[str, str]]:
    """(shortcoming, plan) for each key indicator below the township's target for the year."""
    if scope.is_county or len(scope.township_ids) != 1:
        return []
    targets = {
        t.indicator: t.value
        for t in AnnualTarget.objects.filter(
            township_id=scope.township_ids[0], year=period.start.year
        )
    }
    lines = []
    for headline in dashboards.TARGETED:
        annual = targets.get(headline.target)
        due = dashboards.target_for_period(headline, annual, period)
        value = headline.value(figures)
        actual = dashboards.number_of(value)
        if due is None or actual is None or actual >= due:
            continue
        stated = _stated(value, headline.unit)
        if headline.kind == dashboards.FLOW and due != annual:
            target = (
                f"按期间折算的目标{_amount(due, headline.unit)}"
                f"（全年目标{_amount(annual, headline.unit)}）"
            )
        else:
            target = f"年度目标{_amount(annual, headline.unit)}"
        lines.append(
            (
                f"{headline.label}{stated}，低于{target}。",
                f"围绕年度目标，推动{headline.label}达到{_amount(annual, headline.unit)}。",
            )
        )
    return lines


def rates_fallen(now: Figures, before: Figures) -> list[tuple[str, str]]:
    """(shortcoming, plan) for each rate lower than on the same span a year earlier."""
    lines = []
    for label, rate in RATES:
        this, last = rate(now), rate(before)
        if this.value is None or last.value is None or this.value >= last.value:
            continue
        drop = strip_zeros(last.value - this.value)
        lines.append(
            (
                f"{label}{pct(this)}，比去年同期（{pct(last)}）下降{drop}个百分点。",
                f"查找{label}下降的原因，力争回到去年同期{pct(last)}以上。",
            )
        )
    return lines


def overdue_reviews(figures: Figures, at: str) -> list[tuple[str, str]]:
    """Households of the hardship register whose yearly review is overdue at the period's end."""
    n = figures.welfare.hardship_overdue
    if not n:
        return []
    return [
        (
            f"截至{at}，在档困难职工中有{n}户超过12个月未复核。",
            f"完成{n}户困难职工的逾期复核，做到应进则进、应退则退。",
        )
    ]


def open_cases(scope: Scope, today: datetime.date) -> list[tuple[str, str]]:
    """Cases still 处理中 more than 30 days after they were received, as of today."""
    row = Case.objects.filter(
        township_id__in=scope.township_ids,
        status=CaseStatus.OPEN,
        received_on__lte=today - datetime.timedelta(days=OPEN_CASE_DAYS),
    ).aggregate(n=Count("pk"), first=Min("received_on"))
    n = row["n"]
    if not n:
        return []
    return [
        (
            f"截至{cn_date(today)}，尚有{n}件信访和劳动争议受理已超过{OPEN_CASE_DAYS}天仍未办结"
            f"（最早的于{cn_date(row['first'])}受理）。",
            f"逐件跟踪{n}件超过{OPEN_CASE_DAYS}天未办结的信访和劳动争议，推动尽快办结。",
        )
    ]


def expiring_contracts(scope: Scope, today: datetime.date) -> list[tuple[str, str]]:
    """Contracts in force today that expire within six months, with no later contract of the
    same party and kind (a renewal already signed)."""
    later = CollectiveContract.objects.filter(
        township_id=OuterRef("township_id"),
        party_name=OuterRef("party_name"),
        kind=OuterRef("kind"),
        signed_on__gt=OuterRef("signed_on"),
    )
    rows = list(
        CollectiveContract.objects.filter(
            township_id__in=scope.township_ids,
            signed_on__lte=today,
            expires_on__gt=today,
            expires_on__lte=today + datetime.timedelta(days=EXPIRY_WINDOW_DAYS),
        )
        .exclude(Exists(later))
        .order_by("expires_on", "party_name")
        .values_list("party_name", "expires_on")
    )
    if not rows:
        return []
    parties = list(dict.fromkeys(p for p, _ in rows))
    named = "、".join(parties[:3]) + ("等" if len(parties) > 3 else "")
    return [
        (
            f"{len(rows)}份集体合同将于{cn_date(rows[-1][1])}前陆续到期（{named}），尚未续签。",
            f"提前做好{named}{len(rows)}份集体合同的到期续签工作。",
        )
    ]


# The lines are the summary's own words, inserted into its Chinese text: the indicators' names
# and units they quote are the Chinese ones whatever language the page around them is in.
@translation.override("zh-hans")
def draft_lines(
    scope: Scope,
    period: Period,
    now: Figures,
    before: Figures,
    *,
    today: datetime.date | None = None,
) -> Drafts:
    """The drafted lines for a summary of the scope and period, from its figures (`now`, and
    `before` for the same span a year earlier) and the records as of today."""
    today = today or clock.today()
    pairs = (
        below_target(scope, period, now)
        + rates_fallen(now, before)
        + overdue_reviews(now, cn_date(period.end))
        + open_cases(scope, today)
        + expiring_contracts(scope, today)
    )
    return Drafts(
        shortcomings=tuple(dict.fromkeys(str(s) for s, _ in pairs)),
        plans=tuple(dict.fromkeys(str(p) for _, p in pairs)),
    )
