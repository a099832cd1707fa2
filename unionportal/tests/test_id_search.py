"""Searching a list by a whole ID number keeps the number out of every URL: the search form is
posted, and the list is shown at an address carrying the number's keyed hash instead, so the
number reaches neither the access logs nor the browser's history."""

import re

from django.urls import reverse

from unionportal.pii import id_number_hash
from unionportal.tests.factories import id_number, make_member, make_visit


def search(client, list_url: str, **fields):
    return client.post(reverse("record_search"), {"next": list_url, **fields})


def urls_in(response) -> list[str]:
    return re.findall(r'(?:href|action)="([^"]*)"', response.content.decode())


def test_a_search_by_a_whole_id_number_finds_the_member_without_the_number_in_the_url(
    client, staff_a, township_a
):
    number = id_number()
    make_member(township_a, name="陈查找", id_number=number)
    make_member(township_a, name="王其他")
    client.force_login(staff_a)
    list_url = reverse("members:member_list")

    response = search(client, list_url, q=number, sort="name")

    assert response.status_code == 302
    location = response["Location"]
    assert number not in location and number[:6] not in location
    assert location.startswith(list_url)
    page = client.get(location)
    assert page.status_code == 200
    assert [m.name for m in page.context["listing"].rows] == ["陈查找"]
    assert number not in page.content.decode()
    assert all(number not in url for url in urls_in(page))
    assert "已按完整身份证号筛选" in page.content.decode()


def test_the_number_may_be_typed_with_spaces_and_a_small_x(client, staff_a, township_a):
    number = id_number()
    while not number.endswith("X"):
        number = id_number()
    make_member(township_a, name="陈查找", id_number=number)
    client.force_login(staff_a)
    typed = f"{number[:6]} {number[6:14]} {number[14:].lower()}"

    response = search(client, reverse("members:member_list"), q=typed)

    assert id_number_hash(number) in response["Location"]
    page = client.get(response["Location"])
    assert [m.name for m in page.context["listing"].rows] == ["陈查找"]


def test_another_townships_member_is_not_found_by_their_number(
    client, staff_b, township_a, township_b
):
    number = id_number()
    make_member(township_a, name="陈查找", id_number=number)
    client.force_login(staff_b)

    response = search(client, reverse("members:member_list"), q=number)
    page = client.get(response["Location"])

    assert page.context["listing"].rows == []


def test_a_name_search_still_lands_in_the_address_for_bookmarks(client, staff_a, township_a):
    make_member(township_a, name="陈查找")
    client.force_login(staff_a)

    response = search(client, reverse("members:member_list"), q="陈", sort="-joined", migrant="")

    assert response.status_code == 302
    assert response["Location"] == reverse("members:member_list") + "?q=%E9%99%88&sort=-joined"


def test_the_export_and_paging_links_carry_the_hash_not_the_number(client, staff_a, township_a):
    number = id_number()
    make_member(township_a, name="陈查找", id_number=number)
    client.force_login(staff_a)

    response = search(client, reverse("members:member_list"), q=number)
    page = client.get(response["Location"])

    export = [url for url in urls_in(page) if "format=xlsx" in url]
    assert export and id_number_hash(number) in export[0]
    exported = client.get(export[0].replace("&amp;", "&"))
    assert exported.status_code == 200


def test_a_welfare_visit_is_found_by_its_recipients_number_too(client, staff_a, township_a):
    number = id_number()
    make_visit(township_a, beneficiary_name="困难户甲", id_number=number)
    make_visit(township_a, beneficiary_name="困难户乙")
    client.force_login(staff_a)

    response = search(client, reverse("welfare:visit_list"), q=number)

    assert number not in response["Location"]
    page = client.get(response["Location"])
    assert [v.beneficiary_name for v in page.context["listing"].rows] == ["困难户甲"]


def test_the_search_goes_back_only_to_a_page_of_the_portal(client, staff_a):
    client.force_login(staff_a)

    response = search(client, "https://elsewhere.example/", q="陈")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("home"))
    assert "elsewhere" not in response["Location"]


def test_the_list_form_posts_its_search(client, staff_a):
    client.force_login(staff_a)

    page = client.get(reverse("members:member_list")).content.decode()

    form = re.search(r'<form[^>]*role="search"[^>]*>', page).group(0)
    assert 'method="post"' in form
    assert f'action="{reverse("record_search")}"' in form
