"""Every main page at phone width (390 px) in Debian's Chromium: the page itself never scrolls
sideways (wide tables scroll inside their own .table-responsive box), the 送温暖 batch form
stacks each household as a card with usable boxes; and at 1366 px in English the navigation
keeps the language menu and sign-out on screen."""

import contextlib
import datetime
import shutil

import pytest
from django.conf import settings

from unionportal.tests.factories import (
    make_case,
    make_employer,
    make_event,
    make_member,
    make_union,
    make_visit,
)

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

PHONE = {"width": 390, "height": 844}

STAFF_PAGES = [
    "/",
    "/records/members/",
    "/records/members/new/",
    "/records/visits/campaign/",
    "/records/visits/",
    "/records/unions/",
    "/records/employers/",
    "/records/cases/",
    "/records/events/",
    "/records/dues/",
    "/records/contracts/",
    "/records/hardship/",
    "/reports/summaries/?period=2026H1",
    "/reports/dashboard/",
    "/workbook/",
]
CHAIR_PAGES = ["/", "/records/members/", "/reports/summaries/?period=2026H1", "/reports/dashboard/"]
REVIEWER_PAGES = [
    "/",
    "/reports/dashboard/",
    "/reports/dashboard/county/?period=2026H1",
    "/reports/dashboard/targets/",
    "/reports/county/summary/?period=2026H1",
    "/records/members/",
    "/records/cases/",
    "/submissions/",
]

# The elements that reach past the window's right edge, to say what overflows.
OVERFLOWING = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && r.width > 0) {
      let inside = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') {
          inside = true;
          break;
        }
      }
      const classes = typeof el.className === 'string' ? el.className.split(' ') : [];
      if (!inside) out.push([el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')]
        .concat(classes.filter(Boolean)).join('.') + ' right=' + Math.round(r.right));
    }
  }
  return out.slice(0, 8);
}"""


@contextlib.contextmanager
def signed_in(live_server, client, user, *, viewport=PHONE, locale="zh-CN", language=None):
    sync_api = pytest.importorskip("playwright.sync_api")
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    cookies = [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    if language:  # as the language menu leaves it
        cookies.append(
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}
        )
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(locale=locale, viewport=viewport, base_url=live_server.url)
        context.add_cookies(cookies)
        context.set_default_timeout(15_000)
        try:
            yield context.new_page()
        finally:
            browser.close()


def sideways(page, path: str) -> str:
    """'' when the page fits the window; else its widths and what sticks out."""
    page.goto(path)
    page.wait_for_load_state("networkidle")
    width, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width <= inner:
        return ""
    return f"{path}: {width} > {inner} px: {page.evaluate(OVERFLOWING)}"


@pytest.fixture
def records(data, township_a):
    """Long names where a narrow screen hurts most: the member list's 工作单位."""
    union = make_union(township_a, name="慈东镇宁波慈东润泽汽车零部件有限公司工会委员会")
    employer = make_employer(township_a, name="宁波慈东润泽汽车零部件有限公司")
    members = [
        make_member(
            township_a,
            name=f"陈晓梅{i}",
            union=union,
            employer=employer,
            joined_on=datetime.date(2024, 3, 1),
        )
        for i in range(3)
    ]
    # A record of each kind with a detail page, for the pages a phone opens from a list.
    return [
        f"/records/members/{members[0].pk}/",
        f"/records/unions/{union.pk}/",
        f"/records/employers/{employer.pk}/",
        f"/records/cases/{make_case(township_a).pk}/",
        f"/records/events/{make_event(township_a).pk}/",
        f"/records/visits/{make_visit(township_a).pk}/",
    ]


@pytest.mark.parametrize(
    ("who", "pages"),
    [("staff_a", STAFF_PAGES), ("chair_a", CHAIR_PAGES), ("reviewer", REVIEWER_PAGES)],
)
def test_no_page_scrolls_sideways_at_phone_width(
    transactional_db, live_server, client, request, records, who, pages
):
    user = request.getfixturevalue(who)
    with signed_in(live_server, client, user) as page:
        problems = [found for path in pages + records if (found := sideways(page, path))]

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_no_staff_page_scrolls_sideways_at_phone_width_in_the_other_languages(
    transactional_db, live_server, client, staff_a, records, language
):
    with signed_in(live_server, client, staff_a, language=language) as page:
        page.goto("/")
        lang = page.locator("html").get_attribute("lang")
        problems = [found for path in STAFF_PAGES + records if (found := sideways(page, path))]

    assert lang == language
    assert not problems, "\n".join(problems)


def test_the_batch_form_stacks_each_household_with_usable_boxes(
    transactional_db, live_server, client, staff_a
):
    with signed_in(live_server, client, staff_a) as page:
        page.goto("/records/visits/campaign/")
        name = page.locator("#id_households-0-name").bounding_box()
        id_box = page.locator("#id_households-0-id_number").bounding_box()

    assert name["width"] >= 200 and id_box["width"] >= 200
    assert id_box["y"] > name["y"]  # one under the other, not squeezed side by side


def test_the_english_navigation_keeps_language_and_sign_out_on_screen_at_1366(
    transactional_db, live_server, client, reviewer
):
    wide = {"width": 1366, "height": 768}
    with signed_in(live_server, client, reviewer, viewport=wide) as page:
        page.goto("/")
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state("networkidle")
        lang = page.locator("html").get_attribute("lang")
        overflow = sideways(page, "/")
        # Either the bar fits, or it is collapsed behind its toggler: nothing is cut off.
        if page.locator(".navbar-toggler").is_visible():
            page.locator(".navbar-toggler").click()
            page.locator("#portal-nav.show").wait_for()
        english = page.locator("#portal-nav button[value=en]").bounding_box()
        account = page.locator("#portal-nav .dropdown-toggle").last
        account.click()
        sign_out = page.get_by_role("button", name="Sign out")
        sign_out.wait_for()
        box = sign_out.bounding_box()

    assert lang == "en"
    assert not overflow, overflow
    assert english["x"] + english["width"] <= 1366
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1366


def test_the_member_list_keeps_a_units_name_on_one_line(
    transactional_db, live_server, client, staff_a, records
):
    with signed_in(live_server, client, staff_a) as page:
        page.goto("/records/members/")
        cell = page.locator("td", has_text="宁波慈东润泽汽车零部件有限公司").first
        height = cell.bounding_box()["height"]
        line = page.locator("td", has_text="陈晓梅0").first.bounding_box()["height"]

    assert height <= line + 1
