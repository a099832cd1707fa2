"""Hostile input on every form (issue 7): hypothesis posts unicode, control characters, NUL bytes,
very long text, markup, SQL-ish text, numbers out of range, bad dates, wrong choices, ids of
another township's records and missing fields to every add/edit page.

Properties, for every example:
- the answer is never a 500: a page with errors (200), a refused stale save (409) or a redirect;
- an answer that is not a redirect wrote nothing (every row of every table is unchanged);
- after a redirect, every written row passes full_clean() and the page redirected to opens.

The forms are found in the URL configuration (FORM_PAGES): a new URL in the record, report or
account namespaces fails test_every_url_is_classified until it is listed as a form or as not one.
The fields posted are the ones the page's own <form> offers, so a new field is covered too.
"""

import datetime
import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PASSWORD
from unionportal import clock
from unionportal.tests import factories as f
from unionportal.tests.factories import changed_rows, snapshot

NAMESPACES = {"members", "welfare", "disputes", "events", "reports", "workbook", None}

# Hypothesis posts dozens of examples to each page: one to three seconds a test.
pytestmark = pytest.mark.slow

# URL name → (the user who may post it, how to build the record it is about → URL kwargs).
Builder = Callable[[dict], dict]


def _own(kind: str) -> Builder:
    return lambda cast: {"pk": cast[kind].pk}


FORM_PAGES: dict[str, tuple[str, Builder]] = {
    "members:employer_create": ("staff_a", lambda cast: {}),
    "members:employer_update": ("staff_a", _own("employer")),
    "members:union_create": ("staff_a", lambda cast: {}),
    "members:union_update": ("staff_a", _own("union")),
    "members:member_create": ("staff_a", lambda cast: {}),
    "members:member_update": ("staff_a", _own("member")),
    "members:member_transfer": ("staff_a", _own("member")),
    "members:member_transfer_out": ("staff_a", _own("member")),
    "members:transfer_accept": ("staff_a", _own("transfer_in")),
    "members:transfer_return": ("staff_a", _own("transfer_in")),
    "members:contract_create": ("staff_a", lambda cast: {}),
    "members:contract_update": ("staff_a", _own("contract")),
    "members:dues_create": ("staff_a", lambda cast: {}),
    "members:dues_update": ("staff_a", _own("dues")),
    "members:milestone_create": ("staff_a", lambda cast: {}),
    "members:milestone_update": ("staff_a", _own("milestone")),
    "members:remittance_create": ("staff_a", lambda cast: {}),
    "members:remittance_update": ("staff_a", _own("remittance")),
    "welfare:visit_create": ("staff_a", lambda cast: {}),
    "welfare:visit_update": ("staff_a", _own("visit")),
    "welfare:campaign_create": ("staff_a", lambda cast: {}),
    "welfare:hardship_create": ("staff_a", lambda cast: {}),
    "welfare:hardship_update": ("staff_a", _own("hardship")),
    "welfare:hardship_review": ("staff_a", _own("hardship")),
    "welfare:mutualaid_create": ("staff_a", lambda cast: {}),
    "welfare:mutualaid_update": ("staff_a", _own("mutual_aid")),
    "disputes:case_create": ("staff_a", lambda cast: {}),
    "disputes:case_update": ("staff_a", _own("case")),
    "disputes:case_close": ("staff_a", _own("case")),
    "events:event_create": ("staff_a", lambda cast: {}),
    "events:event_update": ("staff_a", _own("event")),
    "reports:summary": ("staff_a", lambda cast: {}),
    "reports:targets": ("reviewer", lambda cast: {}),
    "password_change": ("staff_a", lambda cast: {}),
    "two_factor": ("reviewer", lambda cast: {}),
    # Signed out, with the failed-sign-in lockout (django-axes) recording attempts.
    "login": ("", lambda cast: {}),
}

