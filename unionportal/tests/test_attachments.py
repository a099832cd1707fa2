"""Attachments of cases and events (unionportal/attachments.py): a record deleted with its files."""

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from disputes import services as disputes_services
from disputes.models import Case, CaseAttachment
from events import services as events_services
from events.models import Event, EventAttachment
from unionportal.attachments import attach_file
from unionportal.tests.factories import make_case, make_event

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Attachments written by the tests go to a temporary folder, not var/private."""
    storage = FileSystemStorage(location=tmp_path / "private")
    for model in (CaseAttachment, EventAttachment):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)
    return storage


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
