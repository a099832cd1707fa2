"""Issue 16's year in a real browser (Playwright driving Debian's Chromium, as tests/test_browser.py
does): the county sets a deadline, the chair sees it on the to-do and submits the finalised
summary, the county returns it with a remark, the chair sees the remark, finalises again and
resubmits, the county receives it and downloads the zip of everything submitted."""

import datetime
import io
import os
import shutil
import zipfile

import pytest

from conftest import PASSWORD
from portal.models import Submission, SubmissionStep
from reports.models import FinalSummary
from unionportal import clock

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
PERIOD = "2026H1"


@pytest.fixture
def page(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2026, 7, 10))
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            locale="zh-CN", base_url=live_server.url, accept_downloads=True
        )
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        browser.close()


def log_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")


def finalise(township, user, version: int) -> FinalSummary:
    return FinalSummary.objects.create(
        township=township,
        period=PERIOD,
        version=version,
        title="慈东镇工会2026年上半年工作总结",
        pdf=f"%PDF-1.4 v{version}".encode(),
        docx=f"PK v{version}".encode(),
        pdf_sha256="0" * 64,
        docx_sha256="0" * 64,
        finalised_by=user,
    )


def test_submit_return_resubmit_receive_and_zip(
    page, transactional_db, chair_a, reviewer, township_a
):
    county_page = f"/submissions/?period={PERIOD}&county={township_a.county_id}"
    log_in(page, "reviewer")
    page.goto(county_page)
    page.fill("#id_due_on", "2026-07-20")
    page.get_by_role("button", name="设置截止日期").click()
    assert page.get_by_text("慈东镇").first.is_visible()
    assert page.locator("tr", has_text="慈东镇").get_by_text("未开始").is_visible()

    finalise(township_a, chair_a, 1)
    log_in(page, "chair_a")
    assert page.get_by_text("2026年上半年工作总结须在2026-07-20前报送县总工会").is_visible()
    page.goto(f"/reports/summaries/?period={PERIOD}")
    page.get_by_role("button", name="报送定稿（第1版）").click()
    assert page.get_by_text("已向县总工会报送").is_visible()

    log_in(page, "reviewer")
    page.goto(county_page)
    row = page.locator("tr", has_text="慈东镇")
    assert row.get_by_text("已报送").first.is_visible()
    row.get_by_placeholder("退回意见").fill("请补充农民工入会情况")
    row.get_by_role("button", name="退回").click()
    assert page.locator("tr", has_text="慈东镇").get_by_text("已退回").first.is_visible()

    log_in(page, "chair_a")
    assert page.get_by_text("请补充农民工入会情况").first.is_visible()
    finalise(township_a, chair_a, 2)
    page.goto(f"/reports/summaries/?period={PERIOD}")
    assert page.get_by_text("请补充农民工入会情况").first.is_visible()
    page.get_by_role("button", name="报送定稿（第2版）").click()

    log_in(page, "reviewer")
    page.goto(county_page)
    page.locator("tr", has_text="慈东镇").get_by_role("button", name="接收").click()
    assert page.locator("tr", has_text="慈东镇").get_by_text("已接收").first.is_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="下载全部已报送").click()
    data = open(info.value.path(), "rb").read()
    names = sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert names == [
        "慈东镇/慈东镇工会2026年上半年工作总结（定稿第2版）.docx",
        "慈东镇/慈东镇工会2026年上半年工作总结（定稿第2版）.pdf",
    ]
    submission = Submission.objects.get()
    assert [s.action for s in SubmissionStep.objects.filter(submission=submission)] == [
        "submit",
        "return",
        "submit",
        "receive",
    ]
