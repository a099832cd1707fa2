"""Attachments of cases and events (unionportal/attachments.py): the name a file is stored and
served under, and a record deleted with its files."""

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from disputes import services as disputes_services
from disputes.models import Case, CaseAttachment
from events import services as events_services
from events.models import Event, EventAttachment
from unionportal.attachments import attach_file, name_for_type
from unionportal.tests.factories import make_case, make_event

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50
# Starts as a PDF, but a browser told it is HTML would run its script.
POLYGLOT = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>"


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Attachments written by the tests go to a temporary folder, not var/private."""
    storage = FileSystemStorage(location=tmp_path / "private")
    for model in (CaseAttachment, EventAttachment):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)
    return storage


# The name kept and served: the sender's, with the extension of the type found in the file.


NAMES = [
    # sent, content, kept and served as, type
    ("polyglot.html", POLYGLOT, "polyglot.pdf", "application/pdf"),
    ("photo.png", JPEG, "photo.jpg", "image/jpeg"),
    ("scan.pdf.exe", PDF, "scan.pdf.pdf", "application/pdf"),
    ("no-extension", PNG, "no-extension.png", "image/png"),
    ("scan.JPEG", JPEG, "scan.JPEG", "image/jpeg"),
    ("letter.PDF", PDF, "letter.PDF", "application/pdf"),
]
STORED_SUFFIX = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


@pytest.mark.parametrize(
    "sent, content, served, content_type", NAMES, ids=[row[0] for row in NAMES]
)
@pytest.mark.parametrize("kind", ["disputes", "events"])
def test_an_attachment_is_stored_and_served_with_the_extension_of_its_detected_type(
    client, staff_a, township_a, kind, sent, content, served, content_type
):
    record = make_case(township_a) if kind == "disputes" else make_event(township_a)
    client.force_login(staff_a)

    page = client.post(
        reverse(f"{kind}:attachment_upload", args=[record.pk]),
        {"file": SimpleUploadedFile(sent, content, "text/html")},
        follow=True,
    )

    attachment = record.attachments.get()
    assert f"已上传附件“{served}”" in page.content.decode()
    assert attachment.original_name == served
    assert attachment.content_type == content_type
    assert attachment.file.name.endswith(STORED_SUFFIX[content_type])
    download = client.get(reverse(f"{kind}:attachment_download", args=[record.pk, attachment.pk]))
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"] == f'inline; filename="{served}"'


def test_an_attachment_stored_under_the_senders_extension_is_served_under_its_types(
    client, staff_a, township_a, private_files
):
    case = make_case(township_a)
    name = private_files.save(
        "attachments/caseattachment/old.pdf", SimpleUploadedFile("x", POLYGLOT)
    )
    attachment = CaseAttachment.objects.create(
        case=case,
        file=name,
        original_name="polyglot.html",
        content_type="application/pdf",
        size=len(POLYGLOT),
    )
    client.force_login(staff_a)

    download = client.get(reverse("disputes:attachment_download", args=[case.pk, attachment.pk]))

    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'inline; filename="polyglot.pdf"'


def test_a_long_name_is_cut_but_keeps_the_extension_of_its_type():
    kept = name_for_type("信" * 300 + ".html", "application/pdf")

    assert len(kept) == 200 and kept.endswith("信.pdf")


# Deleting a record with its attachments


def _case(township):
    return make_case(township), lambda user, case: disputes_services.delete_case(
        user=user, case=case
    )


def _event(township):
    return make_event(township), lambda user, event: events_services.delete_event(
        user=user, event=event
    )


KINDS = {"case": _case, "event": _event}


def _with_attachment(kind: str, township, user):
    record, delete = KINDS[kind](township)
    attachment = attach_file(
        user=user,
        record=record,
        attachment_model=record.attachments.model,
        parent_field=record.attachments.field.name,
        upload=SimpleUploadedFile("来信.pdf", PDF),
    )
    return record, attachment, delete


@pytest.mark.parametrize("kind", KINDS)
def test_a_delete_that_fails_keeps_the_record_its_attachments_and_their_files(
    kind, staff_a, township_a, private_files, monkeypatch, django_capture_on_commit_callbacks
):
    record, attachment, delete = _with_attachment(kind, township_a, staff_a)
    model, pk = type(record), record.pk
    real_delete = model.delete

    def delete_then_fail(self, *args, **kwargs):
        real_delete(self, *args, **kwargs)  # the rows go, then the write fails: rolled back
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(model, "delete", delete_then_fail)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DatabaseError):
        delete(staff_a, record)

    assert model.objects.filter(pk=pk).exists()
    assert type(attachment).objects.filter(pk=attachment.pk).exists()
    assert private_files.exists(attachment.file.name)


@pytest.mark.parametrize("kind", KINDS)
def test_a_delete_removes_the_files_only_once_the_rows_are_gone(
    kind, staff_a, township_a, private_files, django_capture_on_commit_callbacks
):
    record, attachment, delete = _with_attachment(kind, township_a, staff_a)

    with django_capture_on_commit_callbacks() as on_commit:
        delete(staff_a, record)
        # Until the deletion commits, the files stay.
        assert private_files.exists(attachment.file.name)

    assert not Case.objects.exists() and not Event.objects.exists()
    assert not type(attachment).objects.exists()
    for callback in on_commit:
        callback()
    assert not private_files.exists(attachment.file.name)
