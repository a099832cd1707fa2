"""Every figure of the dashboards links to the records behind it: follow each link and compare
the list's total (符合条件的… N 条) with what the figure counts, on the hand-made data."""

import re
from html import unescape

import pytest
from django.urls import reverse

from reports.dashboards import HEADLINES

COUNTY_PAGE = reverse("reports:county_dashboard")
LABELS = {h.label: h.key for h in HEADLINES}

# Township A (慈东镇) in 2026H1, worked out by hand from handmade_records (the `data` fixture): the
# records each figure counts, or for a rate the records of its numerator, for an amount the rows
# added up.
A = {
    "unionisation_rate": 1,  # E1 only: E2's union dissolved on 30 June, E5's founded 1 July
    "membership_rate": 4,  # in place on 30 June: joined by then and not left by then
    "migrant_membership_rate": 3,
    "new_members": 2,  # joined 1 February and 30 June
    "cases": 4,  # C1, C2, C4, C5 received in the half-year (C3 in December)
    "closure_rate": 2,  # C1 resolved, C5 rejected; C4 closed only on 5 July
    "contract_workers": 3,  # E1's two contracts and E4's; E2's expired on 30 June
    "visits": 2,
    "welfare_amount": 2,
    # 职工活动: the competition only (the inspection and the report are stated apart; the sports
    # day is in July)
    "events": 1,
    "participants": 1,
    "collection_rate": 2,  # 2026-01 and 2026Q2; the annual 2026 row is not within the half-year
    # No hardship files or mutual-aid rows in the hand-made records: empty lists, '—' rates.
    "hardship_on_file": 0,
    "hardship_out": 0,
    "hardship_coverage": 0,
    "mutual_aid_rate": 0,
    "remittance_rate": 0,  # no dues remitted upward in the hand-made records
}
# Township B (西山乡): one unionised employer and two members, nothing else.
B = {key: 0 for key in A} | {"unionisation_rate": 1, "membership_rate": 2}


def figure_links(html: str, table_id: str = "dashboard-table") -> dict[str, str]:
    """{indicator key: link} for every linked figure of a township page's figures table."""
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    links = {}
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        label = re.search(r"<th[^>]*>([^<（]+)", tr)
        href = re.search(r'<a href="([^"]+)" class="dash-link">', tr)
        if label and href:
            links[LABELS[label.group(1).strip()]] = unescape(href.group(1))
    return links


def total_row_links(html: str) -> dict[str, str]:
    """{indicator key: link} of the county total row of the county dashboard, in column order."""
    table = html[html.index('id="dashboard-table"') :]
    total = re.search(r"<tr[^>]*>\s*<th[^>]*>\s*全县合计(.*?)</tr>", table, re.S).group(1)
    hrefs = [unescape(h) for h in re.findall(r'<a href="([^"]+)" class="dash-link">', total)]
    return dict(zip([h.key for h in HEADLINES], hrefs, strict=True))


