"""The roles matrix in docs/roles.md ("角色与权限 / Roles matrix") is the single source of who may
do what: this file reads the table, checks that every URL name in the URL configuration has a row
(and every row a URL), then requests every row as each role of the fixed cast, on records of
township A, and checks the answer matches the cell.

Cells: ✓ (GET 200, showing its form when the row takes POST; a POST is taken: 200 form shown
again or 302 somewhere other than login), 只读 (GET 200 with no form to submit, POST 403), 403,
404, →登录 (302 to a login page), ↪ (302 elsewhere).
"""

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from disputes.models import CaseAttachment
from events.models import EventAttachment
from members.models import Employer
from reports.models import FinalSummary
from unionportal.tests import factories as f
from unionportal.tests.factories import BUILDERS, POST_DATA
from workbook.views import SESSION_KEY

ROLES_DOC = Path(settings.BASE_DIR) / "docs" / "roles.md"
SECTION = "## 角色与权限 / Roles matrix"
ROLES = ["录入员", "主席", "县总审阅", "管理员", "未登录"]
CODES = {"✓", "只读", "403", "404", "→登录", "↪"}
# The Django admin is one row, checked on its index page.
ADMIN_ROW = "admin:*"


def read_matrix() -> dict[str, dict]:
    """docs/roles.md's roles table: URL name → {"what", "methods", role → code}."""
    text = ROLES_DOC.read_text(encoding="utf-8")
    assert SECTION in text, f"docs/roles.md has no section {SECTION!r}"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows: dict[str, dict] = {}
    header: list[str] | None = None
    for line in section.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            assert header[3:] == ROLES, f"roles matrix columns must be {ROLES}, got {header[3:]}"
            continue
        if set(cells[0]) <= {"-", " "}:
            continue
        name = cells[0].strip("`")
        assert name not in rows, f"roles matrix: two rows for {name}"
        codes = dict(zip(ROLES, cells[3:], strict=True))
        unknown = {c for c in codes.values() if c not in CODES}
        assert not unknown, f"roles matrix row {name}: unknown code(s) {unknown}"
        methods = cells[2].split("+")
        assert set(methods) <= {"GET", "POST"}, f"roles matrix row {name}: method {cells[2]}"
        rows[name] = {"what": cells[1], "methods": methods, **codes}
    return rows


def _walk(patterns, namespace: str | None = None) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def url_names() -> set[str]:
    """Every named URL of the portal; the whole Django admin counts as one."""
    names = set()
    for name, _pattern in _walk(get_resolver().url_patterns):
        names.add(ADMIN_ROW if name.startswith("admin:") else name)
    return names


MATRIX = read_matrix()


def test_every_url_has_a_row_in_the_roles_matrix():
    missing = sorted(url_names() - MATRIX.keys())

    assert not missing, f"add a row to docs/roles.md's roles matrix for: {missing}"


def test_every_row_of_the_roles_matrix_is_a_url():
    stale = sorted(MATRIX.keys() - url_names())

    assert not stale, f"docs/roles.md's roles matrix names URLs that no longer exist: {stale}"


def test_the_matrix_covers_every_role_and_the_record_pages():
    assert len(MATRIX) >= 70
    assert MATRIX["members:member_update"]["县总审阅"] == "403"
    assert MATRIX["members:member_detail"]["未登录"] == "→登录"


# --- building each URL ------------------------------------------------------------------------


@pytest.fixture
def private_files(tmp_path, monkeypatch):
    """Attachments go to a temporary folder, holding real files the download rows can serve."""
    storage = FileSystemStorage(location=tmp_path / "private")
    from workbook.models import WorkbookImport

    for model in (CaseAttachment, EventAttachment, WorkbookImport):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)
    storage.save("imports/sweep.xlsx", ContentFile(b"PK\x03\x04"))
    storage.save("attachments/caseattachment/sweep.pdf", ContentFile(b"%PDF-1.4\n"))
    storage.save("attachments/eventattachment/sweep.jpg", ContentFile(b"\xff\xd8\xff\xe0"))
    return storage


def _final_summary(township, user):
    version = FinalSummary.objects.filter(township=township).count() + 1
    final = FinalSummary.objects.create(
        township=township,
        period="2026",
        version=version,
        title="慈东镇工会2026年工作总结",
        pdf=b"%PDF",
        docx=b"PK",
        pdf_sha256="0" * 64,
        docx_sha256="0" * 64,
        finalised_by=user,
    )
    return {"pk": final.pk, "fmt": "pdf"}


