"""Sorting the county dashboard keeps the indicator chosen for the comparison chart, and
changing the compared indicator keeps the sort (Debian's Chromium, htmx swaps)."""

import pytest
from django.urls import reverse

from tests.test_dashboard_browser import signed_in_page

pytestmark = [pytest.mark.browser]


@pytest.mark.usefixtures("data")
def test_sorting_keeps_the_compared_indicator_and_choosing_one_keeps_the_sort(
    transactional_db, live_server, client, reviewer
):
    with signed_in_page(live_server, client, reviewer) as (page, errors):
        page.goto(f"{live_server.url}{reverse('reports:county_dashboard')}?period=2026H1")
        page.select_option("#id_compare", "unionisation_rate")
        page.locator("#compare-heading", has_text="建会率").wait_for()

        page.locator("#dashboard-table thead a", has_text="新发展会员").click()
        page.locator("#dashboard-table th[aria-sort]", has_text="新发展会员").wait_for()
        heading_after_sort = page.locator("#compare-heading").inner_text()
        chosen_after_sort = page.locator("#id_compare").input_value()
        address_after_sort = page.url

        page.select_option("#id_compare", "membership_rate")
        page.locator("#compare-heading", has_text="入会率").wait_for()
        sorted_column = page.locator("#dashboard-table th[aria-sort]").inner_text()
        page.wait_for_selector("#dashboard-body [data-chart='compare-data'] svg")

    assert heading_after_sort == "各乡镇比较：建会率"
    assert chosen_after_sort == "unionisation_rate"
    assert "compare=unionisation_rate" in address_after_sort
    assert "新发展会员" in sorted_column
    assert not errors
