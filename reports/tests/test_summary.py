"""The summary document for hand-made townships states the expected sentences and lists."""

import datetime
import re

import pytest

from reports.document import BulletList, Table
from reports.indicators import Scope
from reports.summary import Narrative, build_document
from reports.wording import change, title_for
from unionportal.models import Township
from unionportal.periods import parse_period
from unionportal.tests.factories import H1, union

ON = datetime.date(2026, 7, 10)


@pytest.fixture
def doc(data):
    a, _ = data
    return build_document(Scope.for_township(a), H1, on=ON)


def section(doc, name):
    return next(s for s in doc.sections if name in s.heading)


def test_title_issuer_and_date(doc):
    assert doc.title == "慈东镇工会2026年上半年工作总结"
    assert doc.issuer == "慈东镇工会"
    assert doc.date == "2026年7月10日"


def test_titles_for_a_year_and_a_date_range(township_a):
    scope = Scope.for_township(township_a)
    assert title_for(scope, parse_period("2026")) == "慈东镇工会2026年度工作总结"
    assert (
        title_for(scope, parse_period("2026-01-01..2026-08-31")) == "慈东镇工会2026年1—8月工作总结"
    )
    assert (
        title_for(scope, parse_period("2026-01-05..2026-08-31"))
        == "慈东镇工会2026年1月5日至2026年8月31日工作总结"
    )


def test_sections_are_numbered_in_the_customary_order(doc):
    headings = [s.heading for s in doc.sections]
    assert headings == [
        "一、组织建设",
        "二、维护职工合法权益",
        "三、帮扶送温暖",
        "四、劳动竞赛与职工活动",
        "五、宣传工作",
        "六、经费收缴",
    ]
    rights = section(doc, "维护职工合法权益")
    assert [s.heading for s in rights.subsections] == [
        "（一）信访维权",
        "（二）集体合同",
        "（三）劳动法律监督",
    ]


def test_organisation_section_states_the_figures(doc):
    text = doc.plain_text()
    assert "截至2026年6月30日，全镇共有基层工会3家、会员4人，其中农民工会员3人。" in text
    assert "上半年全镇新建基层工会1家（U2），新发展会员2人，去年同期无新发展会员。" in text
    assert "全镇应建会单位4家，已建会1家，建会率25%，比去年同期下降25个百分点" in text
    assert "建会单位入会率3.6%，农民工入会率9.4%" in text


def test_rights_section_names_contracts_and_states_case_figures(doc):
    text = doc.plain_text()
    assert (
        "镇工会共受理职工信访和劳动争议4件，去年同期未受理，其中集体信访1件、参与仲裁2件，共涉及职工17人。"
        in text
    )
    assert "这4件中已办结2件，办结率50%；其余2件仍在办理" in text
    assert "协调解决信访和劳动争议2件，为职工追回工资等款项5.8万元" in text
    assert "上半年全镇新签集体合同1份（综合），与去年同期持平；另有1份集体合同到期后续签。" in text
    assert "有效集体合同覆盖单位2家、职工110人" in text
    table = next(
        b for s in section(doc, "维护").subsections for b in s.blocks if isinstance(b, Table)
    )
    assert ("E1", "综合", "100", "3月1日") in table.rows
    assert ("E4", "综合（续签）", "10", "5月1日") in table.rows


def test_amounts_below_ten_thousand_are_in_yuan_the_others_in_wan(doc):
    text = doc.plain_text()
    assert "为职工追回工资等款项5.8万元" in text
    assert "发放慰问金3000元、慰问物资折款200元，合计3200元" in text
    assert "应收缴工会经费4000元，实缴2500元，收缴率62.5%" in text
    assert not re.search(r"0\.\d+万元", text)


def test_main_events_and_publicity_are_named(doc):
    parts = [*doc.sections, *(sub for s in doc.sections for sub in s.subsections)]
    lists = [b for s in parts for b in s.blocks if isinstance(b, BulletList)]
    items = [i for b in lists for i in b.items]
    assert "技能比武（5月1日，200人参加）" in items
    text = doc.plain_text()
    assert (
        "在宁波日报刊发工会工作宣传报道1篇，去年同期未刊发：《报道》（宁波日报，6月1日）。" in text
    )
    assert "开展劳动法律监督检查1次，去年同期未开展。4月10日开展执法检查。" in text