def listed(client, url: str) -> tuple[int, str]:
    """The total a record list states for `url`, and its page."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    found = re.search(
        r'(?:符合条件的|共有)\S*\s*<strong class="numeral">([\d,]+)</strong>\s*条', html
    )
    assert found, f"no total on {url}"
    return int(found.group(1).replace(",", "")), html


def assert_links_list(client, links: dict[str, str], expected: dict[str, int]) -> None:
    assert set(links) == set(expected), "every figure links to its records"
    totals = {key: listed(client, url)[0] for key, url in links.items()}
    assert totals == expected


@pytest.mark.parametrize("who", ["staff_a", "chair_a", "reviewer"])
def test_each_figure_of_a_township_page_lists_exactly_its_records(client, request, data, who):
    a, _ = data
    client.force_login(request.getfixturevalue(who))
    page = reverse("reports:township_dashboard", args=[a.pk])
    html = client.get(page, {"period": "2026H1"}).content.decode()
    assert_links_list(client, figure_links(html), A)


def test_a_count_figure_equals_its_list_total_and_the_visit_list_adds_up_the_amount(
    client, data, staff_a
):
    a, _ = data
    client.force_login(staff_a)
    html = client.get(reverse("home"), {"period": "2026H1"}).content.decode()
    links = figure_links(html)
    for key, shown in [("new_members", "2"), ("cases", "4"), ("visits", "2"), ("events", "1")]:
        assert f'class="dash-link">{shown}</a>' in html
        assert listed(client, links[key])[0] == int(shown)
    _, visits = listed(client, links["welfare_amount"])
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", visits)).split())
    # 慰问金额 3,200.00 on the dashboard = cash 3,000 + goods 200 of the listed visits.
    found = re.search(r"合计：慰问金额 ([\d,.]+) 元，物资折款 ([\d,.]+) 元", text)
    assert [float(n.replace(",", "")) for n in found.groups()] == [3000, 200]


def test_the_home_page_of_staff_links_each_figure_to_its_records(client, data, staff_a):
    client.force_login(staff_a)
    html = client.get(reverse("home"), {"period": "2026H1"}).content.decode()
    assert_links_list(client, figure_links(html), A)


def test_the_other_townships_figures_list_its_own_records(client, data, reviewer):
    _, b = data
    client.force_login(reviewer)
    page = reverse("reports:township_dashboard", args=[b.pk])
    html = client.get(page, {"period": "2026H1"}).content.decode()
    assert_links_list(client, figure_links(html), B)


def test_the_county_total_row_lists_the_records_of_every_township(client, data, reviewer):
    client.force_login(reviewer)
    html = client.get(COUNTY_PAGE, {"period": "2026H1"}).content.decode()
    assert_links_list(client, total_row_links(html), {k: A[k] + B[k] for k in A})


def test_an_administrator_with_one_county_follows_the_total_row_to_its_records(
    client, data, administrator
):
    client.force_login(administrator)
    html = client.get(COUNTY_PAGE, {"period": "2026H1"}).content.decode()
    assert_links_list(client, total_row_links(html), {k: A[k] + B[k] for k in A})


def test_with_several_counties_the_total_row_has_no_links_but_each_township_has(
    client, data, administrator, other_county_township
):
    # The lists narrow to a township, not a county: the total's list would hold the other
    # county's records too, so an administrator who sees both gets no link there.
    a, _ = data
    client.force_login(administrator)
    html = client.get(COUNTY_PAGE, {"period": "2026H1", "county": a.county_id}).content.decode()
    assert "慈溪县总工会各乡镇主要指标" in html
    table = html[html.index('id="dashboard-table"') :]
    total = re.search(r"<tr[^>]*>\s*<th[^>]*>\s*全县合计(.*?)</tr>", table, re.S).group(1)
    assert "dash-link" not in total
    assert f"township={a.pk}&amp;" in table
    page = reverse("reports:township_dashboard", args=[a.pk])
    html = client.get(page, {"period": "2026H1"}).content.decode()
    assert_links_list(client, figure_links(html), A)


def test_staff_following_a_link_with_another_township_see_none_of_its_records(
    client, data, staff_a, reviewer
):
    _, b = data
    client.force_login(reviewer)
    page = reverse("reports:township_dashboard", args=[b.pk])
    links = figure_links(client.get(page, {"period": "2026H1"}).content.decode())
    client.force_login(staff_a)
    assert listed(client, links["membership_rate"])[0] == 0


@pytest.mark.parametrize(
    "url",
    [
        "disputes:case_list?closed_by=2026-13-01",
        "members:contract_list?in_force=yesterday",
        "members:dues_list?ends_by=2026-06-31",
        "members:employer_list?unionised_at=x",
    ],
)
def test_a_day_filter_that_does_not_parse_lists_nothing(client, data, reviewer, url):
    name, query = url.split("?")
    client.force_login(reviewer)
    total, html = listed(client, f"{reverse(name)}?{query}")
    assert total == 0
    assert f"{query.split('=')[1]}" in html.split("已按", 1)[1].split("筛选", 1)[0]


@pytest.mark.parametrize(
    ("url", "chip"),
    [
        ("disputes:case_list?closed_by=2026-06-30", "已按截至2026-06-30已办结筛选"),
        ("members:contract_list?in_force=2026-06-30", "已按截至2026-06-30有效筛选"),
        ("members:dues_list?ends_by=2026-06-30", "已按所属期间止不晚于2026-06-30筛选"),
        ("members:employer_list?unionised_at=2026-06-30", "已按截至2026-06-30已建会筛选"),
    ],
)
def test_a_day_filter_chip_names_the_day(client, data, reviewer, url, chip):
    name, query = url.split("?")
    client.force_login(reviewer)
    _total, html = listed(client, f"{reverse(name)}?{query}")
    assert chip in html
