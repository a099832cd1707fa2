"""WeasyPrint without the whole-font copy: the same PDF bytes, a tenth less CPU per summary.

For every font a document uses, WeasyPrint's pdf.fonts.Font copies the font file out of HarfBuzz
into a Python bytes object as it is made (Font.__init__: file_content = get_hb_object_data(face)),
then subsets the font and replaces file_content with the subset. The summary's four faces are
Noto CJK collections of 19-27 MB: about 90 MB allocated, copied, page-faulted and unmapped per
render for nothing, since with HarfBuzz's subsetter the whole file is read only when subsetting
fails. install() makes file_content lazy: the face's data is copied on first read (the subset, or
the whole font where WeasyPrint does read it), never before. 595 → 533 ms of CPU for a 9-page
township summary, byte-identical output (reports/tests/test_pdf_fonts.py renders with and without).

It replaces two names inside weasyprint.pdf.fonts, so it is installed only on the WeasyPrint
versions it was checked against (SUPPORTED); on any other the PDF is made as WeasyPrint makes it
and the test says so, for the next upgrade to check this file again.
"""

import contextlib
import threading

import weasyprint
from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.text.ffi import ffi, harfbuzz
from weasyprint.text.fonts import get_hb_object_data

SUPPORTED = ("70.",)
_lock = threading.Lock()
_installed = False


class FaceData:
    """A HarfBuzz face's data, copied when first needed; true and false as that data would be
    (None when HarfBuzz has none, b"" when it is empty)."""

    __slots__ = ("face",)

    def __init__(self, face) -> None:
        self.face = face  # keeps the cdata (and so the face) alive until the copy

    def __bool__(self) -> bool:
        blob = harfbuzz.hb_face_reference_blob(self.face)
        try:
            with ffi.new("unsigned int *") as length:
                data = harfbuzz.hb_blob_get_data(blob, length)
                return data != ffi.NULL and length[0] > 0
        finally:
            harfbuzz.hb_blob_destroy(blob)

    def read(self) -> bytes | None:
        return get_hb_object_data(self.face)


def _face_data(hb_object, ot_color=None, glyph=None):
    if ot_color is None and glyph is None:
        return FaceData(hb_object)
    return get_hb_object_data(hb_object, ot_color, glyph)


def _get_file_content(font):
    value = font.__dict__.get("_file_content")
    if isinstance(value, FaceData):
        value = value.read()
        font.__dict__["_file_content"] = value
    return value


def _set_file_content(font, value) -> None:
    font.__dict__["_file_content"] = value


def supported() -> bool:
    return weasyprint.__version__.startswith(SUPPORTED) and hasattr(pdf_fonts, "Font")


def install() -> bool:
    """Make Font.file_content lazy (once per process); False on an unchecked WeasyPrint."""
    global _installed
    with _lock:
        if _installed:
            return True
        if not supported() or pdf_fonts.get_hb_object_data is not get_hb_object_data:
            return False
        pdf_fonts.get_hb_object_data = _face_data
        pdf_fonts.Font.file_content = property(_get_file_content, _set_file_content)
        _installed = True
        return True


def installed() -> bool:
    return _installed


@contextlib.contextmanager
def as_weasyprint_ships():
    """WeasyPrint's own copying for the duration (tests compare the two)."""
    global _installed
    with _lock:
        was = _installed
        if was:
            pdf_fonts.get_hb_object_data = get_hb_object_data
            del pdf_fonts.Font.file_content
            _installed = False
    try:
        yield
    finally:
        if was:
            install()
