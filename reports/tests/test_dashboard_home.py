"""Township staff and chairs: their township's dashboard is their home page."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from unionportal import kept
from unionportal.models import Township
from unionportal.tests.factories import D, employer, member, union

HOME = reverse("home")


def rows_of(html: str, table_id: str) -> list[list[str]]:
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    return [
        [" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]
        for cells in (
            re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
            for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
        )
    ]


@pytest.mark.parametrize("who", ["staff_a", "chair_a"])
def test_home_page_of_staff_and_chairs_is_their_township_dashboard(client, request, data, who):
    a, _ = data
    client.force_login(request.getfixturevalue(who))
    home = client.get(HOME, {"period": "2026H1"}).content.decode()
    page = client.get(
        reverse("reports:township_dashboard", args=[a.pk]), {"period": "2026H1"}
    ).content.decode()
    assert "慈东镇工会工作看板" in home
    # The same figures, targets, progress and county average as the township's own page.
    assert rows_of(home, "dashboard-table") == rows_of(page, "dashboard-table")
    assert rows_of(home, "trend-table") == rows_of(page, "trend-table")
    assert ["新发展会员 （人）", "2", "—", "", "1.0"] in rows_of(home, "dashboard-table")
    assert 'id="dashboard-form"' in home and 'data-chart="trend-data"' in home
    # Their record counts stay on the home page, each opening its list.
    members_card = (
        'class="stretched-link text-reset text-decoration-none" href="/records/members/">会员'
    )
    assert members_card in home
    assert re.search(r"会员</a></h3>.*?<p class=\"kind-count numeral mb-0\">6</p>", home, re.S)


def test_the_period_selector_of_the_home_page_stays_on_the_home_page(client, data, staff_a):
    client.force_login(staff_a)
    html = client.get(HOME, {"period": "2026Q1"}).content.decode()
    assert 'action="/"' in html and 'hx-get="/"' in html
    assert "（2026年第一季度）" in html
    assert ["新发展会员 （人）", "1", "—", "", "0.5"] in rows_of(html, "dashboard-table")
    assert '<option value="2026Q1" selected>' in html


def test_htmx_on_the_home_page_swaps_only_the_figures(client, data, staff_a):
    client.force_login(staff_a)
    response = client.get(HOME, {"period": "2026Q1"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="dashboard-body"' in html
    assert "本乡镇各类记录数量" not in html
    assert "HX-Request" in response["Vary"]
    # Restoring the page from htmx's history wants the whole page again.
    whole = client.get(
        HOME,
        {"period": "2026Q1"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    ).content.decode()
    assert "<html" in whole and "本乡镇各类记录数量" in whole


def test_staff_of_the_other_township_see_only_theirs_on_their_home_page(client, data, staff_b):
    client.force_login(staff_b)
    html = client.get(HOME, {"period": "2026H1"}).content.decode()
    assert "西山乡工会工作看板" in html and "慈东镇" not in html
    assert ["入会率 （%）", "6.7%", "—", "", "4.3%"] in rows_of(html, "dashboard-table")


def test_a_reviewers_home_page_is_still_the_county_overview(client, data, reviewer):
    client.force_login(reviewer)
    html = client.get(HOME).content.decode()
    assert 'id="dashboard-table"' not in html
    assert "全县工作看板：各乡镇主要指标、目标和考核得分" in html
    assert "各乡镇记录数量（单位：条）" in html


def test_a_township_home_page_without_records_shows_zeros_and_says_so(client, staff_a):
    client.force_login(staff_a)
    html = client.get(HOME, {"period": "2026H1"}).content.decode()
    assert "本乡镇还没有任何记录。" in html
    assert ["新发展会员 （人）", "0", "—", "", "0.0"] in rows_of(html, "dashboard-table")


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(HOME, {"period": "2026H1"}).status_code == 200
    return len(ctx.captured_queries)


def test_home_page_queries_do_not_grow_with_the_townships_of_the_county(
    client, data, staff_a, county, django_assert_max_num_queries
):
    client.force_login(staff_a)
    # (+5 on every view: the 待办 of portal/todo.py: contracts, dues, deadlines, submissions,
    # transfers in and out.)
    # 36 when the county's figures and the record counts are computed (the first view, or after
    # a write); the same page seen again takes them from unionportal.kept: 10 queries (the
    # hardship reviews due are counted on every view; the to-do's contracts and dues are kept
    # under the token too, so 14 in all).
    # (The record counts: one query of every kind's counts since the counts were joined.)
    with django_assert_max_num_queries(33):
        before = _home_queries(client)
    assert _home_queries(client) == 14
    kept.clear()
    for i in range(4):
        t = Township.objects.create(code=f"more{i}", name=f"新增{i}镇", county=county)
        u = union(t, f"U{i}", D(2020, 1, 1))
        employer(t, f"E{i}", 10, union=u)
        member(t, u, D(2026, 3, 1))
    assert _home_queries(client) == before
    with CaptureQueriesContext(connection) as ctx:
        client.get(HOME, {"period": "2026H1"}, headers={"HX-Request": "true"})
    assert len(ctx.captured_queries) < before  # the swap leaves out the record counts
