"""Old Excel (.xls) workbooks, as older Excel and WPS still save them: read into the same rows as
an .xlsx, previewed and imported with the same rules; a damaged one gets one clear message.

fixtures/old_members.xls is fixtures/make_old_members.py's .xlsx converted once by LibreOffice
(`soffice --headless --convert-to xls`): one union and two members, dates as Excel dates.
"""

import datetime
import io
from pathlib import Path

import pytest
from django.urls import reverse

from members.models import GrassrootsUnion, Member
from unionportal.spreadsheet.reading import WorkbookError, read_workbook
from unionportal.tests.factories import page_text
from workbook import views as workbook_views
from workbook.services import import_workbook

OLD_MEMBERS = (Path(__file__).parent / "fixtures" / "old_members.xls").read_bytes()


@pytest.fixture(autouse=True)
def _uploads_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_views, "UPLOAD_DIR", tmp_path / "uploads")


def upload(client, data: bytes, name: str = "会员名册.xls"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("workbook:upload"), {"file": file})


def test_an_xls_file_reads_into_the_same_rows_as_an_xlsx():
    book = read_workbook(OLD_MEMBERS, wanted=lambda name: True)

    sheets = {sheet.name: sheet.rows for sheet in book.sheets}
    assert list(sheets) == ["基层工会", "会员"]
    assert sheets["会员"][0] == (
        1,
        {0: "姓名", 1: "身份证号", 2: "所属工会", 3: "工作单位", 4: "入会日期"},
    )
    # Dates arrive as Excel serial numbers, as from an .xlsx; the empty 工作单位 is left out.
    assert sheets["会员"][1] == (2, {0: "陈晓梅", 1: "330282198806010020", 2: "旧表工会", 4: 45352})
    assert not book.date1904


def test_an_xls_file_is_previewed_and_imported_like_an_xlsx(client, staff_a, township_a):
    client.force_login(staff_a)

    response = upload(client, OLD_MEMBERS)

    text = page_text(response)
    assert "导入预览" in text and "会员 2 0 0" in text and "基层工会 1 0 0" in text
    assert not Member.objects.exists()
    response = client.post(reverse("workbook:confirm"), {"token": response.context["token"]})
    assert response.status_code == 302
    members = Member.objects.filter(township=township_a, created_by=staff_a)
    assert sorted(members.values_list("name", "joined_on")) == [
        ("李建国", datetime.date(2019, 11, 20)),
        ("陈晓梅", datetime.date(2024, 3, 1)),
    ]
    assert GrassrootsUnion.objects.get(township=township_a).name == "旧表工会"


def test_a_damaged_xls_file_gets_one_clear_message_and_nothing_is_written(township_a):
    report = import_workbook(data=OLD_MEMBERS[:3000], township=township_a, user=None)

    assert not report.ok and not report.written
    assert [p.message for p in report.problems] == [
        "这个旧版Excel（.xls）文件已损坏或不完整，无法读取。请在Excel或WPS中重新保存后再上传。"
    ]
    assert not Member.objects.exists()


def test_an_xls_file_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr("unionportal.spreadsheet.reading.MAX_ROWS", 2)

    with pytest.raises(WorkbookError, match="一次最多导入2行"):
        read_workbook(OLD_MEMBERS, wanted=lambda name: True)


def test_the_upload_page_accepts_xls_files(client, staff_a):
    client.force_login(staff_a)

    response = client.get(reverse("workbook:upload"))

    assert ".xls," in response.text
