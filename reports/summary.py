"""Build the work summary (工作总结) Document from the indicators and the staff-written parts.

Every figure comes from `reports.indicators`; this module only words them, as a chair would:
each paragraph states the few figures that matter and names the work, and every figure the body
states is in the appendix table under the same name (职工活动次数, 农民工入会率 …), with all the
others. A section with no records is left out. Where the portal holds records for the same span a
year earlier, a figure's change is stated right after it ("比去年同期增加12户次", "去年同期未开展").
A period not over on the build day is stated "截至" that day and compared with the same span a year
earlier. Amounts below 10,000 yuan are written in 元, others in 万元; rates without a trailing ".0".
"""

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation

from events.models import EventCategory
from reports import indicators, items
from reports.document import BulletList, Document, Paragraph, Section, Table
from reports.indicators import Figures, Indicators, Rate, Scope
from reports.items import EventItem
from unionportal import clock
from unionportal.periods import Period
from welfare.models import BeneficiaryType

NUMERALS = "一二三四五六七八九十"
TYPE_ORDER = list(BeneficiaryType.labels)
# A ranking names this many townships at most, and only when the county has more than twice as
# many townships as it names (ranking 3 of 3 says nothing).
RANK_SIZE = 3
# Main activities named in the body.
MAIN_EVENTS = 6


@dataclass(frozen=True)
class Narrative:
    """What staff wrote for this township (or county) and period; any part may be empty."""

    opening: str = ""
    practices: str = ""
    shortcomings: str = ""
    plans: str = ""


# --- wording helpers ----------------------------------------------------------------------------


def cn_date(day: datetime.date, *, with_year: bool = True) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if with_year else f"{day.month}月{day.day}日"


