"""Every spreadsheet the portal reads from a user goes through one bounded reader
(unionportal/spreadsheet/reading.py): size, compression ratio and XML entity checks before any
XML is parsed. Here the county's targets upload, which read with openpyxl without limits (a
156 KB file holding a 150 MB cell took 21 s and 2 GB)."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import AnnualTarget, AssessmentWeight

TARGETS_PART = "xl/worksheets/sheet1.xml"


@pytest.fixture
def template(client, reviewer, township_a) -> bytes:
    client.force_login(reviewer)
    response = client.get(reverse("reports:targets_template"), {"year": 2026})
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        assert b"cidong" in book.read(TARGETS_PART) or b"cidong" in book.read(
            "xl/sharedStrings.xml"
        )
    return response.content


def rewritten(data: bytes, part: str, change) -> bytes:
    """The workbook with one part's XML changed, everything else as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info.filename)
                if info.filename == part:
                    content = change(content)
                target.writestr(info.filename, content)
    return out.getvalue()


def upload(client, data: bytes):
    file = io.BytesIO(data)
    file.name = "目标.xlsx"
    return client.post(
        reverse("reports:targets_upload"), {"year": "2026", "file": file}, follow=True
    )


def test_a_zip_bomb_targets_file_is_refused_before_its_xml_is_read(client, template):
    # 20 MB of one letter in a cell of the first row: a few tens of KB once compressed.
    huge_cell = b'<c r="Z1" t="inlineStr"><is><t>' + b"a" * (20 * 1024 * 1024) + b"</t></is></c>"
    bomb = rewritten(
        template, TARGETS_PART, lambda xml: xml.replace(b"</row>", huge_cell + b"</row>", 1)
    )
    assert len(bomb) < 200 * 1024

    page = upload(client, bomb).content.decode()

    assert "未导入" in page and "疑似压缩炸弹" in page
    assert not AnnualTarget.objects.exists() and not AssessmentWeight.objects.exists()


def test_a_targets_file_declaring_entities_is_refused(client, template):
    def with_doctype(xml: bytes) -> bytes:
        declaration, rest = xml.split(b"?>", 1) if xml.startswith(b"<?xml") else (b"", xml)
        doctype = b'<!DOCTYPE worksheet [<!ENTITY code "cidong">]>'
        return (declaration + b"?>" if declaration else b"") + doctype + rest

    page = upload(client, rewritten(template, TARGETS_PART, with_doctype)).content.decode()

    assert "未导入" in page and "DOCTYPE" in page
    assert not AnnualTarget.objects.exists()


def filled(template: bytes, value) -> bytes:
    """The template with the first township's first target (建会率) typed in, as Excel would."""
    book = load_workbook(io.BytesIO(template))
    sheet = book["年度目标"]
    assert sheet["A6"].value == "cidong" and sheet["C5"].value == "建会率（%）"
    sheet["C6"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_downloaded_template_filled_in_still_imports(client, template):
    page = upload(client, filled(template, 95)).content.decode()

    assert "已从 Excel 导入2026年度目标和权重" in page
    assert AnnualTarget.objects.get(indicator="unionisation_rate").value == 95


def test_a_formula_in_a_target_cell_is_named_not_ignored(client, template):
    page = upload(client, filled(template, "=40+50")).content.decode()

    assert "未导入" in page and "公式" in page
    assert not AnnualTarget.objects.exists()
