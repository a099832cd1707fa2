"""The issue's scenario in a real browser: Playwright driving Debian's Chromium against the live
server. Log in; add a member with a wrong ID check digit and see the error beside the field;
correct it and find the member by search; record a two-household campaign; close a case with an
amount recovered; see the history entries.

Chromium comes from the system package manager (`make install` installs `chromium`); the test
is skipped, saying why, where it is missing. No browser is ever downloaded.
"""

import datetime
import os
import shutil

import pytest

from conftest import PASSWORD
from disputes.models import Case, CaseStatus
from members.models import Member
from unionportal import clock
from unionportal.tests.factories import id_number, make_case, make_union
from welfare.models import WelfareVisit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (os.path.exists(CHROMIUM) or shutil.which("chromium")),
        reason="Debian's chromium is not installed (make install installs it as root)",
    ),
]


@pytest.fixture
def browser_page(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        context.close()
        browser.close()
        assert not errors, f"JavaScript errors on the pages: {errors}"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")


def error_beside(page, field_id: str) -> str:
    """The error text Bootstrap/crispy shows in the same form group as the field."""
    group = page.locator(f"#div_{field_id}")
    return group.locator(".invalid-feedback").inner_text()


def test_staff_day_in_the_browser(browser_page, transactional_db, staff_a, township_a):
    page = browser_page
    union = make_union(township_a, name="慈东精密机械厂工会")
    received = clock.today() - datetime.timedelta(days=40)
    case = make_case(
        township_a, number="CD-2026-031", petitioner="王建国等12人", received_on=received
    )
    good_id = id_number(birth=datetime.date(1988, 6, 1))
    wrong_id = good_id[:17] + ("0" if good_id[17] != "0" else "1")

    log_in(page, "staff_a")
    assert page.get_by_text("超过30天未办结").first.is_visible()

    # A member with a wrong check digit: the error sits beside the ID field.
    page.goto("/records/members/new/")
    page.fill("#id_name", "陈晓梅")
    page.fill("#id_id_number", wrong_id)
    page.locator("#id_union").fill("精密")
    page.get_by_role("option", name="慈东精密机械厂工会").click()
    page.fill("#id_joined_on", "2024-03-01")
    page.get_by_role("button", name="保存").click()
    assert "身份证号校验位不正确" in error_beside(page, "id_id_number")
    assert not Member.objects.exists()

    # Corrected, it is saved; the search finds it.
    page.fill("#id_id_number", good_id)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/records/members/*/")
    member = Member.objects.get()
    assert (member.name, member.union) == ("陈晓梅", union)
    page.goto("/records/members/")
    page.fill("#list-q", "陈晓")
    page.get_by_role("button", name="查询").click()
    assert page.get_by_role("link", name="陈晓梅").is_visible()

    # A two-household campaign: the first row typed into the form's first blank row, the second
    # into a row added with 添加一户 (static/js/formset.js); the untouched blank row is ignored.
    page.goto("/records/visits/campaign/")
    page.fill("#id_campaign", "2026年春节送温暖")
    page.fill("#id_visited_on", clock.today().isoformat())
    page.select_option("#id_beneficiary_type", label="困难职工")
    page.select_option("#id_fund_source", label="上级工会")
    page.fill("#id_households-0-name", "陈晓梅")
    page.fill("#id_households-0-id_number", good_id)
    page.fill("#id_households-0-cash", "1000")
    rows_before = page.locator("[data-formset-row]").count()
    page.get_by_role("button", name="添加一户").click()
    assert page.locator("[data-formset-row]").count() == rows_before + 1
    new_row = rows_before  # the added row's index
    page.fill(f"#id_households-{new_row}-name", "李二嫂")
    page.fill(f"#id_households-{new_row}-cash", "800")
    page.fill(f"#id_households-{new_row}-goods_value", "200")
    page.get_by_role("button", name="全部保存").click()
    page.get_by_text("慰问 2 户").wait_for()
    assert WelfareVisit.objects.count() == 2
    assert WelfareVisit.objects.get(beneficiary_name="陈晓梅").member == member

    # Close the overdue case with an amount recovered.
    page.goto(f"/records/cases/{case.pk}/")
    assert page.get_by_text("超过30天未办结").first.is_visible()
    page.get_by_role("link", name="办结").click()
    page.get_by_label("已解决").check()
    page.fill("#id_amount_recovered", "36000")
    page.get_by_role("button", name="确认办结").click()
    page.get_by_text("已办结：已解决").wait_for()
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED and case.closed_on == clock.today()

    # The history says who changed what.
    history = page.locator("#history-heading").locator("xpath=../..")
    text = history.inner_text()
    assert "张录入" in text
    assert "状态：处理中 → 已解决" in text
    assert "追回金额（元）：（空） → 36,000.00" in text
    page.goto(f"/records/members/{member.pk}/")
    member_history = page.locator("#history-heading").locator("xpath=../..").inner_text()
    assert "新增" in member_history and "张录入" in member_history
    assert Case.objects.filter(status=CaseStatus.OPEN).count() == 0
