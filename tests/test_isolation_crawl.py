"""Township isolation, end to end: every township's records carry a marker text (MKR-<township
code>-<kind>) in each field a page, export or document shows; then, signed in as staff or chair of
another township, or as a reviewer of another county, a crawler follows every link it can reach
from the home page, downloads every file it finds (workbook exports, summary PDF/DOCX for every
period offered, dashboard Excel, attachments, finalised summaries), reads their text, and finds
no marker of a township the user may not see, while finding every marker of their own.

The crawler also tries each page that takes ?township= with every other township's id, and each
type-ahead look-up with a query matching every marker.

Hardship files (困难职工档案) are the exception to "every marker of their own": a county reviewer
sees its townships' files with the household's name masked, and never the whole name, the note,
a review's note or the income per head (HARDSHIP_KINDS), while the township's own staff and chair
see all of them; another township's staff see nothing of them.
"""

import datetime
import html
import io
import re
import subprocess
import time
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import resolve
from openpyxl import Workbook

from disputes.models import CaseAttachment
from events.models import EventAttachment
from portal.models import Submission, SubmissionState
from reports.forms import period_choices
from reports.models import FinalSummary, SummaryNarrative
from unionportal.models import Role, User
from unionportal.tests import factories as f
from welfare.models import HardshipFile, HardshipReview
from workbook.models import ImportSource, WorkbookImport

KINDS = [
    "employer",
    "union",
    "unionchair",
    "member",
    "contract",
    "visit",
    "visitnote",
    "case",
    "casesummary",
    "event",
    "eventtext",
    "caseatt",
    "eventatt",
    "narrative",
    "final",
    "import",
]
# What only the file's own township sees of a hardship file; "income" is the household's income
# per head, a number told apart per township (INCOMES) rather than a marker text.
HARDSHIP_KINDS = ["hardship", "hardshipnote", "reviewnote", "income"]
INCOMES = {"cidong": "8101.01", "xishan": "8202.02", "lanting": "8303.03"}
MARKER = re.compile(r"MKR-([a-z]+)-([a-z]+)")
INCOME = re.compile(
    "|".join(f"(?P<{code}>{value[0]},?{re.escape(value[1:])})" for code, value in INCOMES.items())
)
# Pages whose links lead nowhere new or that change state on GET-less forms.
SKIP_PREFIXES = ("/static/", "/admin/", "/accounts/logout/", "/i18n/")
# Query parameters whose value changes what a page shows; others (sort order, page, filters
# repeated across a dashboard's many links) count once per name so the crawl stays bounded.
# The Traditional-Chinese copy of a summary is the same document converted: read once.
VALUE_PARAMS = {"period", "township", "format", "export", "sheet", "q", "fmt", "county"}
DROPPED_PARAMS = {"lang"}
MAX_REQUESTS = 400


# Each crawl requests every page and file as one user: seconds each.
pytestmark = pytest.mark.slow


def marker(code: str, kind: str) -> str:
    return f"MKR-{code}-{kind}"


@pytest.fixture
def private_files(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private")
    for model in (CaseAttachment, EventAttachment, WorkbookImport):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)
    return storage


