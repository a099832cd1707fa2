"""Every page at phone width (390 px) in Debian's Chromium: the page itself never scrolls sideways
(wide tables scroll inside their own .table-responsive box), the 送温暖 batch form stacks each
household as a card with usable boxes; and at 1366 px the navigation keeps the language menu and
sign-out on screen.

Two sweeps (issue 17.2): every page of the URL sweep (tests/test_page_languages.py) as each role
that may open it, at 390 px in Simplified Chinese; and the walk-through of each role's main pages
in all three languages at both widths, where no page overflows and no interface text is left in
another language (the page-language test's reading, on the page as the browser has it).
"""

import contextlib
import datetime
import shutil
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from reports.models import AnnualTarget
from tests.test_page_languages import KWARGS, data_words, left_over, sweep_pages
from unionportal import clock
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
DESKTOP = {"width": 1366, "height": 768}
LANGUAGES = ["zh-hans", "zh-hant", "en"]

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
CHAIR_PAGES = [
    "/",
    "/records/members/",
    "/records/visits/",
    "/reports/summaries/?period=2026H1",
    "/reports/dashboard/",
    "/workbook/",
    "/workbook/imports/",
]
REVIEWER_PAGES = [
    "/",
    "/reports/dashboard/",
    "/reports/dashboard/county/?period=2026H1",
    "/reports/dashboard/targets/",
    "/reports/county/summary/?period=2026H1",
    "/records/members/",
    "/records/cases/",
    "/submissions/",
    "/manage/accounts/",
]
ADMINISTRATOR_PAGES = [
    "/",
    "/manage/accounts/",
    "/manage/accounts/new/",
    "/manage/accounts/units/",
    "/records/deleted/",
    "/reports/dashboard/county/?period=2026H1",
    "/submissions/",
]
MAIN_PAGES = {
    "staff_a": STAFF_PAGES,
    "chair_a": CHAIR_PAGES,
    "reviewer": REVIEWER_PAGES,
    "administrator": ADMINISTRATOR_PAGES,
}

