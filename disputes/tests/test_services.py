import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from disputes import services
from disputes.models import CaseStatus
from unionportal import clock
from unionportal.attachments import check_upload, detect_type
from unionportal.record_services import StaleRecord
from unionportal.tests.factories import make_case


def days_ago(n: int) -> datetime.date:
    return clock.today() - datetime.timedelta(days=n)


def close(user, case, **extra):
    fields = {
        "status": CaseStatus.RESOLVED,
        "closed_on": days_ago(1),
        "amount_recovered": Decimal("100"),
        "expected_version": case.version,
    }
    fields.update(extra)
    return services.close_case(user=user, case=case, **fields)


def test_closing_records_the_user_in_history(staff_a, township_a):
    case = make_case(township_a, received_on=days_ago(5))

    closed = close(staff_a, case)

    assert closed.status == CaseStatus.RESOLVED and closed.version == case.version + 1
    assert closed.history.latest().history_user == staff_a


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"status": CaseStatus.OPEN}, "status"),
        ({"closed_on": None}, "closed_on"),
        ({"closed_on": days_ago(6)}, "closed_on"),
        ({"closed_on": days_ago(-1)}, "closed_on"),
        ({"amount_recovered": Decimal("-0.01")}, "amount_recovered"),
    ],
)
def test_closing_is_refused_with_the_field_named(staff_a, township_a, extra, field):
    case = make_case(township_a, received_on=days_ago(5))

    with pytest.raises(ValidationError) as refused:
        close(staff_a, case, **extra)

    assert field in refused.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_closing_from_a_stale_version_is_refused(staff_a, chair_a, township_a):
    case = make_case(township_a, received_on=days_ago(5))
    opened_at = case.version
    services.update_case(
        user=chair_a, record=case, data={"petitioner": "改名"}, expected_version=opened_at
    )

    with pytest.raises(StaleRecord):
        close(staff_a, case, expected_version=opened_at)


def test_reviewers_cannot_close(reviewer, township_a):
    case = make_case(township_a, received_on=days_ago(5))

    with pytest.raises(PermissionDenied):
        close(reviewer, case)


@pytest.mark.parametrize(
    "head, expected",
    [
        (b"\xff\xd8\xff\xdb", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"GIF87a", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBP", "image/webp"),
        (b"%PDF-1.7", "application/pdf"),
        (b"MZ\x90\x00", None),
        (b"<svg xmlns=", None),
        (b"<html><script>", None),
        (b"PK\x03\x04", None),
        (b"RIFF\x00\x00\x00\x00WAVE", None),
    ],
)
def test_file_types_are_told_by_their_first_bytes(head, expected):
    found = detect_type(head + b"\x00" * 16)
    assert (found[0] if found else None) == expected


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="空文件"):
        check_upload(SimpleUploadedFile("空.jpg", b"", "image/jpeg"))
