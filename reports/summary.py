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
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation

from events.models import EventCategory
from reports import indicators, items
from reports.document import BulletList, Document, Paragraph, Section, Table
from reports.indicators import Figures, Indicators, Rate, Scope
from reports.items import EventItem
from reports.summary_tables import TablesMixin
from reports.wording import (
    area_word,
    change,
    cn_date,
    county_base,
    issuer_name,
    join,
    money,
    names_list,
    paragraphs,
    party_committee,
    pct,
    period_phrase,
    plain_title,
    rate_change,
    split_units,
    title_for,
    we_word,
)
from unionportal import clock
from unionportal.periods import Period
from welfare.models import BeneficiaryType

NUMERALS = "一二三四五六七八九十"
TYPE_ORDER = list(BeneficiaryType.labels)
# Main activities named in the body.
MAIN_EVENTS = 6


@dataclass(frozen=True)
class Narrative:
    """What staff wrote for this township (or county) and period; any part may be empty."""

    opening: str = ""
    practices: str = ""
    shortcomings: str = ""
    plans: str = ""


# --- sections -----------------------------------------------------------------------------------


class _Writer(TablesMixin):
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
        return plain_title(title, self.period.start.year)

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
            growth.append(
                f"{self.when}{self.area}新建基层工会{o.new_unions}家（{names_list(names)}）"
            )
        if o.new_members:
            growth.append(
                join(
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
        text += join(growth) + "。"
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
            cover = join([cover, self.rate_versus(o.unionisation_rate, ob.unionisation_rate)])
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
            progress.append(join([elected, versus]))
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
            head = join(
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
            closed = join([closed, self.rate_versus(r.closure_rate, rb.closure_rate)])
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
                text += join(resolved) + "。"
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
            signed = join(
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
        units = split_units(e.units)
        text = f"{self._of(e.township, e.title)}（{self.day(e.starts_on)}）"
        if units:
            text += f"，检查{names_list(units, 2)}{len(units)}家单位"
        return text

    def inspections(self) -> Section | None:
        r, rb = self.now.rights, self.before.rights
        if not r.inspections:
            return None
        text = join(
            [
                f"{self.when}，{self.we}联合有关部门开展劳动法律监督检查{r.inspections}次",
                self.versus(r.inspections, rb.inspections, "次"),
            ]
        )
        found = self.lists["inspections"]
        items = [self._inspection_text(e) for e in found]
        if len(found) == 1:
            e = found[0]
            units = split_units(e.units)
            one = f"{self.day(e.starts_on)}开展{self.title(e.title)}"
            if units:
                one += f"，检查了{names_list(units, 2)}{len(units)}家单位"
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
        text = join(
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
            text = join(
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
            text = join([text, self.versus(a.honours, ab.honours, "项", none_before="")])
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
        text = join(
            [
                f"{self.when}，{self.we}{where}刊发工会工作宣传报道{a.publicity}篇",
                self.versus(a.publicity, ab.publicity, "篇", none_before="去年同期未刊发"),
            ]
        )

        def named(e: EventItem) -> str:
            return f"《{e.title}》（{join([e.media, self.day(e.starts_on)], '，')}）"

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
            text = join([text, self.rate_versus(d.collection_rate, db.collection_rate)])
            blocks.append(Paragraph(text + "。"))
        if d.remit_due:
            # 经费上缴率 (spec/indicators.md, second round): remitted to the higher union.
            text = (
                f"{self.when}{self.we}应上缴上级工会经费{money(d.remit_due)}，"
                f"实上缴{money(d.remit_paid)}，上缴率{pct(d.remittance_rate)}"
            )
            if db.remit_due:
                text = join([text, self.rate_versus(d.remittance_rate, db.remittance_rate)])
            blocks.append(Paragraph(text + "。"))
        return Section("经费收缴", tuple(blocks))

    # county roll-up: per-township table and ranking
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
            "上级工会" if self.scope.is_county else f"{county_base(self.scope.county_name)}总工会"
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