# Pages that post no data-entry form: downloads, lists, detail pages, delete confirmations (no
# fields), uploads of files (tests/test_hostile_workbook.py), JSON look-ups, the login page.
NOT_FORMS = {
    "home",
    "login_code",  # the code step after a right password: tests/test_signin.py
    "admin_login",
    "logout",
    "password_change_done",
    "set_language",
    "record_lookup",
    "record_search",  # a list search box, redirected: unionportal/tests/test_id_search.py
    "workbook:imports",
    "workbook:import_download",
    "deleted_records",
    "restore_record",
    "members:transfer_cancel",  # a button posting the version alone
    "reports:summary_preview",
    "reports:summary_autosave",  # reports:summary's narrative form, posted by script
    "reports:summary_download",
    "reports:summary_finalise",
    "reports:final_download",
    "reports:county_summary",
    "reports:county_summary_download",
    "reports:dashboard",
    "reports:county_dashboard",
    "reports:county_dashboard_export",
    "reports:township_dashboard",
    "reports:targets_template",
    "reports:targets_upload",
    "workbook:upload",
    "workbook:template",
    "workbook:confirm",
    "workbook:export",
    "disputes:attachment_upload",
    "disputes:attachment_download",
    "disputes:attachment_delete",
    "events:attachment_upload",
    "events:attachment_download",
    "events:attachment_delete",
}
# Detail pages, their 显示完整信息 (reveal) variant, lists and delete confirmations.
_NOT_FORM_SUFFIXES = ("_list", "_detail", "_reveal", "_delete")


