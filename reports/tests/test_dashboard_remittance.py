"""经费上缴率 is a targetable indicator: set in the targets form and its Excel template, coloured
on the dashboards and scored like the others (issue 15)."""

import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from reports import dashboards
from reports.dashboards import GOOD, NEAR, build_dashboard
from reports.models import AnnualTarget, AssessmentWeight, TargetIndicator
from unionportal.periods import parse_period
from unionportal.tests.factories import make_remittance

TARGETS = reverse("reports:targets")


def remit(township, period: str, due: str, paid: str) -> None:
    make_remittance(township, period=period, amount_due=Decimal(due), amount_paid=Decimal(paid))


def test_the_remittance_rate_is_coloured_and_scored_against_its_target(
    township_a, township_b, county
):
    """A remits 900 of 1,000 + 1,000 of 1,000 in 2026H1 = 95.0%; B 700 of 1,000 = 70.0%.
    Targets 95 (A: 达标) and 90 (B: 70 ÷ 90 = 77.8% → 未达标); the 2025 row is outside the
    period. Weight 20: A scores 20 of 20 → 100.0, B 20 × 70/90 = 15.56 of 20 → 77.8."""
    remit(township_a, "2026Q1", "1000", "900")
    remit(township_a, "2026Q2", "1000", "1000")
    remit(township_a, "2025Q4", "1000", "0")
    remit(township_b, "2026Q1", "1000", "700")
    for township, value in ((township_a, 95), (township_b, 90)):
        AnnualTarget.objects.create(
            township=township, year=2026, indicator=TargetIndicator.REMITTANCE_RATE, value=value
        )
    AssessmentWeight.objects.create(
        county=county, year=2026, indicator=TargetIndicator.REMITTANCE_RATE, weight=20
    )

    dashboard = build_dashboard(county, [township_a, township_b], parse_period("2026H1"))
    a, b = dashboard.row_for(township_a.pk), dashboard.row_for(township_b.pk)

    assert (a.cell("remittance_rate").text, a.cell("remittance_rate").status) == ("95.0%", GOOD)
    assert b.cell("remittance_rate").text == "70.0%"
    assert b.cell("remittance_rate").status == "behind"
    assert b.cell("remittance_rate").progress == "77.8%"
    assert (a.score.value, b.score.value) == (Decimal("100.0"), Decimal("77.8"))
    assert dashboard.total.cell("remittance_rate").status is None  # rates: no county target


def test_a_near_miss_is_amber_on_the_county_page(client, township_a, township_b, reviewer):
    remit(township_a, "2026Q1", "1000", "900")
    AnnualTarget.objects.create(
        township=township_a, year=2026, indicator=TargetIndicator.REMITTANCE_RATE, value=95
    )
    client.force_login(reviewer)

    html = client.get(reverse("reports:county_dashboard"), {"period": "2026H1"}).content.decode()

    assert f'dash-{NEAR}" title="目标 95.0%，接近目标（完成 94.7%）"' in html


def test_reviewers_set_the_remittance_target_in_the_form_and_the_template(
    client, township_a, township_b, reviewer
):
    client.force_login(reviewer)
    cells = {
        f"t_{t.pk}_{h.target}": "" for t in (township_a, township_b) for h in dashboards.TARGETED
    }
    cells |= {f"w_{h.target}": "" for h in dashboards.TARGETED}
    form = {"year": "2026", **cells}

    page = client.get(TARGETS, {"year": 2026}).content.decode()
    too_high = client.post(TARGETS, form | {f"t_{township_a.pk}_remittance_rate": "101"})
    saved = client.post(
        TARGETS, form | {f"t_{township_a.pk}_remittance_rate": "98.5", "w_remittance_rate": "10"}
    )
    template = load_workbook(
        io.BytesIO(client.get(reverse("reports:targets_template"), {"year": 2026}).content)
    )

    assert "经费上缴率" in page
    assert too_high.status_code == 200 and "is-invalid" in too_high.content.decode()
    assert saved.status_code == 302
    target = AnnualTarget.objects.get(township=township_a, indicator="remittance_rate")
    assert target.value == Decimal("98.5")
    assert AssessmentWeight.objects.get(indicator="remittance_rate").weight == 10
    header = [c.value for c in template["年度目标"][5]]
    assert "经费上缴率（%）" in header
    row = next(r for r in template["年度目标"].iter_rows(min_row=6, values_only=True))
    assert row[header.index("经费上缴率（%）")] == 98.5
