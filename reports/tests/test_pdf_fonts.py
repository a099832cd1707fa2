"""WeasyPrint without its whole-font copy and with kept subsets (reports/pdf_fonts.py): installed on
the WeasyPrint this project pins, the same PDF bytes as WeasyPrint's own way, no font file copied
whole, and a face subset again for the same glyphs taken from the kept ones."""

import dataclasses

import weasyprint

from reports import pdf_fonts
from reports.render_pdf import render_pdf
from unionportal.tests.factories import sample_document

MB = 1024 * 1024


def test_installed_on_the_pinned_weasyprint():
    assert pdf_fonts.installed(), (
        f"WeasyPrint {weasyprint.__version__} is not one reports/pdf_fonts.py was checked "
        f"against ({pdf_fonts.SUPPORTED}): read Font in weasyprint/pdf/fonts.py again, then add it"
    )


def copies_while_rendering(monkeypatch, document) -> tuple[bytes, list[int]]:
    sizes: list[int] = []
    real = pdf_fonts.get_hb_object_data  # WeasyPrint's, as imported before install()

    def counting(*args, **kwargs):
        data = real(*args, **kwargs)
        sizes.append(len(data or b""))
        return data

    with monkeypatch.context() as patch:
        # Whichever copies: this module's reads when installed, WeasyPrint's own otherwise.
        if pdf_fonts.installed():
            patch.setattr(pdf_fonts, "get_hb_object_data", counting)
        else:
            patch.setattr(pdf_fonts.pdf_fonts, "get_hb_object_data", counting)
        pdf = render_pdf(document)
    return pdf, sizes


def test_the_same_bytes_without_copying_any_font_whole(monkeypatch):
    document = sample_document(repeat=2)
    lazy_pdf, lazy_copies = copies_while_rendering(monkeypatch, document)
    with pdf_fonts.as_weasyprint_ships():
        assert not pdf_fonts.installed()
        shipped_pdf, shipped_copies = copies_while_rendering(monkeypatch, document)
    assert pdf_fonts.installed()
    assert lazy_pdf == shipped_pdf
    # WeasyPrint's way copies every CJK collection whole (19-27 MB each) and then each subset;
    # the lazy way only the subsets.
    assert sum(1 for size in shipped_copies if size > 10 * MB) >= 2
    assert lazy_copies and max(lazy_copies) < 2 * MB
    assert len(lazy_copies) < len(shipped_copies)


def subsetting(monkeypatch) -> list[int]:
    """HarfBuzz subsets made while the returned list is alive: one glyph count each."""
    made: list[int] = []
    real = pdf_fonts._shipped_subset

    def counting(font, to_unicode, hinting):
        made.append(len(to_unicode))
        return real(font, to_unicode, hinting)

    monkeypatch.setattr(pdf_fonts, "_shipped_subset", counting)
    return made


def test_kept_subsets_give_the_same_bytes_without_subsetting_again(monkeypatch):
    pdf_fonts.subsets.clear()
    made = subsetting(monkeypatch)
    document = sample_document(repeat=1)
    first = render_pdf(document)
    faces = len(made)
    assert faces >= 3  # title, body, headings (and 楷体) each subset once
    assert len(pdf_fonts.subsets) == faces

    again = render_pdf(document)
    assert len(made) == faces  # every face's subset taken from the kept ones
    with pdf_fonts.as_weasyprint_ships():
        shipped = render_pdf(document)
    assert first == again == shipped


def test_other_glyphs_are_subset_anew_and_the_shared_faces_are_not(monkeypatch):
    pdf_fonts.subsets.clear()
    made = subsetting(monkeypatch)
    document = sample_document(repeat=1)
    render_pdf(document)
    before = len(made)
    # Another township's title over the same text: only the title's face has other glyphs.
    other = dataclasses.replace(document, title=document.title.replace(document.title[:2], "龙潭"))
    other_pdf = render_pdf(other)
    subset_again = made[before:]
    assert len(subset_again) == 1 and before >= 3
    with pdf_fonts.as_weasyprint_ships():
        assert render_pdf(other) == other_pdf


def test_kept_subsets_are_bounded_by_their_bytes():
    assert pdf_fonts.subsets.weigh is len
    assert pdf_fonts.subsets.limit == pdf_fonts.SUBSET_BYTES