def _walk(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace in NAMESPACES:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_classified_as_a_form_or_not():
    names = set(_walk(get_resolver().url_patterns))
    unclassified = sorted(
        n
        for n in names
        if n not in FORM_PAGES and n not in NOT_FORMS and not n.endswith(_NOT_FORM_SUFFIXES)
    )

    assert not unclassified, f"add to FORM_PAGES (with valid input) or NOT_FORMS: {unclassified}"
    # Every name ending in _create or _update is a form this file posts to.
    assert {n for n in names if n.endswith(("_create", "_update"))} <= set(FORM_PAGES)


# ---------------------------------------------------------------------------------------------
# The page's own form


class _FormFields(HTMLParser):
    """The named fields of each POST form on a page, with what a browser would submit."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get")}
            self._form["fields"] = {}
            self._form["choices"] = {}
            self.forms.append(self._form)
            return
        if self._form is None or "name" not in a and tag != "option":
            return
        fields = self._form["fields"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio"):
                self._form["choices"].setdefault(a["name"], []).append(a.get("value") or "on")
                if "checked" in a:
                    fields[a["name"]] = a.get("value") or "on"
                return
            fields[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select:
            self._options.append((a.get("value") or "", "selected" in a))
        elif tag == "textarea":
            self._textarea = a["name"]
            fields[a["name"]] = ""

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            chosen = [v for v, selected in self._options if selected]
            filled = [v for v, _s in self._options if v]
            self._form["fields"][self._select] = chosen[0] if chosen else ""
            self._form["choices"][self._select] = filled
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_form(html: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The fields of the page's data-entry form: the POST form with the most fields, leaving
    out the navbar's sign-out and language forms."""
    parser = _FormFields()
    parser.feed(html)
    forms = [
        form
        for form in parser.forms
        if form["method"].lower() == "post" and "logout" not in form["action"]
        if "setlang" not in form["action"]
    ]
    form = max(forms, key=lambda fm: len(fm["fields"]) + len(fm["choices"]))
    fields = dict(form["fields"])
    fields.pop("csrfmiddlewaretoken", None)
    return fields, form["choices"]


# ---------------------------------------------------------------------------------------------
# Valid input for each page: what the page offers, plus what a careful user fills in


def _valid_overlay(name: str, cast: dict) -> dict[str, str]:
    """Values that make the page's form valid (on top of its own initial values)."""
    today = clock.today()
    union, employer, other_union = cast["union"], cast["employer"], cast["union2"]
    return {
        "members:employer_create": {"name": "恒达机械有限公司", "employees": "40"},
        "members:union_create": {"name": "恒达工会", "founded_on": "2015-05-01"},
        "members:member_create": {
            "name": "王小红",
            "id_number": f.id_number(),
            "union": str(union.pk),
            "employer": str(employer.pk),
            "joined_on": "2016-03-08",
        },
        "members:member_transfer": {"union": str(other_union.pk), "reason": "工作调动"},
        "members:member_transfer_out": {
            "to_township": str(cast["other_union"].township_id),
            "reason": "工作调动",
        },
        "members:transfer_accept": {"union": str(union.pk)},
        "members:transfer_return": {"remark": "本乡镇无此单位"},
        "members:contract_create": {
            "party_name": employer.name,
            "employer": str(employer.pk),
            "signed_on": "2026-01-01",
            "expires_on": "2028-12-31",
            "workers_covered": "80",
        },
        "members:dues_create": {
            "employer": str(employer.pk),
            "period": "2025Q4",
            "amount_due": "4300",
            "amount_paid": "4300.00",
        },
        "members:milestone_create": {
            "union": str(union.pk),
            "kind": "congress_held",
            "happened_on": "2026-03-20",
        },
        "members:remittance_create": {
            "period": "2026Q1",
            "amount_due": "1200",
            "amount_paid": "1200.00",
        },
        "welfare:visit_create": {
            "visited_on": "2026-01-20",
            "beneficiary_name": "李大明",
            "cash": "500",
        },
        "welfare:hardship_create": {
            "name": "周桂英",
            "id_number": f.id_number(),
            "category": "deep",
            "causes": "illness",
            "filed_on": "2025-09-01",
        },
        "welfare:hardship_review": {"reviewed_on": today.isoformat(), "outcome": "continued"},
        "welfare:mutualaid_create": {
            "union": str(union.pk),
            "year": "2026",
            "workers": "100",
            "enrolled": "90",
        },
        "welfare:campaign_create": {
            "campaign": "2026年春节送温暖",
            "visited_on": "2026-01-20",
            "households-0-name": "陈阿大",
            "households-0-cash": "800",
        },
        "disputes:case_create": {
            "number": "XF-2026-001",
            "received_on": "2026-03-02",
            "petitioner": "张某等5人",
            "people_involved": "5",
        },
        "disputes:case_close": {"closed_on": today.isoformat(), "amount_recovered": "4200"},
        "events:event_create": {"title": "安康杯知识竞赛", "starts_on": "2026-05-12"},
        "reports:summary": {"practices": "走访企业二十家。", "plans": "下一步做好送温暖。"},
        "reports:targets": {},
        "login": {"username": "staff_a", "password": PASSWORD},
        "password_change": {
            "old_password": PASSWORD,
            "new_password1": "Qiangmima#2027new",
            "new_password2": "Qiangmima#2027new",
        },
    }.get(name, {})


def valid_post(name: str, html: str, cast: dict) -> tuple[dict[str, str], dict[str, list[str]]]:
    fields, choices = page_form(html)
    for field, options in choices.items():
        # A required select or radio left on its placeholder: the first real choice.
        if not fields.get(field) and options and field not in ("union", "employer"):
            fields[field] = options[0]
    fields.update(_valid_overlay(name, cast))
    return fields, choices


# ---------------------------------------------------------------------------------------------
# Hostile values

MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}}",
    "{% debug %}",
    '=HYPERLINK("http://evil","x")',
]
SQLISH = ["' OR '1'='1", "'); DROP TABLE members_member;--", "1; SELECT pg_sleep(0)", "%", "_"]
NUMBERS = [
    "-1",
    "-0.01",
    "0",
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    "1.005",
    "0.001",
    "99999999999999.99",
    "999999999999999999999999999999",
    "2147483648",
    "9223372036854775808",
    "１２３",
    "²",
    "١٢",
    "1,000",
    "0x10",
]
DATES = [
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "2100-01-01",
    "26-3-2",
    "2026/03/02",
    "tomorrow",
]
ODDITIES = [
    "\x00",
    "名\x00字",
    "\x00" * 3,
    "\x01\x02\x1b[31m",
    "\r\n",
    " ",
    "\u200b",
    "\u202e反转",
    "\ufeff",
    "𠮷野家",
    "x" * 5000,
    "字" * 300,
    "",
]
# Fields that choose which page (period, township) a summary form is about, not data.
PAGE_SELECTORS = {"period", "township"}
REFERENCES = ["@other_union", "@other_employer", "@other_member", "@own_union", "@own_employer"]

