"""Hostile workbooks (issue 7): hypothesis builds .xlsx files with openpyxl (known and unknown
sheets, shuffled or odd headers, formulas, error values, dates as text, huge numbers, merged
cells, empty rows, duplicate keys, markup in names, very long text) and imports them.

Properties, for every example:
- no traceback: the importer answers with a report (the page with a 200, the command with a
  Chinese error), never an exception or a 500;
- all or nothing: a report with problems wrote nothing; a clean report wrote every row, and
  every written record passes full_clean();
- every problem says where, in Chinese: the sheet, and for a cell the row and the column.
"""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from unionportal.tests import factories as f
from unionportal.tests.factories import changed_rows, snapshot
from workbook.book import SHEETS
from workbook.services import import_workbook

CJK = re.compile(r"[\u4e00-\u9fff]")

# Cell values by column kind: a plausible value or a trap.
PLAIN = {
    "text": st.sampled_from(["丙工会", "乙公司", "王小红", "张某等5人", "安康杯", "XF-001"]),
    "date": st.one_of(
        st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2026, 1, 1)),
        st.sampled_from(["2026-03-27", "2026/3/27", "2026年3月27日", "２０２６－０３－２７"]),
    ),
    "int": st.integers(min_value=0, max_value=500),
    "money": st.one_of(st.integers(min_value=0, max_value=10**6), st.just("4300.50")),
    "bool": st.sampled_from(["是", "否", True, False]),
    "id": st.builds(f.id_number),
    "credit": st.just(""),
    "mobile": st.sampled_from(["13805741234", "", "138 0574 1234"]),
    "union": st.just("甲工会"),
    "employer": st.just("甲公司"),
    "period": st.sampled_from(["2026-03", "2026Q1", "2026H1", "2026"]),
}
TRAPS = st.one_of(
    st.sampled_from(
        [
            "=1+1",
            '=HYPERLINK("http://evil","x")',
            "#N/A",
            "#DIV/0!",
            "<script>alert(1)</script>",
            "{{7*7}}",
            "'); DROP TABLE members_member;--",
            "2026-02-30",
            "0000-00-00",
            "1e400",
            "-1",
            "-0.01",
            "1.005",
            "NaN",
            "Infinity",
            "99999999999999999999",
            "字" * 300,
            "x" * 5000,
            "\u202e反转",
            " ",
            "²",
            "乙工会",
            "西山工会",
            "西山公司",
            "2026Q5",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).filter(lambda d: abs(d) < 10**20),
    # A spreadsheet cell's date-time has no time zone (xlsx stores none): naive on purpose.
    st.datetimes(min_value=datetime.datetime(1900, 1, 1)),  # noqa: DTZ001
    st.text(max_size=30).filter(lambda s: not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", s)),
    st.booleans(),
)


def _cell(column, clean: bool):
    """A plausible value for the column; on a row that is not clean, maybe a trap or nothing."""
    if column.kind == "choice":
        plain = st.sampled_from([str(label) for label in column.choices.labels])
    elif column.kind == "choices":  # several labels of the vocabulary, separated by 、
        labels = [str(label) for label in column.choices.labels]
        plain = st.lists(st.sampled_from(labels), min_size=1, max_size=3, unique=True).map(
            "、".join
        )
    elif column.field == "party_name":
        plain = st.sampled_from(["甲公司", "甲工会"])
    else:
        plain = PLAIN[column.kind]
    if clean:
        return plain if column.required else st.one_of(plain, st.none())
    return st.one_of(plain, plain, TRAPS, st.none())


@st.composite
def workbooks(draw) -> bytes:
    """A small workbook: some of the record sheets (and maybe a stranger), headers mostly right,
    a few rows of plausible values and traps, perhaps merged cells and blank rows."""
    book = Workbook()
    book.remove(book.active)
    sheets = draw(st.lists(st.sampled_from(SHEETS), min_size=1, max_size=3, unique_by=id))
    for sheet in sheets:
        names = [sheet.name, sheet.name, f" {sheet.name} "]
        name = draw(st.sampled_from(names + (["基層工會"] if sheet.key == "unions" else [])))
        if name in book.sheetnames:
            name = sheet.name + "2"
        ws = book.create_sheet(name)
        # Half the sheets hold plausible rows of the required columns only, so that imports
        # also succeed; the others any columns and traps.
        clean = draw(st.booleans())
        columns = [c for c in sheet.columns if c.required or (not clean and draw(st.booleans()))]
        columns = draw(st.permutations(columns))
        headers = [c.header + ("*" if c.required and draw(st.booleans()) else "") for c in columns]
        if draw(st.integers(0, 9)) == 0:
            headers.append(draw(st.sampled_from(["备注2", "乡镇", columns[0].header, "=A1"])))
        ws.append(headers)
        for _ in range(draw(st.integers(0, 5))):
            if draw(st.integers(0, 6)) == 0:
                ws.append([])
                continue
            ws.append([draw(_cell(c, clean)) for c in columns])
        if ws.max_row > 2 and draw(st.integers(0, 5)) == 0:
            ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    if draw(st.integers(0, 5)) == 0:
        book.create_sheet(draw(st.sampled_from(["说明", "Sheet1", "<b>表<b>"])))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def world(township_a, township_b, staff_a):
    union = f.make_union(township_a, name="甲工会")
    f.make_employer(township_a, name="甲公司", union=union)
    other = f.make_union(township_b, name="西山工会")
    f.make_employer(township_b, name="西山公司", union=other)
    f.make_member(township_b, union=other)
    return {"township": township_a, "user": staff_a}


HOSTILE = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_says_where(report) -> None:
    for problem in report.problems:
        text = str(problem)
        assert CJK.search(problem.message), text
        if problem.row is not None:
            assert problem.sheet and f"第{problem.row}行" in text, text
        if problem.column:
            assert f"“{problem.column}”列" in text, text


@pytest.mark.slow
@HOSTILE
@given(data=workbooks())
def test_a_hostile_workbook_is_imported_whole_or_not_at_all(world, data):
    with transaction.atomic():
        before = snapshot()
        report = import_workbook(data=data, township=world["township"], user=world["user"])
        after = snapshot()
        assert_says_where(report)
        if report.ok:
            assert report.written
            for record in changed_rows(before, after):
                record.full_clean()
            assert len(changed_rows(before, after)) >= report.created
        else:
            assert not report.written
            assert after == before, "a refused workbook wrote to the database"
        transaction.set_rollback(True)


@settings(HOSTILE, max_examples=15)
@given(data=workbooks())
def test_a_hostile_workbook_through_the_browser_never_fails(client, world, data):
    client.force_login(world["user"])
    with transaction.atomic():
        before = snapshot()
        upload = io.BytesIO(data)
        upload.name = "工作簿.xlsx"
        preview = client.post(reverse("workbook:upload"), {"file": upload})
        assert preview.status_code == 200
        assert snapshot() == before  # the preview writes nothing
        token = preview.context["token"]
        if token:
            confirmed = client.post(reverse("workbook:confirm"), {"token": token})
            assert confirmed.status_code in (200, 302)
        transaction.set_rollback(True)


@settings(HOSTILE, max_examples=10)
@given(data=workbooks())
def test_a_hostile_workbook_through_the_command_never_fails(world, data, tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "工作簿.xlsx"
    path.write_bytes(data)
    with transaction.atomic():
        before = snapshot()
        try:
            call_command("import_workbook", str(path), township="cidong", stdout=io.StringIO())
        except CommandError as error:
            assert CJK.search(str(error))
            assert snapshot() == before
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------
# Files that are not workbooks at all


def _zip(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _valid_workbook() -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "基层工会"
    ws.append(["工会名称", "类型", "成立日期"])
    ws.append(["外链工会", "企业工会", datetime.date(2015, 1, 1)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_external_link(data: bytes) -> bytes:
    """The workbook plus an external link part and a formula pointing at another file."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b"</sheetData>",
                    (
                        '<row r="3"><c r="A3"><f>[1]Sheet1!A1</f><v>0</v></c>'
                        '<c r="B3" t="inlineStr"><is><t>企业工会</t></is></c>'
                        '<c r="C3"><v>42005</v></c></row></sheetData>'
                    ).encode(),
                )
            dst.writestr(info, content)
        dst.writestr(
            "xl/externalLinks/externalLink1.xml",
            b'<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships"/></externalLink>',
        )
        dst.writestr(
            "xl/externalLinks/_rels/externalLink1.xml.rels",
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
            b'Target="http://evil.example/x.xlsx" TargetMode="External"/></Relationships>',
        )
    return out.getvalue()


NOT_WORKBOOKS = {
    "empty": b"",
    "text": "姓名,身份证号\n王小红,330282199001011220\n".encode(),
    "html": b"<html><script>alert(1)</script></html>",
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
    "truncated zip": _valid_workbook()[:300],
    "zip of text": _zip({"readme.txt": b"hello"}),
    "zip with a broken workbook": _zip(
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook><sheets>"}
    ),
    "bomb": _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<" + b"a" * (30 * 1024 * 1024),
        }
    ),
    "doctype": _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><workbook>&a;</workbook>',
        }
    ),
}


# What the one message says, for each kind of file.
SAYS = {
    "empty": "文件是空的",
    "text": "不是Excel工作簿",
    "html": "不是Excel工作簿",
    "pdf": "不是Excel工作簿",
    "xls": "旧版Excel（.xls）",
    "truncated zip": "已损坏或不完整",
    "zip of text": "不是Excel工作簿",
    "zip with a broken workbook": "已损坏或不完整",
    "bomb": "压缩炸弹",
    "doctype": "DOCTYPE",
}


@pytest.mark.parametrize("kind", sorted(NOT_WORKBOOKS))
def test_a_file_that_is_not_a_workbook_gets_one_clear_message(world, kind):
    before = snapshot()

    report = import_workbook(data=NOT_WORKBOOKS[kind], township=world["township"], user=None)

    assert not report.ok and not report.written
    assert len(report.problems) == 1
    assert SAYS[kind] in report.problems[0].message
    assert snapshot() == before


def test_an_external_link_is_refused_and_nothing_is_fetched(world):
    data = _with_external_link(_valid_workbook())
    before = snapshot()

    report = import_workbook(data=data, township=world["township"], user=None)

    assert not report.ok
    messages = [str(p) for p in report.problems]
    assert any("公式" in m and "第3行" in m and "“工会名称”列" in m for m in messages), messages
    assert snapshot() == before


@pytest.mark.parametrize(
    "value", ["1e30", "99999999999999999999.99", "123456789012345.00", 10**20, 1e300]
)
def test_an_amount_too_large_for_the_ledger_is_a_cell_problem(world, value):
    rows = [["单位名称", "所属期间", "应缴金额", "实缴金额"], ["甲公司", "2026Q1", value, 0]]
    book = Workbook()
    book.active.title = "经费"
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    before = snapshot()

    report = import_workbook(data=out.getvalue(), township=world["township"], user=None)

    assert [str(p) for p in report.problems] == [
        "经费 第2行 “应缴金额”列：金额过大，最多12位整数（不超过 999,999,999,999.99 元）。"
    ]
    assert snapshot() == before


@pytest.mark.parametrize("value", [2**31, 10**20, "99999999999999999999"])
def test_a_head_count_too_large_is_a_cell_problem(world, value):
    book = Workbook()
    book.active.title = "单位"
    book.active.append(["单位名称", "职工人数"])
    book.active.append(["大公司", value])
    out = io.BytesIO()
    book.save(out)
    before = snapshot()

    report = import_workbook(data=out.getvalue(), township=world["township"], user=None)

    assert [str(p) for p in report.problems] == [
        "单位 第2行 “职工人数”列：数字过大（不超过 2,147,483,647）。"
    ]
    assert snapshot() == before


def test_amounts_at_the_limit_are_imported(world):
    book = Workbook()
    book.active.title = "经费"
    book.active.append(["单位名称", "所属期间", "应缴金额", "实缴金额"])
    book.active.append(["甲公司", "2026Q1", "999999999999.99", 0])
    out = io.BytesIO()
    book.save(out)

    report = import_workbook(data=out.getvalue(), township=world["township"], user=None)

    assert report.ok, [str(p) for p in report.problems]
    from members.models import DuesRecord

    assert DuesRecord.objects.get().amount_due == Decimal("999999999999.99")
