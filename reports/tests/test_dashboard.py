"""The dashboards on hand-made data: figures, colours, scores, access, exports, queries."""

import datetime
import io
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from openpyxl import load_workbook

from members.models import GrassrootsUnion
from reports import dashboards, indicators
from reports.dashboards import GOOD, NEAR, build_dashboard, period_fraction, records_url
from reports.indicators import TOTAL, Scope
from reports.models import AnnualTarget, AssessmentWeight, TargetIndicator
from reports.trend import monthly
from unionportal import clock
from unionportal.models import Township
from unionportal.periods import parse_period
from unionportal.tests.factories import H1, D, employer, member, row_named, table_rows, union

COUNTY_PAGE = reverse("reports:county_dashboard")
EXPORT = reverse("reports:county_dashboard_export")
TARGETS = reverse("reports:targets")


def township_page(township) -> str:
    return reverse("reports:township_dashboard", args=[township.pk])


def set_targets(township, year=2026, **values) -> None:
    for indicator, value in values.items():
        AnnualTarget.objects.create(
            township=township, year=year, indicator=indicator, value=Decimal(value)
        )


# --- figures --------------------------------------------------------------------------------


def test_reviewer_sees_every_township_with_hand_computed_figures(client, data, reviewer):
    client.force_login(reviewer)
    response = client.get(COUNTY_PAGE, {"period": "2026H1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "慈溪县总工会各乡镇主要指标（2026年上半年）" in html
    # 建会率 入会率 农民工入会率 新发展会员 信访 办结率 覆盖职工 慰问户次 金额 活动 人次 收缴率
    assert row_named(html, "慈东镇")[1:13] == [
        "25.0%",
        "3.6%",
        "9.4%",
        "2",
        "4",
        "50.0%",
        "110",
        "2",
        "3,200.00",
        "1",  # 职工活动: the competition (the inspection and the report are stated apart)
        "200",
        "62.5%",
    ]
    # 西山乡: one covered employer of 30, two members; nothing else, so the rates read '—'.
    assert row_named(html, "西山乡")[1:13] == [
        "100.0%",
        "6.7%",
        "—",
        "0",
        "0",
        "—",
        "0",
        "0",
        "0.00",
        "0",
        "0",
        "—",
    ]
    # The county's rates are rates of its summed figures: 2 of 5 employers, 6 of 140 employees.
    assert row_named(html, "全县合计")[1:5] == ["40.0%", "4.3%", "9.4%", "2"]


def test_a_different_period_gives_that_period_figures(client, data, reviewer):
    client.force_login(reviewer)
    html = client.get(COUNTY_PAGE, {"period": "2026Q1"}).content.decode()
    assert "（2026年第一季度）" in html
    assert row_named(html, "慈东镇")[4:6] == ["1", "2"]  # joined 2026-02-01; C1 and C2


def test_a_date_range_is_a_period(client, data, reviewer):
    client.force_login(reviewer)
    html = client.get(
        COUNTY_PAGE, {"period": "range", "start": "2026-06-01", "end": "2026-07-31"}
    ).content.decode()
    assert "2026年6月1日至2026年7月31日" in html
    assert row_named(html, "慈东镇")[4] == "2"  # joined 2026-06-30 and 2026-07-01


def test_a_bad_range_says_so_and_shows_the_default_period(client, data, reviewer):
    client.force_login(reviewer)
    html = client.get(COUNTY_PAGE, {"period": "range", "start": "2026-06-01"}).content.decode()
    assert "自定义区间须填写开始日期和结束日期" in html


def test_monthly_trend_has_the_same_definitions_as_the_sections(data, county):
    a, b = data
    scope = Scope.for_county(county)
    trend = monthly(scope, H1)
    assert list(trend[TOTAL]) == [D(2026, m, 1) for m in range(1, 7)]
    assert trend[a.pk][D(2026, 2, 1)].new_members == 1
    assert trend[a.pk][D(2026, 6, 1)].new_members == 1
    assert trend[a.pk][D(2026, 1, 1)].visits == 2
    assert trend[a.pk][D(2026, 1, 1)].welfare_amount == Decimal("3200")
    assert trend[a.pk][D(2026, 5, 1)].participants == 200
    totals = indicators.compute(scope, H1).total()
    assert sum(m.new_members for m in trend[TOTAL].values()) == totals.organisation.new_members
    assert sum(m.cases for m in trend[TOTAL].values()) == totals.rights.cases
    assert sum(m.events for m in trend[TOTAL].values()) == totals.activities.events
    assert sum(m.participants for m in trend[TOTAL].values()) == totals.activities.participants
    assert sum(m.welfare_amount for m in trend[TOTAL].values()) == totals.welfare.amount


def test_trend_and_comparison_tables_carry_the_chart_numbers(client, data, reviewer):
    client.force_login(reviewer)
    html = client.get(COUNTY_PAGE, {"period": "2026H1", "compare": "new_members"}).content.decode()
    trend = table_rows(html, "trend-table")
    assert trend[2] == ["2026年2月", "1", "0", "0", "0.00", "0", "0"]
    compare = table_rows(html, "compare-table")
    assert compare[1][:2] == ["慈东镇", "2"]
    assert "各乡镇比较：新发展会员" in html
    assert 'id="compare-data" type="application/json"' in html
    assert "<script>" not in html.replace('<script type="application/json"', "")


# --- targets, colours, scores ---------------------------------------------------------------


def test_flow_targets_are_pro_rated_and_rates_compare_directly():
    assert period_fraction(parse_period("2026")) == 1
    assert period_fraction(parse_period("2026H2")) == Decimal("0.5")
    assert period_fraction(parse_period("2026Q3")) == Decimal("0.25")
    days = period_fraction(parse_period("2026-01-01..2026-03-31"))
    assert days == Decimal(90) / 365
    new_members = dashboards.BY_KEY["new_members"]
    rate = dashboards.BY_KEY["membership_rate"]
    workers = dashboards.BY_KEY["contract_workers"]
    assert dashboards.target_for_period(new_members, Decimal(100), H1) == 50
    assert dashboards.target_for_period(rate, Decimal(90), H1) == 90
    assert dashboards.target_for_period(workers, Decimal(100), H1) == 100
    assert dashboards.target_for_period(new_members, Decimal(0), H1) is None


def test_cells_are_coloured_against_their_targets(client, data, reviewer):
    a, b = data
    set_targets(
        a,
        unionisation_rate="25",  # 25.0% ≥ 25 → 达标
        new_members="5",  # H1 target 2.5; 2 ÷ 2.5 = 80% → 接近
        visits="10",  # H1 target 5; 2 ÷ 5 = 40% → 未达标
        contract_workers="120",  # at end, not pro-rated: 110 ÷ 120 = 91.7% → 接近
        closure_rate="50.1",  # 50.0% below 50.1 by a hair → 接近
    )
    set_targets(b, unionisation_rate="95", new_members="4")  # 100% 达标; 0 of 2 → 未达标
    dashboard = build_dashboard(a.county, [a, b], H1)
    row_a = dashboard.row_for(a.pk)
    assert row_a.cell("unionisation_rate").status == GOOD
    assert row_a.cell("new_members").status == NEAR
    assert row_a.cell("new_members").target_text == "3"  # 2.5 shown rounded
    assert row_a.cell("visits").status == "behind"
    assert row_a.cell("contract_workers").status == NEAR
    assert row_a.cell("contract_workers").progress == "91.7%"
    assert row_a.cell("closure_rate").status == NEAR
    assert row_a.cell("cases").status is None  # 信访受理数 has no target
    assert row_a.cell("membership_rate").status is None  # no target set
    assert dashboard.row_for(b.pk).cell("collection_rate").status is None  # '—' is not judged
    assert dashboard.row_for(b.pk).cell("new_members").status == "behind"
    # County total: counts against the summed targets when every township has one (2 of 4.5).
    assert dashboard.total.cell("new_members").status == "behind"
    assert dashboard.total.cell("visits").status is None  # 西山乡 has no 慰问户次 target
    assert dashboard.total.cell("unionisation_rate").status is None  # rates: no county target

    client.force_login(reviewer)
    html = client.get(COUNTY_PAGE, {"period": "2026H1"}).content.decode()
    assert 'class="text-end numeral dash-good" title="目标 25.0%，达标（完成 100.0%）"' in html
    assert "dash-near" in html and "dash-behind" in html
    assert "（未达标）" in html  # the colour is also said in words


def test_score_is_the_weighted_completion_out_of_100(data, monkeypatch):
    a, b = data
    set_targets(a, unionisation_rate="25", new_members="5", visits="10")
    for indicator, weight in (
        (TargetIndicator.UNIONISATION_RATE, 40),
        (TargetIndicator.NEW_MEMBERS, 30),
        (TargetIndicator.VISITS, 30),
        (TargetIndicator.COLLECTION_RATE, 20),  # no target for 慈东镇: not scored
    ):
        AssessmentWeight.objects.create(
            county=a.county, year=2026, indicator=indicator, weight=weight
        )
    dashboard = build_dashboard(a.county, [a, b], H1)
    score = dashboard.row_for(a.pk).score
    # 40 × 1 + 30 × 0.8 + 30 × 0.4 = 76 of 100 weight points
    assert [(i.headline.key, i.points) for i in score.items if i.scored] == [
        ("unionisation_rate", Decimal("40.00")),
        ("new_members", Decimal("24.00")),
        ("visits", Decimal("12.00")),
    ]
    assert score.weights == 100
    assert score.value == Decimal("76.0")
    assert not next(i for i in score.items if i.headline.key == "collection_rate").scored
    assert dashboard.row_for(b.pk).score.value is None  # no targets at all: '—'
    # Over-achievement counts as 100 %, not more: a whole year (2 new members of 5 → 40 %).
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2027, 1, 15))  # the year is over
    year = build_dashboard(a.county, [a, b], parse_period("2026"))
    assert year.row_for(a.pk).cell("new_members").number == 3
    assert year.row_for(a.pk).score.value == Decimal("64.0")  # 40 + 30 × 3/5 + 30 × 2/10


