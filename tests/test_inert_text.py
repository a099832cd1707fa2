"""Staff text with markup, template syntax or spreadsheet formulas stays inert text everywhere
(issue 7): record pages, the PDF and DOCX work summary, the records workbook export (and its
re-import) and the dashboard's Excel export."""

import io
import re
import socket
import subprocess
import zipfile

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Employer, GrassrootsUnion, Member
from reports.render_pdf import PortalStaticFetcher
from reports.services import save_narrative
from reports.summary import Narrative
from unionportal.periods import parse_period
from unionportal.tests import factories as f
from workbook.services import import_workbook

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
TEMPLATE = "{{7*7}}"
HYPERLINK = '=HYPERLINK("http://evil","x")'
FORMULAS = [HYPERLINK, "=1+1", "@SUM(A1)", "+1", "-1"]
PAYLOADS = [SCRIPT, IMAGE, TEMPLATE, *FORMULAS]


@pytest.fixture
def hostile(township_a, staff_a) -> dict:
    """Records of every kind whose staff-written text is one of the payloads."""
    unions, members, employers = [], [], []
    for n, text in enumerate(PAYLOADS):
        union = f.make_union(township_a, name=text, chair_name=text[:40])
        unions.append(union)
        employers.append(f.make_employer(township_a, name=text, union=union))
        members.append(f.make_member(township_a, union=union, name=text, card_number=text))
        f.make_event(township_a, title=text, description=text, organiser=text)
        f.make_visit(township_a, beneficiary_name=text, note=text, campaign=text)
        f.make_case(township_a, number=f"XF-{n}", petitioner=text, summary=text)
    save_narrative(
        user=staff_a,
        township=township_a,
        period=parse_period("2026"),
        narrative=Narrative(
            opening=SCRIPT, practices="\n".join(PAYLOADS), shortcomings=IMAGE, plans=TEMPLATE
        ),
    )
    return {"union": unions[0], "employer": employers[0], "member": members[0]}


def _assert_inert(html: str, where: str) -> None:
    assert SCRIPT not in html, where
    assert IMAGE not in html, where


PAGES = [
    "members:union_list",
    "members:employer_list",
    "members:member_list",
    "welfare:visit_list",
    "disputes:case_list",
    "events:event_list",
]


def test_record_pages_show_markup_as_text(client, staff_a, hostile):
    client.force_login(staff_a)
    urls = [reverse(name) for name in PAGES]
    for kind, record in hostile.items():
        urls += [
            reverse(f"members:{kind}_detail", args=[record.pk]),
            reverse(f"members:{kind}_update", args=[record.pk]),
        ]
    from disputes.models import Case
    from events.models import Event
    from welfare.models import WelfareVisit

    for name, model in (
        ("welfare:visit", WelfareVisit),
        ("disputes:case", Case),
        ("events:event", Event),
    ):
        record = model.objects.get(**{f"{_text_field(model)}": SCRIPT})
        urls += [reverse(f"{name}_detail", args=[record.pk])]
        urls += [reverse(f"{name}_update", args=[record.pk])]
    urls.append(reverse("reports:summary") + "?period=2026")

    for url in urls:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        _assert_inert(html, url)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    # The template syntax is shown as typed, not evaluated.
    assert TEMPLATE in client.get(reverse("events:event_list")).content.decode()


def _text_field(model) -> str:
    return {"WelfareVisit": "beneficiary_name", "Case": "petitioner", "Event": "title"}[
        model.__name__
    ]


