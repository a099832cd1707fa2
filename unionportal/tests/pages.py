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


class _FormReader(HTMLParser):
    """The values a browser would send back from each POST form that posts to the page itself."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            posts_here = found.get("method", "").lower() == "post" and not found.get("action")
            self._form = {} if posts_here else None
            return
        if self._form is None or not found.get("name") or "disabled" in found:
            return
        name = found["name"]
        if tag == "input":
            kind = found.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in found:
                return
            if kind not in ("submit", "button", "file"):
                self._form[name] = found.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in found:
            self._form[self._select] = found.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self._form[name] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_values(response: HttpResponse) -> dict[str, str]:
    """What submitting the page's own form unchanged sends: its named fields' current values
    (hidden ones included), from the first POST form without an action (it posts to the page)."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    return reader.forms[0]