def test_score_breakdown_is_shown_and_sorting_by_score_works(client, data, reviewer):
    a, b = data
    set_targets(a, new_members="4")  # 2 of 2 → 100
    set_targets(b, new_members="4", unionisation_rate="50")  # 0 of 2, 100% ≥ 50
    AssessmentWeight.objects.create(county=a.county, year=2026, indicator="new_members", weight=50)
    AssessmentWeight.objects.create(
        county=a.county, year=2026, indicator="unionisation_rate", weight=50
    )
    client.force_login(reviewer)
    html = client.get(COUNTY_PAGE, {"period": "2026H1", "sort": "-score"}).content.decode()
    names = [r[0] for r in table_rows(html)[1:-1]]
    assert names == ["慈东镇", "西山乡"]  # 100.0 before 50.0
    assert "新发展会员：50 × 100.0% = 50.00" in html
    html = client.get(COUNTY_PAGE, {"period": "2026H1", "sort": "score"}).content.decode()
    assert [r[0] for r in table_rows(html)[1:-1]] == ["西山乡", "慈东镇"]


def test_sorting_by_a_column_puts_dashes_last(client, data, reviewer):
    client.force_login(reviewer)
    html = client.get(
        COUNTY_PAGE, {"period": "2026H1", "sort": "-collection_rate"}
    ).content.decode()
    assert [r[0] for r in table_rows(html)[1:-1]] == ["慈东镇", "西山乡"]
    html = client.get(COUNTY_PAGE, {"period": "2026H1", "sort": "unionisation_rate"}).content
    assert [r[0] for r in table_rows(html.decode())[1:-1]] == ["慈东镇", "西山乡"]
    html = client.get(COUNTY_PAGE, {"period": "2026H1", "sort": "-unionisation_rate"}).content
    assert [r[0] for r in table_rows(html.decode())[1:-1]] == ["西山乡", "慈东镇"]


