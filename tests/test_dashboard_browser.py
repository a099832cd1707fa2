"""The county dashboard in a real browser (Debian's Chromium): changing the period updates the
table in place, the address keeps the period, and the charts are drawn from the page's JSON."""

import contextlib
import shutil

import pytest
from django.conf import settings
from django.urls import reverse

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        shutil.which(CHROMIUM) is None, reason="Chromium is not installed (make install)"
    ),
]


@contextlib.contextmanager
def signed_in_page(live_server, client, user):
    sync_api = pytest.importorskip("playwright.sync_api")
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(locale="zh-CN")
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page, errors
        browser.close()


@pytest.fixture
def browser_page(live_server, client, reviewer):
    with signed_in_page(live_server, client, reviewer) as opened:
        yield opened


@pytest.fixture
def staff_browser_page(live_server, client, staff_a):
    with signed_in_page(live_server, client, staff_a) as opened:
        yield opened


def township_row(page, name: str) -> list[str]:
    row = page.locator("#dashboard-table tbody tr", has_text=name)
    return [c.strip() for c in row.locator("th, td").all_inner_texts()]


@pytest.mark.usefixtures("data")
def test_changing_the_period_updates_the_table_in_place(
    transactional_db, live_server, browser_page
):
    page, errors = browser_page
    page.goto(f"{live_server.url}{reverse('reports:county_dashboard')}?period=2026H1")
    assert "（2026年上半年）" in page.locator("#dashboard-table caption").inner_text()
    assert township_row(page, "慈东镇")[4] == "2"  # 新发展会员 in the first half
    page.wait_for_selector("#dashboard-body [data-chart='trend-data'] svg")
    page.evaluate("window.notReloaded = true")

    page.select_option("#id_period", "2026Q1")
    # Locators and wait_for_url, not wait_for_function: Playwright runs that string through
    # eval(), which the portal's Content-Security-Policy forbids.
    page.locator("#dashboard-table caption", has_text="第一季度").wait_for()
    assert township_row(page, "慈东镇")[4] == "1"  # only the February member
    assert page.evaluate("window.notReloaded") is True  # swapped in place, no full reload
    assert "period=2026Q1" in page.url  # the address keeps the state
    page.wait_for_selector("#dashboard-body [data-chart='compare-data'] svg")

    # Sorting keeps the period and also updates in place.
    page.click("#dashboard-table thead a:has-text('新发展会员')")
    page.wait_for_url(lambda url: "sort=" in url)
    assert "period=2026Q1" in page.url
    assert page.evaluate("window.notReloaded") is True

    # Back in history shows the half-year again.
    page.go_back()
    page.go_back()
    page.locator("#dashboard-table caption", has_text="上半年").wait_for()
    assert errors == []


@pytest.mark.usefixtures("data")
def test_staff_change_the_period_of_their_home_dashboard_in_place(
    transactional_db, live_server, staff_browser_page
):
    page, errors = staff_browser_page
    page.goto(f"{live_server.url}/?period=2026H1")
    new_members = page.locator("#dashboard-table tbody tr", has_text="新发展会员").locator("td")
    assert new_members.first.inner_text().strip() == "2"
    page.wait_for_selector("#dashboard-body [data-chart='trend-data'] svg")
    page.evaluate("window.notReloaded = true")

    page.select_option("#id_period", "2026Q1")
    page.locator("#dashboard-table caption", has_text="第一季度").wait_for()
    assert new_members.first.inner_text().strip() == "1"
    assert page.evaluate("window.notReloaded") is True
    assert page.url.startswith(f"{live_server.url}/?period=2026Q1")  # still the home page
    assert page.locator("#counts-heading").is_visible()  # the record counts stay below
    page.wait_for_selector("#dashboard-body [data-chart='trend-data'] svg")
    assert errors == []