def test_no_placeholders_and_no_empty_sections(doc, township_b):
    for document in (doc, build_document(Scope.for_township(township_b), H1, on=ON)):
        text = document.plain_text()
        assert not re.search(r"XX|TODO|待填|None|null", text)
        for s in document.sections:
            assert s.blocks or s.subsections


def test_a_township_with_few_records_leaves_sections_out(data):
    _, b = data
    document = build_document(Scope.for_township(b), H1, on=ON)
    assert [s.heading for s in document.sections] == ["一、组织建设"]
    text = document.plain_text()
    assert "全乡共有基层工会1家、会员2人" in text
    assert "上半年全乡未新发展会员" in text
    assert "信访" not in text.split("附件")[0]


def test_a_township_with_no_records_says_so_plainly(township_a):
    empty = Township.objects.create(code="empty", name="空白镇", county=township_a.county)
    document = build_document(Scope.for_township(empty), H1, on=ON)
    assert document.sections == ()
    assert document.appendix == ()
    assert [p.text for p in document.opening] == [
        "2026年上半年，空白镇工会暂无记录在案的工作数据。"
    ]


def test_staff_written_parts_follow_the_figures(data):
    a, _ = data
    narrative = Narrative(
        opening="上半年，我镇工会围绕“建功新时代”主题开展工作。",
        practices="坚持党建带工建。\n\n推行“工会+”服务模式。",
        shortcomings="",
        plans="继续推进新就业形态劳动者入会。",
    )
    document = build_document(Scope.for_township(a), H1, narrative=narrative, on=ON)
    assert [p.text for p in document.opening] == ["上半年，我镇工会围绕“建功新时代”主题开展工作。"]
    headings = [s.heading for s in document.sections]
    assert headings[-2:] == ["七、主要做法和经验", "八、下一步工作打算"]
    practices = document.sections[-2]
    assert [p.text for p in practices.blocks] == ["坚持党建带工建。", "推行“工会+”服务模式。"]


def test_last_year_comparison_when_records_reach_back(data):
    a, _ = data
    for n in range(3):
        union(a, f"旧工会{n}", datetime.date(2025, 3, 1))
    document = build_document(Scope.for_township(a), H1, on=ON)
    appendix = document.appendix[0].blocks[0]
    assert appendix.header == ("指标", "本期", "去年同期")
    row = next(r for r in appendix.rows if r[0] == "新建基层工会数（家）")
    assert row == ("新建基层工会数（家）", "1", "3")


def test_change_wording():
    assert change(612, 564, "人") == "比去年同期增加48人，增长8.5%"
    assert change(30, 50, "件") == "比去年同期减少20件，下降40%"
    assert change(1, 2, "次") == "比去年同期减少1次"  # not "下降50%" on two inspections
    assert change(72, 36, "人") == "比去年同期增加36人，是去年同期的2倍"
    assert change(5, 5, "件") == "与去年同期持平"
    assert change(4, 0, "次") == "去年同期未开展"
    assert change(0, 0, "件") == ""


def test_county_roll_up_has_a_per_township_table_and_ranking(data, county):
    a, b = data
    document = build_document(
        Scope.for_county(county), H1, township_names={a.pk: a.name, b.pk: b.name}, on=ON
    )
    assert document.title == "慈溪县总工会2026年上半年工作总结"
    part = section(document, "各乡镇工作情况")
    table = next(x for x in part.blocks if isinstance(x, Table))
    assert table.rows[0][:4] == ("慈东镇", "4", "2", "25%")
    assert table.rows[1][:4] == ("西山乡", "2", "0", "100%")
    # two townships: no ranking ("居前2位" of 2 says nothing)
    assert "居前" not in document.plain_text() and "最高的是" not in document.plain_text()
    assert "全县共有基层工会4家、会员6人" in document.plain_text()
