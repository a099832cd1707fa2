"""The work summary as PDF, in the official document layout of GB/T 9704-2012.

A Document goes through the Django templates `reports/summary_document.html` (the markup, shared
with the browser preview through `reports/summary_body.html`) and the print stylesheet
`static/reports/summary_print.css`, then WeasyPrint lays it out.

Two safety rules hold here. Staff-written strings reach the HTML only through template variables
with autoescaping on, so a summary's text can never become markup. And WeasyPrint fetches nothing
but the portal's own static files: its default fetcher would read any file:// path or web address
that ended up in the HTML, so `PortalStaticFetcher` serves `portal-static:` URLs from the static
directories and refuses everything else. Fonts come from fontconfig, not through the fetcher.
"""

import mimetypes
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, fetch

from reports import pdf_fonts
from reports.document import (
    Block,
    BulletList,
    Document,
    Paragraph,
    Section,
    Table,
    annex_label,
    annex_note,
    appendix_title,
    keeps_on_one_line,
)

STATIC_SCHEME = "portal-static:"
PRINT_STYLESHEET = "reports/summary_print.css"
# WeasyPrint without its whole-font copy per render (reports/pdf_fonts.py): same bytes, less CPU.
pdf_fonts.install()


class RefusedURLError(ValueError):
    """WeasyPrint asked for a URL outside the portal's static files."""


class PortalStaticFetcher(URLFetcher):
    """A deny-by-default URL fetcher for WeasyPrint.

    Serves `portal-static:<path>` from the static directories (STATICFILES_DIRS, then
    STATIC_ROOT), resolved the way `{% static %}` paths are, and raises RefusedURLError for any
    other URL: file://, http(s)://, data:, or a path that climbs out of a static directory.
    WeasyPrint logs a refused image or stylesheet and renders without it.
    """

    def __init__(self) -> None:
        # Not fail_on_errors: WeasyPrint would turn a refusal into a BaseException that escapes
        # the request's error handling.
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.roots = _static_roots()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if not url.startswith(STATIC_SCHEME):
            raise RefusedURLError(f"Only {STATIC_SCHEME} URLs are served, not {url[:80]!r}")
        path = unquote(url.removeprefix(STATIC_SCHEME).split("?")[0].split("#")[0]).lstrip("/")
        found = self._find(path)
        if found is None:
            raise RefusedURLError(f"No static file at {url[:80]!r}")
        content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        return URLFetcherResponse(
            url, body=found.read_bytes(), headers={"Content-Type": content_type}
        )

    def _find(self, path: str) -> Path | None:
        for prefix, root in self.roots:
            if prefix:
                if not path.startswith(prefix + "/"):
                    continue
                relative = path.removeprefix(prefix + "/")
            else:
                relative = path
            candidate = (root / relative).resolve()
            # resolve() has followed any "..", symlink or absolute part: the file must still lie
            # inside this static directory.
            if candidate.is_relative_to(root) and candidate.is_file():
                return candidate
        return None


def _static_roots() -> list[tuple[str, Path]]:
    roots = []
    for entry in settings.STATICFILES_DIRS:
        prefix, directory = entry if isinstance(entry, tuple | list) else ("", entry)
        roots.append((prefix.strip("/"), Path(directory).resolve()))
    if settings.STATIC_ROOT:
        roots.append(("", Path(settings.STATIC_ROOT).resolve()))
    return roots


def _text(text: str) -> dict:
    """A paragraph's or list item's text in parts, some set unbroken (`keep`): numbers and dates
    (_UNBROKEN), and the last characters (_tail), so that no last line holds one character
    alone ("人"): when the paragraph's last line would be that short, the characters before
    it come down with it."""
    tail = _tail(text)
    parts = _unbroken_parts(text[: len(text) - len(tail)])
    if tail:
        parts.append({"text": tail, "keep": True})
    return {"text": text, "parts": parts}


# Runs a line never breaks inside, in body text: a number with its decimals and percent sign
# ("10.09", "9,214", "94.4%"), and a month and day ("5月27日").
_UNBROKEN = re.compile(r"\d{1,2}月\d{1,2}日|\d+(?:[.,:：/]\d+)*[%‰]?")


def _unbroken_parts(text: str) -> list[dict]:
    parts, position = [], 0
    for match in _UNBROKEN.finditer(text):
        if len(match.group()) < 2:
            continue
        if match.start() > position:
            parts.append({"text": text[position : match.start()], "keep": False})
        parts.append({"text": match.group(), "keep": True})
        position = match.end()
    if position < len(text):
        parts.append({"text": text[position:], "keep": False})
    return parts


def _cells(texts: tuple[str, ...]) -> list[dict]:
    # A cell that may wrap keeps its last two characters together too ("有限/公司", not "司");
    # a cell set on one line (class doc-nowrap) needs no unbroken runs inside.
    cells = []
    for text in texts:
        nowrap = keeps_on_one_line(text)
        parts = [{"text": text, "keep": False}] if nowrap else _text(text)["parts"]
        cells.append({"text": text, "nowrap": nowrap, "parts": parts})
    return cells


def _block_context(block: Block, *, caption: bool = True) -> dict:
    match block:
        case Paragraph():
            return {
                "kind": "paragraph",
                "block": block,
                # A paragraph that introduces a list ("主要活动有：") stays with its first item.
                "intro": block.text.endswith(("：", ":")),
                **_text(block.text),
            }
        case BulletList():
            return {"kind": "list", "block": block, "items": [_text(i) for i in block.items]}
        case Table():
            return {
                "kind": "table",
                "block": block,
                "caption": block.caption if caption else "",
                "header": _cells(block.header),
                "rows": [_cells(row) for row in block.rows],
            }
        case _:
            raise TypeError(f"Not a summary block: {block!r}")