def plant(township, user, storage) -> None:
    """One record of every kind in the township, each shown text carrying the marker."""
    code = township.code
    employer = f.make_employer(township, name=marker(code, "employer"))
    union = f.make_union(
        township, name=marker(code, "union"), chair_name=marker(code, "unionchair")
    )
    f.make_member(township, union=union, name=marker(code, "member"))
    f.make_contract(township, party_name=marker(code, "contract"))
    f.make_dues(township, employer=employer)
    f.make_visit(township, beneficiary_name=marker(code, "visit"), note=marker(code, "visitnote"))
    hardship = f.make_hardship_file(
        township,
        name=marker(code, "hardship"),
        union=union,
        income_per_head=Decimal(INCOMES[code]),
        note=marker(code, "hardshipnote"),
        filed_on=datetime.date(2024, 5, 6),
    )
    HardshipReview.objects.create(
        file=hardship,
        reviewed_on=datetime.date(2025, 3, 4),
        outcome="continued",
        note=marker(code, "reviewnote"),
    )
    case = f.make_case(
        township, petitioner=marker(code, "case"), summary=marker(code, "casesummary")
    )
    event = f.make_event(
        township,
        title=marker(code, "event"),
        description=marker(code, "eventtext"),
        organiser=marker(code, "eventtext"),
    )
    for owner, model, kind in (
        (case, CaseAttachment, "caseatt"),
        (event, EventAttachment, "eventatt"),
    ):
        name = storage.save(
            f"attachments/{model._meta.model_name}/{code}.txt",
            ContentFile(f"file body {marker(code, kind)}".encode()),
        )
        model.objects.create(
            **{model._meta.get_field("case" if model is CaseAttachment else "event").name: owner},
            file=name,
            original_name=f"{marker(code, kind)}.txt",
            content_type="text/plain",
            size=20,
        )
    for period, _label in period_choices():
        SummaryNarrative.objects.create(
            township=township, period=period, practices=marker(code, "narrative")
        )
    final = FinalSummary.objects.create(
        township=township,
        period=period_choices()[0][0],
        title=f"{township.name}工作总结 {marker(code, 'final')}",
        pdf=f"%PDF-1.4 {marker(code, 'final')}".encode(),
        docx=b"PK",
        pdf_sha256="0" * 64,
        docx_sha256="0" * 64,
        finalised_by=user,
    )
    # An import whose original file (a workbook) and name carry the marker.
    book = io.BytesIO()
    sheet = Workbook()
    sheet.active.append([marker(code, "import")])
    sheet.save(book)
    WorkbookImport.objects.create(
        township=township,
        imported_by=user,
        imported_by_label="张录入",
        source=ImportSource.BROWSER,
        file_name=f"{marker(code, 'import')}.xlsx",
        sha256="0" * 64,
        size=len(book.getvalue()),
        file=storage.save(f"imports/{code}.xlsx", ContentFile(book.getvalue())),
    )
    # Submitted to the county, so the county's 下载全部已报送 zip holds it.
    Submission.objects.create(
        township=township,
        period=final.period,
        final=final,
        state=SubmissionState.SUBMITTED,
        submitted_at=final.finalised_at,
        updated_at=final.finalised_at,
    )


# --- reading what a response holds --------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-q", "-", "-"], input=data, capture_output=True, check=False
    )
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""


