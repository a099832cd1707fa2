import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from conftest import PASSWORD
from portal.kinds import KINDS
from unionportal.models import County
from unionportal.tests.factories import make_employer, make_records, make_township, page_text

# Figures chosen so every kind differs between the townships: a leak would show.
A_FIGURES = dict(employers=3, unions=2, members=5, contracts=1, dues=4, visits=2, cases=1, events=3)
B_FIGURES = dict(employers=7, unions=1, members=6, contracts=2, dues=1, visits=9, cases=2, events=4)
OTHER_FIGURES = dict(
    employers=1, unions=1, members=1, contracts=1, dues=1, visits=1, cases=1, events=1
)


@pytest.fixture
def records(township_a, township_b, other_county_township) -> None:
    make_records(township_a, **A_FIGURES)
    make_records(township_b, **B_FIGURES)
    make_records(other_county_township, **OTHER_FIGURES)


def home_as(client: Client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return page_text(response)


# Anonymous visitors and the login page


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_login_page_is_in_chinese(client, db):
    response = client.get(reverse("login"))

    text = page_text(response)
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "<title>登录 · 乡镇工会工作平台</title>" in response.content.decode()
    assert " 用户名 * " in text
    assert " 密码 * " in text
    assert "忘记密码时，请联系系统管理员重置。" in text


def test_wrong_password_is_refused_with_a_chinese_message(client, staff_a):
    response = client.post(reverse("login"), {"username": "staff_a", "password": "wrong-pass"})

    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码。注意，两者都区分大小写。" in page_text(response)


def test_signing_in_through_the_form_lands_on_the_home_page(client, staff_a):
    response = client.post(
        reverse("login"), {"username": "staff_a", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert " 慈东镇工会 " in page_text(response)


# Each role's home page


def test_staff_sees_their_township_counts_as_cards(client, staff_a, records):
    text = home_as(client, staff_a)

    assert " 慈东镇工会 " in text
    for label, figure in [
        ("单位", 3),
        ("基层工会", 2),
        ("会员", 5),
        ("集体合同", 1),
        ("经费记录", 4),
        ("慰问", 2),
        ("信访案件", 1),
        ("活动", 3),
    ]:
        assert f" {label} {figure} " in text


def test_staff_does_not_see_another_townships_name_or_figures(client, staff_a, records):
    text = home_as(client, staff_a)

    assert "西山乡" not in text
    assert "兰亭镇" not in text
    assert " 单位 7 " not in text


def test_staff_of_township_b_never_sees_township_a(client, staff_b, records):
    text = home_as(client, staff_b)

    assert " 西山乡工会 " in text
    assert " 单位 7 " in text
    assert " 慰问 9 " in text
    assert "慈东镇" not in text
    assert " 单位 3 " not in text


def test_chair_sees_the_same_township_counts_as_staff(client, chair_a, records):
    text = home_as(client, chair_a)

    assert " 李主席 主席 慈东镇工会 " in text
    assert " 会员 5 " in text
    assert "西山乡" not in text


def test_reviewer_sees_a_row_per_township_of_their_county_and_a_county_total(
    client, reviewer, records
):
    text = home_as(client, reviewer)

    assert " 慈溪县总工会 " in text
    header = " 乡镇 单位 基层工会 工会建设 会员 集体合同 经费记录 经费上缴 慰问 困难职工档案 "
    assert header + "医疗互助 信访案件 活动 荣誉表彰 " in text
    assert " 慈东镇 3 2 0 5 1 4 0 2 0 0 1 3 0 " in text
    assert " 西山乡 7 1 0 6 2 1 0 9 0 0 2 4 0 " in text
    assert " 全县合计 10 3 0 11 3 5 0 11 0 0 3 7 0 " in text


def test_reviewer_does_not_see_another_countys_township(client, reviewer, records):
    text = home_as(client, reviewer)

    assert "兰亭镇" not in text
    assert "余姚县" not in text


def test_reviewer_is_told_their_access_is_read_only(client, reviewer, records):
    text = home_as(client, reviewer)

    assert "只读" in text


def test_township_staff_are_not_told_they_are_read_only(client, staff_a, records):
    assert "只读" not in home_as(client, staff_a)


def test_administrator_sees_every_township_grouped_by_county(client, administrator, records):
    text = home_as(client, administrator)

    assert " 慈溪县总工会 " in text
    assert " 慈东镇 3 2 0 5 1 4 0 2 0 0 1 3 0 " in text
    assert " 西山乡 7 1 0 6 2 1 0 9 0 0 2 4 0 " in text
    assert " 慈溪县合计 10 3 0 11 3 5 0 11 0 0 3 7 0 " in text
    assert " 余姚县总工会 " in text
    assert " 兰亭镇 1 1 0 1 1 1 0 1 0 0 1 1 0 " in text
    assert " 余姚县合计 1 1 0 1 1 1 0 1 0 0 1 1 0 " in text
    assert " 总计 11 4 0 12 4 6 0 12 0 0 4 8 0 " in text


def test_administrator_with_one_county_gets_a_single_table_with_a_county_total(
    client, administrator, township_a, township_b
):
    make_records(township_a, **A_FIGURES)

    text = home_as(client, administrator)

    assert " 全县合计 3 2 0 5 1 4 0 2 0 0 1 3 0 " in text
    assert "总计" not in text


def test_large_figures_are_shown_with_thousands_separators(client, staff_a, township_a):
    for _ in range(1001):
        make_employer(township_a)

    assert " 单位 1,001 " in home_as(client, staff_a)


# Empty states


def test_staff_of_a_township_without_records_see_an_empty_state(client, staff_a):
    text = home_as(client, staff_a)

    assert "本乡镇还没有任何记录。" in text
    assert " 会员 0 " in text


def test_reviewer_of_a_county_without_records_sees_an_empty_state_and_zero_rows(
    client, reviewer, township_a
):
    text = home_as(client, reviewer)

    assert "各乡镇还没有任何记录。" in text
    assert " 慈东镇 0 0 0 0 0 0 0 0 " in text


def test_reviewer_of_a_county_without_townships_is_told_to_ask_the_administrator(client, reviewer):
    text = home_as(client, reviewer)

    assert "本县还没有乡镇工会，请联系系统管理员添加。" in text


def test_administrator_of_an_empty_portal_is_told_how_to_add_a_township(client, administrator):
    text = home_as(client, administrator)

    assert "还没有乡镇工会" in text
    assert "python manage.py add_township" in text


# The page shell: navigation and the user menu


def _built_list_urls() -> tuple[list[str], int]:
    """Addresses of the record kinds' list pages that exist, and how many kinds are not built."""
    built, missing = [], 0
    for name in (kind.list_url_name for kind in KINDS):
        try:
            built.append(reverse(name))
        except NoReverseMatch:
            missing += 1
    return built, missing


def test_staff_navigation_links_each_record_kind_to_its_list(client, staff_a):
    client.force_login(staff_a)
    response = client.get(reverse("home"))
    html = response.content.decode()
    text = page_text(response)
    built, missing = _built_list_urls()

    assert " 张录入 录入员 慈东镇工会 " in text
    assert " 工作记录 " in text
    for url in ("/records/members/", "/records/unions/", "/records/employers/"):
        assert url in built
    for url in built:
        assert f'<a class="dropdown-item" href="{url}">' in html
    assert text.count("即将上线") == missing
    assert 'href="/admin/"' not in html
    assert "已删除的记录" not in text


def test_township_navigation_links_to_the_work_summary(client, chair_a, staff_a):
    for user in (chair_a, staff_a):
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        assert re.search(r'href="/reports/summaries/">\s*<i [^>]*></i>工作总结', html)
        assert "全县工作总结" not in html


def test_reviewer_navigation_has_home_and_summaries(client, reviewer, township_a):
    client.force_login(reviewer)
    response = client.get(reverse("home"))
    html = response.content.decode()
    text = page_text(response)

    assert " 赵审阅 县总审阅 慈溪县总工会 " in text
    assert " 乡镇工作总结 " in text and " 全县工作总结 " in text
    assert " 工作记录（只读） " in text
    assert '<a class="dropdown-item" href="/records/members/">' in html
    assert "已删除的记录" not in text
    assert "系统管理" not in text
    assert 'href="/admin/"' not in html


def test_administrator_navigation_links_to_system_administration(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("home"))

    assert " 孙管理 管理员 全部乡镇 " in page_text(response)
    assert '<a class="dropdown-item" href="/records/deleted/">已删除的记录</a>' in response.text
    assert re.search(r'<a class="nav-link" href="/admin/">\s*<i [^>]*></i>系统管理', response.text)


def test_messages_are_shown_as_bootstrap_alerts(client, staff_a):
    client.force_login(staff_a)
    client.post(reverse("logout"))

    response = client.get(reverse("login"))

    assert re.search(r'<div class="alert alert-info [^"]*"\s+role="status">', response.text)


# Signing out and changing the password


def test_signing_out_takes_a_post_with_the_pages_csrf_token(staff_a):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff_a)
    home = browser.get(reverse("home")).text
    logout_form = re.search(
        r'<form action="/accounts/logout/" method="post">(.*?)</form>', home, re.S
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', logout_form.group(1)).group(1)

    response = browser.post(reverse("logout"), {"csrfmiddlewaretoken": token}, follow=True)

    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "您已安全退出。" in page_text(response)
    assert browser.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_signing_out_by_get_is_refused(client, staff_a):
    client.force_login(staff_a)

    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200


def test_password_change_works_end_to_end(client, staff_a):
    new_password = "Xin-Mima#2026"
    client.post(reverse("login"), {"username": "staff_a", "password": PASSWORD})

    form = client.get(reverse("password_change"))
    assert " 修改密码 " in page_text(form)
    assert " 旧密码 * " in page_text(form)

    wrong = client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": new_password, "new_password2": new_password},
    )
    assert "你的旧密码不正确。请重新输入。" in page_text(wrong)

    done = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert done.redirect_chain == [(reverse("password_change_done"), 302)]
    assert "您的密码已修改成功，下次登录请使用新密码。" in page_text(done)

    client.post(reverse("logout"))
    old = client.post(reverse("login"), {"username": "staff_a", "password": PASSWORD})
    assert "请输入一个正确的用户名和密码" in page_text(old)
    new = client.post(reverse("login"), {"username": "staff_a", "password": new_password})
    assert new["Location"] == reverse("home")


def test_a_too_short_new_password_is_refused_in_chinese(client, staff_a):
    client.force_login(staff_a)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Ab#1", "new_password2": "Ab#1"},
    )

    assert response.status_code == 200
    assert "密码太短：至少需要 10 个字符，现在只有 4 个。" in page_text(response)


# Speed: the home page's queries do not grow with the number of townships


def _home_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_home_page_queries_do_not_grow_with_the_number_of_townships(client, administrator, county):
    client.force_login(administrator)
    client.get(reverse("home"))
    for _ in range(2):
        make_records(make_township(county), **OTHER_FIGURES)
    with_two = _home_queries(client)

    other = County.objects.create(name="奉化县")
    for i in range(4):
        make_records(make_township(county if i % 2 else other), **OTHER_FIGURES)
    with_six = _home_queries(client)

    assert with_six == with_two


# The session and the user (with their township and county), the townships, their data tokens
# and one query of 13 grouped counts, one per kind of portal/kinds.py joined by UNION ALL (kept,
# then computed again only for a township written since: unionportal/kept.py) and the tokens
# again; 1 grouped query for the
# overdue cases' flag; a township's home page is also its dashboard: the county's townships,
# their tokens, compute() (15), the monthly trend, the tokens again, the year's targets and
# weights (whatever the number of townships: reports/tests); a township's to-do also counts its
# transfers in and out (one query); a reviewer's scope is read once as the county's township ids
# (unionportal/access.py).
@pytest.mark.parametrize(
    "role, most, again",
    [("staff_a", 33, 14), ("chair_a", 33, 14), ("reviewer", 11, 9), ("administrator", 10, 8)],
)
def test_home_page_runs_a_bounded_number_of_queries(
    client, request, role, most, again, records, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(role))

    with django_assert_max_num_queries(most):
        first = page_text(client.get(reverse("home")))
    # Seen again with nothing written: the counts (and figures) kept under the tokens.
    with django_assert_max_num_queries(again):
        assert page_text(client.get(reverse("home"))) == first
    make_records(request.getfixturevalue("township_a"), employers=1)
    with django_assert_max_num_queries(most):
        assert page_text(client.get(reverse("home"))) != first


def test_system_administration_link_opens_the_admin_site(client, administrator):
    client.force_login(administrator)

    assert client.get("/admin/").status_code == 200


# Error pages


def test_a_missing_page_is_explained_in_chinese_inside_the_portal_shell(client, staff_a):
    client.force_login(staff_a)

    response = client.get("/no-such-page/")

    text = page_text(response)
    assert response.status_code == 404
    assert "您要找的页面或记录不存在，或者您无权查看。" in text
    assert " 张录入 录入员 慈东镇工会 " in text


def test_the_server_error_page_renders_without_a_request(db):
    html = render_to_string("500.html")

    assert "系统暂时出错" in html
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
