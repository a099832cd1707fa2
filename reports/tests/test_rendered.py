"""Summary downloads kept by content (reports/rendered.py): a kept file is the file a fresh render
gives, and anything a reader would see changed renders afresh."""

import dataclasses
import io
import re
import subprocess
import zipfile

import pytest
from django.urls import reverse

from members.models import GrassrootsUnion
from reports import render_docx as docx_module
from reports import render_pdf as pdf_module
from reports import rendered
from reports.document import Paragraph, Table
from reports.render_docx import render_docx
from reports.render_pdf import render_pdf
from reports.services import save_narrative, summary_document
from reports.summary import Narrative
from unionportal.periods import parse_period
from unionportal.tests.factories import D, member, sample_document

DOWNLOAD = reverse("reports:summary_download")
COUNTY_DOWNLOAD = reverse("reports:county_summary_download")


@pytest.fixture(autouse=True)
def nothing_kept():
    rendered.cache().clear()
    yield
    rendered.cache().clear()


@pytest.fixture
def renders(monkeypatch):
    """The documents rendered afresh, by format, in the order asked for."""
    done = {"pdf": [], "docx": []}
    render_html, render_word = pdf_module.render_pdf_html, docx_module.render_docx

    def pdf(html, stylesheet=None):
        done["pdf"].append(html)
        return render_html(html, stylesheet)

    def word(document):
        done["docx"].append(document)
        return render_word(document)

    monkeypatch.setattr(pdf_module, "render_pdf_html", pdf)
    monkeypatch.setattr(docx_module, "render_docx", word)
    return done


def pdf_pages(data: bytes) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout
    pages = int(re.search(rb"Pages:\s+(\d+)", info).group(1))
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return pages, text


