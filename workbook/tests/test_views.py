"""The workbook pages: template, upload → preview → confirm, export, and who may do what."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Member
from unionportal.tests.factories import (
    MEMBER_HEADERS,
    fill_every_sheet,
    make_member,
    members_workbook,
    page_text,
    xlsx,
)
from workbook import views as workbook_views


@pytest.fixture(autouse=True)
def _uploads_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_views, "UPLOAD_DIR", tmp_path / "uploads")


def upload(client, data: bytes, **extra):
    file = io.BytesIO(data)
    file.name = "会员名册.xlsx"
    return client.post(reverse("workbook:upload"), {"file": file, **extra})


def test_staff_download_the_template(client, staff_a):
    client.force_login(staff_a)
    response = client.get(reverse("workbook:template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "会员" in load_workbook(io.BytesIO(response.content)).sheetnames


def test_the_upload_page_offers_the_template_and_names_the_township(client, staff_a):
    client.force_login(staff_a)
    response = client.get(reverse("workbook:upload"))
    text = page_text(response)
    assert " 导入到： 慈东镇工会 " in text
    assert reverse("workbook:template") in response.text


def test_upload_shows_a_preview_and_writes_nothing_until_confirmed(client, staff_a, township_a):
    client.force_login(staff_a)
    response = upload(client, members_workbook(3))
    assert response.status_code == 200
    text = page_text(response)
    assert "导入预览" in text and "会员 3 0 0" in text and "基层工会 1 0 0" in text
    assert not Member.objects.exists()

    token = response.context["token"]
    response = client.post(reverse("workbook:confirm"), {"token": token}, follow=True)
    assert "导入完成：新增4条，更新0条，未变0条" in page_text(response)
    assert Member.objects.filter(township=township_a, created_by=staff_a).count() == 3
    assert not (workbook_views.UPLOAD_DIR / f"{token}.xlsx").exists()


def test_a_file_with_problems_lists_them_all_and_offers_no_confirmation(client, staff_a):
    client.force_login(staff_a)
    rows = [MEMBER_HEADERS, ["张三", "123", "没有的工会", None, "2026-02-30"]]
    response = upload(client, xlsx({"会员": rows}))
    text = page_text(response)
    assert "发现 3 个问题，未导入任何数据" in text
    assert "会员 2 身份证号 身份证号应为18位" in text
    assert "会员 2 所属工会 本乡镇没有名为“没有的工会”的基层工会" in text
    assert "会员 2 入会日期 日期“2026-02-30”不存在" in text
    assert "确认导入" not in text
    assert not Member.objects.exists()


def test_a_file_that_is_not_xlsx_gets_one_clear_message(client, staff_a):
    client.force_login(staff_a)
    response = upload(client, b"not a workbook")
    assert "文件不是Excel工作簿（.xlsx）" in page_text(response)


def test_confirming_twice_imports_once(client, staff_a):
    client.force_login(staff_a)
    token = upload(client, members_workbook(2)).context["token"]
    client.post(reverse("workbook:confirm"), {"token": token})
    response = client.post(reverse("workbook:confirm"), {"token": token}, follow=True)
    assert "上传的文件已过期或已导入" in page_text(response)
    assert Member.objects.count() == 2


def test_reviewers_cannot_import(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("workbook:upload")).status_code == 403
    assert upload(client, members_workbook(1)).status_code == 403
    assert not Member.objects.exists()


def test_a_reviewer_confirming_an_import_gets_403_not_a_redirect(client, reviewer):
    # Refused for the role before anything about the upload is looked at (the roles matrix).
    client.force_login(reviewer)

    assert client.post(reverse("workbook:confirm"), {"token": "0" * 32}).status_code == 403


def test_staff_of_another_township_cannot_import_into_township_a(
    client, staff_b, township_a, township_b
):
    client.force_login(staff_b)
    response = upload(client, members_workbook(1), township=township_a.pk)
    token = response.context["token"]
    client.post(reverse("workbook:confirm"), {"token": token})
    assert not Member.objects.filter(township=township_a).exists()
    assert Member.objects.filter(township=township_b).count() == 1


def test_a_token_from_another_session_imports_nothing(client, staff_a, staff_b, township_a):
    client.force_login(staff_a)
    token = upload(client, members_workbook(1)).context["token"]
    client.logout()
    client.force_login(staff_b)
    response = client.post(reverse("workbook:confirm"), {"token": token}, follow=True)
    assert "上传的文件已过期或已导入" in page_text(response)
    assert not Member.objects.exists()


def test_staff_export_all_of_their_townships_records(client, staff_a, township_a, township_b):
    fill_every_sheet(township_a)
    make_member(township_b, name="西山会员")
    client.force_login(staff_a)
    response = client.get(reverse("workbook:export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    names = [row[0] for row in book["会员"].iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["@李明", "王小红"]


def test_staff_cannot_export_another_township(client, staff_b, township_a):
    client.force_login(staff_b)
    assert client.get(reverse("workbook:export"), {"township": township_a.pk}).status_code == 404


def test_the_county_reviewer_exports_every_township_with_a_township_column(
    client, reviewer, township_a, township_b
):
    make_member(township_a, name="慈东会员")
    make_member(township_b, name="西山会员")
    client.force_login(reviewer)
    assert "导出全县" in page_text(client.get(reverse("workbook:export")))
    response = client.get(reverse("workbook:export"), {"township": "all"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["会员"]
    rows = sorted(sheet.iter_rows(min_row=2, max_col=2, values_only=True))
    assert rows == [("慈东镇", "慈东会员"), ("西山乡", "西山会员")]


def test_a_reviewer_of_another_county_cannot_export_township_a(client, other_reviewer, township_a):
    make_member(township_a, name="慈东会员")
    client.force_login(other_reviewer)
    assert client.get(reverse("workbook:export"), {"township": township_a.pk}).status_code == 404
    response = client.get(reverse("workbook:export"), {"township": "all"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["会员"]
    assert sheet.max_row == 1


def test_an_export_can_be_limited_to_one_sheet(client, staff_a, township_a):
    fill_every_sheet(township_a)
    client.force_login(staff_a)
    response = client.get(reverse("workbook:export"), {"sheet": "members"})
    assert load_workbook(io.BytesIO(b"".join(response.streaming_content))).sheetnames == ["会员"]


def _exported(response) -> dict[str, list[tuple]]:
    body = b"".join(response.streaming_content)
    book = load_workbook(io.BytesIO(body), read_only=True)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_a_filtered_member_list_exports_only_its_rows_in_the_workbook_layout(
    client, staff_a, township_a, township_b
):
    kept = make_member(township_a, name="王建国")
    make_member(township_a, name="李秀英")
    make_member(township_b, name="王建军")  # another township: never exported
    client.force_login(staff_a)

    page = client.get(reverse("members:member_list"), {"q": "王"})
    assert "format=xlsx" in page.text and "q=%E7%8E%8B" in page.text

    response = client.get(reverse("members:member_list"), {"q": "王", "format": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _exported(response)["会员"]
    name_column = next(i for i, head in enumerate(rows[0]) if head.startswith("姓名"))
    assert [row[name_column] for row in rows[1:]] == [kept.name]


def test_a_reviewers_filtered_export_names_the_township(client, reviewer, township_a, township_b):
    make_member(township_a, name="王建国")
    make_member(township_b, name="赵敏")
    client.force_login(reviewer)
    response = client.get(
        reverse("members:member_list"), {"township": township_b.pk, "format": "xlsx"}
    )
    rows = _exported(response)["会员"]
    assert rows[0][0] == "乡镇"
    assert [row[0] for row in rows[1:]] == [township_b.name]


def test_every_record_list_offers_its_filtered_rows_as_a_workbook(client, staff_a):
    client.force_login(staff_a)
    for name in [
        "members:employer_list",
        "members:union_list",
        "members:member_list",
        "members:contract_list",
        "members:dues_list",
        "welfare:visit_list",
        "disputes:case_list",
        "events:event_list",
    ]:
        response = client.get(reverse(name), {"format": "xlsx"})
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml"
        ), name
