"""The workbook's 工会建设, 荣誉 and 经费上缴 sheets (spec/workbook.md, second round): the 基层工会
sheet's yes/no shortcut, 重建 of a dissolved union, every bad row reported with its row and
column and nothing written, re-import unchanged."""

import datetime
from decimal import Decimal

from honours.models import Honour
from members.models import DuesRemittance, GrassrootsUnion, UnionMilestone
from unionportal import clock
from unionportal.tests.factories import make_member, make_union, xlsx
from workbook.services import import_workbook

D = datetime.date
UNION_HEAD = ["工会名称", "类型", "成立日期", "规范化", "星级", "撤销日期"]
MILESTONE_HEAD = ["工会名称", "事项", "日期", "等级", "工会主席", "主席为外来职工", "职工代表人数"]


def run(data: bytes, township, user=None):
    return import_workbook(data=data, township=township, user=user)


def test_a_changed_mark_on_the_union_sheet_records_a_milestone_dated_on_import(township_a, staff_a):
    union = make_union(township_a, name="恒达机械工会", founded_on=D(2015, 5, 1))

    report = run(
        xlsx({"基层工会": [UNION_HEAD, ["恒达机械工会", "企业工会", D(2015, 5, 1), "是", "二星"]]}),
        township_a,
        staff_a,
    )

    assert report.written, [str(p) for p in report.problems]
    today = clock.today()
    assert set(union.milestones.values_list("kind", "happened_on", "level")) == {
        ("standardised", today, ""),
        ("star", today, "two"),
    }
    union.refresh_from_db()
    assert (union.standardised, union.star) == (True, "two")


def test_a_new_unions_marks_hold_from_its_founding_day_and_a_second_import_changes_nothing(
    township_a, staff_a
):
    data = xlsx({"基层工会": [UNION_HEAD, ["新建工会", "企业工会", D(2026, 2, 1), "是", "一星"]]})

    run(data, township_a, staff_a)
    again = run(data, township_a, staff_a)

    union = GrassrootsUnion.objects.get(name="新建工会")
    assert set(union.milestones.values_list("kind", "happened_on")) == {
        ("standardised", D(2026, 2, 1)),
        ("star", D(2026, 2, 1)),
    }
    assert again.written and again.created == again.updated == 0


def test_the_milestone_sheet_states_the_history_and_the_union_follows(township_a, staff_a):
    make_union(township_a, name="恒达机械工会", founded_on=D(2015, 5, 1))
    rows = [
        MILESTONE_HEAD,
        ["恒达机械工会", "星级评定", D(2020, 1, 1), "一星"],
        ["恒达机械工会", "星级评定", D(2026, 3, 1), "三星"],
        ["恒达机械工会", "换届", D(2026, 4, 1), None, "陈建国", "是"],
        ["恒达机械工会", "职代会召开", D(2026, 3, 18), None, None, None, 45],
    ]

    report = run(xlsx({"工会建设": rows}), township_a, staff_a)

    assert report.written, [str(p) for p in report.problems]
    union = GrassrootsUnion.objects.get(name="恒达机械工会")
    assert (union.star, union.chair_name, union.chair_is_migrant) == ("three", "陈建国", True)
    assert UnionMilestone.objects.count() == 4


def test_a_dissolved_union_is_re_founded_from_the_sheet(township_a, staff_a):
    union = make_union(
        township_a, name="老街联合工会", founded_on=D(2001, 1, 1), dissolved_on=D(2024, 6, 30)
    )

    report = run(
        xlsx({"工会建设": [MILESTONE_HEAD, ["老街联合工会", "重建", D(2026, 3, 1)]]}),
        township_a,
        staff_a,
    )

    assert report.written, [str(p) for p in report.problems]
    union.refresh_from_db()
    assert union.dissolved_on is None


def test_bad_milestone_rows_are_each_reported_and_nothing_is_written(township_a, staff_a):
    make_union(township_a, name="恒达机械工会", founded_on=D(2015, 5, 1))
    rows = [
        MILESTONE_HEAD,
        ["恒达机械工会", "星级评定", D(2026, 3, 1)],  # no level
        ["恒达机械工会", "重建", D(2026, 3, 1)],  # not dissolved
        ["恒达机械工会", "职代会召开", D(2010, 3, 1)],  # before founding
        ["无此工会", "换届", D(2026, 3, 1)],
        ["恒达机械工会", "开会", D(2026, 3, 1)],
    ]

    report = run(xlsx({"工会建设": rows}), township_a, staff_a)

    assert not report.written
    found = {(p.row, p.column) for p in report.problems}
    assert {(2, "等级"), (3, "事项"), (4, "日期"), (5, "工会名称"), (6, "事项")} <= found
    assert not UnionMilestone.objects.exists()


def test_honours_link_members_and_remittances_derive_their_period(township_a, staff_a):
    member = make_member(township_a, name="王小红")
    data = xlsx(
        {
            "荣誉": [
                ["获奖对象", "对象类型", "身份证号", "荣誉名称", "级别", "授予日期"],
                ["王小红", "个人", member.id_number, "劳动模范", "市级", D(2026, 4, 28)],
                ["装配车间", "集体", None, "工人先锋号", "县级", D(2026, 4, 28)],
            ],
            "经费上缴": [["所属期间", "应上缴金额", "实上缴金额"], ["2026Q1", 43000, 43000]],
        }
    )

    report = run(data, township_a, staff_a)

    assert report.written, [str(p) for p in report.problems]
    assert Honour.objects.get(recipient="王小红").member == member
    remittance = DuesRemittance.objects.get()
    assert (remittance.period_end, remittance.amount_paid) == (D(2026, 3, 31), Decimal(43000))


def test_a_bad_honour_level_is_reported_with_its_row_and_column(township_a, staff_a):
    data = xlsx(
        {
            "荣誉": [
                ["获奖对象", "对象类型", "荣誉名称", "级别", "授予日期"],
                ["王小红", "个人", "劳动模范", "区级", D(2026, 4, 28)],
            ]
        }
    )

    report = run(data, township_a, staff_a)

    assert [(p.row, p.column) for p in report.problems] == [(2, "级别")]
    assert not Honour.objects.exists()