def docx_parts(data: bytes) -> dict[str, bytes]:
    """Every file inside a DOCX: what Word reads (the zip entries' times aside)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_kept_pdf_is_the_fresh_render_byte_for_byte(client, data, staff_a, renders):
    a, _ = data
    client.force_login(staff_a)
    first = client.get(DOWNLOAD, {"period": "2026H1", "format": "pdf"}).content
    again = client.get(DOWNLOAD, {"period": "2026H1", "format": "pdf"}).content

    assert len(renders["pdf"]) == 1
    assert again == first
    fresh = render_pdf(summary_document(township=a, period=parse_period("2026H1")))
    assert again == fresh
    pages, text = pdf_pages(again)
    assert pages >= 1
    assert "慈东镇工会2026年上半年工作总结" in re.sub(r"\s+", "", text)


def test_a_kept_docx_holds_the_files_of_a_fresh_render(client, data, staff_a, renders):
    a, _ = data
    client.force_login(staff_a)
    first = client.get(DOWNLOAD, {"period": "2026H1", "format": "docx"}).content
    again = client.get(DOWNLOAD, {"period": "2026H1", "format": "docx"}).content

    assert len(renders["docx"]) == 1
    assert again == first
    fresh = render_docx(summary_document(township=a, period=parse_period("2026H1")))
    assert docx_parts(again) == docx_parts(fresh)


def test_who_asks_does_not_matter_but_the_language_does(client, data, staff_a, chair_a, renders):
    client.force_login(staff_a)
    staffs = client.get(DOWNLOAD, {"period": "2026H1"}).content
    client.force_login(chair_a)
    chairs = client.get(DOWNLOAD, {"period": "2026H1"}).content
    traditional = client.get(DOWNLOAD, {"period": "2026H1", "lang": "zh-hant"}).content
    # The page's own language does not reach the summary's text.
    other_page_language = client.get(
        DOWNLOAD, {"period": "2026H1"}, HTTP_ACCEPT_LANGUAGE="zh-hant"
    ).content

    assert chairs == staffs == other_page_language
    assert len(renders["pdf"]) == 2
    assert "慈東鎮工會" in pdf_pages(traditional)[1]


def test_a_new_record_or_narrative_or_period_renders_afresh(
    client, data, staff_a, chair_a, renders
):
    a, _ = data
    client.force_login(staff_a)

    def words(**query) -> str:
        response = client.get(DOWNLOAD, {"period": "2026H1", **query})
        return re.sub(r"\s+", "", pdf_pages(response.content)[1])

    assert "会员4人" in words()
    member(a, GrassrootsUnion.objects.filter(township=a).first(), D(2026, 3, 1))
    assert "会员5人" in words()
    save_narrative(
        user=chair_a,
        township=a,
        period=parse_period("2026H1"),
        narrative=Narrative(plans="下半年重点推进快递行业建会。"),
    )
    assert "下半年重点推进快递行业建会。" in words()
    assert "2026年下半年工作总结" in words(period="2026H2")
    assert "下半年重点推进快递行业建会。" in words()  # kept: the same as two downloads ago

    assert len(renders["pdf"]) == 4


def test_county_downloads_are_kept_too(client, data, reviewer, renders):
    client.force_login(reviewer)
    first = client.get(COUNTY_DOWNLOAD, {"period": "2026H1", "format": "docx"}).content
    again = client.get(COUNTY_DOWNLOAD, {"period": "2026H1", "format": "docx"}).content

    assert again == first
    assert len(renders["docx"]) == 1


def _changed(document, **fields):
    return dataclasses.replace(document, **fields)


def _variants():
    document = sample_document()
    section = document.sections[0]
    table_section = next(s for s in document.appendix if isinstance(s.blocks[0], Table))
    table = table_section.blocks[0]
    cell = table.rows[0][-1]
    other_table = dataclasses.replace(table, rows=((*table.rows[0][:-1], cell + "1"),))
    return document, {
        "a figure": _changed(
            document,
            appendix=tuple(
                dataclasses.replace(s, blocks=(other_table,)) if s is table_section else s
                for s in document.appendix
            ),
        ),
        "narrative text": _changed(
            document, opening=(Paragraph(document.opening[0].text + "另有说明。"),)
        ),
        "language": _changed(document, language="zh-hant"),
        "period": _changed(
            document,
            title=document.title.replace("上半年", "下半年"),
            date=document.date.replace("7月", "12月"),
        ),
        "a heading": _changed(
            document, sections=(dataclasses.replace(section, heading="一、其他"),)
        ),
    }


def test_every_change_a_reader_sees_is_a_different_key():
    document, variants = _variants()
    stylesheet = pdf_module.print_stylesheet()
    pdf_key = rendered.pdf_key(pdf_module.summary_html(document), stylesheet)
    docx_key = rendered.docx_key(document)

    for what, variant in variants.items():
        assert variant != document, what
        assert rendered.pdf_key(pdf_module.summary_html(variant), stylesheet) != pdf_key, what
        assert rendered.docx_key(variant) != docx_key, what
    # The same content built again is the same key.
    assert rendered.docx_key(sample_document()) == docx_key
    assert rendered.pdf_key(pdf_module.summary_html(sample_document()), stylesheet) == pdf_key
    # A changed print stylesheet is a different key.
    assert rendered.pdf_key(pdf_module.summary_html(document), stylesheet + b" ") != pdf_key


def test_a_changed_document_gets_its_own_file(renders):
    document, variants = _variants()
    rendered.docx_bytes(document)
    variant = variants["narrative text"]

    assert "另有说明" in docx_parts(rendered.docx_bytes(variant))["word/document.xml"].decode()
    assert len(renders["docx"]) == 2
    assert "另有说明" not in docx_parts(rendered.docx_bytes(document))["word/document.xml"].decode()
    assert len(renders["docx"]) == 2


def test_in_service_files_go_beside_the_kept_figures_and_stay_bounded(
    settings, tmp_path, monkeypatch
):
    settings.CACHES = {
        **settings.CACHES,
        "kept": {"BACKEND": "unionportal.keptcache.KeptFileCache", "LOCATION": tmp_path / "kept"},
    }
    settings.KEPT_DIR = tmp_path / "kept"
    monkeypatch.setattr(rendered, "MAX_ENTRIES", 20)
    rendered._fallback.cache_clear()
    try:
        store = rendered.cache()
        for n in range(60):
            rendered._kept_or(f"key-{n}", lambda n=n: b"%d" % n)
        files = list((tmp_path / "kept" / "rendered").glob("*.djcache"))
        assert 0 < len(files) <= 20
        assert store.get("key-59") == b"59"
        # Another gunicorn worker (another cache instance on the same folder) finds it.
        rendered._fallback.cache_clear()
        assert rendered.cache() is not store
        assert rendered._kept_or("key-59", lambda: b"rendered again") == b"59"
    finally:
        rendered._fallback.cache_clear()


def test_a_folder_that_cannot_be_written_costs_a_render_not_the_download(monkeypatch, renders):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rendered.cache(), "set", full)
    document = sample_document()

    assert docx_parts(rendered.docx_bytes(document)) == docx_parts(render_docx(document))
    assert len(renders["docx"]) == 1