def _section_context(section: Section) -> dict:
    return {
        "heading": section.heading,
        "level": section.level,
        "blocks": [_block_context(block) for block in section.blocks],
        "subsections": [_section_context(sub) for sub in section.subsections],
    }


def _appendix_context(document: Document, index: int, section: Section) -> dict:
    title = appendix_title(section)
    # An appendix that is one table takes the table's caption as its title (appendix_title):
    # the caption is not repeated under it.
    titled_by_caption = len(section.blocks) == 1 and title == getattr(
        section.blocks[0], "caption", None
    )
    return {
        "label": annex_label(document.appendix, index),
        "title": title,
        "blocks": [
            _block_context(block, caption=not titled_by_caption) for block in section.blocks
        ],
        "subsections": [_section_context(sub) for sub in section.subsections],
    }


def summary_context(document: Document) -> dict:
    """The template context for `reports/summary_body.html` (the PDF and the browser preview):
    the Document itself plus its sections with each block tagged by kind, paragraphs and list
    items in parts (see _text), the 附件说明 and each appendix's label and title."""
    return {
        "document": document,
        "opening": [_block_context(paragraph) for paragraph in document.opening],
        "sections": [_section_context(section) for section in document.sections],
        "annex_note": annex_note(document.appendix) if document.appendix else (),
        "appendix": [
            _appendix_context(document, index, section)
            for index, section in enumerate(document.appendix)
        ],
    }


def summary_html(document: Document) -> str:
    """The complete HTML page that `render_pdf` lays out (without the print stylesheet)."""
    return render_to_string("reports/summary_document.html", summary_context(document))


def render_pdf(document: Document) -> bytes:
    """Render a work summary as PDF bytes in the GB/T 9704-2012 layout.

    A4 with the standard margins (top 37 mm, left 28 mm, right 26 mm, bottom 35 mm); title in
    2号小标宋, body in 3号仿宋 on a grid of 22 lines of 28 characters; 黑体 and 楷体 headings;
    the 附件说明 under the body, the unsealed signature (§7.3.5.2), each appendix on a new page
    under "附件" and its title; page numbers "— n —" outside on alternate sides. Traditional
    documents are set in the TC faces. Tables keep numbers and dates on one line, repeat their
    header row and carry at least two rows to a new page; no figure is broken across lines and
    no paragraph ends on a line of one character. Fonts are embedded as subsets. Pure: same
    Document, same layout; nothing is read but the templates, the print stylesheet and system
    fonts.

    Raises weasyprint.urls.URLFetchingError if the print stylesheet cannot be found, rather than
    producing an unstyled PDF.
    """
    return render_pdf_html(summary_html(document))


def print_stylesheet() -> bytes:
    """The print stylesheet's bytes, read through the portal's fetcher (they are part of what a
    PDF is a function of: reports.rendered keys PDFs by them).

    Raises weasyprint.urls.URLFetchingError if it cannot be found."""
    with fetch(PortalStaticFetcher(), STATIC_SCHEME + PRINT_STYLESHEET) as response:
        return response.read()


def render_pdf_html(html: str, stylesheet: bytes | None = None) -> bytes:
    """Lay out `html` (summary_html's page) with the print stylesheet's bytes `stylesheet` (read
    afresh when None) as PDF bytes: the same bytes as render_pdf for the same HTML.

    WeasyPrint makes a FontConfiguration and parses the stylesheet for each render. Keeping them
    per thread gave the same bytes and no measurable saving (0.746 s against 0.756 s of CPU, median
    of 9 interleaved renders of a 9-page township summary): nearly all the time is layout and
    drawing, so they are not kept."""
    if stylesheet is None:
        stylesheet = print_stylesheet()
    fetcher = PortalStaticFetcher()
    css = CSS(
        string=stylesheet.decode("utf-8"),
        base_url=STATIC_SCHEME + PRINT_STYLESHEET,
        url_fetcher=fetcher,
    )
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[css])


# Letters and digits count as characters on a line; punctuation and spaces do not (a last line
# "人。" holds one character).
def _counts(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def _tail(text: str, characters: int = 2) -> str:
    """The last `characters` letters or digits of `text` with the punctuation after them, and
    the rest of a number they start inside ("参与143人" → "143人", "款项28.37万元。" →
    "28.37万元。"). Set unbroken, they make a last line of at least that many characters; when
    the last line is longer anyway they change nothing."""
    start, found = len(text), 0
    while start > 0 and found < characters:
        start -= 1
        found += _counts(text[start])
        if found == 1 and text[start].isascii():
            # A Latin word or a number at the end never breaks inside anyway.
            return ""
    # Back to the start of a number the run begins inside, decimals included ("28.37万元").
    while (
        start > 0
        and text[start - 1].isascii()
        and (text[start - 1] in ".,:/%" or text[start - 1].isalnum())
    ):
        start -= 1
    # Never the whole paragraph: that would only move the problem to the line before.
    return text[start:] if start > len(text) // 2 else ""


def subsetter_in_use() -> str:
    """'harfbuzz' or 'fonttools': which library WeasyPrint subsets embedded fonts with.

    Mirrors the test in WeasyPrint 70's pdf/fonts.py (Font.subset): HarfBuzz-Subset >= 4.1 when
    Debian's libharfbuzz-subset0 is installed, else the much slower fontTools fallback.
    """
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0):
        return "harfbuzz"
    return "fonttools"