def _pdftotext(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode()


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_pdf_prints_staff_markup_literally_and_fetches_nothing(
    client, staff_a, hostile, monkeypatch
):
    fetched: list[str] = []
    original = PortalStaticFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    def no_network(*args, **kwargs):
        raise AssertionError("the PDF renderer opened a network connection")

    monkeypatch.setattr(PortalStaticFetcher, "fetch", spy)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    client.force_login(staff_a)

    response = client.get(reverse("reports:summary_download"), {"period": "2026"})

    assert response.status_code == 200
    text = _squeeze(_pdftotext(response.content))
    for payload in PAYLOADS:
        assert _squeeze(payload) in text, payload
    assert fetched and all(url.startswith("portal-static:") for url in fetched), fetched


def test_the_docx_holds_staff_markup_as_literal_text(client, staff_a, hostile):
    client.force_login(staff_a)

    response = client.get(reverse("reports:summary_download"), {"period": "2026", "format": "docx"})

    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join(paragraphs + cells)
    for payload in PAYLOADS:
        assert payload in text, payload
    # Nothing in the package links out (no hyperlink relationship to the payload's address).
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        for name in package.namelist():
            if name.endswith(".rels"):
                assert b"evil" not in package.read(name)


def _cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    yield sheet.title, cell


def test_the_workbook_export_stores_formula_looking_text_as_text(client, staff_a, hostile):
    client.force_login(staff_a)

    response = client.get(reverse("workbook:export"))
    data = b"".join(response.streaming_content)

    found = {}
    for title, cell in _cells(data):
        if cell.value in FORMULAS:
            found.setdefault(cell.value, set()).add(title)
            assert cell.data_type == "s", (title, cell.coordinate, cell.value)
            assert cell.quotePrefix, (title, cell.coordinate, cell.value)
    # Every formula-looking text was exported, in every sheet that holds staff text.
    assert set(found) == set(FORMULAS)
    assert found[HYPERLINK] >= {"基层工会", "单位", "会员", "慰问", "信访", "活动"}


def test_formula_looking_text_survives_export_and_reimport(
    client, staff_a, hostile, other_county_township
):
    client.force_login(staff_a)
    # The export with whole ID numbers, the one meant to be imported back.
    data = b"".join(client.post(reverse("workbook:export"), {"full": "1"}).streaming_content)

    report = import_workbook(data=data, township=other_county_township, user=None)

    assert report.ok, [str(p) for p in report.problems]
    moved = other_county_township
    assert set(
        GrassrootsUnion.objects.filter(township=moved).values_list("name", flat=True)
    ) >= set(PAYLOADS)
    assert set(Employer.objects.filter(township=moved).values_list("name", flat=True)) >= set(
        PAYLOADS
    )
    members = Member.objects.filter(township=moved)
    assert {(m.name, m.card_number) for m in members} >= {(p, p) for p in PAYLOADS}


def test_the_dashboard_excel_keeps_a_formula_looking_name_as_text(client, reviewer, county):
    f.make_township(county, name=HYPERLINK)
    f.make_township(county, name="@SUM(A1)")
    client.force_login(reviewer)

    response = client.get(reverse("reports:county_dashboard_export"))

    assert response.status_code == 200
    names = {cell.value: cell for _title, cell in _cells(response.content)}
    for name in (HYPERLINK, "@SUM(A1)"):
        assert names[name].data_type == "s" and names[name].quotePrefix


def test_the_targets_template_keeps_a_formula_looking_name_as_text(client, reviewer, county):
    f.make_township(county, name="=1+1")
    client.force_login(reviewer)

    response = client.get(reverse("reports:targets_template"))

    assert response.status_code == 200
    names = {cell.value: cell for _title, cell in _cells(response.content)}
    assert names["=1+1"].data_type == "s" and names["=1+1"].quotePrefix


def test_dashboards_show_a_township_name_with_markup_as_text(client, reviewer, county, hostile):
    # Closing the script element first: what breaks out of JSON embedded in a <script>.
    marked = f.make_township(county, name="</script>" + SCRIPT)
    client.force_login(reviewer)
    urls = [
        reverse("reports:county_dashboard"),
        reverse("reports:township_dashboard", args=[marked.pk]),
        reverse("reports:county_summary") + "?period=2026",
        reverse("reports:targets"),
        reverse("workbook:export"),
    ]

    for url in urls:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        _assert_inert(html, url)
        assert "</script><script>" not in html, url