def _deleted_employer(township, user):
    employer = f.make_employer(township)
    pk = employer.pk
    employer.delete()
    entry = Employer.history.filter(id=pk, history_type="-").get()
    return {"kind": "employers", "history_id": entry.history_id}


def _account(township, user):
    from unionportal.models import Role, User

    n = User.objects.count()
    return {"pk": User.objects.create_user(f"sweep{n}", role=Role.STAFF, township=township).pk}


KWARGS: dict[str, Callable] = {
    "accounts:update": _account,
    "accounts:reset_password": _account,
    "accounts:unlock": _account,
    "accounts:county_update": lambda township, user: {"pk": township.county_id},
    "accounts:township_update": lambda township, user: {"pk": township.pk},
    **BUILDERS,
    "reports:final_download": _final_summary,
    "restore_record": _deleted_employer,
    "record_lookup": lambda township, user: {"kind": "union"},
}
QUERY = {
    "record_lookup": "?q=工会",
    "reports:summary_download": "?period=2026&fmt=pdf",
    "reports:county_summary_download": "?period=2026&fmt=pdf",
}


def _prepare_pending_import(client: Client, township) -> dict:
    # Confirming needs an upload previewed in this session; the file itself has expired, so an
    # allowed user is sent back to the upload page and a refused one gets 403 before that.
    session = client.session
    session[SESSION_KEY] = {"token": "0" * 32, "township": township.pk, "name": "台账.xlsx"}
    session.save()
    return {"token": "0" * 32}


FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
# Every page carries these two in its navbar; they are not the page's own write controls.
NAVBAR_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")


def write_forms(response) -> list[str]:
    """The page's own POST forms (htmx posts included), without the navbar's."""
    if "html" not in response.get("Content-Type", ""):
        return []
    found = []
    for tag in FORM.findall(response.content.decode()):
        posts = re.search(r'method="post"', tag, re.IGNORECASE) or "hx-post=" in tag
        if posts and not any(action in tag for action in NAVBAR_ACTIONS):
            found.append(tag[:80])
    return found


def _answer(response) -> str:
    if response.status_code == 302:
        return "→登录" if "/login/" in response["Location"] else "↪"
    return str(response.status_code)


def _expected(code: str, method: str) -> set[str]:
    if code == "✓":
        return {"200"} if method == "GET" else {"200", "↪"}
    if code == "只读":
        return {"200"} if method == "GET" else {"403"}
    return {code}


@pytest.fixture
def cast(staff_a, chair_a, reviewer, administrator) -> dict:
    return {"录入员": staff_a, "主席": chair_a, "县总审阅": reviewer, "管理员": administrator}


def check_row(name: str, row: dict, cast: dict, township, staff) -> list[str]:
    """Every role × method of one row; returns the cells whose answer differs."""
    wrong = []
    for role in ROLES:
        if name == ADMIN_ROW:
            url = reverse("admin:index")
        else:
            kwargs = KWARGS[name](township, staff) if name in KWARGS else {}
            url = reverse(name, kwargs=kwargs) + QUERY.get(name, "")
        for method in row["methods"]:
            client = Client()
            if role in cast:
                client.force_login(cast[role])
            data = {**POST_DATA, "township": str(township.pk)}
            if name == "workbook:confirm":
                data.update(_prepare_pending_import(client, township))
            response = client.get(url) if method == "GET" else client.post(url, data)
            got = _answer(response)
            if got not in _expected(row[role], method):
                wrong.append(f"{role} {method} {url}: matrix says {row[role]}, got {got}")
            elif method == "GET" and "POST" in row["methods"] and got == "200":
                # 只读 shows no way to submit; ✓ on a page that takes POST shows its form.
                forms = write_forms(response)
                if row[role] == "只读" and forms:
                    wrong.append(f"{role} GET {url}: 只读 but the page has a form: {forms}")
                if row[role] == "✓" and not forms:
                    wrong.append(f"{role} GET {url}: ✓ but the page has no form to submit")
    return wrong


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_what_the_roles_matrix_says(name, cast, staff_a, township_a, private_files):
    wrong = check_row(name, MATRIX[name], cast, township_a, staff_a)

    assert not wrong, "\n".join(wrong)


def test_a_wrong_cell_is_reported(cast, staff_a, township_a):
    # The checker itself can fail: a matrix letting reviewers edit members would be caught.
    row = {**MATRIX["members:member_update"], "县总审阅": "✓"}

    wrong = check_row("members:member_update", row, cast, township_a, staff_a)

    assert len(wrong) == 2
    assert wrong[0].startswith("县总审阅 GET")
    assert "matrix says ✓, got 403" in wrong[0]