def _strip_zeros(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(amount: Decimal | int) -> str:
    """An amount as a summary writes it: 7000元 below 10,000 yuan, 4.45万元 from there."""
    amount = Decimal(amount)
    if abs(amount) >= 10000:
        wan = (amount / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{_strip_zeros(wan)}万元"
    return f"{_strip_zeros(amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))}元"


def pct(rate: Rate) -> str:
    """A rate as a percentage without a trailing '.0' (84.5%, 100%); '—' without a base."""
    if rate.value is None:
        return "—"
    return f"{_strip_zeros(rate.value)}%"


def _ratio(now, before) -> str:
    times = (Decimal(now) / Decimal(before)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _strip_zeros(times)


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
    return f"{text}，{'增长' if diff > 0 else '下降'}{_strip_zeros(share)}%"


def rate_change(now: Rate, before: Rate) -> str:
    if now.value is None or before.value is None:
        return ""
    diff = now.value - before.value
    if diff == 0:
        return "与去年同期持平"
    return f"比去年同期{'提高' if diff > 0 else '下降'}{_strip_zeros(abs(diff))}个百分点"


def _join(parts: list[str], sep: str = "，") -> str:
    return sep.join(p for p in parts if p)


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Staff text: one paragraph per non-empty line; kept as plain text (renderers escape it)."""
    return tuple(Paragraph(line.strip()) for line in re.split(r"\r?\n", text or "") if line.strip())


def _county_base(name: str) -> str:
    """余姚市总工会 → 余姚市: the place, without the federation's word."""
    return name.removesuffix("总工会")


def county_kind(scope: Scope) -> str:
    """县, 市 or 区: what the federation's place is, by its name (余姚市 → 市)."""
    last = _county_base(scope.county_name if not scope.is_county else scope.name)[-1:]
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


def _plain_title(title: str, year: int) -> str:
    """An event's name inside the year's summary: its leading '2026年' left out, so a numbered
    line never starts with digits that run into the number ('1.2026年…')."""
    for prefix in (f"{year}年度", f"{year}年"):
        if title.startswith(prefix) and len(title) > len(prefix) + 1:
            return title[len(prefix) :]
    return title


def _names(names: list[str], limit: int = 3) -> str:
    shown = "、".join(names[:limit])
    return shown + ("等" if len(names) > limit else "")


def _units(text: str) -> list[str]:
    return [u for u in re.split(r"[、;；,，]\s*", text.strip()) if u]


# --- sections -----------------------------------------------------------------------------------


class _Writer:
    def __init__(
        self,
        this: Indicators,
        last: Indicators,
        lists: dict,
        *,
        asof: datetime.date | None,
        period: Period,
    ):
        self.this, self.last = this, last
        self.now: Figures = this.total()
        self.before: Figures = last.total()
        self.lists = lists
        self.scope = this.scope
        self.period = period  # the period named (the figures may stop at `asof`)
        self.asof = asof  # the build day, when the period is not over on it
        self.area = area_word(self.scope)
        self.we = we_word(self.scope)
        phrase = period_phrase(period)
        if asof is None:
            self.when = phrase
        elif period.start.month == 1 and period.start.day == 1:
            self.when = "今年以来"
        else:
            self.when = f"{phrase}以来" if phrase != "本期" else "本期以来"
        self.at = cn_date(asof or period.end)
        self.names: dict[int, str] = {}  # township names, for a county roll-up
        b = self.before
        # Compare with last year only where the portal holds records of that span.
        self.history = bool(
            b.organisation.unions
            or b.organisation.members
            or b.rights.cases
            or b.welfare.visits
            or sum(b.activities.events_by_category.values())
            or b.dues.due
            or b.dues.remit_due
            or b.activities.honours
            or b.organisation.re_elected_unions
        )

    def table_date(self, day: datetime.date) -> str:
        """Dates in tables: 5月27日 within a one-year period (the title says the year)."""
        return cn_date(day, with_year=self.period.start.year != self.period.end.year)

    def day(self, day: datetime.date) -> str:
        return cn_date(day, with_year=self.period.start.year != self.period.end.year)

    def title(self, title: str) -> str:
        return _plain_title(title, self.period.start.year)

    def versus(self, now, before, unit: str, *, none_before: str = "去年同期未开展") -> str:
        return change(now, before, unit, none_before=none_before) if self.history else ""

    def rate_versus(self, now: Rate, before: Rate) -> str:
        return rate_change(now, before) if self.history else ""

    def _prefix(self, township: str) -> str:
        return f"{township}" if self.scope.is_county else ""

    def _of(self, township: str, title: str) -> str:
        """A named item in a roll-up carries its township, once: 青石镇职工篮球赛, not
        青石镇青石镇职工篮球赛."""
        title = self.title(title)
        if not self.scope.is_county or title.startswith(township):
            return title
        return f"{township}{title}"

    # 一、组织建设
    def organisation(self) -> Section | None:
        o, ob = self.now.organisation, self.before.organisation
        if not (o.unions or o.members or o.employers_due or o.new_unions):
            return None
        first = f"截至{self.at}，{self.area}共有基层工会{o.unions}家"
        if o.members:
            first += f"、会员{o.members}人"
            if o.migrant_members:
                first += f"，其中农民工会员{o.migrant_members}人"
        text = first + "。"
        growth = []
        if o.new_unions:
            names = [self._of(u.township, u.name) for u in self.lists["new_unions"]]
            growth.append(f"{self.when}{self.area}新建基层工会{o.new_unions}家（{_names(names)}）")
        if o.new_members:
            growth.append(
                _join(
                    [
                        ("" if o.new_unions else self.when + self.area)
                        + f"新发展会员{o.new_members}人",
                        self.versus(
                            o.new_members, ob.new_members, "人", none_before="去年同期无新发展会员"
                        ),
                    ]
                )
            )
        elif not o.new_unions:
            growth.append(f"{self.when}{self.area}未新发展会员")
        text += _join(growth) + "。"
        coverage = []
        if o.employers_due:
            if o.employers_unionised == o.employers_due:
                cover = (
                    f"{self.area}应建会单位{o.employers_due}家已全部建会，"
                    f"建会率{pct(o.unionisation_rate)}"
                )
            else:
                cover = (
                    f"{self.area}应建会单位{o.employers_due}家，已建会{o.employers_unionised}家，"
                    f"建会率{pct(o.unionisation_rate)}"
                )
            cover = _join([cover, self.rate_versus(o.unionisation_rate, ob.unionisation_rate)])
            coverage.append(cover)
        rates = []
        if o.covered_employees:
            rates.append(f"入会率{pct(o.membership_rate)}")
        if o.covered_migrant_employees:
            rates.append(f"农民工入会率{pct(o.migrant_membership_rate)}")
        if rates:
            coverage.append("建会单位" + "，".join(rates))
        if coverage:
            text += "；".join(coverage) + "。"
        blocks: list = [Paragraph(text)]
        quality = []
        if o.standardised_unions:
            quality.append(f"规范化工会{o.standardised_unions}家")
        if o.star_total:
            quality.append(f"星级工会{o.star_total}家")
        if quality:
            # The status at the period's end (its milestones), so a past period states its own.
            sentence = f"截至{self.at}，{self.area}有" + "、".join(quality)
            if o.congress_unions:
                sentence += f"，{o.congress_unions}家工会建立了职工代表大会制度"
            blocks.append(Paragraph(sentence + "，基层工会规范化建设持续推进。"))
        elif o.congress_unions:
            blocks.append(
                Paragraph(f"{self.area}有{o.congress_unions}家工会建立了职工代表大会制度。")
            )
        progress = []
        if o.re_elected_unions:
            elected = f"{o.re_elected_unions}家工会完成换届"
            if o.migrant_chairs_elected:
                elected += f"（其中{o.migrant_chairs_elected}家选举外来职工担任工会主席）"
            versus = self.versus(
                o.re_elected_unions, ob.re_elected_unions, "家", none_before="去年同期无工会换届"
            )
            progress.append(_join([elected, versus]))
        if o.congresses_held:
            progress.append(f"召开职代会{o.congresses_held}次")
        if o.new_congress_systems:
            progress.append(f"新建立职代会制度{o.new_congress_systems}家")
        if o.new_openness:
            progress.append(f"新建立厂务公开制度{o.new_openness}家")
        if o.new_standardised:
            progress.append(f"新达标规范化工会{o.new_standardised}家")
        if o.new_stars_total:
            by_level = "、".join(f"{k}级{v}家" for k, v in reversed(list(o.new_stars.items())) if v)
            progress.append(f"新评星级工会{o.new_stars_total}家（{by_level}）")
        if o.new_model_homes:
            progress.append(f"新评模范职工之家{o.new_model_homes}家")
        if o.refounded_unions:
            progress.append(f"重建基层工会{o.refounded_unions}家")
        if progress:
            progress_text = f"{self.when}，{self.area}" + "，".join(progress)
            blocks.append(Paragraph(progress_text + "。"))
        named = self._milestone_names()
        if named:
            blocks.append(Paragraph(named))
        return Section("组织建设", tuple(blocks))

    def _milestone_names(self) -> str:
        """The star ratings, 模范职工之家 and re-founded unions of the period, by name."""
        rated, rebuilt = [], []
        for m in self.lists.get("milestones", []):
            name = self._of(m.township, m.union)
            if m.kind == "重建":
                rebuilt.append(f"{name}于{self.day(m.happened_on)}重建")
            elif m.kind == "星级评定":
                rated.append(f"{name}被评为{m.level}级工会")
            else:
                rated.append(f"{name}被评为{m.level}模范职工之家")
        parts = ["，".join(rated[:4])] if rated else []
        if rebuilt:
            parts.append("，".join(rebuilt[:3]) + "，恢复开展工会工作")
        return "；".join(parts) + "。" if parts else ""

    # 二、维权
    def cases(self) -> Section | None:
        r, rb = self.now.rights, self.before.rights
        if not (r.cases or r.resolved_cases or r.recovered):
            return None
        text = ""
        if r.cases:
            head = _join(
                [
                    f"{self.when}，{self.we}共受理职工信访和劳动争议{r.cases}件",
                    self.versus(r.cases, rb.cases, "件", none_before="去年同期未受理"),
                ]
            )
            extra = []
            if r.collective_cases:
                extra.append(f"集体信访{r.collective_cases}件")
            if r.arbitration_cases:
                extra.append(f"参与仲裁{r.arbitration_cases}件")
            if extra:
                head += "，其中" + "、".join(extra)
            text = head + (f"，共涉及职工{r.people}人" if r.people else "") + "。"
            closed = (
                f"截至{self.at}，这{r.cases}件中已办结{r.closed_cases}件，"
                f"办结率{pct(r.closure_rate)}"
            )
            closed = _join([closed, self.rate_versus(r.closure_rate, rb.closure_rate)])
            if r.open_cases:
                closed += f"；其余{r.open_cases}件仍在办理，正跟踪落实"
            text += closed + "。"
            resolved = []
            if r.resolved_cases:
                # 协调解决 counts cases closed within the period, whenever received; 办结率 counts
                # this period's cases. Said so, the two figures cannot read as a contradiction.
                resolved.append(
                    f"按结案时间统计，{self.when}协调解决信访和劳动争议{r.resolved_cases}件"
                    + ("（含此前受理的案件）" if r.resolved_cases > r.closed_cases else "")
                )
            if r.recovered:
                resolved.append(f"为职工追回工资等款项{money(r.recovered)}")
            if resolved:
                text += _join(resolved) + "。"
        else:
            parts = [f"{self.when}{self.we}未受理新的信访和劳动争议"]
            follow = []
            if r.resolved_cases:
                follow.append(f"此前受理的案件中协调解决{r.resolved_cases}件")
            if r.recovered:
                follow.append(f"为职工追回工资等款项{money(r.recovered)}")
            if follow:
                parts.append(f"{self.we}继续跟进" + "，".join(follow))
            text = "；".join(parts) + "。"
        return Section("信访维权", (Paragraph(text),), level=2)

    def contracts(self) -> Section | None:
        r, rb = self.now.rights, self.before.rights
        new_total, renew_total = r.new_contracts_total, r.renewed_contracts_total
        if not (new_total or renew_total or r.contract_units):
            return None
        sentences = []
        if new_total:
            counts = {k: v for k, v in r.new_contracts.items() if v}
            if len(counts) > 1 and len(set(counts.values())) == 1:
                kinds = f"（{'、'.join(counts)}各{next(iter(counts.values()))}份）"
            elif len(counts) > 1:
                kinds = f"（{'、'.join(f'{k}{v}份' for k, v in counts.items())}）"
            else:
                kinds = f"（{next(iter(counts))}）" if counts else ""
            signed = _join(
                [
                    f"{self.when}{self.area}新签集体合同{new_total}份{kinds}",
                    self.versus(
                        new_total, rb.new_contracts_total, "份", none_before="去年同期未新签"
                    ),
                ]
            )
            if renew_total:
                signed += f"；另有{renew_total}份集体合同到期后续签"
            sentences.append(signed + "。")
        elif renew_total:
            sentences.append(f"{self.when}{self.area}续签集体合同{renew_total}份。")
        if r.contract_units:
            sentences.append(
                f"截至{self.at}，{self.area}有效集体合同覆盖单位{r.contract_units}家、"
                f"职工{r.contract_workers}人。"
            )
        blocks: list = [Paragraph("".join(sentences))]
        if self.lists["contracts"]:
            blocks.append(
                Table(
                    caption=f"{self.when}签订的集体合同",
                    header=(("乡镇",) if self.scope.is_county else ())
                    + ("签约单位", "合同类型", "覆盖职工（人）", "签订日期"),
                    rows=tuple(
                        ((c.township,) if self.scope.is_county else ())
                        + (
                            c.party,
                            c.kind + ("（续签）" if c.is_renewal else ""),
                            str(c.workers),
                            self.table_date(c.signed_on),
                        )
                        for c in self.lists["contracts"]
                    ),
                )
            )
        return Section("集体合同", tuple(blocks), level=2)

    def _inspection_text(self, e: EventItem) -> str:
        units = _units(e.units)
        text = f"{self._of(e.township, e.title)}（{self.day(e.starts_on)}）"
        if units:
            text += f"，检查{_names(units, 2)}{len(units)}家单位"
        return text

    def inspections(self) -> Section | None:
        r, rb = self.now.rights, self.before.rights
        if not r.inspections:
            return None
        text = _join(
            [
                f"{self.when}，{self.we}联合有关部门开展劳动法律监督检查{r.inspections}次",
                self.versus(r.inspections, rb.inspections, "次"),
            ]
        )
        found = self.lists["inspections"]
        items = [self._inspection_text(e) for e in found]
        if len(found) == 1:
            e = found[0]
            units = _units(e.units)
            one = f"{self.day(e.starts_on)}开展{self.title(e.title)}"
            if units:
                one += f"，检查了{_names(units, 2)}{len(units)}家单位"
            return Section("劳动法律监督", (Paragraph(f"{text}。{one}。"),), level=2)
        blocks = [Paragraph(text + "，主要有：")] + ([BulletList(tuple(items))] if items else [])
        return Section("劳动法律监督", tuple(blocks), level=2)

    def rights(self) -> Section | None:
        subs = [s for s in (self.cases(), self.contracts(), self.inspections()) if s]
        if not subs:
            return None
        return Section("维护职工合法权益", subsections=tuple(subs))

    # 三、帮扶送温暖
    def hardship(self) -> str:
        """The hardship register and medical mutual aid, where the township keeps them."""
        w, wb = self.now.welfare, self.before.welfare
        # 同比 only where last year's register has records (else nothing was kept then).
        had_register = bool(wb.hardship_on_file or wb.hardship_new or wb.hardship_out)
        text = ""
        if w.hardship_on_file:
            text += f"截至{self.at}，{self.area}在档困难职工{w.hardship_on_file}户"
            if had_register:
                text += "，" + change(w.hardship_on_file, wb.hardship_on_file, "户")
            if w.hardship_new or w.hardship_out:
                moves = []
                if w.hardship_new:
                    moves.append(f"新建档{w.hardship_new}户")
                if w.hardship_out:
                    moves.append(f"脱困{w.hardship_out}户")
                text += f"，{self.when}" + "、".join(moves)
            if w.hardship_visited:
                text += (
                    f"；已走访在档困难职工{w.hardship_visited}户，"
                    f"困难职工走访覆盖率{pct(w.hardship_coverage)}"
                )
                coverage_change = rate_change(w.hardship_coverage, wb.hardship_coverage)
                if had_register and coverage_change:
                    text += f"，{coverage_change}"
            text += "。"
            text += self._register_by_township()
        if w.aid_enrolled:
            text += (
                f"{self.area}参加职工医疗互助{w.aid_enrolled}人，参加率{pct(w.aid_rate)}"
                + (f"，{rate_change(w.aid_rate, wb.aid_rate)}" if wb.aid_workers else "")
                + (
                    f"，{self.when}受助{w.aid_payouts}人次、{money(w.aid_paid)}"
                    if w.aid_payouts
                    else ""
                )
                + "。"
            )
        return text + self._aid_by_township()

    def _register_by_township(self) -> str:
        """A county roll-up names the townships with households on file, most first."""
        if not (self.scope.is_county and self.names):
            return ""
        counts = [
            (self.this.welfare[tid].hardship_on_file, self.names.get(tid, ""))
            for tid in self.scope.township_ids
        ]
        counts = sorted((c for c in counts if c[0]), key=lambda c: (-c[0], c[1]))
        if not counts:
            return ""
        named = "、".join(f"{name}{n}户" for n, name in counts[:5])
        return f"分乡镇看，{named}{'等' if len(counts) > 5 else ''}。"

    def _aid_by_township(self) -> str:
        """A county roll-up names the townships with the highest mutual-aid enrolment rate."""
        if not (self.scope.is_county and self.names):
            return ""
        rates = [
            (self.this.welfare[tid].aid_rate, self.names.get(tid, ""))
            for tid in self.scope.township_ids
        ]
        rates = sorted(
            (r for r in rates if r[0].value is not None), key=lambda r: (-r[0].value, r[1])
        )
        if len(rates) < 2:
            return ""
        top = rates[:3]
        return "医疗互助参加率较高的是" + "、".join(f"{name}（{pct(r)}）" for r, name in top) + "。"

    def welfare(self) -> Section | None:
        w, wb = self.now.welfare, self.before.welfare
        register = self.hardship()
        if not w.visits:
            return Section("帮扶送温暖", (Paragraph(register),)) if register else None
        kinds = [str(k) for k in TYPE_ORDER if w.visits_by_type.get(str(k)) and k != "其他"]
        who = "、".join(kinds[:3]) + ("等" if kinds else "") if kinds else "职工"
        text = _join(
            [
                f"{self.when}，{self.we}共走访慰问{who}{w.visits}户次",
                self.versus(w.visits, wb.visits, "户次"),
            ]
        )
        spent = []
        if w.cash:
            spent.append(f"慰问金{money(w.cash)}")
        if w.goods:
            spent.append(f"慰问物资折款{money(w.goods)}")
        if spent:
            text += "，发放" + "、".join(spent)
            if w.cash and w.goods:
                text += f"，合计{money(w.amount)}"
        text += "。"
        blocks: list = [Paragraph(text)]
        if register:
            blocks.append(Paragraph(register))
        campaigns = self.lists["campaigns"]
        if campaigns:
            names = [self.title(c.name) for c in campaigns]
            blocks.append(
                Paragraph(
                    f"{self.when}重点开展了{''.join(f'“{n}”' for n in names[:4])}等帮扶活动："
                )
                if len(campaigns) > 1
                else Paragraph(f"{self.when}重点开展了“{names[0]}”帮扶活动：")
            )
            blocks.append(
                BulletList(
                    tuple(
                        f"{self.title(c.name)}，慰问{c.visits}户次"
                        + (f"，{money(c.amount)}" if c.amount else "")
                        for c in campaigns
                    )
                )
            )
        return Section("帮扶送温暖", tuple(blocks))

    # 四、职工活动
    def activities(self) -> Section | None:
        a, ab = self.now.activities, self.before.activities
        if not a.events and not a.meetings and not a.honours:
            return None
        blocks: list = []
        if a.events:
            text = _join(
                [
                    f"{self.when}，{self.area}共开展职工活动{a.events}次",
                    self.versus(a.events, ab.events, "次"),
                ]
            )
            if a.participants:
                text += f"，参与职工{a.participants}人次"
                if self.history and ab.participants:
                    text += f"（去年同期{ab.participants}人次）"
            kinds = [
                str(label)
                for value, label in EventCategory.choices
                if a.events_by_category.get(str(label))
                and value
                not in (EventCategory.INSPECTION, EventCategory.PUBLICITY, EventCategory.MEETING)
                and value != EventCategory.OTHER
            ]
            if len(kinds) > 1:
                text += f"，涵盖{'、'.join(kinds)}等方面"
            blocks.append(Paragraph(text + "。"))
            events = sorted(
                sorted(self.lists["main_events"], key=lambda e: -(e.participants or 0))[
                    :MAIN_EVENTS
                ],
                key=lambda e: e.starts_on,
            )
            if events:
                blocks.append(Paragraph("主要活动有："))
                items = []
                for e in events:
                    item = f"{self._of(e.township, e.title)}（{self.day(e.starts_on)}"
                    item += f"，{e.participants}人参加）" if e.participants else "）"
                    items.append(item)
                blocks.append(BulletList(tuple(items)))
        if a.honours:
            text = f"{self.when}，{self.area}获得各级荣誉表彰{a.honours}项"
            text = _join([text, self.versus(a.honours, ab.honours, "项", none_before="")])
            if a.model_workers:
                text += f"，其中劳动模范和五一劳动奖章{a.model_workers}人（项）"
            collective = a.honours_by_type.get("集体", 0)
            if collective:
                text += f"；集体荣誉{collective}项"
            named = [
                f"{self._of(h.township, h.recipient)}获评{h.level}{h.title}"
                for h in self.lists.get("honours", [])
            ]
            if named:
                text += "。" + "，".join(named[:6]) + ("等" if len(named) > 6 else "")
            blocks.append(Paragraph(text + "。"))
        if a.meetings:
            # A roll-up names no one township's meeting for the whole county's.
            meeting_titles = (
                []
                if self.scope.is_county
                else [self.title(e.title) for e in self.lists["meetings"]]
            )
            blocks.append(
                Paragraph(
                    f"此外，{self.we}召开{meeting_titles[0] + '等' if meeting_titles else ''}"
                    f"会议{a.meetings}次，部署推进各项工作。"
                )
            )
        return Section("劳动竞赛与职工活动", tuple(blocks))

    # 五、宣传
    def publicity(self) -> Section | None:
        a, ab = self.now.activities, self.before.activities
        if not a.publicity:
            return None
        items = self.lists["publicity"]
        outlets: list[str] = []
        for e in items:
            if e.media and e.media not in outlets:
                outlets.append(e.media)
        where = (
            f"在{'、'.join(outlets[:4])}{'等媒体' if len(outlets) > 1 else ''}" if outlets else ""
        )
        text = _join(
            [
                f"{self.when}，{self.we}{where}刊发工会工作宣传报道{a.publicity}篇",
                self.versus(a.publicity, ab.publicity, "篇", none_before="去年同期未刊发"),
            ]
        )

        def named(e: EventItem) -> str:
            return f"《{e.title}》（{_join([e.media, self.day(e.starts_on)], '，')}）"

        if len(items) <= 2:
            text += "：" + "、".join(named(e) for e in items) if items else ""
            return Section("宣传工作", (Paragraph(text + "。"),))
        return Section(
            "宣传工作",
            (Paragraph(text + "，主要有："), BulletList(tuple(named(e) for e in items))),
        )

    # 六、经费
    def dues(self) -> Section | None:
        d, db = self.now.dues, self.before.dues
        if not d.due and not d.paid and not d.remit_due:
            return None
        blocks = []
        if d.due or d.paid:
            text = (
                f"{self.when}{self.area}应收缴工会经费{money(d.due)}，实缴{money(d.paid)}，"
                f"收缴率{pct(d.collection_rate)}"
            )
            text = _join([text, self.rate_versus(d.collection_rate, db.collection_rate)])
            blocks.append(Paragraph(text + "。"))
        if d.remit_due:
            # 经费上缴率 (spec/indicators.md, second round): remitted to the higher union.
            text = (
                f"{self.when}{self.we}应上缴上级工会经费{money(d.remit_due)}，"
                f"实上缴{money(d.remit_paid)}，上缴率{pct(d.remittance_rate)}"
            )
            if db.remit_due:
                text = _join([text, self.rate_versus(d.remittance_rate, db.remittance_rate)])
            blocks.append(Paragraph(text + "。"))
        return Section("经费收缴", tuple(blocks))

    # county roll-up: per-township table and ranking
    def townships(self, names: dict[int, str]) -> Section | None:
        if not self.scope.is_county or not self.scope.township_ids:
            return None
        ids = self.scope.township_ids
        figs = {tid: self.this.for_township(tid) for tid in ids}
        rows = []
        for tid in ids:
            f = figs[tid]
            rows.append(
                (
                    names[tid],
                    str(f.organisation.members),
                    str(f.organisation.new_members),
                    pct(f.organisation.unionisation_rate),
                    pct(f.organisation.membership_rate),
                    str(f.rights.cases),
                    pct(f.rights.closure_rate),
                    str(f.welfare.visits),
                    pct(f.dues.collection_rate),
                )
            )
        table = Table(
            caption="各乡镇主要指标",
            header=(
                "乡镇",
                "会员数",
                "新发展会员",
                "建会率",
                "入会率",
                "信访受理",
                "办结率",
                "慰问户次",
                "经费收缴率",
            ),
            rows=tuple(rows),
        )
        ranked = []
        # Rank only where the county has clearly more townships than are named.
        size = next((k for k in range(RANK_SIZE, 0, -1) if len(ids) > 2 * k), 0)

        def top(label: str, key, fmt) -> None:
            if not size:
                return
            order = sorted(ids, key=lambda t: (-(key(figs[t]) or 0), names[t]))
            best = [t for t in order if key(figs[t])][:size]
            if best:
                ranked.append(
                    (f"{label}居前{len(best)}位的是" if len(best) > 1 else f"{label}最高的是")
                    + "、".join(f"{names[t]}（{fmt(figs[t])}）" for t in best)
                )

        top(
            "新发展会员",
            lambda f: f.organisation.new_members,
            lambda f: f"{f.organisation.new_members}人",
        )
        top(
            "建会率",
            lambda f: f.organisation.unionisation_rate.value,
            lambda f: pct(f.organisation.unionisation_rate),
        )
        top("慰问户次", lambda f: f.welfare.visits, lambda f: f"{f.welfare.visits}户次")
        top(
            "经费收缴率",
            lambda f: f.dues.collection_rate.value,
            lambda f: pct(f.dues.collection_rate),
        )
        places = "乡镇（街道）" if any(n.endswith("街道") for n in names.values()) else "乡镇"
        blocks: list = [Paragraph(f"{self.area}{len(ids)}个{places}的主要指标见下表。")]
        if ranked:
            blocks.append(Paragraph("；".join(ranked) + "。"))
        blocks.append(table)
        return Section("各乡镇工作情况", tuple(blocks))

    def appendix_rows(self) -> list[tuple[str, str, str]]:
        """(name, this period, a year earlier) for every figure of the summary, named as the
        body names it."""
        n, b = self.now, self.before
        no, bo = n.organisation, b.organisation
        nr, br = n.rights, b.rights
        nw, bw = n.welfare, b.welfare
        na, ba = n.activities, b.activities
        nd, bd = n.dues, b.dues

        def row(label: str, now, before, fmt=str):
            return (label, fmt(now), fmt(before) if self.history else "—")

        return [
            row("基层工会数（家）", no.unions, bo.unions),
            row("新建基层工会数（家）", no.new_unions, bo.new_unions),
            row("会员数（人）", no.members, bo.members),
            row("新发展会员数（人）", no.new_members, bo.new_members),
            row("农民工会员数（人）", no.migrant_members, bo.migrant_members),
            row("应建会单位数（家）", no.employers_due, bo.employers_due),
            row("已建会单位数（家）", no.employers_unionised, bo.employers_unionised),
            row("建会率", no.unionisation_rate, bo.unionisation_rate, pct),
            row("入会率", no.membership_rate, bo.membership_rate, pct),
            row("农民工入会率", no.migrant_membership_rate, bo.migrant_membership_rate, pct),
            row("规范化工会数（家）", no.standardised_unions, bo.standardised_unions),
            row("星级工会数（家）", no.star_total, bo.star_total),
            row("建立职代会制度工会数（家）", no.congress_unions, bo.congress_unions),
            row("换届工会数（家）", no.re_elected_unions, bo.re_elected_unions),
            row("召开职代会次数", no.congresses_held, bo.congresses_held),
            row("新建立职代会制度数（家）", no.new_congress_systems, bo.new_congress_systems),
            row("新建立厂务公开制度数（家）", no.new_openness, bo.new_openness),
            row("新达标规范化工会数（家）", no.new_standardised, bo.new_standardised),
            row("新评星级工会数（家）", no.new_stars_total, bo.new_stars_total),
            row("新评模范职工之家（家）", no.new_model_homes, bo.new_model_homes),
            row("信访受理数（件）", nr.cases, br.cases),
            row("涉及职工（人）", nr.people, br.people),
            row("集体信访数（件）", nr.collective_cases, br.collective_cases),
            row("参与仲裁数（件）", nr.arbitration_cases, br.arbitration_cases),
            row("当期受理已办结数（件）", nr.closed_cases, br.closed_cases),
            row("当期受理尚在办理数（件）", nr.open_cases, br.open_cases),
            row("办结率", nr.closure_rate, br.closure_rate, pct),
            row("协调解决数（件，按结案时间）", nr.resolved_cases, br.resolved_cases),
            row("追回金额", nr.recovered, br.recovered, money),
            row("新签集体合同数（份）", nr.new_contracts_total, br.new_contracts_total),
            row("续签集体合同数（份）", nr.renewed_contracts_total, br.renewed_contracts_total),
            row("有效集体合同覆盖单位数（家）", nr.contract_units, br.contract_units),
            row("有效集体合同覆盖职工数（人）", nr.contract_workers, br.contract_workers),
            row("执法检查次数", nr.inspections, br.inspections),
            row("慰问户次", nw.visits, bw.visits),
            row("慰问金", nw.cash, bw.cash, money),
            row("慰问物资折款", nw.goods, bw.goods, money),
            row("慰问金额（含物资折款）", nw.amount, bw.amount, money),
            row("在档困难职工户数（户）", nw.hardship_on_file, bw.hardship_on_file),
            row("新建档户数（户）", nw.hardship_new, bw.hardship_new),
            row("脱困户数（户）", nw.hardship_out, bw.hardship_out),
            row("走访在档困难职工户数（户）", nw.hardship_visited, bw.hardship_visited),
            row("困难职工走访覆盖率", nw.hardship_coverage, bw.hardship_coverage, pct),
            row("复核逾期户数（户）", nw.hardship_overdue, bw.hardship_overdue),
            row("医疗互助参加人数（人）", nw.aid_enrolled, bw.aid_enrolled),
            row("医疗互助参加率", nw.aid_rate, bw.aid_rate, pct),
            row("医疗互助受助人次", nw.aid_payouts, bw.aid_payouts),
            row("医疗互助受助金额", nw.aid_paid, bw.aid_paid, money),
            row("职工活动次数", na.events, ba.events),
            row("职工活动参与人次", na.participants, ba.participants),
            row("会议次数", na.meetings, ba.meetings),
            row("宣传报道篇数", na.publicity, ba.publicity),
            row("荣誉表彰数（项）", na.honours, ba.honours),
            row("劳动模范和五一劳动奖章", na.model_workers, ba.model_workers),
            row("应缴经费", nd.due, bd.due, money),
            row("实缴经费", nd.paid, bd.paid, money),
            row("经费收缴率", nd.collection_rate, bd.collection_rate, pct),
        ]

    def appendix(self) -> Section:
        now = f"截至{cn_date(self.asof, with_year=False)}" if self.asof else "本期"
        return Section(
            f"附件：{self.period.label}主要指标",
            (
                Table(
                    caption=f"{self.scope.name}{self.period.label}主要指标",
                    header=("指标", now, "去年同期"),
                    rows=tuple(self.appendix_rows()),
                ),
            ),
        )

    # the opening: what the period's work was mostly about, by its figures
    def focus(self) -> list[str]:
        """The period's highlights, strongest first: each a work area with a weight (its
        figure's growth on last year, or its size where last year had none)."""
        n, b = self.now, self.before
        candidates = [
            (
                "建会入会",
                n.organisation.new_members + 10 * n.organisation.new_unions,
                b.organisation.new_members + 10 * b.organisation.new_unions,
            ),
            (
                "集体协商",
                n.rights.new_contracts_total + n.rights.renewed_contracts_total,
                b.rights.new_contracts_total + b.rights.renewed_contracts_total,
            ),
            (
                "职工维权",
                n.rights.cases + n.rights.resolved_cases + n.rights.inspections,
                b.rights.cases + b.rights.resolved_cases + b.rights.inspections,
            ),
            ("帮扶送温暖", n.welfare.visits, b.welfare.visits),
            ("劳动竞赛和职工活动", n.activities.events, b.activities.events),
        ]
        scored = []
        for i, (name, now, before) in enumerate(candidates):
            if not now:
                continue
            growth = Decimal(now) / Decimal(before) if before else Decimal(now)
            scored.append((-growth, i, name))
        return [name for _, _, name in sorted(scored)]

    def opening(self, issuer: str) -> Paragraph:
        federation = (
            "上级工会" if self.scope.is_county else f"{_county_base(self.scope.county_name)}总工会"
        )
        focus = self.focus()
        n, b = self.now, self.before
        grew = sum(
            1
            for now, before in (
                (n.organisation.new_members, b.organisation.new_members),
                (n.welfare.visits, b.welfare.visits),
                (n.activities.events, b.activities.events),
                (n.rights.new_contracts_total, b.rights.new_contracts_total),
            )
            if self.history and now > before
        )
        result = "多项工作比去年同期有新进展" if grew >= 2 else "各项工作稳步推进"
        if len(focus) >= 3:
            doing = f"突出抓好{focus[0]}、{focus[1]}、{focus[2]}等工作"
        elif len(focus) == 2:
            doing = f"突出抓好{focus[0]}和{focus[1]}工作"
        elif focus:
            doing = f"重点抓好{focus[0]}工作"
        else:
            doing = "围绕组织建设和服务职工开展工作"
        if not self.asof:
            start = self.period.label
        elif self.when == "今年以来":
            start = f"{self.period.start.year}年以来"
        else:
            start = f"{self.period.label}以来"
        ending = (
            f"现将{self.when.removesuffix('以来')}工作情况总结如下。"
            if not self.asof
            else f"现将截至{cn_date(self.asof, with_year=False)}的工作情况总结如下。"
        )
        return Paragraph(
            f"{start}，{issuer}在{party_committee(self.scope)}和{federation}的领导下，"
            f"坚持以职工为中心，{doing}，{result}。{ending}"
        )


def _numbered(sections: list[Section]) -> tuple[Section, ...]:
    out = []
    for i, s in enumerate(sections):
        subs = tuple(
            Section(f"（{NUMERALS[j]}）{sub.heading}", sub.blocks, sub.subsections, 2)
            for j, sub in enumerate(s.subsections)
        )
        out.append(Section(f"{NUMERALS[i]}、{s.heading}", s.blocks, subs, 1))
    return tuple(out)


def figures_span(
    period: Period, on: datetime.date | None = None
) -> tuple[Period, datetime.date | None]:
    """The span the figures cover and, when the period is not over on the build day, that day:
    an unfinished period is stated up to the build day (截至…) and compared with the same span a
    year earlier, never with all of last year's period."""
    today = on or clock.today()
    if today >= period.end:
        return period, None
    if today < period.start:
        return period, None
    return Period(period.start, today, f"{period.start.isoformat()}..{today.isoformat()}"), today


# The summary is Chinese by design (issue 17): vocabularies' labels, which follow the page's
# language elsewhere, are read in Chinese while it is built.
@translation.override("zh-hans")
def build_document(
    scope: Scope,
    period: Period,
    *,
    narrative: Narrative | None = None,
    township_names: dict[int, str] | None = None,
    on: datetime.date | None = None,
) -> Document:
    """The summary for a township or county and a period, with the staff-written parts.

    `on` is the build day (today by default): the date under the issuer (成文日期) is the day
    after the period ends or the build day, whichever is earlier, and a period not over on the
    build day is stated up to it. `township_names` is needed for a county roll-up's table.
    """
    narrative = narrative or Narrative()
    span, asof = figures_span(period, on)
    this, last = indicators.with_last_year(scope, span)
    lists = {
        "new_unions": items.new_unions(scope, span),
        "milestones": items.milestone_items(scope, span),
        "honours": items.honour_items(scope, span),
        "contracts": items.contracts_signed(scope, span),
        "inspections": items.inspections(scope, span),
        "main_events": items.main_events(scope, span),
        "meetings": items.meetings(scope, span),
        "publicity": items.publicity(scope, span),
        "campaigns": items.campaigns(scope, span),
    }
    writer = _Writer(this, last, lists, asof=asof, period=period)
    writer.names = township_names or {}
    body = [
        s
        for s in (
            writer.organisation(),
            writer.rights(),
            writer.welfare(),
            writer.activities(),
            writer.publicity(),
            writer.dues(),
            writer.townships(township_names or {}) if scope.is_county else None,
        )
        if s is not None
    ]
    for heading, text in (
        ("主要做法和经验", narrative.practices),
        ("存在的不足", narrative.shortcomings),
        ("下一步工作打算", narrative.plans),
    ):
        if text.strip():
            body.append(Section(heading, paragraphs(text)))
    issuer = issuer_name(scope)
    opening = paragraphs(narrative.opening)
    if not opening:
        if body:
            opening = (writer.opening(issuer),)
        else:
            opening = (Paragraph(f"{period.label}，{issuer}暂无记录在案的工作数据。"),)
    day = on or min(period.end + datetime.timedelta(days=1), clock.today())
    return Document(
        title=title_for(scope, period),
        issuer=issuer,
        date=cn_date(day),
        opening=opening,
        sections=_numbered(body),
        appendix=(writer.appendix(),) if body else (),
        metadata={"period": period.code, "scope": scope.name},
    )


# What the summary page lists before download: each part of the body, by the heading that states
# it, and whether the period has records for it (a part without records is left out).
PARTS = (
    ("组织建设", "组织建设"),
    ("信访维权", "信访维权"),
    ("集体合同", "集体合同"),
    ("劳动法律监督（执法检查）", "劳动法律监督"),
    ("帮扶送温暖", "帮扶送温暖"),
    ("职工活动", "劳动竞赛与职工活动"),
    ("宣传报道", "宣传工作"),
    ("经费收缴", "经费收缴"),
)


def parts_stated(document: Document) -> list[tuple[str, bool]]:
    """(part, whether the document states it) for every part of PARTS, in order."""
    headings: list[str] = []

    def walk(section: Section) -> None:
        headings.append(section.heading)
        for sub in section.subsections:
            walk(sub)

    for section in document.sections:
        walk(section)
    return [(name, any(h.endswith(heading) for h in headings)) for name, heading in PARTS]