KNOWN = MARKUP + SQLISH + NUMBERS + DATES + ODDITIES + REFERENCES
hostile = st.one_of(
    # The known traps drawn more often than free text.
    st.sampled_from(KNOWN),
    st.sampled_from(KNOWN),
    st.sampled_from(KNOWN),
    st.text(max_size=60),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(datetime.date.isoformat),
)


def _resolve(value: str, cast: dict) -> str:
    references = {
        "@other_union": cast["other_union"],
        "@other_employer": cast["other_employer"],
        "@other_member": cast["other_member"],
        "@own_union": cast["union"],
        "@own_employer": cast["employer"],
    }
    return str(references[value].pk) if value in references else value


# ---------------------------------------------------------------------------------------------
# Hostile posts on every form, on a cast of records (snapshot and changed_rows: factories.py)


@pytest.fixture
def cast(township_a, township_b, staff_a, reviewer, administrator) -> dict:
    union = f.make_union(township_a, name="甲工会")
    union2 = f.make_union(township_a, name="乙工会")
    employer = f.make_employer(township_a, name="甲公司", union=union)
    other_union = f.make_union(township_b, name="西山工会")
    other_employer = f.make_employer(township_b, name="西山公司")
    return {
        "staff_a": staff_a,
        "reviewer": reviewer,
        "administrator": administrator,
        "union": union,
        "union2": union2,
        "employer": employer,
        "member": f.make_member(township_a, union=union, employer=employer),
        "contract": f.make_contract(township_a, employer=employer, party_name=employer.name),
        "dues": f.make_dues(township_a, employer=employer),
        "visit": f.make_visit(township_a),
        "hardship": f.make_hardship_file(township_a, union=union, employer=employer),
        "mutual_aid": f.make_mutual_aid(township_a, union=union),
        "milestone": f.make_milestone(township_a, union=union),
        "remittance": f.make_remittance(township_a),
        "case": f.make_case(township_a),
        "event": f.make_event(township_a),
        "other_union": other_union,
        "other_employer": other_employer,
        "other_member": f.make_member(township_b, union=other_union),
        # A member of a third township of the county transferred to A, waiting for A.
        "transfer_in": f.make_transfer(f.make_township(township_a.county), township_a),
    }


HOSTILE = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("name", sorted(FORM_PAGES))
@HOSTILE
@given(data=st.data())
def test_hostile_post_never_fails_and_never_half_writes(client, cast, name, data, settings):
    user, build = FORM_PAGES[name]
    if user:
        client.force_login(cast[user])
    else:
        client.logout()
        settings.AXES_ENABLED = True
    url = reverse(name, kwargs=build(cast))
    page = client.get(url)
    assert page.status_code == 200, url
    post, _choices = valid_post(name, page.content.decode(), cast)
    names = sorted(post)
    changes = data.draw(st.dictionaries(st.sampled_from(names), hostile, max_size=4), "changes")
    dropped = data.draw(st.sets(st.sampled_from(names), max_size=2), "dropped")
    for field, value in changes.items():
        post[field] = _resolve(value, cast)
    for field in dropped:
        post.pop(field, None)

    with transaction.atomic():
        before = snapshot()
        response = client.post(url, post)
        after = snapshot()
        allowed = {200, 302, 409}
        if PAGE_SELECTORS & (set(changes) | dropped):
            allowed.add(404)  # a period or township that does not exist: no such page
        assert response.status_code in allowed, (url, response.status_code)
        if response.status_code != 302:
            assert after == before, "a refused form wrote to the database"
        else:
            for record in changed_rows(before, after):
                record.full_clean()
            assert client.get(response["Location"]).status_code == 200
        transaction.set_rollback(True)


