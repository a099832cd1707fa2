"""Issue 16's county work in a real browser (Playwright driving Debian's Chromium, as
tests/test_submission_browser.py does): an administrator creates a township and its two accounts in
the portal's own pages and resets one password, and that user must set a new one at sign-in; a
member is transferred from one township to another, the receiving township accepts it from its
to-do, and both townships' summaries count the member on the right side of the transfer date."""

import datetime
import os
import shutil

import pytest

from conftest import PASSWORD
from members.models import Member, MemberTransfer, TransferState
from unionportal import clock
from unionportal.models import Role, Township, User
from unionportal.tests.factories import make_member, make_union

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (os.path.exists(CHROMIUM) or shutil.which("chromium")),
        reason="Debian's chromium is not installed (make install installs it as root)",
    ),
]
TODAY = datetime.date(2026, 10, 10)
NEW_PASSWORD = "Donghu#2026own"


@pytest.fixture
def page(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        browser.close()


def log_in(page, username: str, password: str = PASSWORD, *, lands: str = "**/") -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lands)


def create_account(page, username: str, full_name: str, role: str, township: str) -> str:
    page.goto("/manage/accounts/new/")
    page.fill("#id_username", username)
    page.fill("#id_full_name", full_name)
    page.select_option("#id_role", label=role)
    page.select_option("#id_township", label=township)
    page.get_by_role("button", name="保存").click()
    page.get_by_text(f"已新建账号“{username}”").wait_for()
    return page.locator("#one-time-password").inner_text().strip()


def test_an_administrator_creates_a_township_and_its_accounts_and_resets_a_password(
    page, transactional_db, administrator, county
):
    log_in(page, "admin")
    page.goto("/manage/accounts/units/")
    page.select_option("#id_township-county", label=county.name)
    page.fill("#id_township-name", "东湖镇")
    page.fill("#id_township-code", "donghu")
    page.locator("form", has_text="新建乡镇工会").get_by_role("button", name="新建").click()
    page.get_by_text("已新建乡镇工会“东湖镇”").wait_for()
    township = Township.objects.get(code="donghu")
    assert township.county == county

    first = create_account(page, "donghu_staff", "吴录入", "录入员", "东湖镇")
    chair_password = create_account(page, "donghu_chair", "郑主席", "主席", "东湖镇")
    staff = User.objects.get(username="donghu_staff")
    chair = User.objects.get(username="donghu_chair")
    assert (staff.role, staff.township, chair.role, chair.township) == (
        Role.STAFF,
        township,
        Role.CHAIR,
        township,
    )

    page.goto("/manage/accounts/?q=donghu_staff")
    page.locator("tr", has_text="donghu_staff").get_by_role("button", name="重置密码").click()
    page.get_by_text("已重置“donghu_staff”的密码").wait_for()
    reset = page.locator("#one-time-password").inner_text().strip()
    assert reset != first

    # The first one-time password no longer opens the account; the reset one does, and leads
    # to the password change before anything else.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", "donghu_staff")
    page.fill("#id_password", first)
    page.get_by_role("button", name="登录").click()
    assert "/accounts/login/" in page.url
    log_in(page, "donghu_staff", reset, lands="**/accounts/password/")
    assert page.get_by_text("您正在使用管理员重置的一次性密码，请先设置自己的新密码。").is_visible()
    page.goto("/records/members/")
    assert page.url.endswith("/accounts/password/")
    page.fill("#id_old_password", reset)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()
    page.get_by_text("您的密码已修改成功").wait_for()
    page.goto("/records/members/")
    assert page.url.endswith("/records/members/")
    assert page.get_by_role("heading", name="会员").first.is_visible()

    # The chair's account was created with a one-time password too.
    log_in(page, "donghu_chair", chair_password, lands="**/accounts/password/")
    staff.refresh_from_db()
    assert not staff.must_change_password and staff.check_password(NEW_PASSWORD)


def summary_says(page, period: str, *texts: str) -> bool:
    """Whether the summary page of `period` comes to say each text (the document is drawn
    after the page loads)."""
    page.goto(f"/reports/summaries/?period={period}")
    for text in texts:
        page.locator("main").filter(has_text=text).wait_for()
    return True


def test_a_transfer_between_townships_is_accepted_and_both_summaries_count_it_on_its_side(
    page, transactional_db, staff_a, staff_b, township_a, township_b
):
    union_a = make_union(township_a, name="慈东机械工会")
    moving = make_member(
        township_a, union=union_a, name="周转会", joined_on=datetime.date(2020, 1, 1)
    )
    make_member(township_a, union=union_a, name="留下的会员", joined_on=datetime.date(2021, 1, 1))
    union_b = make_union(township_b, name="西山纺织工会")
    make_member(township_b, union=union_b, name="西山老会员", joined_on=datetime.date(2019, 1, 1))

    log_in(page, "staff_a")
    page.goto(f"/records/members/{moving.pk}/transfer/")
    page.get_by_role("link", name="办理转出").click()
    page.select_option("#id_to_township", label="西山乡")
    page.fill("#id_day", "2026-10-01")
    page.fill("#id_reason", "随单位搬迁")
    page.get_by_role("button", name="提交转出").click()
    page.get_by_text("已将周转会转往西山乡，待对方乡镇接收。").wait_for()
    assert page.locator("#transfer-state").inner_text() == "待接收"

    log_in(page, "staff_b")
    page.get_by_role("link", name="1 名会员从其他乡镇转入，待接收").click()
    page.get_by_role("link", name="周转会").click()
    page.get_by_role("link", name="接收").click()
    page.locator("#id_union").fill("西山纺织工会")
    page.get_by_role("button", name="接收").click()
    page.get_by_text("已接收周转会，2026-10-01起为本乡镇会员。").wait_for()
    assert page.get_by_text("转会转入（自慈东镇转入，2026-10-01，随单位搬迁）").is_visible()

    transfer = MemberTransfer.objects.get()
    assert transfer.state == TransferState.ACCEPTED
    received = Member.objects.get(township=township_b, name="周转会")
    assert (received.joined_on, received.union, received.transferred_in) == (
        datetime.date(2026, 10, 1),
        union_b,
        True,
    )
    # B: one member in the third quarter, two from 1 October, none of them new.
    assert summary_says(page, "2026Q3", "基层工会1家、会员1人")
    assert summary_says(page, "2026Q4", "基层工会1家、会员2人", "未新发展会员")

    # A: two members up to 30 September, one from 1 October.
    log_in(page, "staff_a")
    assert summary_says(page, "2026Q3", "基层工会1家、会员2人")
    assert summary_says(page, "2026Q4", "基层工会1家、会员1人")
    page.goto(f"/records/members/{moving.pk}/")
    assert page.get_by_text("转会转出（转往西山乡，2026-10-01，随单位搬迁）").is_visible()
