"""Cell.html is the dashboard cell the template reports/dashboard_cell.html renders, byte for byte:
the county and township dashboards write their cells from it instead of including the template;
Score.items_html is the county page's score column its template wrote item by item."""

from decimal import Decimal

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from reports.dashboards import BEHIND, BY_KEY, GOOD, NEAR, Cell, Row, Score, score_of
from reports.indicators import Rate

RATE = BY_KEY["membership_rate"]
MONEY = BY_KEY["welfare_amount"]
COUNT = BY_KEY["cases"]

CELLS = [
    # No target: neither title nor mark.
    Cell(COUNT, 12, Decimal(12), "12", url="/disputes/?township=3&from=2025-01-01"),
    Cell(COUNT, 0, Decimal(0), "0"),
    # A target but no figure ('—'): the title without a status.
    Cell(RATE, Rate(0, 0), None, "—", Decimal(90), "90.0%", None, "/members/?a=1&b=<2>"),
    Cell(RATE, Rate(0, 0), Decimal("95.0"), "95.0%", Decimal(90), "90.0%", GOOD, "/m/?x=1&y=2"),
    Cell(MONEY, Decimal("1234.5"), Decimal("1234.5"), "1,234.50", Decimal(1400), "1,400.00", NEAR),
    Cell(COUNT, 3, Decimal(3), "3", Decimal(10), "10", BEHIND, None),
    # Escaping of whatever reaches the cell.
    Cell(COUNT, 1, Decimal(1), '<b>"1"</b>', Decimal(1), "<1>", GOOD, '/x/?q="&"'),
]


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.parametrize("index", range(len(CELLS)))
def test_cell_html_is_the_template_s_cell(language, index):
    cell = CELLS[index]
    with translation.override(language):
        expected = render_to_string("reports/dashboard_cell.html", {"cell": cell})
        built = Cell(**{f: getattr(cell, f) for f in cell.__dataclass_fields__}).html
    assert built == expected


def test_a_row_s_cells_are_its_cells_in_order():
    row = Row(None, "全县合计", tuple(CELLS))
    with translation.override("en"):
        expected = "".join(
            render_to_string("reports/dashboard_cell.html", {"cell": c}) for c in CELLS
        )
        assert row.cells_html == expected
    assert "（Behind）" not in expected and " (Behind)" in expected


# The county page's score column as its template wrote it before Score.items_html.
OLD_SCORE_ITEMS = (
    "{% load i18n %}"
    '<td class="small">{% for item in row.score.items %}<span class="dash-item">'
    "{% with label=item.headline.label weight=item.weight %}{% if item.scored %}"
    "{% blocktranslate trimmed with completion=item.completion_text points=item.points %}"
    "{{ label }}：{{ weight }} × {{ completion }} = {{ points }}{% endblocktranslate %}"
    "{% elif item.target %}{% blocktranslate trimmed %}"
    "{{ label }}：{{ weight }}分，不计分（无数据）{% endblocktranslate %}"
    "{% else %}{% blocktranslate trimmed %}"
    "{{ label }}：{{ weight }}分，不计分（未设目标）{% endblocktranslate %}"
    "{% endif %}{% endwith %}</span>"
    '{% if not forloop.last %}{% translate "；" %}{% endif %}{% endfor %}</td>'
)


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_score_items_html_is_what_the_template_wrote(language):
    weights = {RATE.target: 20, MONEY.target: 1500, COUNT.target: 5, BY_KEY["visits"].target: 7}
    cells = [
        CELLS[3],  # scored, full marks
        CELLS[4],  # scored, part
        CELLS[2],  # a target, no figure: not scored (no data)
        Cell(BY_KEY["visits"], 4, Decimal(4), "4"),  # no target: not scored (no target)
    ]
    score = score_of(cells, weights)
    assert [i.scored for i in score.items] == [True, True, False, False]
    template = engines["django"].from_string(OLD_SCORE_ITEMS)
    with translation.override(language):
        expected = template.render({"row": Row(None, "x", (), score)})
        assert f'<td class="small">{score.items_html}</td>' == expected
    assert Score(()).items_html == ""