def test_nul_byte_in_a_name_is_refused_in_chinese(client, cast):
    client.force_login(cast["staff_a"])
    url = reverse("members:union_create")
    post, _ = valid_post("members:union_create", client.get(url).content.decode(), cast)
    post["name"] = "恒达\x00工会"

    response = client.post(url, post)

    assert response.status_code == 200
    assert "含有不可见的空字符（NUL），请删去后重新输入。" in response.content.decode()
    assert not re.search("恒达.工会", str(snapshot()["members.GrassrootsUnion"]))


# ---------------------------------------------------------------------------------------------
# Hostile query strings on the pages that read them: lists, look-ups, summaries, dashboards

QUERY_PAGES = {
    **{n: "staff_a" for n in NOT_FORMS | set(FORM_PAGES) if n.endswith("_list")},
    "record_lookup": "staff_a",
    "deleted_records": "administrator",
    "reports:summary": "staff_a",
    "reports:county_summary": "reviewer",
    "reports:dashboard": "reviewer",
    "reports:county_dashboard": "reviewer",
    "reports:targets": "reviewer",
    "workbook:export": "reviewer",
}
PARAMS = ["q", "page", "sort", "from", "to", "township", "period", "year", "county", "start"]
PARAMS += ["end", "compare", "union", "employer", "status", "category", "kind", "format"]


def _list_names() -> list[str]:
    return sorted(n for n in _walk(get_resolver().url_patterns) if n.endswith("_list"))


def test_every_list_page_is_swept_with_hostile_query_strings():
    assert set(_list_names()) <= set(QUERY_PAGES) | set(_list_names())
    assert len(_list_names()) >= 8


@pytest.mark.parametrize("name", sorted(set(QUERY_PAGES) | set(_list_names())))
@HOSTILE
@given(data=st.data())
def test_hostile_query_string_never_fails(client, cast, name, data):
    client.force_login(cast[QUERY_PAGES.get(name, "staff_a")])
    url = reverse(name, kwargs={"kind": "member"} if name == "record_lookup" else {})
    params = data.draw(st.dictionaries(st.sampled_from(PARAMS), hostile, min_size=1, max_size=4))
    params = {key: _resolve(value, cast) for key, value in params.items()}

    with transaction.atomic():
        before = snapshot()
        response = client.get(url, params)
        assert response.status_code in (200, 302, 404), (url, params, response.status_code)
        assert snapshot() == before
        transaction.set_rollback(True)


# Values that have broken pages reading ids, years and searches from the URL: digits that
# str.isdigit() accepts but int() refuses (²), other scripts' digits, numbers beyond any
# integer column, and the NUL character PostgreSQL refuses in a query.
QUERY_TRAPS = ["²", "١٢", "9" * 30, "-1", "\x00", "1\x00", "<script>", "%", "'"]


@pytest.mark.parametrize("name", sorted(set(QUERY_PAGES) | set(_list_names())))
def test_every_query_parameter_survives_the_known_traps(client, cast, name):
    client.force_login(cast[QUERY_PAGES.get(name, "staff_a")])
    url = reverse(name, kwargs={"kind": "member"} if name == "record_lookup" else {})
    before = snapshot()

    statuses = {t: client.get(url, dict.fromkeys(PARAMS, t)).status_code for t in QUERY_TRAPS}

    assert set(statuses.values()) <= {200, 302, 404}, statuses
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# Attachments: hostile file names and contents

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
file_names = st.one_of(
    st.sampled_from(
        [
            "../../etc/passwd",
            "..\\..\\boot.ini",
            "名\x00字.pdf",
            "<script>alert(1)</script>.pdf",
            "a" * 300 + ".pdf",
            ".pdf",
            "\u202egpj.pdf",
            "CON.pdf",
            "x.pdf\r\nContent-Type: text/html",
        ]
    ),
    st.text(max_size=40).map(lambda s: s + ".pdf"),
)


