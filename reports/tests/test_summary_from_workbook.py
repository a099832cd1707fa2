"""Issue 15's "done when", end to end: a township imports ONE workbook holding the new sheets
(困难职工, 慰问, 医疗互助, 工会建设, 荣誉, 经费上缴, with its 基层工会), and its half-year summary
states, with the right numbers, the households newly filed, out of hardship and on file at the
end, the on-file households visited, the mutual-aid enrolment rate, committees re-elected (and
migrant chairs), congresses held, 厂务公开 set up, new star ratings, a re-founded union, municipal
model workers and a collective honour named, and the remittance rate; a summary of an earlier
period states the status of that time."""

import datetime
import io

import pytest
from openpyxl import Workbook

from reports.document import Paragraph
from reports.indicators import Scope
from reports.summary import build_document
from unionportal.periods import parse_period
from unionportal.tests.factories import id_number
from workbook.services import import_workbook

D = datetime.date
ON = D(2026, 7, 10)
# Five households: ID numbers told apart by birthday.
P = {n: id_number(birth=D(1970 + n, 3, 3)) for n in range(1, 6)}


def workbook() -> bytes:
    sheets = {
        "基层工会": [
            ["工会名称", "类型", "成立日期"],
            ["恒达机械工会", "企业工会", D(2015, 5, 1)],
            ["老街联合工会", "联合工会", D(2001, 1, 1)],
            ["新村工会", "村（社区）工会", D(2010, 1, 1)],
        ],
        "工会建设": [
            ["工会名称", "事项", "日期", "等级", "工会主席", "主席为外来职工", "职工代表人数"],
            ["恒达机械工会", "规范化达标", D(2020, 1, 1), None, None, None, None],
            ["恒达机械工会", "星级评定", D(2020, 1, 1), "一星", None, None, None],
            ["恒达机械工会", "星级评定", D(2026, 3, 1), "三星", None, None, None],
            ["恒达机械工会", "换届", D(2026, 4, 1), None, "陈建国", "是", None],
            ["恒达机械工会", "职代会召开", D(2026, 3, 18), None, None, None, 45],
            ["恒达机械工会", "建立厂务公开", D(2026, 2, 1), None, None, None, None],
            ["新村工会", "换届", D(2026, 5, 10), None, "赵六", "否", None],
            ["老街联合工会", "换届", D(2025, 4, 1), None, "李四", "否", None],
            ["老街联合工会", "撤销", D(2024, 6, 30), None, None, None, None],
            ["老街联合工会", "重建", D(2026, 5, 20), None, None, None, None],
        ],
        # 1 and 2 filed in 2024 (2 out in April 2026), 3 in 2025, 4 and 5 new in 2026H1.
        "困难职工": [
            ["姓名", "身份证号", "所属工会", "困难类别", "致困原因", "建档日期", "复核日期"]
            + ["脱困日期", "脱困原因"],
            ["周一", P[1], "恒达机械工会", "深度困难", "本人大病", D(2024, 3, 1), D(2026, 3, 5)]
            + [None, None],
            ["周二", P[2], "恒达机械工会", "相对困难", "子女就学", D(2024, 5, 1), D(2025, 3, 1)]
            + [D(2026, 4, 1), "就业增收"],
            ["周三", P[3], "新村工会", "相对困难", "家属大病", D(2025, 9, 1), None, None, None],
            ["周四", P[4], "新村工会", "意外致困", "工伤", D(2026, 2, 1), None, None, None],
            ["周五", P[5], None, "相对困难", "收入低", D(2026, 3, 1), None, None, None],
        ],
        # 送温暖 reaching households 1 and 4 (on file) and 2 (out by the end: not counted).
        "慰问": [
            ["日期", "对象类型", "对象姓名", "身份证号", "慰问金额", "活动名称"],
            [D(2026, 1, 25), "困难职工", "周一", P[1], 500, "2026年春节送温暖"],
            [D(2026, 2, 3), "困难职工", "周四", P[4], 500, "2026年春节送温暖"],
            [D(2026, 1, 25), "困难职工", "周二", P[2], 500, "2026年春节送温暖"],
        ],
        "医疗互助": [
            ["所属工会", "年度", "在职职工人数", "参加人数"],
            ["恒达机械工会", 2026, 100, 95],
            ["恒达机械工会", 2025, 100, 80],
        ],
        "荣誉": [
            ["获奖对象", "对象类型", "荣誉名称", "级别", "授予日期"],
            ["王小红", "个人", "劳动模范", "市级", D(2026, 4, 28)],
            ["陈建国", "个人", "劳动模范", "市级", D(2026, 4, 28)],
            ["恒达机械有限公司装配车间", "集体", "工人先锋号", "县级", D(2026, 4, 28)],
        ],
        "经费上缴": [
            ["所属期间", "应上缴金额", "实上缴金额"],
            ["2026Q1", 40000, 40000],
            ["2026Q2", 40000, 36000],
            ["2025Q1", 40000, 32000],
            ["2025Q2", 40000, 32000],
        ],
    }
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def section(document, heading: str) -> str:
    found = next(s for s in document.sections if heading in s.heading)
    parts = [*found.blocks, *(b for sub in found.subsections for b in sub.blocks)]
    return "".join(b.text for b in parts if isinstance(b, Paragraph))