# The elements that reach past the window's right edge, to say what overflows.
OVERFLOWING = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && r.width > 0) {
      // Inside a box that scrolls or clips it; an absolutely placed element only when the box
      // is, or lies within, the element's containing block (else it escapes the box).
      const absolute = getComputedStyle(el).position === 'absolute';
      let inside = false;
      let positioned = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        positioned = positioned || s.position !== 'static';
        const clips = ['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX);
        if (clips && (!absolute || positioned)) {
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


def sideways(page, path: str, *, idle: bool = True) -> str:
    """'' when the page fits the window; else its widths and what sticks out. `idle` waits
    until the page's own requests are done (a chart's data), not only for its load."""
    page.goto(path)
    if idle:
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
    # Targets, so that dashboards colour their cells and mark them (✓ with words for screen
    # readers, which once widened the page).
    for year in {2026, clock.today().year}:
        for indicator, value in (("membership_rate", "90"), ("new_members", "50"), ("visits", "9")):
            AnnualTarget.objects.create(
                township=township_a, year=year, indicator=indicator, value=Decimal(value)
            )
    # A record of each kind with a detail page, for the pages a phone opens from a list.
    return [
        f"/records/members/{members[0].pk}/",
        f"/records/unions/{union.pk}/",
        f"/records/employers/{employer.pk}/",
        f"/records/cases/{make_case(township_a).pk}/",
        f"/records/events/{make_event(township_a).pk}/",
        f"/records/visits/{make_visit(township_a).pk}/",
    ]


def _html_pages(client, user, paths: list[str]) -> list[str]:
    """The paths that open as a page (200, HTML) for the user: not refused, not a download."""
    client.force_login(user)
    found = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            found.append(path)
    return found


@pytest.fixture
def every_page(data, township_a, staff_a, records) -> list[str]:
    """Every page of the URL sweep, with a record made for each page that shows one."""
    paths = []
    for name in sweep_pages():
        kwargs = KWARGS[name](township_a, staff_a) if name in KWARGS else {}
        paths.append(reverse(name, kwargs=kwargs))
    return paths + records


@pytest.mark.parametrize("who", ["staff_a", "chair_a", "reviewer", "administrator"])
def test_no_page_of_the_sweep_scrolls_sideways_at_phone_width(
    transactional_db, live_server, client, request, every_page, who
):
    user = request.getfixturevalue(who)
    pages = _html_pages(client, user, every_page)
    with signed_in(live_server, client, user, language="zh-hans") as page:
        problems = [found for path in pages if (found := sideways(page, path, idle=False))]

    assert len(pages) >= 25, pages  # the role's pages were seen, not refused
    assert not problems, "\n".join(problems)


def _navigation_on_screen(page) -> list[str]:
    """What of the language menu and sign-out lies off the window's right edge ('' when all is
    there): the bar fits, or is collapsed behind its toggler."""
    page.goto("/")
    page.wait_for_load_state("networkidle")
    width = page.viewport_size["width"]
    if page.locator(".navbar-toggler").is_visible():
        page.locator(".navbar-toggler").click()
        page.locator("#portal-nav.show").wait_for()
    off = []
    for value in ("zh-hans", "zh-hant", "en"):
        box = page.locator(f"#portal-nav button[value={value}]").bounding_box()
        if box is None or box["x"] < 0 or box["x"] + box["width"] > width:
            off.append(f"language {value}: {box}")
    page.locator("#portal-nav .dropdown-toggle").last.click()
    sign_out = page.locator("#portal-nav form[action$='/logout/'] button")
    sign_out.wait_for()
    box = sign_out.bounding_box()
    if box["x"] < 0 or box["x"] + box["width"] > width:
        off.append(f"sign out: {box}")
    return off


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("who", ["staff_a", "chair_a", "reviewer", "administrator"])
def test_the_walk_through_fits_and_speaks_one_language_at_both_widths(
    transactional_db, live_server, client, request, records, who, language
):
    user = request.getfixturevalue(who)
    pages = MAIN_PAGES[who] + (records if who != "administrator" else [])
    words = data_words()  # read before the browser runs: its event loop forbids the ORM
    problems = []
    with signed_in(live_server, client, user, language=language) as page:
        for width, viewport in (("390 px", PHONE), ("1366 px", DESKTOP)):
            page.set_viewport_size(viewport)
            for path in pages:
                if found := sideways(page, path, idle=path.startswith("/reports/")):
                    problems.append(f"{width} overflows: {found}")
                if language != "zh-hans":
                    html = page.content()
                    workbook = path.startswith("/workbook/")
                    if text := left_over(html, language, workbook=workbook, data=words):
                        problems.append(f"{width} {path} not in {language}: {text}")
            if off := _navigation_on_screen(page):
                problems.append(f"{width} navigation off screen: {off}")
        lang = page.locator("html").get_attribute("lang")

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


def test_the_member_list_keeps_a_units_name_on_one_line(
    transactional_db, live_server, client, staff_a, records
):
    with signed_in(live_server, client, staff_a) as page:
        page.goto("/records/members/")
        cell = page.locator("td", has_text="宁波慈东润泽汽车零部件有限公司").first
        height = cell.bounding_box()["height"]
        line = page.locator("td", has_text="陈晓梅0").first.bounding_box()["height"]

    assert height <= line + 1


def test_the_scripts_words_follow_the_language(transactional_db, live_server, client, chair_a):
    """Words the page's scripts write (a household added to the batch form, a type-ahead that
    finds nothing, the summary's autosave state) come from the page, in its language."""
    with signed_in(live_server, client, chair_a, viewport=DESKTOP, language="en") as page:
        page.goto("/records/visits/campaign/")
        page.locator("[data-formset-add=households]").click()
        added = page.locator("[data-formset-row] [data-formset-number]").last.inner_text()
        page.goto("/records/members/new/")
        page.locator("#id_union").fill("zzzz")
        nothing = page.locator("#id_union-list li").first.inner_text()
        page.goto("/reports/summaries/?period=2026H1")
        page.locator("#id_practices").fill("一段文字")
        status = page.locator(".autosave-status").inner_text()

    assert added.startswith("Household ")
    assert nothing == "No matching records"
    assert status == "Unsaved changes…"
