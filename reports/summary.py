"""Build the work summary (工作总结) Document from the indicators and the staff-written parts.

Every figure comes from `reports.indicators`; this module only words them. Sections with no
records are left out rather than padded; where the same period a year earlier has data, the
change is stated (同比). Money is written in one unit through the whole document: 万元 when any
amount reaches 10,000 yuan, otherwise 元.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from events.models import EventCategory
from reports import indicators
from reports.document import BulletList, Document, Paragraph, Section, Table
from reports.indicators import Figures, Indicators, Rate, Scope
from unionportal import clock
from unionportal.periods import Period
from welfare.models import BeneficiaryType, FundSource

NUMERALS = "一二三四五六七八九十"
TYPE_ORDER = list(BeneficiaryType.labels)


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


class MoneyStyle:
    """One unit for every amount in a document (万元 or 元), as official summaries write them."""

    def __init__(self, amounts: list[Decimal]):
        self.wan = any(abs(a) >= 10000 for a in amounts)

    @property
    def unit(self) -> str:
        return "万元" if self.wan else "元"

    def number(self, amount: Decimal) -> str:
        if self.wan:
            return _strip_zeros(
                (Decimal(amount) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            )
        return _strip_zeros(Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

    def __call__(self, amount: Decimal) -> str:
        return f"{self.number(amount)}{self.unit}"


def change(
    now: int | Decimal, before: int | Decimal, unit: str, money: MoneyStyle | None = None
) -> str:
    """同比 wording: '同比增加48人，增长8.5%' / '与去年同期持平' / '同比新增' when last year's
    figure was 0 (spec/indicators.md, Change)."""
    if not before:
        return "同比新增" if now else ""
    diff = now - before
    if diff == 0:
        return "与去年同期持平"
    amount = money(abs(diff)) if money else f"{abs(diff)}{unit}"
    word = "增加" if diff > 0 else "减少"
    pct = Decimal(abs(diff)) * 100 / Decimal(before)
    pct_text = f"{pct.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
    return f"同比{word}{amount}，{'增长' if diff > 0 else '下降'}{pct_text}"


def rate_change(now: Rate, before: Rate) -> str:
    if now.value is None or before.value is None:
        return ""
    diff = now.value - before.value
    if diff == 0:
        return "与去年同期持平"
    return f"同比{'提高' if diff > 0 else '下降'}{abs(diff)}个百分点"


def _join(parts: list[str], sep: str = "，") -> str:
    return sep.join(p for p in parts if p)


def _sentence(*parts: str) -> str:
    text = _join(list(parts))
    return text + "。" if text else ""


def _enumerate_counts(counts: dict[str, int], unit: str) -> str:
    """{'综合': 2, '工资专项': 1} → '综合2份、工资专项1份' (zeros left out)."""
    return "、".join(f"{k}{v}{unit}" for k, v in counts.items() if v)


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Staff text: one paragraph per non-empty line; kept as plain text (renderers escape it)."""
    return tuple(Paragraph(line.strip()) for line in re.split(r"\r?\n", text or "") if line.strip())


def area_word(scope: Scope) -> str:
    """全镇 / 全乡 / 全街道 / 全县, by how the place is named."""
    if scope.is_county:
        return {"区": "全区", "市": "全市"}.get(scope.name[-1:], "全县")
    for suffix, word in (("街道", "全街道"), ("镇", "全镇"), ("乡", "全乡")):
        if scope.name.endswith(suffix):
            return word
    return "辖区内"


def party_committee(scope: Scope) -> str:
    if scope.is_county:
        return "县委"
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
    """How the body refers to the period: 上半年 / 今年 / 第三季度 / 本期."""
    if period.is_year:
        return "全年"
    label = period.label
    if "半年" in label or "季度" in label:
        return label[5:]
    return "本期"


