"""Import history: every workbook imported from the browser or the command line is kept with who,
when, the file name, its SHA-256 and the counts per sheet; the original file is stored privately
and downloadable by the township's own staff, each download logged."""

import hashlib
import io

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.urls import reverse

from audit.models import AccessAction, PersonalInfoAccess
from workbook import views as workbook_views
from workbook.models import ImportSource, WorkbookImport

try:
    from unionportal.tests.factories import members_workbook, page_text
except ImportError:  # until the test helpers' move into factories.py is committed
    from unionportal.tests.pages import page_text

    from workbook.tests.helpers import members_workbook


@pytest.fixture(autouse=True)
def _files_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_views, "UPLOAD_DIR", tmp_path / "uploads")
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(WorkbookImport._meta.get_field("file"), "storage", storage)
    return storage


def import_in_browser(client, data: bytes, name: str = "会员名册.xlsx") -> None:
    file = io.BytesIO(data)
    file.name = name
    token = client.post(reverse("workbook:upload"), {"file": file}).context["token"]
    client.post(reverse("workbook:confirm"), {"token": token})


def test_a_browser_import_is_kept_with_its_file_and_counts(client, staff_a, township_a):
    data = members_workbook(3)
    client.force_login(staff_a)

    import_in_browser(client, data)

    entry = WorkbookImport.objects.get()
    assert entry.township == township_a and entry.imported_by == staff_a
    assert entry.source == ImportSource.BROWSER
    assert entry.file_name == "会员名册.xlsx"
    assert entry.sha256 == hashlib.sha256(data).hexdigest() and entry.size == len(data)
    assert {"sheet": "会员", "created": 3, "updated": 0, "unchanged": 0} in entry.counts
    with entry.file.open("rb") as handle:
        assert handle.read() == data
    text = page_text(client.get(reverse("workbook:imports")))
    assert "会员名册.xlsx" in text and entry.sha256 in text
    assert "会员：新增3条，更新0条，未变0条" in text


def test_a_preview_alone_or_a_failed_import_is_not_kept(client, staff_a):
    client.force_login(staff_a)
    file = io.BytesIO(members_workbook(2))
    file.name = "a.xlsx"
    client.post(reverse("workbook:upload"), {"file": file})

    assert not WorkbookImport.objects.exists()


def test_the_command_line_import_is_kept_too(tmp_path, township_a):
    data = members_workbook(2)
    path = tmp_path / "台账.xlsx"
    path.write_bytes(data)

    call_command("import_workbook", str(path), township=township_a.code, stdout=io.StringIO())
    call_command(
        "import_workbook", str(path), township=township_a.code, dry_run=True, stdout=io.StringIO()
    )

    entry = WorkbookImport.objects.get()
    assert entry.source == ImportSource.COMMAND and entry.imported_by is None
    assert entry.imported_by_label == "命令行" and entry.file_name == "台账.xlsx"
    assert entry.sha256 == hashlib.sha256(data).hexdigest()


def test_staff_download_the_original_and_the_download_is_logged(client, staff_a, township_a):
    data = members_workbook(1)
    client.force_login(staff_a)
    import_in_browser(client, data)
    entry = WorkbookImport.objects.get()

    response = client.get(reverse("workbook:import_download", kwargs={"pk": entry.pk}))

    assert response.status_code == 200 and response.content == data
    log = PersonalInfoAccess.objects.get()
    assert log.action == AccessAction.EXPORT_FULL and log.user == staff_a
    assert log.township == township_a and "会员名册.xlsx" in log.record_label


def test_a_reviewer_sees_the_history_but_may_not_download_the_file(client, staff_a, reviewer):
    client.force_login(staff_a)
    import_in_browser(client, members_workbook(1))
    entry = WorkbookImport.objects.get()
    client.force_login(reviewer)

    assert "会员名册.xlsx" in page_text(client.get(reverse("workbook:imports")))
    url = reverse("workbook:import_download", kwargs={"pk": entry.pk})
    assert url not in client.get(reverse("workbook:imports")).content.decode()
    assert client.get(url).status_code == 403
    assert not PersonalInfoAccess.objects.exists()


def test_another_township_neither_sees_nor_downloads_the_import(
    client, staff_a, staff_b, other_reviewer
):
    client.force_login(staff_a)
    import_in_browser(client, members_workbook(1))
    entry = WorkbookImport.objects.get()
    url = reverse("workbook:import_download", kwargs={"pk": entry.pk})

    for user in (staff_b, other_reviewer):
        client.force_login(user)
        assert "会员名册.xlsx" not in page_text(client.get(reverse("workbook:imports")))
        assert client.get(url).status_code == 404
    assert not PersonalInfoAccess.objects.exists()
