"""A hand-written Document with every block kind, for renderer tests and benchmarks."""

from reports.document import BulletList, Document, Paragraph, Section, Table


def sample_document(*, repeat: int = 1, narrative: str = "") -> Document:
    """A realistic township half-year summary. `repeat` multiplies the body to make long documents
    (repeat=8 gives about 20 pages); `narrative` is put in as staff-written text (tests of escaping
    pass hostile text here)."""
    body = []
    for n in range(repeat):
        suffix = f"（续{n}）" if n else ""
        body.append(
            Section(
                heading=f"一、扎实推进组织建设{suffix}",
                blocks=(
                    Paragraph(
                        "截至2026年6月30日，全镇共有基层工会38家，会员9,214人，其中农民工会员3,105人。"
                        "上半年新建基层工会3家，新发展会员612人，同比增加48人；应建会单位52家，"
                        "已建会单位47家，建会率90.4%，同比提高2.1个百分点。"
                    ),
                    BulletList(
                        items=(
                            "宁波恒达机械有限公司工会（2026年3月12日成立）",
                            "慈东镇北街村工会（2026年4月2日成立）",
                            "浙江嘉禾纺织有限公司工会（2026年5月20日成立）",
                        )
                    ),
                ),
                subsections=(
                    Section(
                        heading="（一）规范化建设",
                        level=2,
                        blocks=(
                            Paragraph(
                                "全镇规范化工会21家，星级工会15家，其中三星级4家、二星级5家、一星级6家。"
                                "建立职代会制度的工会30家，实行厂务公开的32家，建立女职工委员会的27家。"
                            ),
                        ),
                    ),
                ),
            )
        )
        body.append(
            Section(
                heading=f"二、依法维护职工合法权益{suffix}",
                blocks=(
                    Paragraph(
                        "上半年共受理职工信访12件，涉及职工86人，其中集体信访2件；"
                        "协调解决9件，参与仲裁2件，为职工追回工资等款项38.6万元，办结率83.3%。",
                        lead="一是做好信访接待。",
                    ),
                    Table(
                        caption="上半年新签集体合同",
                        header=("签约单位", "合同类型", "覆盖职工（人）", "签订日期"),
                        rows=(
                            ("宁波恒达机械有限公司", "综合", "326", "2026年3月18日"),
                            ("浙江嘉禾纺织有限公司", "工资专项", "214", "2026年4月9日"),
                        ),
                    ),
                ),
            )
        )
    return Document(
        title="慈东镇工会2026年上半年工作总结",
        issuer="慈东镇工会",
        date="2026年7月10日",
        opening=(
            Paragraph(
                "2026年上半年，镇工会在镇党委和县总工会的坚强领导下，紧紧围绕全镇中心工作，"
                "团结动员广大职工建功立业，各项工作取得新进展。现将上半年工作总结如下。"
            ),
        )
        + ((Paragraph(narrative),) if narrative else ()),
        sections=tuple(body)
        + (
            Section(
                heading="三、下一步工作打算",
                blocks=(Paragraph(narrative or "继续推进新就业形态劳动者入会工作。"),),
            ),
        ),
        appendix=(
            Section(
                heading="附件：主要指标",
                blocks=(
                    Table(
                        caption="主要指标一览",
                        header=("指标", "本期", "去年同期"),
                        rows=(
                            ("基层工会数（家）", "38", "35"),
                            ("会员数（人）", "9,214", "8,877"),
                            ("建会率", "90.4%", "88.3%"),
                            ("办结率", "83.3%", "—"),
                        ),
                    ),
                ),
            ),
        ),
    )
