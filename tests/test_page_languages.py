"""Every page of the URL sweep in English and 繁體 shows no interface text left in another
language (issue 17.1).

A page is rendered for the first of a visitor, staff, a reviewer and an administrator who may
see it, with the language chosen by cookie. Its text and the attributes a person reads (title,
placeholder, aria-label, alt) are checked, leaving out elements that declare their own language
(the summary document, Chinese by design, and the language menu) and what the records
themselves hold (names, numbers, notes typed by users: data keeps its language). In English no
Han character nor full-width punctuation (：（）、，。) may remain; in 繁體 no character that
exists only in Simplified Chinese (tests/simplified_only_characters.list, from OpenCC's
dictionary) nor a form the Taiwan/Hong Kong standard does not use (爲, 啓, 裏) may remain.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from unionportal.tests.factories import BUILDERS
from workbook.book import HELP_SHEETS, SHEETS

HAN = re.compile(r"[\u3400-\u9fff]+")
FULL_WIDTH = re.compile(r"[：（）、，。；！？【】《》]")
SIMPLIFIED = {
    c
    for line in (Path(__file__).parent / "simplified_only_characters.list").read_text().splitlines()
    if not line.startswith("#")
    for c in line
} | set("爲啓裏")
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
LANGUAGES = ["en", "zh-hant"]

# Words that are meant to stay as they are in every language: the language menu names each
# language in itself, and the portal's and an authenticator's own names are quoted as they appear
# on screen.
ALLOWED = ["简体中文", "繁體中文", "简体", "繁體", "乡镇工会工作平台", "腾讯身份验证器"]
# The annual targets template's column and sheet a page tells the reader to look for (a data
# format, like the records workbook's).
ALLOWED += ["乡镇代码", "考核权重"]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0
        self._own_language: list | None = None

    def handle_starttag(self, tag, attrs):
        if self._own_language:
            # Inside an element that declares its own language (the summary document, which is
            # Chinese by design): its text is that language's, not the page's.
            if tag == self._own_language[0]:
                self._own_language[1] += 1
            return
        if tag != "html" and dict(attrs).get("lang"):
            self._own_language = [tag, 1]
            return
        if tag in ("script", "style", "template"):
            self._hidden += 1
        self.parts.extend(v for k, v in attrs if k in READ_ATTRIBUTES and v)

    def handle_endtag(self, tag):
        if self._own_language:
            if tag == self._own_language[0]:
                self._own_language[1] -= 1
                if not self._own_language[1]:
                    self._own_language = None
            return
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and not self._own_language:
            self.parts.append(data)


def _account(township, user):
    from unionportal.models import Role, User

    return {"pk": User.objects.create_user("lu_ru_yuan", role=Role.STAFF, township=township).pk}


# Pages that take an id but are not records of a township (BUILDERS makes those).
KWARGS = {
    **BUILDERS,
    "accounts:update": _account,
    "accounts:county_update": lambda township, user: {"pk": township.county_id},
    "accounts:township_update": lambda township, user: {"pk": township.pk},
}


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else None
            yield from _walk(pattern.url_patterns, inner or pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def sweep_pages() -> list[str]:
    """URL names of the pages a person opens: no arguments, or an id KWARGS can make."""
    names = []
    for name, pattern in _walk(get_resolver().url_patterns):
        converters = pattern.pattern.converters
        if name in KWARGS or not converters:
            names.append(name)
    # Downloads are files, not pages (the exports' headers are the workbook's, by design).
    pages = {name for name in names if "download" not in name}
    return sorted(pages - {"set_language", "logout", "record_lookup", "record_search"})


def data_words() -> list[str]:
    """Every text the records, townships and users hold, longest first."""
    words = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
        ]
        if not fields or model._meta.app_label in ("sessions", "admin", "contenttypes"):
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if isinstance(value, str) and HAN.search(value):
                    words.add(value)
                    words.update(value.split())
    for name in list(words):
        words.update({f"{name}工会", f"{name}总工会"})
    return sorted(words, key=len, reverse=True)


def _workbook_words() -> list[str]:
    """The records workbook's sheet names and column headers: a data format, Chinese by design."""
    words = {sheet.name for sheet in SHEETS} | set(HELP_SHEETS)
    words.update(column.header for sheet in SHEETS for column in sheet.columns)
    return sorted(words, key=len, reverse=True)


