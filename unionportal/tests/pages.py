"""Read a page the way a user does: its visible text, and the files it loads."""

from html.parser import HTMLParser

from django.http import HttpResponse


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.assets: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "script" and found.get("src"):
            self.assets.append(found["src"] or "")
        if tag == "link" and found.get("href"):
            self.assets.append(found["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.words.extend(data.split())


def _read(response: HttpResponse) -> _PageReader:
    reader = _PageReader()
    reader.feed(response.content.decode())
    return reader


def page_text(response: HttpResponse) -> str:
    """The page's text as a reader sees it, whitespace collapsed to single spaces, padded by a
    space at each end so `" 会员 5 " in page_text(r)` matches whole figures only."""
    return " " + " ".join(_read(response).words) + " "


def loaded_assets(response: HttpResponse) -> list[str]:
    """Addresses in the page's <script src> and <link href> tags."""
    return _read(response).assets
