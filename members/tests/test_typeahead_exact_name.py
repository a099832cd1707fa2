"""The union and employer boxes of a form: a name typed out in full, without picking it from the
list, is taken; text that names no single record of the township is refused and shown again."""

from django.urls import reverse

from members.models import Member
from unionportal.tests.factories import make_union, member_post, page_text


def typed(union, text: str) -> dict:
    """The add-member form with nothing picked in the union box, only `text` typed into it."""
    return {**member_post(union), "union": "", "union__typed": text}


def test_a_union_name_typed_in_full_is_taken_without_picking_it(client, staff_a, township_a):
    union = make_union(township_a, name="慈东精密机械厂工会")
    make_union(township_a, name="慈东精密机械厂工会（筹）")
    client.force_login(staff_a)

    response = client.post(
        reverse("members:member_create"),
        typed(union, " 慈东精密机械厂工会 "),
    )

    assert response.status_code == 302
    assert Member.objects.get().union == union


def test_a_name_that_matches_no_union_is_refused_and_kept_in_the_box(client, staff_a, township_a):
    union = make_union(township_a, name="慈东精密机械厂工会")
    client.force_login(staff_a)

    response = client.post(reverse("members:member_create"), typed(union, "慈东精密"))

    assert response.status_code == 200
    assert "所选记录不存在或不属于本乡镇，请重新选择。" in page_text(response)
    assert 'value="慈东精密"' in response.text
    assert not Member.objects.exists()


def test_another_townships_union_of_the_same_name_is_not_taken(
    client, staff_a, township_a, township_b
):
    union = make_union(township_a, name="慈东精密机械厂工会")
    make_union(township_b, name="西山机械厂工会")
    client.force_login(staff_a)

    response = client.post(
        reverse("members:member_create"),
        typed(union, "西山机械厂工会"),
    )

    assert response.status_code == 200
    assert not Member.objects.exists()
