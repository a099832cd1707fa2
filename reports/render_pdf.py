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
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.document import Block, BulletList, Document, Paragraph, Section, Table

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


def _block_context(block: Block) -> dict:
    match block:
        case Paragraph():
            kind = "paragraph"
        case BulletList():
            kind = "list"
        case Table():
            kind = "table"
        case _:
            raise TypeError(f"Not a summary block: {block!r}")
    return {"kind": kind, "block": block}


def _section_context(section: Section) -> dict:
    return {
        "heading": section.heading,
        "level": section.level,
        "blocks": [_block_context(block) for block in section.blocks],
        "subsections": [_section_context(sub) for sub in section.subsections],
    }


def summary_context(document: Document) -> dict:
    """The template context for `reports/summary_body.html` (the PDF and the browser preview):
    the Document itself plus its sections with each block tagged by kind."""
    return {
        "document": document,
        "sections": [_section_context(section) for section in document.sections],
        "appendix": [_section_context(section) for section in document.appendix],
    }


def summary_html(document: Document) -> str:
    """The complete HTML page that `render_pdf` lays out (without the print stylesheet)."""
    return render_to_string("reports/summary_document.html", summary_context(document))


def render_pdf(document: Document) -> bytes:
    """Render a work summary as PDF bytes in the GB/T 9704-2012 layout.

    A4 with the standard margins (top 37 mm, left 28 mm, right 26 mm, bottom 35 mm); title in
    2号小标宋, body in 3号仿宋 on a grid of 22 lines of 28 characters; 黑体 and 楷体 headings;
    落款 and date right-aligned; appendices on new pages; page numbers "— n —" outside on
    alternate sides. Fonts are embedded as subsets. Pure: same Document, same layout; nothing is
    read but the templates, the print stylesheet and system fonts.

    Raises weasyprint.urls.URLFetchingError if the print stylesheet cannot be found, rather than
    producing an unstyled PDF.
    """
    fetcher = PortalStaticFetcher()
    stylesheet = CSS(url=STATIC_SCHEME + PRINT_STYLESHEET, url_fetcher=fetcher)
    html = HTML(string=summary_html(document), url_fetcher=fetcher)
    return html.write_pdf(stylesheets=[stylesheet])


def subsetter_in_use() -> str:
    """'harfbuzz' or 'fonttools': which library WeasyPrint subsets embedded fonts with.

    Mirrors the test in WeasyPrint 70's pdf/fonts.py (Font.subset): HarfBuzz-Subset >= 4.1 when
    Debian's libharfbuzz-subset0 is installed, else the much slower fontTools fallback.
    """
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0):
        return "harfbuzz"
    return "fonttools"
