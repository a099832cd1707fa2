"""Every page and download a signed-in user receives is kept out of shared and browser caches
(`Cache-Control: private, no-store`): member pages and exports carry personal information even
masked. Static files stay cacheable."""

import pytest
from django.urls import reverse
from django.utils.cache import get_max_age

from unionportal.tests.factories import make_member


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def member(township_a):
    return make_member(township_a, name="陈会员", mobile="13812345678")


def test_a_member_page_is_private_and_not_stored(client, staff_a, member):
    client.force_login(staff_a)

    response = client.get(reverse("members:member_detail", args=[member.pk]))

    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_a_masked_list_export_is_private_and_not_stored(client, staff_a, member):
    client.force_login(staff_a)

    response = client.get(reverse("members:member_list"), {"format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert {"private", "no-store"} <= directives(response)


def test_the_member_list_and_home_page_are_private_and_not_stored(client, staff_a, member):
    client.force_login(staff_a)

    for url in (reverse("members:member_list"), reverse("home")):
        assert {"private", "no-store"} <= directives(client.get(url)), url


def test_another_townships_member_is_refused_and_the_refusal_not_stored(client, staff_b, member):
    client.force_login(staff_b)

    response = client.get(reverse("members:member_detail", args=[member.pk]))

    assert response.status_code == 404
    assert {"private", "no-store"} <= directives(response)


def test_a_page_that_already_says_never_cache_keeps_its_directives(client, staff_a, member):
    client.force_login(staff_a)

    response = client.post(reverse("members:member_reveal", args=[member.pk]))

    assert {"private", "no-store", "no-cache"} <= directives(response)
    assert get_max_age(response) == 0


def test_static_files_stay_cacheable(client, staff_a):
    client.force_login(staff_a)

    response = client.get("/static/css/portal.css")

    assert response.status_code == 200
    assert "no-store" not in directives(response)