# --- access ---------------------------------------------------------------------------------


def test_township_staff_and_chairs_get_403_on_the_county_dashboard(client, data, staff_a, chair_a):
    for user in (staff_a, chair_a):
        client.force_login(user)
        assert client.get(COUNTY_PAGE).status_code == 403
        assert client.get(EXPORT).status_code == 403
        assert client.get(TARGETS).status_code == 403


def test_staff_see_their_own_township_page_and_get_404_for_another(client, data, staff_a):
    a, b = data
    client.force_login(staff_a)
    response = client.get(township_page(a), {"period": "2026H1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "慈东镇工会工作看板" in html
    # 指标 | 本乡镇 | 目标 | 进度 | 全县平均: new members 2 of the county's 2 over 2 townships
    assert row_named(html, "新发展会员 （人）")[1] == "2"
    assert row_named(html, "新发展会员 （人）")[4] == "1.0"
    assert row_named(html, "入会率 （%）")[4] == "4.3%"  # the county's rate
    assert client.get(township_page(b)).status_code == 404
    assert client.get(reverse("reports:dashboard")).url == township_page(a)


def test_reviewers_see_only_their_own_county(client, data, other_reviewer, reviewer):
    a, _ = data
    client.force_login(other_reviewer)
    html = client.get(COUNTY_PAGE, {"period": "2026H1"}).content.decode()
    assert "余姚县总工会" in html
    assert "慈东镇" not in html
    assert client.get(township_page(a)).status_code == 404
    client.force_login(reviewer)
    assert client.get(township_page(a)).status_code == 200
    assert client.get(reverse("reports:dashboard")).url == COUNTY_PAGE


def test_an_administrator_picks_the_county(client, data, administrator, other_county_township):
    client.force_login(administrator)
    html = client.get(COUNTY_PAGE, {"county": other_county_township.county_id}).content.decode()
    assert "兰亭镇" in html and "慈东镇" not in html
    html = client.get(COUNTY_PAGE, {"county": data[0].county_id}).content.decode()
    assert "慈东镇" in html


def test_htmx_gets_only_the_figures_and_the_address_keeps_the_state(client, data, reviewer):
    client.force_login(reviewer)
    response = client.get(
        COUNTY_PAGE, {"period": "2026Q1", "sort": "-new_members"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<div id="dashboard-body"')
    assert 'hx-push-url="true"' in html
    # sort links carry the period, so the next click keeps it
    assert "period=2026Q1&amp;sort=new_members" in html


# --- links to records -----------------------------------------------------------------------


def _list_view(request):  # pragma: no cover - only reversed
    raise AssertionError


urlpatterns = [
    path(
        "records/",
        include(([path("members/", _list_view, name="member_list")], "members")),
    ),
]


@pytest.mark.urls("reports.tests.test_dashboard")
def test_figures_link_to_the_filtered_list_when_it_exists(data):
    a, _ = data
    assert records_url("new_members", H1, a.pk) == (
        f"/records/members/?township={a.pk}&from=2026-01-01&to=2026-06-30&transferred_in=0"
    )
    assert records_url("migrant_membership_rate", H1) == (
        "/records/members/?active=1&at=2026-06-30&migrant=1"
    )
    assert records_url("cases", H1, a.pk) is None  # no case list in this URLconf: no link


# --- export ---------------------------------------------------------------------------------


def test_export_is_a_formatted_workbook_with_the_page_figures(client, data, reviewer):
    a, _ = data
    set_targets(a, new_members="5")
    client.force_login(reviewer)
    response = client.get(EXPORT, {"period": "2026H1"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content))["各乡镇主要指标"]
    assert ws["A1"].value == "慈溪县总工会各乡镇主要指标（2026年上半年）"
    assert ws["A2"].value == "统计期间：2026年上半年（2026年1月1日至2026年6月30日）"
    assert ws["A3"].value.startswith("生成时间：")
    header = [c.value for c in ws[5]]
    assert header[:3] == ["乡镇", "建会率（%）", "入会率（%）"]
    row = [c.value for c in ws[6]]
    assert row[:5] == ["慈东镇", 25.0, 3.6, 9.4, 2]
    assert row[9] == 3200.0
    assert ws.cell(6, 5).fill.fgColor.rgb.endswith("FFEB9C")  # 2 of 2.5: amber
    assert [c.value for c in ws[7]][3] == "—"
    assert ws.cell(8, 1).value == "全县合计"
    assert ws.freeze_panes == "B6"


# --- targets and weights --------------------------------------------------------------------


def targets_post(townships, year=2026, **cells):
    data = {"year": str(year)}
    for t in townships:
        for h in dashboards.TARGETED:
            data[f"t_{t.pk}_{h.target}"] = ""
    for h in dashboards.TARGETED:
        data[f"w_{h.target}"] = ""
    data.update(cells)
    return data


def test_reviewer_sets_targets_and_weights_in_the_form(client, data, reviewer):
    a, b = data
    client.force_login(reviewer)
    page = client.get(TARGETS, {"year": 2026})
    assert page.status_code == 200
    assert "保存目标和权重" in page.content.decode()
    response = client.post(
        TARGETS,
        targets_post(
            [a, b], **{f"t_{a.pk}_new_members": "120", f"t_{b.pk}_membership_rate": "85.5"}
        )
        | {"w_new_members": "60", "w_membership_rate": "40"},
    )
    assert response.status_code == 302
    assert AnnualTarget.objects.get(township=a, year=2026, indicator="new_members").value == 120
    assert AnnualTarget.objects.get(township=b, indicator="membership_rate").updated_by == reviewer
    assert AssessmentWeight.objects.get(county=a.county, indicator="new_members").weight == 60
    # Emptying a cell removes the target.
    client.post(TARGETS, targets_post([a, b]) | {"w_new_members": "60"})
    assert not AnnualTarget.objects.exists()
    assert AssessmentWeight.objects.count() == 1


def test_a_rate_target_above_100_is_refused(client, data, reviewer):
    a, b = data
    client.force_login(reviewer)
    response = client.post(TARGETS, targets_post([a, b], **{f"t_{a.pk}_membership_rate": "120"}))
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not AnnualTarget.objects.exists()


def test_targets_round_trip_through_the_excel_template(client, data, reviewer):
    a, b = data
    set_targets(a, new_members="100")
    client.force_login(reviewer)
    template = client.get(reverse("reports:targets_template"), {"year": 2026})
    assert template.status_code == 200
    wb = load_workbook(io.BytesIO(template.content))
    ws = wb["年度目标"]
    header = [c.value for c in ws[5]]
    assert header[:3] == ["乡镇代码", "乡镇", "建会率（%）"]
    col = header.index("新发展会员（人）") + 1
    assert ws.cell(6, 1).value == "cidong" and ws.cell(6, col).value == 100
    ws.cell(6, col, 150)
    ws.cell(7, header.index("入会率（%）") + 1, "88%")
    weights = wb["考核权重"]
    weights.cell(2, 2, 25)  # 建会率
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "目标.xlsx"
    response = client.post(reverse("reports:targets_upload"), {"year": "2026", "file": out})
    assert response.status_code == 302
    assert AnnualTarget.objects.get(township=a, indicator="new_members").value == 150
    assert AnnualTarget.objects.get(township=b, indicator="membership_rate").value == 88
    assert AssessmentWeight.objects.get(indicator="unionisation_rate").weight == 25


def test_an_upload_naming_another_county_township_changes_nothing(
    client, data, reviewer, other_county_township
):
    a, b = data
    client.force_login(reviewer)
    wb = load_workbook(io.BytesIO(client.get(reverse("reports:targets_template")).content))
    ws = wb["年度目标"]
    year = ws["B2"].value
    ws.cell(6, 1, other_county_township.code)
    ws.cell(6, 2, other_county_township.name)
    ws.cell(6, 3, 90)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "目标.xlsx"
    response = client.post(
        reverse("reports:targets_upload"), {"year": str(year), "file": out}, follow=True
    )
    assert "本县没有乡镇“lanting”" in response.content.decode()
    assert not AnnualTarget.objects.exists()


def test_other_roles_cannot_set_targets(client, data, staff_a, reviewer, other_reviewer):
    a, b = data
    client.force_login(staff_a)
    assert client.post(TARGETS, targets_post([a, b])).status_code == 403
    client.force_login(other_reviewer)
    # Their own county's form only ever names their own townships; ours are refused.
    client.post(TARGETS, targets_post([a], **{f"t_{a.pk}_new_members": "5"}))
    assert not AnnualTarget.objects.exists()


# --- queries --------------------------------------------------------------------------------


def _add_townships(county, n: int) -> None:
    for i in range(n):
        t = Township.objects.create(code=f"extra{i}", name=f"新增{i}镇", county=county)
        u = union(t, f"U{i}", D(2020, 1, 1))
        employer(t, f"E{i}", 10, union=u)
        member(t, u, D(2026, 3, 1))


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(COUNTY_PAGE, {"period": "2026H1"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_county_dashboard_queries_do_not_grow_with_townships(
    client, data, reviewer, county, django_assert_max_num_queries
):
    a, _ = data
    set_targets(a, new_members="5")
    AssessmentWeight.objects.create(county=county, year=2026, indicator="new_members", weight=10)
    client.force_login(reviewer)
    # The goal (docs/performance.md): at most 20, with the second round's kinds in place.
    with django_assert_max_num_queries(20):
        two = _count(client)
    _add_townships(county, 4)
    with django_assert_max_num_queries(20):
        six = _count(client)
    assert six == two
    html = client.get(COUNTY_PAGE, {"period": "2026H1"}).content.decode()
    assert len(table_rows(html)) == 1 + 6 + 1


def test_township_page_queries_are_bounded(client, data, staff_a, django_assert_max_num_queries):
    a, _ = data
    client.force_login(staff_a)
    with django_assert_max_num_queries(21):  # 24 before honours, remittances, inspections
        assert client.get(township_page(a)).status_code == 200


def test_figures_do_not_come_from_a_cache(client, data, reviewer):
    a, _ = data
    client.force_login(reviewer)
    before = row_named(client.get(COUNTY_PAGE, {"period": "2026H1"}).content.decode(), "慈东镇")
    member(a, GrassrootsUnion.objects.get(name="U1"), datetime.date(2026, 5, 5))
    after = row_named(client.get(COUNTY_PAGE, {"period": "2026H1"}).content.decode(), "慈东镇")
    assert (before[4], after[4]) == ("2", "3")


def test_figures_link_to_the_record_lists_read_only_for_reviewers(client, data, reviewer):
    a, _ = data
    client.force_login(reviewer)
    html = client.get(COUNTY_PAGE, {"period": "2026H1"}).content.decode()
    link = (
        f"/records/members/?township={a.pk}&amp;from=2026-01-01&amp;to=2026-06-30"
        "&amp;transferred_in=0"
    )
    assert f'<a href="{link}" class="dash-link">2</a>' in html
    response = client.get(unescape(link))
    assert response.status_code == 200


def test_whole_page_and_htmx_part_are_kept_apart_by_caches(client, data, reviewer):
    client.force_login(reviewer)
    assert "HX-Request" in client.get(COUNTY_PAGE)["Vary"]
    assert "HX-Request" in client.get(township_page(data[0]))["Vary"]
