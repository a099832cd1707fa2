"""The records workbook service and commands: bad input, harmless oddities, round trip,
idempotency, preview counts, formula-looking text, and the number of queries."""

import datetime
import io
import subprocess
import sys
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from disputes.models import Case
from events.models import Event
from members.models import CollectiveContract, DuesRecord, Employer, GrassrootsUnion, Member
from unionportal.models import Township
from unionportal.tests.factories import (
    MEMBER_HEADERS,
    UNION_SHEET,
    fill_every_sheet,
    id_number,
    make_member,
    make_union,
    members_workbook,
    xlsx,
)
from unionportal.validators import id_check_char
from welfare.models import WelfareVisit
from workbook.book import SHEETS, write_template
from workbook.exports import export_workbook, township_querysets
from workbook.services import import_workbook


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    """The same .xlsx with one ZIP member replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, content if info.filename == name else src.read(info.filename))
    return out.getvalue()


MODELS = [
    GrassrootsUnion,
    Employer,
    Member,
    CollectiveContract,
    DuesRecord,
    WelfareVisit,
    Case,
    Event,
]


def township_state(township: Township) -> dict[str, list]:
    """Every record of the township with all its values and history count, to compare before
    and after an import that must change nothing."""
    state: dict[str, list] = {}
    for model in MODELS:
        rows = model.objects.filter(township=township).order_by("pk").values()
        state[model.__name__] = list(rows)
        state[f"{model.__name__}.history"] = [model.history.filter(township=township).count()]
    return state


def comparable(sheet_key: str, township: Township) -> list[tuple]:
    """The records of one sheet as the workbook sees them (references by name), sorted."""
    sheet = next(s for s in SHEETS if s.key == sheet_key)
    paths = [
        f"{c.field}__name" if c.kind in ("union", "employer") else c.field for c in sheet.columns
    ]
    if sheet_key == "members":
        paths += ["gender", "birth_date"]
    if sheet_key == "dues":
        paths += ["period_start", "period_end"]
    if sheet_key == "contracts":
        paths += ["employer__name", "union__name"]
    rows = sheet.model.objects.filter(township=township).values_list(*paths)
    return sorted(rows, key=repr)


def run(data: bytes, township, user=None, dry_run=False):
    return import_workbook(data=data, township=township, user=user, dry_run=dry_run)


def export_bytes(*townships: Township) -> bytes:
    out = io.BytesIO()
    selected = Township.objects.filter(pk__in=[t.pk for t in townships])
    # The full export (whole ID numbers and mobiles): the one that can be imported back.
    export_workbook(
        out,
        querysets=township_querysets(selected),
        with_township=len(townships) > 1,
        full=True,
    )
    return out.getvalue()


def only_problem(report) -> str:
    assert not report.written
    assert len(report.problems) == 1, [str(p) for p in report.problems]
    return str(report.problems[0])


# --- bad files: one clear message, nothing written --------------------------------------------


@pytest.fixture
def before(township_a):
    make_member(township_a, union=make_union(township_a, name="已有工会"))
    return township_state(township_a)


def test_a_text_file_is_refused_as_not_xlsx(township_a, before):
    report = run("姓名,身份证号\n张三,1".encode(), township_a)
    assert "文件不是Excel工作簿（.xlsx）" in only_problem(report)
    assert township_state(township_a) == before


def test_an_unreadable_old_xls_file_is_refused(township_a, before):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "Workbook".encode("utf-16-le")
    assert "旧版Excel（.xls）" in only_problem(run(ole, township_a))
    assert township_state(township_a) == before


def test_a_corrupt_file_is_refused(township_a, before):
    assert "已损坏或不完整" in only_problem(run(b"PK\x03\x04" + b"\x13garbage" * 50, township_a))
    assert township_state(township_a) == before


def test_a_truncated_file_is_refused(township_a, before):
    data = members_workbook(3)
    assert "已损坏或不完整" in only_problem(run(data[: len(data) // 2], township_a))
    assert township_state(township_a) == before


def test_a_password_protected_file_is_refused(township_a, before):
    # Excel saves a password-protected workbook as an OLE compound file holding the streams
    # EncryptionInfo and EncryptedPackage.
    encrypted = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 1000
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 100
        + "EncryptedPackage".encode("utf-16-le")
    )
    assert "设置了打开密码" in only_problem(run(encrypted, township_a))
    assert township_state(township_a) == before


def test_a_file_over_20_mb_is_refused(township_a, before):
    assert "超过20 MB" in only_problem(run(b"PK" + b"\x00" * (20 * 1024 * 1024), township_a))
    assert township_state(township_a) == before


def test_a_workbook_with_too_many_rows_is_refused(township_a, before, monkeypatch):
    monkeypatch.setattr("unionportal.spreadsheet.reading.MAX_ROWS", 4)
    data = members_workbook(4)  # 1 union and 4 members: 5 data rows
    assert "一次最多导入4行" in only_problem(run(data, township_a))
    assert township_state(township_a) == before


def test_a_decompression_bomb_is_refused_before_parsing(township_a, before):
    bomb = b"<row>" + b" " * (60 * 1024 * 1024)
    data = replace_part(members_workbook(1), "xl/worksheets/sheet2.xml", bomb)
    assert len(data) < 2 * 1024 * 1024
    assert "疑似压缩炸弹" in only_problem(run(data, township_a))
    assert township_state(township_a) == before


def test_xml_entity_declarations_are_refused(township_a, before):
    data = members_workbook(1)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "哈哈哈哈哈哈哈哈">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    poisoned = laughs + sheet.split("?>", 1)[-1].replace(
        "</sheetData>",
        '<row r="9"><c r="A9" t="inlineStr"><is><t>&c;</t></is></c></row></sheetData>',
    )
    data = replace_part(data, "xl/worksheets/sheet2.xml", poisoned.encode())
    assert "不允许的XML声明（DOCTYPE/ENTITY）" in only_problem(run(data, township_a))
    assert township_state(township_a) == before


def test_a_missing_required_column_names_the_sheet_and_column(township_a, before):
    data = xlsx({"会员": [["姓名", "所属工会", "入会日期"], ["张三", "已有工会", "2026-01-01"]]})
    assert only_problem(run(data, township_a)) == "会员 第1行 “身份证号”列：缺少必填列“身份证号”。"
    assert township_state(township_a) == before


def test_a_value_outside_the_vocabulary_is_an_error(township_a, before):
    data = xlsx(
        {"基层工会": [["工会名称", "类型", "成立日期"], ["乙工会", "大型工会", "2020-01-01"]]}
    )
    message = only_problem(run(data, township_a))
    assert message.startswith("基层工会 第2行 “类型”列：“大型工会”不在可选范围内，可填：企业工会")
    assert township_state(township_a) == before


def test_an_impossible_date_is_an_error(township_a, before):
    data = xlsx(
        {"基层工会": [["工会名称", "类型", "成立日期"], ["乙工会", "企业工会", "2026-02-30"]]}
    )
    message = only_problem(run(data, township_a))
    assert message == "基层工会 第2行 “成立日期”列：日期“2026-02-30”不存在（请核对年、月、日）。"
    assert township_state(township_a) == before


def test_a_wrong_id_check_character_is_an_error(township_a, before):
    good = id_number()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    data = xlsx({"会员": [MEMBER_HEADERS, ["张三", wrong, "已有工会", None, "2026-01-01"]]})
    message = only_problem(run(data, township_a))
    assert message == "会员 第2行 “身份证号”列：身份证号校验位不正确，请核对后重新输入。"
    assert township_state(township_a) == before


def test_a_wrong_credit_code_check_character_is_an_error(township_a, before):
    data = xlsx(
        {
            "单位": [
                ["单位名称", "统一社会信用代码", "职工人数"],
                ["甲公司", "91330282MA2AB3CD4X", 30],
            ]
        }
    )
    message = only_problem(run(data, township_a))
    assert message.startswith("单位 第2行 “统一社会信用代码”列：统一社会信用代码校验位不正确")
    assert township_state(township_a) == before


def test_an_id_that_excel_stored_as_a_number_is_an_error(township_a, before):
    data = xlsx(
        {"会员": [MEMBER_HEADERS, ["张三", 3.30282199001011e17, "已有工会", None, "2026-01-01"]]}
    )
    message = only_problem(run(data, township_a))
    assert message.startswith(
        "会员 第2行 “身份证号”列：“身份证号”被Excel存成了数字，后几位已经丢失"
    )
    assert township_state(township_a) == before


def test_the_same_id_twice_in_the_file_is_an_error(township_a, before):
    same = id_number()
    rows = [MEMBER_HEADERS] + [["张三", same, "已有工会", None, "2026-01-01"]] * 2
    message = only_problem(run(xlsx({"会员": rows}), township_a))
    assert message == "会员 第3行 “身份证号”列：与第2行重复（同一条记录）。"
    assert township_state(township_a) == before


def test_a_person_active_in_another_township_of_the_county_is_refused(township_a, township_b):
    elsewhere = make_member(township_b, name="西山会员")
    before = township_state(township_a)
    row = ["张三", elsewhere.id_number, "甲工会", None, "2026-01-01"]
    data = xlsx({"基层工会": UNION_SHEET, "会员": [MEMBER_HEADERS, row]})
    message = only_problem(run(data, township_a))
    assert message.startswith("会员 第2行 “身份证号”列：身份证号 ")
    assert "的人员已是西山乡（西山乡工会）的在册会员，同一人在全县只能在一个工会登记" in message
    assert elsewhere.id_number not in message
    assert township_state(township_a) == before


def test_a_person_who_left_another_township_can_join_here(township_a, township_b):
    left = make_member(township_b, left_on=datetime.date(2025, 12, 31))
    row = ["张三", left.id_number, "甲工会", None, "2026-01-01"]
    assert run(xlsx({"基层工会": UNION_SHEET, "会员": [MEMBER_HEADERS, row]}), township_a).written


def test_a_reference_to_an_unknown_union_is_an_error(township_a, before):
    data = xlsx({"会员": [MEMBER_HEADERS, ["张三", id_number(), "没有的工会", None, "2026-01-01"]]})
    message = only_problem(run(data, township_a))
    assert message.startswith("会员 第2行 “所属工会”列：本乡镇没有名为“没有的工会”的基层工会")
    assert township_state(township_a) == before


def test_a_reference_to_an_unknown_employer_is_an_error(township_a, before):
    row = ["张三", id_number(), "已有工会", "没有的公司", "2026-01-01"]
    message = only_problem(run(xlsx({"会员": [MEMBER_HEADERS, row]}), township_a))
    assert message.startswith("会员 第2行 “工作单位”列：本乡镇没有名为“没有的公司”的单位")
    assert township_state(township_a) == before


def test_a_negative_amount_is_an_error(township_a, before):
    data = xlsx(
        {
            "单位": [["单位名称", "职工人数"], ["甲公司", 30]],
            "经费": [
                ["单位名称", "所属期间", "应缴金额", "实缴金额"],
                ["甲公司", "2026-03", -5, 0],
            ],
        }
    )
    assert only_problem(run(data, township_a)) == "经费 第2行 “应缴金额”列：不能为负数（-5.00）。"
    assert township_state(township_a) == before


def test_a_formula_in_a_data_cell_is_an_error(township_a, before):
    data = xlsx({"单位": [["单位名称", "职工人数"], ["甲公司", "=20+10"]]})
    message = only_problem(run(data, township_a))
    assert message == "单位 第2行 “职工人数”列：单元格是公式（=20+10），请改为直接填写内容。"
    assert township_state(township_a) == before


def test_every_problem_of_every_sheet_is_listed_at_once_and_nothing_is_written(township_a, before):
    data = xlsx(
        {
            "单位": [["单位名称", "职工人数"], ["甲公司", -1], ["乙公司", 20]],
            "会员": [MEMBER_HEADERS, ["张三", "123", "已有工会", None, "明天"]],
        }
    )
    report = run(data, township_a)
    assert [str(p) for p in report.problems] == [
        "单位 第2行 “职工人数”列：不能为负数（-1）。",
        "会员 第2行 “身份证号”列：身份证号应为18位：前17位为数字，最后一位为数字或X。",
        "会员 第2行 “入会日期”列：无法识别日期“明天”，请写成 2026-03-27 或 2026年3月27日。",
    ]
    assert township_state(township_a) == before


def test_a_row_breaking_a_model_rule_is_reported_on_its_column(township_a, before):
    data = xlsx(
        {
            "信访": [
                ["编号", "受理日期", "诉求人", "类别", "状态"],
                ["XF-1", "2026-03-01", "张某", "拖欠工资", "已解决"],
            ]
        }
    )
    message = only_problem(run(data, township_a))
    assert message == "信访 第2行 “结案日期”列：状态不是“处理中”时必须填写结案日期。"
    assert township_state(township_a) == before


# --- harmless oddities -------------------------------------------------------------------------


def test_spaces_traditional_names_fullwidth_digits_and_text_dates_are_accepted(township_a):
    first17 = "33028219900101123"
    wide_id = (first17 + id_check_char(first17)).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    data = xlsx(
        {
            " 基層工會 ": [
                [" 工會名稱 ", "類型", "成立日期 "],
                [" 甲工会 ", "企業工會", "2026/3/27"],
            ],
            "單位": [
                ["單位名稱", "職工人數", "應建會"],
                ["甲公司", "３０", None],
                ["乙公司", "10", None],
            ],
            "會員": [
                ["姓名", "身份證號", "所屬工會", "入會日期"],
                ["张三", wide_id, "甲工会", "2026年3月27日"],
            ],
        }
    )
    report = run(data, township_a)
    assert report.problems == [] and report.written
    union = GrassrootsUnion.objects.get(township=township_a)
    assert (union.name, union.kind, union.founded_on) == (
        "甲工会",
        "enterprise",
        datetime.date(2026, 3, 27),
    )
    member = Member.objects.get(township=township_a)
    assert member.id_number == first17 + id_check_char(first17)
    assert (member.gender, member.birth_date) == ("M", datetime.date(1990, 1, 1))
    assert member.joined_on == datetime.date(2026, 3, 27)
    # 应建会 not stated: 是 from 25 employees up.
    assert dict(Employer.objects.values_list("name", "should_unionise")) == {
        "甲公司": True,
        "乙公司": False,
    }


def test_unknown_sheets_are_ignored_with_a_warning(township_a):
    report = run(xlsx({"基层工会": UNION_SHEET, "统计表": [["随便"]]}), township_a)
    assert report.ok
    assert report.warnings == ["工作表“统计表”不是数据交换工作簿的工作表，已忽略。"]


# --- preview, idempotency, round trip -------------------------------------------------------


def test_preview_counts_created_updated_and_unchanged_rows_without_writing(township_a):
    union = make_union(township_a, name="甲工会")
    same = make_member(township_a, union=union, name="不变", joined_on=datetime.date(2020, 1, 1))
    renamed = make_member(township_a, union=union, name="旧名", joined_on=datetime.date(2020, 1, 1))
    rows = [
        MEMBER_HEADERS,
        ["不变", same.id_number, "甲工会", None, datetime.date(2020, 1, 1)],
        ["新名", renamed.id_number, "甲工会", None, datetime.date(2020, 1, 1)],
        ["新人", id_number(), "甲工会", None, datetime.date(2021, 1, 1)],
    ]
    before = township_state(township_a)
    report = run(xlsx({"会员": rows}), township_a, dry_run=True)
    assert [(c.sheet, c.created, c.updated, c.unchanged) for c in report.counts] == [
        ("会员", 1, 1, 1)
    ]
    assert township_state(township_a) == before
    report = run(xlsx({"会员": rows}), township_a)
    assert report.written and Member.objects.get(pk=renamed.pk).name == "新名"
    assert Member.objects.get(pk=renamed.pk).history.first().history_change_reason == (
        "导入数据交换工作簿"
    )


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    township_a, other_county_township
):
    fill_every_sheet(township_a)
    data = export_bytes(township_a)
    first = run(data, other_county_township)
    assert first.written and first.created > 0
    before = township_state(other_county_township)
    second = run(data, other_county_township)
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == first.created
    assert township_state(other_county_township) == before


@pytest.mark.parametrize("sheet", [s.key for s in SHEETS])
def test_exporting_a_township_and_importing_into_an_empty_one_gives_the_same_records(
    sheet, township_a, other_county_township
):
    fill_every_sheet(township_a)
    report = run(export_bytes(township_a), other_county_township)
    assert report.written, [str(p) for p in report.problems]
    assert comparable(sheet, other_county_township) == comparable(sheet, township_a)
    assert len(comparable(sheet, other_county_township)) >= 1


def test_event_units_are_kept_as_written_and_linked_by_name(township_a, other_county_township):
    fill_every_sheet(township_a)
    run(export_bytes(township_a), other_county_township)
    event = Event.objects.get(township=other_county_township)
    assert event.participating_units == "恒达机械工会、恒达机械有限公司;外地某厂"
    assert [u.name for u in event.unions.all()] == ["恒达机械工会"]
    assert [e.name for e in event.employers.all()] == ["恒达机械有限公司"]
    assert event.unions.get().township == other_county_township


def test_identical_visit_rows_are_recognised_and_skipped_on_reimport(township_a):
    row = ["2026-01-20", "困难职工", "李大明", 500]
    data = xlsx({"慰问": [["日期", "对象类型", "对象姓名", "慰问金额"], row, row]})
    assert run(data, township_a).created == 2
    again = run(data, township_a)
    assert (again.created, again.unchanged) == (0, 2)
    assert WelfareVisit.objects.filter(township=township_a).count() == 2


def test_a_visit_with_a_members_id_is_linked_to_the_member(township_a):
    member = make_member(township_a)
    data = xlsx(
        {
            "慰问": [
                ["日期", "对象类型", "对象姓名", "身份证号"],
                ["2026-01-20", "劳模", "某", member.id_number],
            ]
        }
    )
    run(data, township_a)
    assert WelfareVisit.objects.get().member == member


def test_dues_periods_and_amounts_are_read_from_text(township_a):
    data = xlsx(
        {
            "单位": [["单位名称", "职工人数"], ["甲公司", 30]],
            "经费": [
                ["单位名称", "所属期间", "应缴金额", "实缴金额", "缴纳日期"],
                ["甲公司", "2026q1", "1,200.50", "１２００.5", "2026年4月1日"],
            ],
        }
    )
    assert run(data, township_a).written
    record = DuesRecord.objects.get()
    assert (record.period, record.period_start, record.period_end) == (
        "2026Q1",
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )
    assert record.amount_due == record.amount_paid == Decimal("1200.50")


# --- formula-looking text -----------------------------------------------------------------------


def test_formula_looking_text_is_exported_as_text_excel_will_not_run(township_a):
    fill_every_sheet(township_a)
    data = export_bytes(township_a)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members_xml = archive.read("xl/worksheets/sheet3.xml").decode()
        styles = archive.read("xl/styles.xml").decode()
    assert "<f>" not in members_xml
    assert ' s="2" t="inlineStr"><is><t>=大专</t></is></c>' in members_xml
    assert 'quotePrefix="1"' in styles
    sheet = load_workbook(io.BytesIO(data))["会员"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=大专")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=大专", "s", True)


def test_formula_looking_text_comes_back_as_the_original_text(township_a, other_county_township):
    fill_every_sheet(township_a)
    run(export_bytes(township_a), other_county_township)
    member = Member.objects.get(township=other_county_township, name="王小红")
    assert (member.education, member.card_number) == ("=大专", "-0001")
    assert Member.objects.filter(township=other_county_township, name="@李明").exists()
    assert (
        WelfareVisit.objects.get(township=other_county_township, note__startswith="+").note
        == "+慰问劳模"
    )


# --- queries ---------------------------------------------------------------------------------


def test_the_number_of_queries_of_an_import_does_not_grow_with_the_rows(township_a, township_b):
    def queries(township, count):
        data = members_workbook(count)
        with CaptureQueriesContext(connection) as captured:
            assert run(data, township).written
        return len(captured)

    assert queries(township_a, 5) == queries(township_b, 60)


# --- county export ---------------------------------------------------------------------------


def test_a_county_export_has_a_township_column_that_the_importer_ignores(
    township_a, township_b, other_county_township
):
    fill_every_sheet(township_a)
    make_member(township_b, name="西山会员")
    data = export_bytes(township_a, township_b)
    sheet = load_workbook(io.BytesIO(data))["会员"]
    assert [c.value for c in sheet[1]][:2] == ["乡镇", "姓名"]
    assert sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True)) == [
        "慈东镇",
        "慈东镇",
        "西山乡",
    ]
    # A county export is read back into a township of another county (a person is an active
    # member of one union per county).
    fresh = Township.objects.create(code="fresh", name="新镇", county=other_county_township.county)
    only_a = export_bytes(township_a)
    assert run(only_a, fresh).written


# --- template ----------------------------------------------------------------------------------


def test_the_template_has_every_sheet_marked_headers_notes_and_drop_downs():
    out = io.BytesIO()
    write_template(out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["填写说明", *[s.name for s in SHEETS], "示例"]
    members = book["会员"]
    assert [c.value for c in members[1]][:3] == ["姓名*", "身份证号*", "所属工会*"]
    assert "18位" in members["B1"].comment.text
    lists = [v.formula1 for v in members.data_validations.dataValidation if v.type == "list"]
    assert '"是,否"' in lists and '"无,县级,市级,省级,全国"' in lists
    assert members["E2"].number_format == "yyyy-mm-dd"


def test_the_blank_template_imports_as_nothing(township_a):
    out = io.BytesIO()
    write_template(out)
    report = run(out.getvalue(), township_a)
    assert report.ok and report.created == 0 and report.warnings == []


# --- commands ----------------------------------------------------------------------------------


def test_import_command_dry_run_reports_and_writes_nothing(tmp_path, township_a, capsys):
    path = tmp_path / "members.xlsx"
    path.write_bytes(members_workbook(3))
    call_command("import_workbook", str(path), township=township_a.code, dry_run=True)
    assert "会员：新增3条" in capsys.readouterr().out
    assert not Member.objects.exists()
    call_command("import_workbook", str(path), township=township_a.code)
    assert Member.objects.filter(township=township_a).count() == 3


def test_import_command_prints_every_problem_and_exits_1(tmp_path, township_a, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx({"会员": [MEMBER_HEADERS, ["张三", "1", "无", None, "x"]]}))
    with pytest.raises(CommandError) as raised:
        call_command("import_workbook", str(path), township=township_a.code)
    assert raised.value.returncode == 1
    err = capsys.readouterr().err
    assert "会员 第2行 “身份证号”列" in err and "会员 第2行 “入会日期”列" in err
    assert not Member.objects.exists()


def test_import_command_refuses_an_unknown_township(tmp_path, db):
    path = tmp_path / "m.xlsx"
    path.write_bytes(members_workbook(1))
    with pytest.raises(CommandError, match="找不到代码为“nowhere”的乡镇工会") as raised:
        call_command("import_workbook", str(path), township="nowhere")
    assert raised.value.returncode == 1


def test_import_command_without_township_is_a_usage_error():
    result = subprocess.run(
        [sys.executable, "manage.py", "import_workbook", "x.xlsx"], capture_output=True, text=True
    )
    assert result.returncode == 2


def test_export_command_writes_a_whole_file(tmp_path, township_a, capsys):
    fill_every_sheet(township_a)
    path = tmp_path / "out.xlsx"
    call_command("export_workbook", township=township_a.code, out=str(path))
    assert "会员2条" in capsys.readouterr().out
    assert load_workbook(path).sheetnames == [s.name for s in SHEETS]
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def planner_row_count(table: str) -> int | None:
    """The row count the planner's statistics hold for the table (None: none kept)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone():
                return None
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx IS NULL", [table])
            row = cursor.fetchone()
            if row is None:
                cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
                row = cursor.fetchone()
            return int(row[0].split()[0]) if row else None
        # ANALYZE sets pg_class.reltuples within the transaction (-1: never analyzed).
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        tuples = cursor.fetchone()[0]
        return None if tuples < 0 else int(tuples)


def test_a_large_import_refreshes_the_planner_statistics_of_what_it_grew(township_a, monkeypatch):
    # unionportal/dbstats.py: without row counts SQLite plans a name search as a county scan.
    import workbook.services as services

    monkeypatch.setattr(services, "BULK_ROWS", 7)
    assert planner_row_count("members_member") != 7
    report = run(members_workbook(7), township_a)
    assert report.written and Member.objects.filter(township=township_a).count() == 7
    assert planner_row_count("members_member") == 7


def test_an_import_succeeds_when_the_statistics_cannot_be_refreshed(township_a, monkeypatch):
    # The records are committed before ANALYZE; its failure must not turn success into an error.
    from types import SimpleNamespace

    import workbook.services as services
    from unionportal import dbstats

    def full():
        raise DatabaseError("database or disk is full")

    monkeypatch.setattr(services, "BULK_ROWS", 2)
    monkeypatch.setattr(
        dbstats, "connections", {"default": SimpleNamespace(cursor=full, ops=connection.ops)}
    )
    report = run(members_workbook(2), township_a)
    assert report.written and not report.problems
    assert Member.objects.filter(township=township_a).count() == 2
