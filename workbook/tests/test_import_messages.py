"""What the import pages say: a preview with problems counts the rows read on every sheet; the
message after an import is a short list, one line per sheet, each linked to that kind's list."""

import io
import re

import pytest
from django.urls import reverse

from unionportal.tests.factories import MEMBER_HEADERS, UNION_SHEET, id_number, page_text, xlsx
from workbook import views as workbook_views
from workbook.book import SHEETS


@pytest.fixture(autouse=True)
def _uploads_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_views, "UPLOAD_DIR", tmp_path / "uploads")


def upload(client, data: bytes):
    file = io.BytesIO(data)
    file.name = "台账.xlsx"
    return client.post(reverse("workbook:upload"), {"file": file})


def members(*ids: str) -> bytes:
    rows = [MEMBER_HEADERS] + [
        [f"会员{i}", number, "甲工会", None, "2020-01-01"] for i, number in enumerate(ids)
    ]
    return xlsx({"基层工会": UNION_SHEET, "会员": rows})


def test_a_preview_with_problems_counts_the_rows_read_on_each_sheet(client, staff_a):
    client.force_login(staff_a)

    response = upload(client, members(id_number(), "123", id_number()))

    text = page_text(response)
    assert "发现 1 个问题，未导入任何数据" in text
    assert "工作表 读入行数 有问题的行 基层工会 1 0 会员 3 1" in text
    assert "确认导入" not in text


def test_the_message_after_an_import_lists_each_sheet_with_a_link_to_its_list(client, staff_a):
    client.force_login(staff_a)
    token = upload(client, members(id_number(), id_number())).context["token"]

    response = client.post(reverse("workbook:confirm"), {"token": token}, follow=True)

    text = page_text(response)
    assert (
        "导入完成：新增3条，更新0条，未变0条。 基层工会 ：新增1条，更新0条，未变0条"
        " 会员 ：新增2条，更新0条，未变0条 "
    ) in text
    listed = re.search(r'<ul[^>]*id="imported-sheets">(.*?)</ul>', response.text, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', listed) == [
        reverse("members:union_list"),
        reverse("members:member_list"),
    ]


def test_every_sheet_links_to_its_list():
    missing = [s.key for s in SHEETS if s.key not in workbook_views.SHEET_LIST_URLS]

    assert not missing
    for name in workbook_views.SHEET_LIST_URLS.values():
        assert reverse(name)