@pytest.fixture
def imported(township_a, staff_a):
    report = import_workbook(data=workbook(), township=township_a, user=staff_a)
    assert report.ok and report.written, [str(p) for p in report.problems]
    return township_a


def test_the_half_year_summary_states_every_new_kind_with_its_numbers(imported):
    document = build_document(Scope.for_township(imported), parse_period("2026H1"), on=ON)
    organisation = section(document, "组织建设")
    activities = section(document, "职工活动")
    dues = section(document, "经费")
    text = document.plain_text()

    # 帮扶: the register (4 on file vs 2 a year before), visits counted against it, mutual aid.
    assert "在档困难职工4户，比去年同期增加2户" in text
    assert "新建档2户、脱困1户" in text
    assert "已走访在档困难职工2户，困难职工走访覆盖率50%" in text
    assert "参加职工医疗互助95人，参加率95%，比去年同期提高15个百分点" in text
    # 复核逾期 at the end and a year before, from the reviews the 复核日期 column recorded.
    assert "复核逾期户数（户） 0 1" in text
    # 组织建设: milestones of the half-year.
    assert "2家工会完成换届（其中1家选举外来职工担任工会主席）" in organisation
    assert "召开职代会1次" in organisation
    assert "新建立厂务公开制度1家" in organisation
    assert "新评星级工会1家（三星级1家）" in organisation
    assert "重建基层工会1家" in organisation
    assert "老街联合工会于5月20日重建" in organisation
    # 荣誉: municipal model workers and the collective honour named with their level.
    assert "王小红获评市级劳动模范" in activities and "陈建国获评市级劳动模范" in activities
    assert "恒达机械有限公司装配车间获评县级工人先锋号" in activities
    # 经费: 76,000 of 80,000 remitted; 64,000 of 80,000 a year before.
    assert "应上缴上级工会经费8万元，实上缴7.6万元，上缴率95%" in dues
    assert "比去年同期提高15个百分点" in dues


def test_an_earlier_summary_states_the_status_of_its_time(imported):
    document = build_document(Scope.for_township(imported), parse_period("2025H2"), on=ON)
    organisation = section(document, "组织建设")
    text = document.plain_text()

    assert "截至2025年12月31日，全镇共有基层工会2家" in organisation  # 老街 dissolved then
    assert "截至2025年12月31日，全镇有规范化工会1家、星级工会1家" in organisation
    assert "三星" not in organisation and "重建" not in organisation
    assert "换届" not in organisation
    assert "在档困难职工3户" in text  # households 1, 2 and 3; 2 left hardship only in 2026
    assert "获评" not in text and "工人先锋号" not in text
