"""The parts of a work summary that are tables: the county roll-up's townships section and the
appendix of every figure (附件). A mixin of the summary's writer (reports/summary.py)."""

from reports.document import Paragraph, Section, Table
from reports.wording import cn_date, money, pct

# A ranking names this many townships at most, and only when the county has more than twice as
# many townships as it names (ranking 3 of 3 says nothing).
RANK_SIZE = 3


class TablesMixin:
    """Townships section and appendix; the writer supplies this/last, now/before, lists, scope."""

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