def _zip_text(data: bytes) -> str:
    """Every XML part of a DOCX or XLSX with the tags taken out (cells, paragraphs, headers,
    sheet names: a marker split across runs reads whole again once spaces are dropped)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith(".xml")
        ]
    return html.unescape(re.sub(r"<[^>]+>", "", "".join(parts)))


def response_text(response) -> tuple[str, str]:
    """(kind of file, its text) for markers to be looked for in."""
    content_type = response.get("Content-Type", "")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    head = response.get("Content-Disposition", "")
    if data.startswith(b"%PDF"):
        text = _pdf_text(data) or data.decode("latin-1")
        return "pdf", head + text
    if "application/zip" in content_type:
        # 下载全部已报送: each PDF and DOCX inside, with its name.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            texts = []
            for name in archive.namelist():
                inner = archive.read(name)
                texts.append(name)
                if inner.startswith(b"%PDF"):
                    texts.append(_pdf_text(inner) or inner.decode("latin-1"))
                elif inner.startswith(b"PK") and len(inner) > 4:
                    texts.append(_zip_text(inner))
        return "zip", head + "".join(texts)
    if data.startswith(b"PK") and len(data) > 4:
        kind = "docx" if "wordprocessing" in content_type else "xlsx"
        return kind, head + _zip_text(data)
    kind = "html" if "html" in content_type else ("json" if "json" in content_type else "file")
    return kind, head + html.unescape(data.decode("utf-8", "replace"))


def markers_in(text: str) -> set[tuple[str, str]]:
    text = re.sub(r"\s+", "", text)
    incomes = {(m.lastgroup, "income") for m in INCOME.finditer(text)}
    return set(MARKER.findall(text)) | incomes


# --- the crawler -------------------------------------------------------------------------------

LINK = re.compile(r'(?:href|hx-get|data-url|action)="([^"]*)"')


@dataclass
class Crawl:
    seen: dict[tuple[str, str], set] = field(default_factory=dict)  # (kind, url) → markers
    statuses: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    seconds_by_kind: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def markers(self) -> set[tuple[str, str]]:
        return set().union(*self.seen.values()) if self.seen else set()

    def where(self, code: str) -> list[str]:
        return [
            f"{url} ({kind})"
            for (kind, url), found in self.seen.items()
            if any(c == code for c, _ in found)
        ]


def _key(url: str) -> str:
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    kept = sorted((k, v if k in VALUE_PARAMS else "") for k, v in params if k not in DROPPED_PARAMS)
    return f"{parts.path}?{urlencode(kept)}"


def _same_site(url: str) -> str | None:
    url = html.unescape(url).split("#", 1)[0]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(
    client: Client, seeds: list[str], township_ids: list[int], max_requests: int = MAX_REQUESTS
) -> Crawl:
    """Every same-site link reachable from `seeds`, GET only, each file downloaded and read."""
    result = Crawl()
    queue = list(seeds)
    keys = set()
    started = time.monotonic()
    while queue and len(keys) < max_requests:
        url = queue.pop(0)
        key = _key(url)
        if key in keys:
            continue
        keys.add(key)
        asked = time.monotonic()
        response = client.get(url)
        result.statuses[url] = response.status_code
        if response.status_code in (301, 302):
            target = _same_site(response["Location"])
            if target:
                queue.append(target)
            continue
        kind, text = response_text(response)
        result.files[kind] = result.files.get(kind, 0) + 1
        spent = result.seconds_by_kind.get(kind, 0.0) + time.monotonic() - asked
        result.seconds_by_kind[kind] = spent
        result.seen[(kind, url)] = markers_in(text)
        if kind != "html":
            continue
        for found in LINK.findall(text):
            link = _same_site(found)
            if link is None:
                continue
            queue.append(link)
            # The same page asked about every other township, as a curious user would.
            parts = urlsplit(link)
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            if "township" in params:
                for other in township_ids:
                    queue.append(f"{parts.path}?{urlencode({**params, 'township': other})}")
        # Every period the summary page offers, each with its downloads.
        if "period-list" in text:
            path = urlsplit(url).path
            for period in re.findall(r'<option value="(\d{4}[^"]*)"', text):
                queue.append(f"{path}?{urlencode({'period': period})}")
    result.seconds = time.monotonic() - started
    return result


def seeds(township_ids: list[int]) -> list[str]:
    found = ["/"]
    for kind in ("member", "union", "employer"):
        found.append(f"/records/lookup/{kind}/?q=MKR")
    for pk in township_ids:
        found.append(f"/reports/dashboard/township/{pk}/")
        found.append(f"/reports/summaries/?township={pk}")
        found.append(f"/workbook/export/?township={pk}")
    found.append("/workbook/export/?township=all")
    return found


@pytest.fixture
def world(county, township_a, township_b, other_county_township, staff_a, private_files):
    for township in (township_a, township_b, other_county_township):
        plant(township, staff_a, private_files)
    return [township_a.pk, township_b.pk, other_county_township.pk]


def _user(username, **fields) -> User:
    return User.objects.create_user(username=username, password="x", **fields)


CASES = {
    # user → (own township codes, foreign township codes)
    "staff_b": (["xishan"], ["cidong", "lanting"]),
    "chair_b": (["xishan"], ["cidong", "lanting"]),
    "reviewer": (["cidong", "xishan"], ["lanting"]),
    "other_reviewer": (["lanting"], ["cidong", "xishan"]),
}


# Files each kind of user must have fetched, so a crawl that stopped short cannot pass.
TOWNSHIP_DOWNLOADS = {
    "workbook:export",
    "reports:summary_download",
    "reports:final_download",
    "disputes:attachment_download",
    "events:attachment_download",
}
DOWNLOADS = {
    False: TOWNSHIP_DOWNLOADS | {"workbook:import_download"},
    True: TOWNSHIP_DOWNLOADS
    | {
        "reports:county_dashboard_export",
        "reports:county_summary_download",
        "submissions:download_all",
    },
}


@pytest.mark.parametrize("who", sorted(CASES))
def test_no_marker_of_another_township_reaches_any_page_or_file(
    who, world, staff_a, staff_b, reviewer, other_reviewer, township_b, capsys
):
    users = {
        "staff_a": staff_a,
        "staff_b": staff_b,
        "reviewer": reviewer,
        "other_reviewer": other_reviewer,
    }
    users["chair_b"] = _user("chair_b", role=Role.CHAIR, township=township_b)
    own, foreign = CASES[who]
    client = Client()
    client.force_login(users[who])

    result = crawl(client, seeds(world), world)

    leaked = {m for m in result.markers if m[0] in foreign}
    assert not leaked, "\n".join(sum((result.where(code) for code in foreign), []))
    reviewing = who in ("reviewer", "other_reviewer")
    expected = KINDS if reviewing else KINDS + HARDSHIP_KINDS
    missing = {(code, kind) for code in own for kind in expected} - result.markers
    assert not missing, f"the crawl did not reach: {sorted(missing)}"
    # Reviewers open their townships' hardship files (and not another's), masked.
    reached = {
        resolve(urlsplit(url).path).kwargs.get("pk")
        for url, status in result.statuses.items()
        if status == 200 and resolve(urlsplit(url).path).view_name == "welfare:hardship_detail"
    }
    assert reached == set(
        HardshipFile.objects.filter(township__code__in=own).values_list("pk", flat=True)
    )
    if reviewing:
        unmasked = {m for m in result.markers if m[1] in HARDSHIP_KINDS}
        assert not unmasked, "\n".join(sum((result.where(code) for code in own), []))
    assert result.files.get("pdf", 0) >= len(period_choices())
    assert result.files.get("docx", 0) >= 10
    assert result.files.get("xlsx", 0) >= 2
    assert 500 not in result.statuses.values()
    downloaded = {
        resolve(urlsplit(url).path).view_name
        for url, status in result.statuses.items()
        if status == 200
    }
    assert DOWNLOADS[reviewing] <= downloaded
    # The township's own staff and chair also reach the review form of their files.
    assert ("welfare:hardship_review" in downloaded) is not reviewing
    with capsys.disabled():
        print(
            f"\n[crawl {who}] {len(result.statuses)} requests, files {result.files}, "
            f"{result.seconds:.1f} s "
            f"({ {k: round(v, 1) for k, v in result.seconds_by_kind.items()} })"
        )


def test_the_marker_reader_reads_pdf_docx_and_xlsx(township_a, staff_a):
    from reports.render_docx import render_docx
    from reports.render_pdf import render_pdf
    from reports.services import summary_document
    from unionportal.periods import parse_period
    from workbook.exports import export_workbook

    f.make_employer(township_a, name=marker("cidong", "employer"))
    SummaryNarrative.objects.create(
        township=township_a, period="2026", practices=marker("cidong", "narrative")
    )
    document = summary_document(township=township_a, period=parse_period("2026"))

    class Response(dict):
        streaming = False

        def __init__(self, content, content_type):
            super().__init__({"Content-Type": content_type})
            self.content = content

    pdf = response_text(Response(render_pdf(document), "application/pdf"))
    docx = response_text(
        Response(
            render_docx(document),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    )
    handle = io.BytesIO()
    from members.models import Employer

    export_workbook(handle, querysets={"employers": Employer.objects.all()})
    xlsx = response_text(
        Response(
            handle.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    )

    assert ("cidong", "narrative") in markers_in(pdf[1])
    assert ("cidong", "narrative") in markers_in(docx[1])
    assert ("cidong", "employer") in markers_in(xlsx[1])


def test_the_crawl_would_see_a_leak(world, staff_b, township_b):
    # A record of township B that (wrongly) shows township A's marker is reported as A's.
    f.make_member(township_b, name=marker("cidong", "member"))
    client = Client()
    client.force_login(staff_b)

    result = crawl(client, ["/records/members/"], world, max_requests=3)

    assert ("cidong", "member") in result.markers
    assert result.where("cidong")[0].startswith("/records/members/")