@pytest.fixture
def private_files(tmp_path, monkeypatch):
    """Attachments written by these tests go to a temporary folder, not var/private."""
    from django.core.files.storage import FileSystemStorage

    from disputes.models import CaseAttachment
    from events.models import EventAttachment

    storage = FileSystemStorage(location=tmp_path / "private")
    for model in (CaseAttachment, EventAttachment):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)
    return storage


@pytest.mark.parametrize("name", ["disputes:attachment_upload", "events:attachment_upload"])
@HOSTILE
@given(
    filename=file_names,
    content=st.one_of(st.sampled_from([PDF, PNG, b"", b"<html>", b"MZ\x90\x00"]), st.binary()),
)
def test_hostile_attachment_never_fails_and_keeps_a_safe_name(
    client, cast, private_files, name, filename, content
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast["staff_a"])
    record = cast["case" if name.startswith("disputes") else "event"]
    url = reverse(name, args=[record.pk])
    with transaction.atomic():
        before = snapshot()
        upload = SimpleUploadedFile(filename, content, content_type="application/pdf")
        response = client.post(url, {"file": upload})
        assert response.status_code == 302
        written = changed_rows(before, snapshot())
        for attachment in written:
            attachment.full_clean()
            assert not re.search(r"[\x00/\\\r\n]", attachment.original_name)
            with attachment.file.open("rb") as stored:
                assert stored.read() == content
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------
# The county's targets file: the downloaded template with hostile cells, uploaded back

TARGET_CELLS = st.one_of(
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e30", "-5", "88%", "101", "abc", "=1+1"]),
    st.sampled_from(["#N/A", "99999999999999.99", "1e-30", "²", "", None, 0, 50]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=20).filter(lambda s: not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", s)),
)


@HOSTILE
@given(data=st.data())
def test_a_hostile_targets_file_never_fails_and_is_saved_whole_or_not_at_all(client, cast, data):
    import io

    from openpyxl import load_workbook

    from reports.models import AnnualTarget, AssessmentWeight

    client.force_login(cast["reviewer"])
    book = load_workbook(io.BytesIO(client.get(reverse("reports:targets_template")).content))
    targets, weights = book["年度目标"], book["考核权重"]
    for _ in range(data.draw(st.integers(1, 4), "cells changed")):
        row = data.draw(st.sampled_from([2, 6, 7, 8]), "target row")
        column = data.draw(st.integers(1, targets.max_column), "target column")
        targets.cell(row, column, data.draw(TARGET_CELLS, "target value"))
    if data.draw(st.booleans(), "change a weight"):
        weights.cell(data.draw(st.integers(2, 6)), 2, data.draw(TARGET_CELLS, "weight"))
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "目标.xlsx"

    with transaction.atomic():
        before = snapshot()
        response = client.post(reverse("reports:targets_upload"), {"file": upload}, follow=True)
        assert response.status_code == 200
        html = response.content.decode()
        if "未导入" in html:
            assert snapshot() == before
        else:
            assert "已从 Excel 导入" in html
            for record in (*AnnualTarget.objects.all(), *AssessmentWeight.objects.all()):
                record.full_clean()
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", sorted(n for n in FORM_PAGES if n.endswith("_create")))
def test_an_administrators_township_choice_survives_the_known_traps(client, cast, name):
    """An administrator adding a record names its township in the form: a bad one is refused or
    falls back to a township they may write to, never a 500."""
    client.force_login(cast["administrator"])
    url = reverse(name)
    post, _choices = valid_post(name, client.get(url).content.decode(), cast)

    for trap in QUERY_TRAPS:
        with transaction.atomic():
            response = client.post(url, {**post, "township": trap})
            assert response.status_code in (200, 302, 404), (trap, response.status_code)
            transaction.set_rollback(True)
