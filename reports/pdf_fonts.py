"""WeasyPrint without the whole-font copy and without subsetting a font again for the same glyphs:
the same PDF bytes, about a quarter less CPU per summary.

For every font a document uses, WeasyPrint's pdf.fonts.Font copies the font file out of HarfBuzz
into a Python bytes object as it is made (Font.__init__: file_content = get_hb_object_data(face)),
then subsets the font and replaces file_content with the subset. The summary's four faces are
Noto CJK collections of 19-27 MB: about 90 MB allocated, copied, page-faulted and unmapped per
render for nothing, since with HarfBuzz's subsetter the whole file is read only when subsetting
fails. install() makes file_content lazy: the face's data is copied on first read (the subset, or
the whole font where WeasyPrint does read it), never before. 595 → 533 ms of CPU for a 9-page
township summary, byte-identical output (reports/tests/test_pdf_fonts.py renders with and without).

WeasyPrint then subsets each face with HarfBuzz, about 6-30 ms a face whatever the number of glyphs
(with retained glyph ids the subset holds every id up to the highest used: 40,000-63,000 for Noto
CJK), some 80 ms of a 500 ms summary. The subset is a pure function of the face, the glyph ids and
the flags, and most of them recur: the headings' face (黑体) and the 二级标题 face (楷体) set the
same words in every township's summary, and a township's summary rendered again after a figure
changed uses the same characters in every face. install() also keeps each subset, by face and
glyph ids, in a bounded store per process (SUBSET_BYTES, least recently used out first), and a
render that needs the same subset again takes it from there.

It replaces three names inside weasyprint.pdf.fonts, so it is installed only on the WeasyPrint
versions it was checked against (SUPPORTED); on any other the PDF is made as WeasyPrint makes it
and the test says so, for the next upgrade to check this file again.
"""

import contextlib
import threading

import weasyprint
from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.text.ffi import ffi, harfbuzz
from weasyprint.text.fonts import get_hb_object_data

from unionportal.kept import Store

SUPPORTED = ("70.",)
# Kept subsets per process: a township summary's four faces take 0.3-0.9 MB each, and the title's
# and the body's glyphs differ by township, so this holds a county's 30 townships.
SUBSET_BYTES = 48 * 1024 * 1024
_lock = threading.Lock()
_installed = False
_shipped_subset = pdf_fonts.Font._harfbuzz_subset if hasattr(pdf_fonts, "Font") else None


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


subsets = Store(SUBSET_BYTES, weigh=len)  # subset font files by subset_key()


def _face_length(face) -> int:
    blob = harfbuzz.hb_face_reference_blob(face)
    try:
        return harfbuzz.hb_blob_get_length(blob)
    finally:
        harfbuzz.hb_blob_destroy(blob)


def subset_key(font, to_unicode, hinting) -> tuple:
    """Everything Font._harfbuzz_subset's result depends on: the face (WeasyPrint's own file key,
    the face's index in its collection, its size, glyph count and units per em), the glyph ids,
    the hinting option and whether a missing glyph needs the .notdef outline."""
    return (
        font.hash,
        font.index,
        _face_length(font.hb_face),
        font.glyph_count,
        font.upem,
        bool(hinting),
        bool(font.missing),
        tuple(sorted(to_unicode)),
    )


def _kept_subset(font, to_unicode, hinting) -> None:
    key = subset_key(font, to_unicode, hinting)
    found = subsets.get(key)
    if found is not None:
        font.file_content = found
        return
    before = font.__dict__.get("_file_content")
    _shipped_subset(font, to_unicode, hinting)
    after = font.__dict__.get("_file_content")
    if after is before:
        return  # HarfBuzz made no subset: WeasyPrint keeps the whole face, and so nothing is kept
    if isinstance(after, FaceData):
        # The subset face's data (lazy, as every get_hb_object_data here): copied now, as
        # WeasyPrint would copy it right after to embed it.
        after = after.read()
        font.file_content = after
    if isinstance(after, bytes) and after:
        subsets.put(key, after)


def supported() -> bool:
    return weasyprint.__version__.startswith(SUPPORTED) and hasattr(pdf_fonts, "Font")


def install() -> bool:
    """Make Font.file_content lazy and keep subsets (once per process); False on an unchecked
    WeasyPrint."""
    global _installed
    with _lock:
        if _installed:
            return True
        if not supported() or pdf_fonts.get_hb_object_data is not get_hb_object_data:
            return False
        pdf_fonts.get_hb_object_data = _face_data
        pdf_fonts.Font.file_content = property(_get_file_content, _set_file_content)
        pdf_fonts.Font._harfbuzz_subset = _kept_subset
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
            pdf_fonts.Font._harfbuzz_subset = _shipped_subset
            _installed = False
    try:
        yield
    finally:
        if was:
            install()