def left_over(
    html: str, language: str, *, workbook: bool = False, data: list[str] | None = None
) -> list[str]:
    """The interface text of the page left in another language. `data`: the records' words, if
    already read (data_words())."""
    reader = _Reader()
    reader.feed(html)
    text = "\n".join(reader.parts)
    data = data_words() if data is None else data
    for word in [*data, *(_workbook_words() if workbook else []), *ALLOWED]:
        text = text.replace(word, " ")
    if language == "en":
        # Full-width punctuation is Chinese too ('Name：', '（2）'), except the list separator
        # a help text tells the reader to type ("Separate with “、” or “;”").
        text = text.replace("“、”", " ")
        return sorted(set(HAN.findall(text)) | set(FULL_WIDTH.findall(text)))
    return sorted({line.strip() for line in text.splitlines() if SIMPLIFIED.intersection(line)})


@pytest.fixture
def users(data, staff_a, reviewer, administrator):
    """The cast, with the hand-made records of townships A and B and an import of A's workbook,
    so that lists, dashboards and the import history show rows, not only their empty states."""
    KWARGS["workbook:import_download"](data[0], staff_a)
    return [staff_a, reviewer, administrator]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sweep_pages())
def test_page_shows_no_text_in_another_language(client, users, township_a, name, language):
    kwargs = KWARGS[name](township_a, users[0]) if name in KWARGS else {}
    url = reverse(name, kwargs=kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    # Signed out first, so the sign-in pages are seen too.
    for user in [None, *users]:
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        if response.status_code == 200:
            break
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        pytest.skip(f"{url}: {response.status_code} {response.get('Content-Type')}")

    assert f'lang="{language}"' in response.text
    assert left_over(response.text, language, workbook=name.startswith("workbook:")) == []


def test_the_sweep_renders_the_record_and_list_pages():
    pages = sweep_pages()

    assert {"members:member_detail", "members:member_list", "home", "login"} <= set(pages)
    assert len(pages) >= 60


@pytest.mark.parametrize("language", LANGUAGES)
def test_account_pages_an_administrator_uses_show_no_text_in_another_language(
    client, staff_a, administrator, language
):
    """The sweep sees the account list as a reviewer does (read-only); an administrator's own
    pages, the one-time password and the messages after a change are checked here."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(administrator)
    account = {"pk": staff_a.pk}
    responses = {
        "list": client.get(reverse("accounts:list")),
        "one-time password": client.post(reverse("accounts:reset_password", kwargs=account)),
        "unlock message": client.post(reverse("accounts:unlock", kwargs=account), follow=True),
        "form errors": client.post(reverse("accounts:create"), {"username": "", "role": "staff"}),
        "new township": client.post(
            reverse("accounts:units"),
            {
                "what": "township",
                "township-county": staff_a.township.county_id,
                "township-name": "新建镇",
                "township-code": "xinjian",
            },
            follow=True,
        ),
    }

    for what, response in responses.items():
        assert response.status_code == 200, what
        assert left_over(response.text, language) == [], what


# A list's add button in English, 繁體 and Simplified Chinese (the words it always had).
ADD_BUTTONS = {
    "employers": ("Add employer", "新增單位", "新增单位"),
    "unions": ("Add union", "新增基層工會", "新增基层工会"),
    "milestones": ("Add union milestone", "新增工會建設", "新增工会建设"),
    "members": ("Add member", "新增會員", "新增会员"),
    "contracts": ("Add contract", "新增集體合同", "新增集体合同"),
    "dues": ("Add dues record", "新增經費記錄", "新增经费记录"),
    "remittances": ("Add dues remittance", "新增經費上繳", "新增经费上缴"),
    "visits": ("Add visit", "新增慰問", "新增慰问"),
    "hardship": ("Add hardship file", "新增困難職工檔案", "新增困难职工档案"),
    "mutual_aid": ("Add mutual aid", "新增醫療互助", "新增医疗互助"),
    "cases": ("Add case", "新增信訪案件", "新增信访案件"),
    "events": ("Add event", "新增活動", "新增活动"),
    "honours": ("Add honour", "新增榮譽表彰", "新增荣誉表彰"),
}


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_each_list_names_its_own_add_button(client, staff_a, language):
    """'Add member', not 'Add to Members': the button is the kind's own words in each language."""
    from portal.kinds import KINDS

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(staff_a)
    column = {"en": 0, "zh-hant": 1, "zh-hans": 2}[language]
    for kind in KINDS:
        html = client.get(kind.list_url).text
        buttons = re.findall(r'<a class="btn btn-primary"[^>]*>(?:<i[^>]*></i>)?([^<]*)</a>', html)
        assert buttons == [ADD_BUTTONS[kind.key][column]], kind.key
