"""The Content-Security-Policy in a real browser (Debian's Chromium through Playwright): the main
pages, the admin and the 两步验证 page load without a single CSP violation, and the dashboard's
charts still draw (ECharts styles through the CSSOM, which the policy allows).

A violation shows up twice: as the browser's console message "Refused to …", and as a
securitypolicyviolation event, which a script installed before each page records.
"""

import shutil

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import PASSWORD

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

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 120) : "";
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI || "inline"} ${where}`);
});
"""


@pytest.fixture
def browser(live_server, monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A browser context (optionally signed in as `user`) that collects CSP complaints."""

    def __init__(self, browser, live_server, client, user=None) -> None:
        self.context = browser.new_context(locale="zh-CN", base_url=live_server.url)
        self.context.set_default_timeout(15_000)
        if user is not None:
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            self.context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.errors: list[str] = []
        self.page.on("console", lambda message: self.console.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, url: str) -> None:
        response = self.page.goto(url)
        assert response.status == 200, url
        assert response.headers["content-security-policy"] == settings.CONTENT_SECURITY_POLICY
        self.page.wait_for_load_state("load")
        self.assert_clean(url)

    def assert_clean(self, where: str) -> None:
        refused = [text for text in self.console if "Refused to" in text or "CSP" in text]
        violations = self.page.evaluate("window.__cspViolations")
        assert not refused, f"{where}: {refused}"
        assert not violations, f"{where}: {violations}"
        assert not self.errors, f"{where}: {self.errors}"


@pytest.mark.usefixtures("data")
def test_the_main_pages_load_without_csp_violations_and_charts_draw(
    transactional_db, live_server, browser, client, staff_a, reviewer
):
    staff = Visit(browser, live_server, client, staff_a)
    for url in [
        reverse("home"),
        reverse("members:member_list"),
        reverse("members:member_create"),
        reverse("members:union_list"),
        reverse("password_change"),
    ]:
        staff.open(url)
    # The member form's type-ahead box (static JS) still works under the policy.
    staff.page.goto(reverse("members:member_create"))
    staff.page.locator("#id_name").fill("张")
    staff.assert_clean("member form")

    county = Visit(browser, live_server, client, reviewer)
    county.open(f"{reverse('reports:county_dashboard')}?period=2026H1")
    page = county.page
    for chart in ("trend-data", "compare-data"):
        page.wait_for_selector(f"#dashboard-body [data-chart='{chart}'] svg")
        # Axes, lines and bars: the chart was drawn, not just its empty frame.
        assert page.locator(f"[data-chart='{chart}'] svg path").count() > 10, chart
    # A tooltip and an htmx swap (which would have injected htmx's inline indicator style).
    page.hover("#dashboard-body [data-chart='compare-data'] svg")
    tip = page.locator(".chart-tip").first
    tip.wait_for()
    assert "%" in tip.inner_text()  # the compare chart's default indicator is a rate
    page.select_option("#id_period", "2026Q1")
    # (Locators, not wait_for_function: Playwright evaluates those strings with eval(), which
    # this very policy forbids.)
    page.locator("#dashboard-table caption", has_text="第一季度").wait_for()
    page.wait_for_selector("#dashboard-body [data-chart='compare-data'] svg")
    county.assert_clean("county dashboard after a period change")

    # The 两步验证 page's QR code is a data: image, which img-src allows.
    county.open(reverse("two_factor"))
    qr_width = page.evaluate("document.querySelector('img.totp-qr').naturalWidth")
    assert qr_width > 100
    county.assert_clean("two-factor page")


def test_the_login_page_and_the_admin_work_under_the_policy(
    transactional_db, live_server, browser, client, administrator
):
    visitor = Visit(browser, live_server, client)
    visitor.open(reverse("login"))
    page = visitor.page
    page.fill("#id_username", administrator.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    visitor.assert_clean("after signing in")

    for url in [
        reverse("admin:index"),
        reverse("admin:unionportal_user_changelist"),
        reverse("admin:unionportal_user_change", args=[administrator.pk]),
        reverse("admin:unionportal_user_add"),
    ]:
        visitor.open(url)
    # The admin's own scripts run: the changelist's select-all box ticks every row.
    visitor.open(reverse("admin:unionportal_user_changelist"))
    page.check("#action-toggle")
    assert page.locator("input.action-select:checked").count() >= 1
    visitor.assert_clean("admin changelist actions")


@pytest.mark.usefixtures("data")
def test_the_record_and_summary_pages_work_under_the_policy(
    transactional_db, live_server, browser, client, chair_a, township_a
):
    from disputes.models import Case
    from events.models import Event
    from members.models import Member

    chair = Visit(browser, live_server, client, chair_a)
    case = Case.objects.filter(township=township_a).first()
    urls = [
        reverse("members:member_detail", args=[Member.objects.filter(township=township_a)[0].pk]),
        reverse("disputes:case_list"),
        reverse("disputes:case_detail", args=[case.pk]),
        reverse("disputes:case_close", args=[case.pk]),
        reverse("events:event_list"),
        reverse("welfare:visit_list"),
        reverse("welfare:campaign_create"),
        reverse("workbook:upload"),
        reverse("reports:township_dashboard", args=[township_a.pk]),
        reverse("members:member_update", args=[Member.objects.filter(township=township_a)[0].pk]),
    ]
    if Event.objects.filter(township=township_a).exists():
        urls.append(
            reverse("events:event_detail", args=[Event.objects.filter(township=township_a)[0].pk])
        )
    for url in urls:
        chair.open(url)

    # The summary page's live preview (htmx) refreshes as the chair types.
    chair.open(f"{reverse('reports:summary')}?period=2026H1")
    page = chair.page
    textarea = page.locator("#narrative-form textarea").first
    textarea.fill("坚持党建带工建，推动基层工会规范化建设。")
    page.locator("#summary-preview", has_text="坚持党建带工建").wait_for()
    chair.assert_clean("summary page after the preview refreshed")