# --- sections -----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, this: Indicators, last: Indicators, lists: dict, narrative: Narrative):
        self.this, self.last = this, last
        self.now: Figures = this.total()
        self.before: Figures = last.total()
        self.lists = lists
        self.narrative = narrative
        self.scope = this.scope
        self.period = this.period
        self.area = area_word(self.scope)
        self.when = period_phrase(self.period)
        amounts = [
            self.now.rights.recovered,
            self.now.welfare.cash,
            self.now.welfare.goods,
            self.now.welfare.amount,
            self.now.dues.due,
            self.now.dues.paid,
        ] + [c.amount for c in lists["campaigns"]]
        self.money = MoneyStyle(amounts)
        b = self.before
        # Compare with last year only where the records reach back that far.
        self.history = bool(
            b.organisation.unions
            or b.organisation.members
            or b.rights.cases
            or b.welfare.visits
            or b.activities.events
            or b.dues.due
        )

    def table_date(self, day: datetime.date) -> str:
        """Dates in tables: 5月27日 within a one-year period (the title says the year)."""
        return cn_date(day, with_year=self.period.start.year != self.period.end.year)

    def change(self, now, before, unit: str) -> str:
        return change(now, before, unit) if self.history else ""

    def rate_change(self, now: Rate, before: Rate) -> str:
        return rate_change(now, before) if self.history else ""

    def _prefix(self, township: str) -> str:
        return f"{township}：" if self.scope.is_county else ""

    # 一、组织建设
    def organisation(self) -> Section | None:
        o, ob = self.now.organisation, self.before.organisation
        if not (o.unions or o.members or o.employers_due or o.new_unions):
            return None
        blocks: list = []
        first = [f"截至{cn_date(self.period.end)}，{self.area}共有基层工会{o.unions}家"]
        if o.members:
            members = f"会员{o.members}人"
            if o.migrant_members:
                members += f"，其中农民工会员{o.migrant_members}人"
            first.append(members)
        growth = []
        if o.new_unions:
            growth.append(f"{self.when}新建基层工会{o.new_unions}家")
        if o.new_members:
            growth.append(
                _join(
                    [
                        f"{'' if o.new_unions else self.when}新发展会员{o.new_members}人",
                        self.change(o.new_members, ob.new_members, "人"),
                    ]
                )
            )
        elif not o.new_unions:
            growth.append(f"{self.when}未新发展会员")
        coverage = []
        if o.employers_due:
            coverage.append(
                f"{self.area}应建会单位{o.employers_due}家，已建会{o.employers_unionised}家，"
                f"建会率{o.unionisation_rate}"
                + (
                    f"，{rc}"
                    if (rc := self.rate_change(o.unionisation_rate, ob.unionisation_rate))
                    else ""
                )
            )
        if o.covered_employees:
            coverage.append(f"建会单位职工{o.covered_employees}人，入会率{o.membership_rate}")
        if o.covered_migrant_employees:
            coverage.append(f"外来职工入会率{o.migrant_membership_rate}")
        blocks.append(
            Paragraph(_sentence(*first) + _sentence(*growth) + _sentence("；".join(coverage)))
        )
        if self.lists["new_unions"]:
            blocks.append(Paragraph(f"{self.when}新建的基层工会有："))
            blocks.append(
                BulletList(
                    tuple(
                        f"{self._prefix(u.township)}{u.name}（{u.kind}，{cn_date(u.founded_on)}成立）"
                        for u in self.lists["new_unions"]
                    )
                )
            )
        quality = []
        if o.standardised_unions:
            quality.append(f"规范化工会{o.standardised_unions}家")
        if o.star_total:
            stars = "、".join(f"{k}级{v}家" for k, v in reversed(list(o.star_unions.items())) if v)
            quality.append(f"星级工会{o.star_total}家（{stars}）")
        democracy = []
        if o.congress_unions:
            democracy.append(f"建立职代会制度的{o.congress_unions}家")
        if o.openness_unions:
            democracy.append(f"实行厂务公开的{o.openness_unions}家")
        if o.women_committee_unions:
            democracy.append(f"建立女职工委员会的{o.women_committee_unions}家")
        if quality or democracy or o.migrant_chair_unions:
            text = _join(quality, "，")
            if democracy:
                text = _join([text, "，".join(democracy)], "；")
            if o.migrant_chair_unions:
                text = _join([text, f"由外来职工担任工会主席的{o.migrant_chair_unions}家"], "；")
            blocks.append(Paragraph(f"在规范化建设方面，{self.area}{text}。"))
        return Section("组织建设", tuple(blocks))

    # 二、维权
    def rights(self) -> Section | None:
        r, rb = self.now.rights, self.before.rights
        subs: list[Section] = []
        if r.cases or r.resolved_cases or r.recovered:
            parts = []
            if r.cases:
                head = f"{self.when}共受理职工信访和劳动争议{r.cases}件，涉及职工{r.people}人"
                parts.append(_join([head, self.change(r.cases, rb.cases, "件")]))
                if r.collective_cases:
                    parts.append(f"其中集体信访（涉及10人以上）{r.collective_cases}件")
            handled = []
            if r.resolved_cases:
                handled.append(f"协调解决{r.resolved_cases}件")
            if r.arbitration_cases:
                handled.append(f"参与仲裁{r.arbitration_cases}件")
            if r.recovered:
                handled.append(f"为职工追回工资等款项{self.money(r.recovered)}")
            text = _join(parts) + ("；" if parts and handled else "") + "，".join(handled)
            if r.cases:
                text += f"。受理案件中已办结{r.closed_cases}件，办结率{r.closure_rate}"
                if r.open_cases:
                    text += f"，尚在办理中的{r.open_cases}件正在跟踪落实"
            subs.append(Section("信访维权", (Paragraph(text + "。"),), level=2))
        new_total, renew_total = r.new_contracts_total, r.renewed_contracts_total
        if new_total or renew_total or r.contract_units:
            parts = []
            if new_total or renew_total:
                signed = []
                if new_total:
                    signed.append(
                        f"新签集体合同{new_total}份（{_enumerate_counts(r.new_contracts, '份')}）"
                    )
                if renew_total:
                    signed.append(f"续签{renew_total}份")
                parts.append(f"{self.when}" + "，".join(signed))
            if r.contract_units:
                parts.append(
                    f"截至期末，{self.area}有效集体合同覆盖单位{r.contract_units}家、"
                    f"职工{r.contract_workers}人"
                )
            blocks: list = [Paragraph("".join(_sentence(p) for p in parts))]
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
            subs.append(Section("集体合同", tuple(blocks), level=2))
        if r.inspections:
            text = f"{self.when}联合有关部门开展劳动法律监督和执法检查{r.inspections}次"
            text = _join([text, self.change(r.inspections, rb.inspections, "次")]) + "。"
            items = []
            for e in self.lists["inspections"]:
                units = e.units.strip()
                what = (
                    f"{self._prefix(e.township)}{cn_date(e.starts_on, with_year=False)}，{e.title}"
                )
                if units:
                    what += f"，检查单位：{units}"
                items.append(what)
            blocks = [Paragraph(text)] + ([BulletList(tuple(items))] if items else [])
            subs.append(Section("劳动法律监督", tuple(blocks), level=2))
        if not subs:
            return None
        return Section("维护职工合法权益", subsections=tuple(subs))

    # 三、帮扶送温暖
    def welfare(self) -> Section | None:
        w, wb = self.now.welfare, self.before.welfare
        if not w.visits:
            return None
        head = f"{self.when}共走访慰问困难职工等{w.visits}户次"
        head = _join([head, self.change(w.visits, wb.visits, "户次")])
        spent = []
        if w.cash:
            spent.append(f"发放慰问金{self.money(w.cash)}")
        if w.goods:
            spent.append(f"送去慰问物资折款{self.money(w.goods)}")
        if w.cash and w.goods:
            spent.append(f"合计{self.money(w.amount)}")
        text = _sentence(head, *spent)
        by_type = []
        for kind, n in sorted(w.visits_by_type.items(), key=lambda kv: TYPE_ORDER.index(kv[0])):
            amount = w.cash_by_type.get(kind, 0) + w.goods_by_type.get(kind, 0)
            by_type.append(f"{kind}{n}户次" + (f"{self.money(amount)}" if amount else ""))
        if len(by_type) > 1:
            text += f"其中，{'，'.join(by_type)}。"
        sources = {
            k: w.cash_by_source.get(k, 0) + w.goods_by_source.get(k, 0)
            for k in list(w.cash_by_source)
            + [k for k in w.goods_by_source if k not in w.cash_by_source]
        }
        named = {k: sources[k] for k in FundSource.labels if sources.get(k)}
        if named:
            text += (
                "从资金来源看，" + "，".join(f"{k}{self.money(v)}" for k, v in named.items()) + "。"
            )
        blocks: list = [Paragraph(text)]
        if self.lists["campaigns"]:
            blocks.append(Paragraph(f"{self.when}组织的帮扶活动有："))
            blocks.append(
                BulletList(
                    tuple(
                        f"{c.name}，慰问{c.visits}户次"
                        + (f"，{self.money(c.amount)}" if c.amount else "")
                        for c in self.lists["campaigns"]
                    )
                )
            )
        return Section("帮扶送温暖", tuple(blocks))

    # 四、劳动竞赛与职工活动
    def activities(self) -> Section | None:
        a, ab = self.now.activities, self.before.activities
        shown = {
            k: a.events_by_category[k]
            for k in EventCategory.labels
            if a.events_by_category.get(k) and k not in ("执法检查", "宣传报道")
        }
        total = sum(shown.values())
        if not total:
            return None
        people = sum(a.participants_by_category.get(k, 0) for k in shown)
        people_before = sum(
            v for k, v in ab.participants_by_category.items() if k not in ("执法检查", "宣传报道")
        )
        head = f"{self.when}共组织开展劳动竞赛、文体、培训等各类职工活动{total}次"
        if people:
            head += f"，参与职工{people}人次"
            head = _join([head, self.change(people, people_before, "人次")])
        text = _sentence(head)
        if len(shown) > 1:
            text += "其中" + "、".join(f"{k}{v}次" for k, v in shown.items()) + "。"
        blocks: list = [Paragraph(text)]
        if self.lists["main_events"]:
            blocks.append(Paragraph("主要活动有："))
            items = []
            for e in self.lists["main_events"]:
                item = (
                    f"{self._prefix(e.township)}{cn_date(e.starts_on, with_year=False)}，{e.title}"
                )
                if e.participants:
                    item += f"，参与{e.participants}人"
                items.append(item)
            blocks.append(BulletList(tuple(items)))
        return Section("劳动竞赛与职工活动", tuple(blocks))

    # 五、宣传
    def publicity(self) -> Section | None:
        a, ab = self.now.activities, self.before.activities
        legal = a.events_by_category.get("普法宣传", 0)
        if not a.publicity and not legal:
            return None
        parts = []
        if a.publicity:
            outlets = []
            for e in self.lists["publicity"]:
                if e.media and e.media not in outlets:
                    outlets.append(e.media)
            where = (
                f"在{'、'.join(outlets[:4])}{'等媒体' if len(outlets) > 1 else ''}"
                if outlets
                else ""
            )
            parts.append(
                _join(
                    [
                        f"{self.when}{where}刊发工会工作宣传报道{a.publicity}篇",
                        self.change(a.publicity, ab.publicity, "篇"),
                    ]
                )
            )
        if legal:
            parts.append(f"开展普法宣传活动{legal}次")
        blocks: list = [Paragraph(_sentence(*parts))]
        if self.lists["publicity"]:
            blocks.append(
                BulletList(
                    tuple(
                        f"{cn_date(e.starts_on, with_year=False)}，"
                        + (f"{e.media}刊发" if e.media else "刊发")
                        + f"《{e.title}》"
                        for e in self.lists["publicity"]
                    )
                )
            )
        return Section("宣传工作", tuple(blocks))

    # 六、经费
    def dues(self) -> Section | None:
        d, db = self.now.dues, self.before.dues
        if not d.due and not d.paid:
            return None
        text = (
            f"{self.when}应收缴工会经费{self.money(d.due)}，实缴{self.money(d.paid)}，"
            f"收缴率{d.collection_rate}"
        )
        text = _join([text, self.rate_change(d.collection_rate, db.collection_rate)])
        if d.due > d.paid:
            text += f"，尚有{self.money(d.due - d.paid)}未缴"
        return Section("经费收缴", (Paragraph(text + "。"),))

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
                    str(f.organisation.unionisation_rate),
                    str(f.organisation.membership_rate),
                    str(f.rights.cases),
                    str(f.rights.closure_rate),
                    str(f.welfare.visits),
                    str(f.dues.collection_rate),
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

        def top(label: str, key, unit: str, fmt=str) -> None:
            order = sorted(ids, key=lambda t: (-(key(figs[t]) or 0), names[t]))
            best = [t for t in order if key(figs[t])][:3]
            if best:
                ranked.append(
                    (f"{label}居前{len(best)}位的是" if len(best) > 1 else f"{label}最高的是")
                    + "、".join(f"{names[t]}（{fmt(key(figs[t]))}{unit}）" for t in best)
                )

        top("新发展会员数", lambda f: f.organisation.new_members, "人")
        top("建会率", lambda f: f.organisation.unionisation_rate.value, "%")
        top("慰问户次", lambda f: f.welfare.visits, "户次")
        top("经费收缴率", lambda f: f.dues.collection_rate.value, "%")
        blocks: list = []
        if ranked:
            blocks.append(Paragraph("；".join(ranked) + "。"))
        blocks.append(table)
        return Section("各乡镇工作情况", tuple(blocks))

    def appendix(self) -> Section:
        n, b = self.now, self.before
        m = self.money

        def row(label: str, now, before, fmt=str):
            return (label, fmt(now), fmt(before) if before is not None else "—")

        rows = [
            row("基层工会数（家）", n.organisation.unions, b.organisation.unions),
            row("新建工会数（家）", n.organisation.new_unions, b.organisation.new_unions),
            row("会员数（人）", n.organisation.members, b.organisation.members),
            row("新发展会员数（人）", n.organisation.new_members, b.organisation.new_members),
            row(
                "农民工会员数（人）", n.organisation.migrant_members, b.organisation.migrant_members
            ),
            row("建会率", n.organisation.unionisation_rate, b.organisation.unionisation_rate),
            row("入会率", n.organisation.membership_rate, b.organisation.membership_rate),
            row(
                "外来职工入会率",
                n.organisation.migrant_membership_rate,
                b.organisation.migrant_membership_rate,
            ),
            row("信访受理数（件）", n.rights.cases, b.rights.cases),
            row("办结率", n.rights.closure_rate, b.rights.closure_rate),
            row(f"追回金额（{m.unit}）", n.rights.recovered, b.rights.recovered, m.number),
            row("新签集体合同（份）", n.rights.new_contracts_total, b.rights.new_contracts_total),
            row("有效集体合同覆盖职工（人）", n.rights.contract_workers, b.rights.contract_workers),
            row("执法检查次数", n.rights.inspections, b.rights.inspections),
            row("慰问户次", n.welfare.visits, b.welfare.visits),
            row(f"慰问金额及物资折款（{m.unit}）", n.welfare.amount, b.welfare.amount, m.number),
            row("活动次数", n.activities.events, b.activities.events),
            row("参与人次", n.activities.participants, b.activities.participants),
            row(f"应缴经费（{m.unit}）", n.dues.due, b.dues.due, m.number),
            row(f"实缴经费（{m.unit}）", n.dues.paid, b.dues.paid, m.number),
            row("经费收缴率", n.dues.collection_rate, b.dues.collection_rate),
        ]
        return Section(
            f"附件：{self.period.label}主要指标",
            (
                Table(
                    caption=f"{self.scope.name}{self.period.label}主要指标",
                    header=("指标", "本期", "去年同期"),
                    rows=tuple(rows),
                ),
            ),
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


def build_document(
    scope: Scope,
    period: Period,
    *,
    narrative: Narrative | None = None,
    township_names: dict[int, str] | None = None,
    on: datetime.date | None = None,
) -> Document:
    """The summary for a township or county and a period, with the staff-written parts.

    `on` is the date under the issuer (成文日期); by default the day after the period ends or
    today, whichever is earlier. `township_names` is needed for a county roll-up's table.
    """
    narrative = narrative or Narrative()
    this, last = indicators.with_last_year(scope, period)
    lists = {
        "new_unions": indicators.new_unions(scope, period),
        "contracts": indicators.contracts_signed(scope, period),
        "inspections": indicators.inspections(scope, period),
        "main_events": indicators.main_events(scope, period),
        "publicity": indicators.publicity(scope, period),
        "campaigns": indicators.campaigns(scope, period),
    }
    writer = _Writer(this, last, lists, narrative)
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
        federation = (
            "上级工会"
            if scope.is_county
            else f"{scope.county_name}总工会".replace("总工会总工会", "总工会")
        )
        if body:
            opening = (
                Paragraph(
                    f"{period.label}，{issuer}在{party_committee(scope)}和{federation}的领导下，"
                    f"坚持以职工为中心，围绕组织建设、维权服务、帮扶送温暖和职工活动等重点，"
                    f"扎实推进各项工作。现将{period_phrase(period)}工作情况总结如下。"
                ),
            )
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
