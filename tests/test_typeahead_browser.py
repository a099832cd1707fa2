"""The union box of the add-member form in Chromium: a union's name typed out in full and never
picked from the list is taken on saving, and text that names no union stays in the box."""

import datetime

import pytest

from members.models import Member
from tests.test_dashboard_browser import signed_in_page
from unionportal.tests.factories import id_number, make_union

pytestmark = [pytest.mark.browser]


def fill_member(page, live_server, union_text: str) -> None:
    page.goto(f"{live_server.url}/records/members/new/")
    page.fill("#id_name", "陈晓梅")
    page.fill("#id_id_number", id_number(birth=datetime.date(1988, 6, 1)))
    page.locator("#id_union").fill(union_text)
    page.fill("#id_joined_on", "2024-03-01")
    page.get_by_role("button", name="保存").click()


def test_a_union_name_typed_in_full_is_saved_without_picking_it(
    transactional_db, live_server, client, staff_a, township_a
):
    union = make_union(township_a, name="慈东精密机械厂工会")
    with signed_in_page(live_server, client, staff_a) as (page, errors):
        fill_member(page, live_server, "慈东精密机械厂工会")
        page.wait_for_url("**/records/members/*/")

    assert Member.objects.get().union == union
    assert not errors


def test_text_that_names_no_union_stays_in_the_box(
    transactional_db, live_server, client, staff_a, township_a
):
    make_union(township_a, name="慈东精密机械厂工会")
    with signed_in_page(live_server, client, staff_a) as (page, errors):
        fill_member(page, live_server, "精密厂")
        page.get_by_text("所选记录不存在或不属于本乡镇，请重新选择。").wait_for()
        kept = page.locator("#id_union").input_value()

    assert kept == "精密厂"
    assert not Member.objects.exists()
