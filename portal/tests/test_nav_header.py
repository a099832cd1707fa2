"""The page header is kept once rendered (portal/templatetags/navigation.py): whoever signs in
next, whichever page and language, the header is the one that user would see rendered afresh,
with this request's CSRF token and address."""

import re

import pytest
from django.urls import reverse

from portal.templatetags import navigation


@pytest.fixture(autouse=True)
def nothing_kept():
    navigation._kept.clear()
    yield
    navigation._kept.clear()


def _header(response) -> str:
    html = response.content.decode()
    return html[html.index("<header") : html.index("</header>")]


def test_each_user_sees_their_own_name_and_unit_in_a_kept_header(client, staff_a, staff_b):
    client.force_login(staff_a)
    client.get(reverse("home"))
    mine = _header(client.get(reverse("home")))
    client.force_login(staff_b)
    theirs = _header(client.get(reverse("home")))

    assert "张录入" in mine and "王录入" not in mine
    assert "王录入" in theirs and "张录入" not in theirs
    assert "staff_b" in theirs


def test_a_kept_header_marks_the_page_being_shown(client, staff_a):
    client.force_login(staff_a)
    client.get(reverse("home"))
    client.get(reverse("members:member_list"))

    home = _header(client.get(reverse("home")))
    members = _header(client.get(reverse("members:member_list")))

    assert 'aria-current="page"' in home
    assert 'aria-current="page"' not in members
    assert 'dropdown-toggle active"' in members


def test_a_kept_header_follows_the_chosen_language(client, staff_a):
    client.force_login(staff_a)
    chinese = _header(client.get(reverse("home")))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    english = _header(client.get(reverse("home")))

    assert "退出" in chinese
    assert "退出" not in english and "Sign out" in english


def test_a_kept_header_carries_this_requests_token_and_address(client, staff_a):
    client.force_login(staff_a)
    client.get(reverse("members:member_list") + "?q=a")

    response = client.get(reverse("members:member_list") + '?q="<b>')
    html = response.content.decode()
    header = _header(response)

    assert 'name="next" value="/records/members/?q=%22%3Cb%3E"' in header
    tokens = set(re.findall(r'csrfmiddlewaretoken" value="([^"]+)"', header))
    tokens |= set(re.findall(r'"X-CSRFToken": "([^"]+)"', html))
    assert len(tokens) == 1 and "marker" not in tokens.pop()
