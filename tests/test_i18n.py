"""The interface language switch, and that every page loads its files from the portal itself."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from unionportal.tests.factories import loaded_assets, make_records, page_text


def choose_language(client: Client, language: str, *, next_url: str = "/") -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


def test_home_page_is_in_simplified_chinese_by_default(client, staff_a):
    client.force_login(staff_a)

    response = client.get(reverse("home"))

    assert '<html lang="zh-hans">' in response.text
    assert " 乡镇工会工作平台 首页 工作看板 工作记录 " in page_text(response)


def test_choosing_traditional_chinese_shows_traditional_text(client, staff_a, township_a):
    make_records(township_a, employers=2, unions=1, members=3)
    client.force_login(staff_a)

    choose_language(client, "zh-hant")
    response = client.get(reverse("home"))

    text = page_text(response)
    assert '<html lang="zh-hant">' in response.text
    assert " 鄉鎮工會工作平台 首頁 工作看板 工作記錄 " in text
    assert " 张录入 錄入員 慈东镇工会 " in text
    assert " 會員 3 " in text
    assert " 修改密碼 " in text
    assert " 登出 " in text
    assert "乡镇工会工作平台" not in text


def test_choosing_english_shows_english_text(client, staff_a, township_a):
    make_records(township_a, employers=2, unions=1, members=3)
    client.force_login(staff_a)

    choose_language(client, "en")
    response = client.get(reverse("home"))

    text = page_text(response)
    assert '<html lang="en">' in response.text
    assert " Township Trade Union Portal Home Dashboard Records " in text
    assert " 张录入 Data clerk 慈东镇工会 " in text
    assert " Employers 2 " in text
    assert " Members 3 " in text
    assert " Sign out " in text


def test_reviewer_read_only_note_is_translated(client, reviewer, township_a):
    client.force_login(reviewer)

    choose_language(client, "en")

    assert "(read-only)" in page_text(client.get(reverse("home")))


def test_login_page_follows_the_chosen_language_before_signing_in(client, db):
    choose_language(client, "en", next_url=reverse("login"))

    text = page_text(client.get(reverse("login")))

    assert " Sign in " in text
    assert " Username * " in text


def test_switching_language_returns_to_the_page_the_user_was_on(client, staff_a):
    client.force_login(staff_a)
    form_page = client.get(reverse("password_change")).text

    assert 'name="next" value="/accounts/password/"' in form_page
    choose_language(client, "zh-hant", next_url=reverse("password_change"))
    assert " 修改密碼 " in page_text(client.get(reverse("password_change")))


@pytest.mark.parametrize(
    "who, page, files",
    [
        (None, "login", 6),
        # A township's home page is its dashboard: its style sheet, ECharts and the chart script.
        ("staff_a", "home", 9),
        ("chair_a", "home", 9),
        ("reviewer", "home", 6),
        ("administrator", "home", 6),
        ("staff_a", "password_change", 6),
        ("staff_a", "password_change_done", 6),
    ],
)
def test_pages_load_scripts_and_styles_only_from_the_portal(client, request, who, page, files):
    if who:
        client.force_login(request.getfixturevalue(who))
    else:
        request.getfixturevalue("db")

    response = client.get(reverse(page))

    assets = loaded_assets(response)
    assert response.status_code == 200
    assert len(assets) == files
    assert all(address.startswith("/static/") for address in assets), assets
    assert not re.search(r"<(script|link)\b[^>]*(src|href)=\"(https?:)?//", response.text)
