"""Summary downloads kept by content: a PDF or DOCX is rendered once for what it shows.

A summary's PDF is a pure function of the HTML that render_pdf lays out (summary_html), the print
stylesheet's bytes, the fonts fontconfig offers and WeasyPrint's version; its DOCX is a pure
function of the Document and python-docx. pdf_bytes() and docx_bytes() key the rendered bytes by
a SHA-256 of exactly those inputs (with the libraries under WeasyPrint) plus the renderer's own
source and RENDER_VERSION, and take a file rendered before under the same key instead of
rendering again (0.7 s of CPU for a 9-page township PDF). Nothing else goes in: the Document
carries its date, language, period and figures, so a changed figure, narrative text, language or
period is a different key, and who asks, or when, changes nothing in the file. A changed renderer
(a deploy) changes the key through its source's digest.

Kept in the cache alias "rendered" when settings.CACHES has one, else in Django's file cache under
KEPT_DIR/rendered (shared by the gunicorn workers like the kept figures, unionportal.kept), at
most MAX_ENTRIES files for TIMEOUT seconds; in tests (the "kept" alias in memory) in this
process's memory with the same bound. Nothing to clear: a stale entry is never found, and the
oldest go when the folder is full.

DOCX bytes hold the zip entries' write time (python-docx stamps them with the clock, to two
seconds): a kept DOCX carries the time it was rendered, a fresh one the time of the request; the
files inside are the same byte for byte. PDFs are byte-identical (WeasyPrint 70 writes no date).
"""

import functools
import hashlib
import logging
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import lxml.etree
import weasyprint
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache, InvalidCacheBackendError
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache

from reports import render_docx as docx_module
from reports import render_pdf as pdf_module
from reports.document import Document
from unionportal import lowpriority

logger = logging.getLogger(__name__)

# Bump when a change to how files are rendered is not in render_pdf.py or render_docx.py.
RENDER_VERSION = 1
ALIAS = "rendered"
# A township's PDF is about 0.5 MB, a county's a little more, a DOCX 40 KB: at most about
# 300 MB on disk. Django's file cache drops a quarter of the files, at random, when full.
MAX_ENTRIES = 600
TIMEOUT = 7 * 24 * 3600
CULL_FREQUENCY = 4


def pdf_bytes(document: Document) -> bytes:
    """render_pdf(document)'s bytes, kept or rendered (at low priority) and kept."""
    html = pdf_module.summary_html(document)
    stylesheet = pdf_module.print_stylesheet()
    key = pdf_key(html, stylesheet)
    return _kept_or(key, lambda: lowpriority.run(pdf_module.render_pdf_html, html, stylesheet))


def docx_bytes(document: Document) -> bytes:
    """render_docx(document)'s file, kept or rendered (at low priority) and kept."""
    return _kept_or(docx_key(document), lambda: lowpriority.run(docx_module.render_docx, document))


def pdf_key(html: str, stylesheet: bytes) -> str:
    return _digest(
        b"pdf",
        _code(pdf_module.__file__),
        _pdf_libraries(),
        _fonts(),
        stylesheet,
        html.encode("utf-8"),
    )


def docx_key(document: Document) -> str:
    return _digest(
        b"docx",
        _code(docx_module.__file__),
        docx.__version__.encode(),
        lxml.etree.__version__.encode(),
        serialise(document).encode("utf-8"),
    )


def serialise(document: Document) -> str:
    """Every field of the Document, nested dataclasses, tuples and strings included, as text: the
    same text for equal Documents in any process (repr of frozen dataclasses of strings, ints
    and tuples; the metadata dict in its insertion order)."""
    return repr(document)


def _digest(*parts: bytes) -> str:
    sha = hashlib.sha256(str(RENDER_VERSION).encode())
    for part in parts:
        # Length-prefixed, so no two different lists of parts give the same stream.
        sha.update(len(part).to_bytes(8, "big"))
        sha.update(part)
    return sha.hexdigest()


@functools.cache
def _code(path: str) -> bytes:
    """The renderer's source (read once per process: a deploy restarts the workers)."""
    return hashlib.sha256(Path(path).read_bytes()).digest()


@functools.cache
def _pdf_libraries() -> bytes:
    """WeasyPrint's version and those of what it lays out and writes with: pydyf, tinycss2,
    cssselect2, the system's Pango (an apt upgrade can move a line break) and the font subsetter
    in use."""
    import cssselect2
    import pydyf
    import tinycss2
    from weasyprint.text.ffi import pango

    versions = (
        weasyprint.__version__,
        pydyf.__version__,
        tinycss2.__version__,
        cssselect2.__version__,
        str(pango.pango_version()),
        pdf_module.subsetter_in_use(),
    )
    return "|".join(versions).encode()


@functools.cache
def _fonts() -> bytes:
    """The fonts fontconfig offers, by file, face and version: installing a font (FONTS.md says to
    restart the application after) can change a PDF's glyphs. Read once per process."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return b""
    listing = subprocess.run(
        [fc_list, "--format", "%{file}|%{index}|%{family}|%{style}|%{fontversion}\n"],
        capture_output=True,
        check=False,
    ).stdout
    return hashlib.sha256(b"\n".join(sorted(listing.splitlines()))).digest()


def _kept_or(key: str, render: Callable[[], bytes]) -> bytes:
    """The bytes kept under `key`, or render()'s, kept. A folder that cannot be read or written
    (full disk, permissions) costs a render, never the download."""
    store = cache()
    try:
        found = store.get(key)
    except OSError:
        logger.warning("Could not read a kept summary file", exc_info=True)
        found = None
    if isinstance(found, bytes):
        return found
    rendered = render()
    try:
        store.set(key, rendered, TIMEOUT)
    except OSError:
        logger.warning("Could not keep a summary file", exc_info=True)
    return rendered


def cache() -> BaseCache:
    try:
        return caches[ALIAS]
    except InvalidCacheBackendError:
        return _fallback()


@functools.cache
def _fallback() -> BaseCache:
    """Files beside the kept figures when those are on disk (in service), else memory (tests)."""
    params = {
        "TIMEOUT": TIMEOUT,
        "OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES, "CULL_FREQUENCY": CULL_FREQUENCY},
    }
    kept = settings.CACHES.get("kept", {}).get("BACKEND", "")
    if not kept or "locmem" in kept.lower():
        return LocMemCache("reports-rendered", params)
    return FileBasedCache(str(Path(settings.KEPT_DIR) / "rendered"), params)
