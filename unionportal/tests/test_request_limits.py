"""Request bodies are refused from their declared size, before a byte is read: a 200 MB POST to
the workbook upload or to the login page never reaches a temporary file. Uploads may send their
file's limit; every other page a small form."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from unionportal import attachments
from unionportal.security import DEFAULT_MAX_BODY_BYTES, upload_allowance
from unionportal.spreadsheet.reading import MAX_UPLOAD_BYTES
from unionportal.tests.factories import make_case, make_event

MB = 1024 * 1024


class UnreadableInput(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def read(self, *args):
        raise AssertionError("the request body was read")

    readinto = readline = read


def post_declaring(client, url: str, length: int | None, **extra):
    environ = {"wsgi.input": UnreadableInput(), "CONTENT_TYPE": "multipart/form-data; boundary=x"}
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    return client.generic("POST", url, **environ, **extra)


def test_a_200_mb_post_to_the_login_page_is_refused_unread(db, client):
    response = post_declaring(client, reverse("login"), 200 * MB)

    assert response.status_code == 413
    page = response.content.decode()
    assert "提交的内容太大" in page and "没有保存任何内容" in page
    assert "1 MB" in page


def test_a_200_mb_workbook_upload_is_refused_unread(client, staff_a):
    client.force_login(staff_a)

    response = post_declaring(client, reverse("workbook:upload"), 200 * MB)

    assert response.status_code == 413
    assert "20 MB" in response.content.decode()


def test_the_targets_upload_is_refused_past_its_limit(client, reviewer):
    client.force_login(reviewer)

    response = post_declaring(client, reverse("reports:targets_upload"), 2 * MB * 5 // 4 + 1)

    assert response.status_code == 413
    assert "2 MB" in response.content.decode()


@pytest.mark.parametrize("kind", ["disputes", "events"])
def test_an_attachment_upload_is_refused_past_its_limit(client, staff_a, township_a, kind):
    client.force_login(staff_a)
    if kind == "disputes":
        url = reverse("disputes:attachment_upload", args=[make_case(township_a).pk])
    else:
        url = reverse("events:attachment_upload", args=[make_event(township_a).pk])

    # Several files may go up at once: the request's limit is their total (20 MB).
    response = post_declaring(client, url, upload_allowance(attachments.MAX_UPLOAD_BYTES) + 1)

    assert response.status_code == 413
    assert "20 MB" in response.content.decode()


def test_a_file_a_little_over_its_limit_reaches_its_page_for_the_precise_message(
    client, staff_a, township_a
):
    client.force_login(staff_a)
    big = SimpleUploadedFile("大照片.jpg", b"\xff\xd8\xff" + b"\0" * (11 * MB))

    response = client.post(
        reverse("disputes:attachment_upload", args=[make_case(township_a).pk]),
        {"file": big},
        follow=True,
    )

    assert "超过了 10 MB 的上限" in response.content.decode()


def test_any_other_page_takes_at_most_the_small_limit(client, staff_a):
    client.force_login(staff_a)

    response = post_declaring(client, reverse("members:member_create"), DEFAULT_MAX_BODY_BYTES + 1)

    assert response.status_code == 413


def test_a_body_of_unknown_length_is_refused_unread(db, client):
    # Chunked transfer names no length up front: nothing can be checked before reading.
    response = post_declaring(
        client, reverse("workbook:upload"), None, HTTP_TRANSFER_ENCODING="chunked"
    )

    assert response.status_code == 411
    assert "没有声明内容长度" in response.content.decode()


def test_a_workbook_beyond_the_small_limit_still_reaches_the_upload_page(client, staff_a):
    client.force_login(staff_a)
    big = SimpleUploadedFile("大文件.xlsx", b"PK" + b"\0" * (2 * MB))

    response = client.post(reverse("workbook:upload"), {"file": big})

    assert response.status_code == 200
    assert "文件" in response.content.decode()
    assert MAX_UPLOAD_BYTES > 2 * MB


def test_the_refusal_page_carries_the_security_headers(db, client):
    response = post_declaring(client, reverse("login"), 200 * MB)

    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"
