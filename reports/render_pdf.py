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
from weasyprint.formatting_structure.boxes import LineBox, TextBox
from weasyprint.urls import URLFetcher, URLFetcherResponse

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


class _Keys:
    """Numbers the paragraphs and list items, so a first layout can name the ones whose last
    line holds a single character and a second one can keep their last characters together."""

    def __init__(self, tails: dict[str, str]) -> None:
        self.tails = tails
        self.count = 0

    def text(self, text: str) -> dict:
        key = f"k{self.count}"
        self.count += 1
        tail = self.tails.get(key, "")
        if not (tail and text.endswith(tail) and len(tail) < len(text)):
            tail = ""
        head = text[: len(text) - len(tail)]
        parts = _unbroken_parts(head)
        if tail:
            parts.append({"text": tail, "keep": True})
        return {"key": key, "text": text, "parts": parts}


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
    return [{"text": text, "nowrap": keeps_on_one_line(text)} for text in texts]


def _block_context(block: Block, keys: _Keys, *, caption: bool = True) -> dict:
    match block:
        case Paragraph():
            return {
                "kind": "paragraph",
                "block": block,
                # A paragraph that introduces a list ("主要活动有：") stays with its first item.
                "intro": block.text.endswith(("：", ":")),
                **keys.text(block.text),
            }
        case BulletList():
            return {"kind": "list", "block": block, "items": [keys.text(i) for i in block.items]}
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


def _section_context(section: Section, keys: _Keys) -> dict:
    return {
        "heading": section.heading,
        "level": section.level,
        "blocks": [_block_context(block, keys) for block in section.blocks],
        "subsections": [_section_context(sub, keys) for sub in section.subsections],
    }


def _appendix_context(document: Document, index: int, section: Section, keys: _Keys) -> dict:
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
            _block_context(block, keys, caption=not titled_by_caption) for block in section.blocks
        ],
        "subsections": [_section_context(sub, keys) for sub in section.subsections],
    }


def summary_context(document: Document, *, tails: dict[str, str] | None = None) -> dict:
    """The template context for `reports/summary_body.html` (the PDF and the browser preview):
    the Document itself plus its sections with each block tagged by kind.

    `tails`: paragraph key → its last characters, set in one unbreakable run (render_pdf's
    second layout, against one-character last lines)."""
    keys = _Keys(tails or {})
    return {
        "document": document,
        "opening": [_block_context(paragraph, keys) for paragraph in document.opening],
        "sections": [_section_context(section, keys) for section in document.sections],
        "annex_note": annex_note(document.appendix) if document.appendix else (),
        "appendix": [
            _appendix_context(document, index, section, keys)
            for index, section in enumerate(document.appendix)
        ],
    }


def summary_html(document: Document, *, tails: dict[str, str] | None = None) -> str:
    """The complete HTML page that `render_pdf` lays out (without the print stylesheet)."""
    return render_to_string("reports/summary_document.html", summary_context(document, tails=tails))


def render_pdf(document: Document) -> bytes:
    """Render a work summary as PDF bytes in the GB/T 9704-2012 layout.

    A4 with the standard margins (top 37 mm, left 28 mm, right 26 mm, bottom 35 mm); title in
    2号小标宋, body in 3号仿宋 on a grid of 22 lines of 28 characters; 黑体 and 楷体 headings;
    the 附件说明 under the body, the unsealed signature (§7.3.5.2), each appendix on a new page
    under "附件" and its title; page numbers "— n —" outside on alternate sides. Traditional
    documents are set in the TC faces. Tables keep numbers and dates on one line, repeat their
    header row and carry at least two rows to a new page; no paragraph ends on a line of one
    character (a first layout finds them, a second keeps their last characters together).
    Fonts are embedded as subsets. Pure: same Document, same layout; nothing is read but the
    templates, the print stylesheet and system fonts.

    Raises weasyprint.urls.URLFetchingError if the print stylesheet cannot be found, rather than
    producing an unstyled PDF.
    """
    fetcher = PortalStaticFetcher()
    stylesheet = CSS(url=STATIC_SCHEME + PRINT_STYLESHEET, url_fetcher=fetcher)
    layout = HTML(string=summary_html(document), url_fetcher=fetcher).render(
        stylesheets=[stylesheet]
    )
    tails = _tails_for_lone_last_characters(document, layout)
    if tails:
        html = HTML(string=summary_html(document, tails=tails), url_fetcher=fetcher)
        layout = html.render(stylesheets=[stylesheet])
    return layout.write_pdf()


# Letters and digits count as characters on a line; punctuation and spaces do not (a last line
# "人。" holds one character).
def _counts(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def lone_last_lines(layout) -> dict[str, str]:
    """Paragraph key → the text of its last line, for each paragraph or list item whose last
    line holds at most one character, in a WeasyPrint layout (`HTML(...).render()`)."""
    last: dict[str, str] = {}

    def line_text(box) -> str:
        if isinstance(box, TextBox):
            return box.text
        return "".join(line_text(child) for child in getattr(box, "children", ()))

    def walk(box) -> None:
        element = getattr(box, "element", None)
        key = element.get("data-keep") if element is not None else None
        if key:
            lines = [child for child in box.children if isinstance(child, LineBox)]
            if lines:
                last[key] = line_text(lines[-1])
            return
        for child in getattr(box, "children", ()):
            walk(child)

    for page in layout.pages:
        walk(page._page_box)
    return {key: text for key, text in last.items() if sum(map(_counts, text)) <= 1}


def _tails_for_lone_last_characters(document: Document, layout) -> dict[str, str]:
    lone = lone_last_lines(layout)
    if not lone:
        return {}
    texts = {item["key"]: item["text"] for item in _keyed_texts(summary_context(document))}
    return {key: _tail(texts[key]) for key in lone if key in texts}


def _keyed_texts(context: dict):
    def blocks(items):
        for item in items:
            if item["kind"] == "paragraph":
                yield item
            elif item["kind"] == "list":
                yield from item["items"]

    def sections(items):
        for section in items:
            yield from blocks(section["blocks"])
            yield from sections(section["subsections"])

    yield from blocks(context["opening"])
    yield from sections(context["sections"])
    yield from sections(context["appendix"])


def _tail(text: str, characters: int = 3) -> str:
    """The last `characters` letters or digits of `text` with the punctuation after them, and
    the rest of a number they start inside ("参与143人" → "143人", "款项28.37万元。" →
    "28.37万元。"): set unbroken, they make a last line of at least that many characters."""
    start, found = len(text), 0
    while start > 0 and found < characters:
        start -= 1
        found += _counts(text[start])
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
