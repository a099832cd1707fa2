"""The county dashboard's Excel export is written in the language of the page it is downloaded
from (issue 17.1): its sheet names, title, period, column headings, score table and note, with
the indicators named as the page names them. Names from the records stay as they are, and the
targets template, a data format read back, stays Chinese."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import AnnualTarget, AssessmentWeight

EXPORT = reverse("reports:county_dashboard_export")

EXPECTED = {
    "en": {
        "sheets": ["Key figures by township", "Assessment score"],
        "title": "慈溪县总工会: key figures by township (H1 2026)",
        "period": "Period: H1 2026 (Jan. 1, 2026 to June 30, 2026)",
        "generated": "Generated: ",
        "header": ["Township", "Unionisation rate (%)", "Membership rate (%)"],
        "total": "County total",
        "scores": ["Township", "Indicator", "Weight (points)", "Actual"],
        "note": "Note: ",
    },
    "zh-hant": {
        "sheets": ["各鄉鎮主要指標", "考核得分"],
        "title": "慈溪县总工会各鄉鎮主要指標（2026年上半年）",
        "period": "統計期間：2026年上半年（2026年1月1日至2026年6月30日）",
        "generated": "生成時間：",
        "header": ["鄉鎮", "建會率（%）", "入會率（%）"],
        "total": "全縣合計",
        "scores": ["鄉鎮", "指標", "權重（分）", "實際"],
        "note": "說明：",
    },
}


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_the_export_speaks_the_pages_language(client, data, reviewer, language):
    a, _b = data
    AnnualTarget.objects.create(township=a, year=2026, indicator="new_members", value=Decimal("5"))
    AssessmentWeight.objects.create(county=a.county, year=2026, indicator="new_members", weight=100)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(reviewer)
    page = client.get(reverse("reports:county_dashboard"), {"period": "2026H1"})
    response = client.get(EXPORT, {"period": "2026H1"})
    expected = EXPECTED[language]

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == expected["sheets"]
    ws = book[expected["sheets"][0]]
    assert ws["A1"].value == expected["title"]
    assert ws["A2"].value == expected["period"]
    assert ws["A3"].value.startswith(expected["generated"])
    header = [c.value for c in ws[5]]
    assert header[:3] == expected["header"]
    # Every indicator heading is the page's own name for it, with its unit.
    for heading in header[1:-1]:
        assert heading.split(" (" if language == "en" else "（")[0] in page.text
    assert [c.value for c in ws[6]][0] == "慈东镇"  # a township's name is data
    assert ws.cell(8, 1).value == expected["total"]
    amount = header.index(next(h for h in header if h.endswith(("(yuan)", "（元）"))))
    assert ws.cell(6, amount + 1).value == 3200.0
    assert ws.cell(6, amount + 1).number_format == "#,##0.00"
    note = ws.cell(10, 1).value
    assert note.startswith(expected["note"])
    scores = book[expected["sheets"][1]]
    assert [c.value for c in scores[1]][:4] == expected["scores"]


def test_the_targets_template_stays_chinese_in_english(client, data, reviewer):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(reviewer)
    response = client.get(reverse("reports:targets_template"), {"year": 2026})

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["年度目标", "考核权重"]
    assert [c.value for c in book["年度目标"][5]][:3] == ["乡镇代码", "乡镇", "建会率（%）"]
