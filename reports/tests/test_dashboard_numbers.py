"""One source of numbers: the dashboard, the county summary document and the Excel export state
the same figures for the demo data (seed_demo --scale small)."""

import io
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from reports.dashboards import HEADLINES
from reports.services import summary_document
from unionportal.models import County, User
from unionportal.periods import parse_period
from unionportal.tests.factories import table_rows

pytestmark = pytest.mark.django_db

PERIOD = "2026H1"
# The summary's 各乡镇主要指标 columns and the dashboard columns that state the same figure.
SUMMARY_COLUMNS = {
    "新发展会员": "new_members",
    "建会率": "unionisation_rate",
    "入会率": "membership_rate",
    "信访受理": "cases",
    "办结率": "closure_rate",
    "慰问户次": "visits",
    "经费收缴率": "collection_rate",
}


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", scale="small", stdout=StringIO(), stderr=StringIO())
    county = County.objects.get()
    reviewer = User.objects.filter(role="reviewer", county=county).first()
    return county, reviewer


def plain(text: str) -> str:
    """The figure itself: no thousands separators, no target status (✓ （达标） …)."""
    text = re.sub(r"\s*[✓△✗].*$", "", text).replace(",", "")
    # The dashboard states rates to one decimal (spec); a summary leaves out a trailing ".0".
    return re.sub(r"\.0%$", "%", text)


def test_dashboard_summary_and_export_state_the_same_figures(client, demo):
    county, reviewer = demo
    client.force_login(reviewer)
    html = client.get(reverse("reports:county_dashboard"), {"period": PERIOD}).content.decode()
    rows = table_rows(html)
    header = [re.sub(r"\s*（.*?）.*$", "", h) for h in rows[0]]
    page = {r[0]: dict(zip(header, r, strict=False)) for r in rows[1:]}
    labels = {h.key: h.label for h in HEADLINES}

    # The summary document's per-township table (same compute(), worded by reports/summary.py).
    document = summary_document(county=county, period=parse_period(PERIOD))
    table = next(
        block
        for section in document.sections
        for block in section.blocks
        if getattr(block, "caption", "") == "各乡镇主要指标"
    )
    checked = 0
    for row in table.rows:
        stated = dict(zip(table.header, row, strict=True))
        for column, key in SUMMARY_COLUMNS.items():
            assert plain(page[stated["乡镇"]][labels[key]]) == stated[column], (stated, column)
            checked += 1
    assert checked == 3 * len(SUMMARY_COLUMNS)
    # The county's figures in the summary's appendix match the dashboard's total row.
    appendix = {r[0]: r[1] for r in document.appendix[0].blocks[0].rows}
    total = page["全县合计"]
    assert plain(total["建会率"]) == appendix["建会率"]
    assert plain(total["入会率"]) == appendix["入会率"]
    assert plain(total["农民工入会率"]) == appendix["农民工入会率"]
    assert plain(total["新发展会员"]) == appendix["新发展会员数（人）"]
    assert plain(total["信访受理数"]) == appendix["信访受理数（件）"]
    assert plain(total["办结率"]) == appendix["办结率"]
    assert plain(total["有效集体合同覆盖职工数"]) == appendix["有效集体合同覆盖职工数（人）"]
    assert plain(total["慰问户次"]) == appendix["慰问户次"]
    assert plain(total["职工活动次数"]) == appendix["职工活动次数"]
    assert plain(total["职工活动参与人次"]) == appendix["职工活动参与人次"]
    assert plain(total["经费收缴率"]) == appendix["经费收缴率"]
    assert int(plain(total["新发展会员"])) > 0 and int(plain(total["慰问户次"])) > 0

    # The export: the same figures as numbers, township by township and the total.
    response = client.get(reverse("reports:county_dashboard_export"), {"period": PERIOD})
    ws = load_workbook(io.BytesIO(response.content))["各乡镇主要指标"]
    head = [re.sub(r"（.*?）$", "", c.value or "") for c in ws[5]]
    for excel_row in ws.iter_rows(min_row=6, max_row=6 + len(page) - 1, values_only=True):
        on_page = page[excel_row[0]]
        for label, value in zip(head[1:-1], excel_row[1:-1], strict=True):
            shown = plain(on_page[label])
            if value == "—":
                assert shown == "—"
            elif shown.endswith("%"):
                assert Decimal(str(value)).quantize(Decimal("0.1")) == Decimal(shown[:-1])
            else:
                assert Decimal(str(value)) == Decimal(shown), (excel_row[0], label)
