"""A full disk while saving is a clear page (503) and nothing saved; any other failure is the
usual 500 page (unionportal/errors.py)."""

import errno

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from members.models import Member
from unionportal.errors import is_disk_full
from unionportal.tests.factories import make_union, member_post, page_text

FULL = "服务器的磁盘空间已用完，您刚才的操作没有保存，数据没有任何改动。"


class FakeDiskFull(Exception):
    sqlstate = "53100"  # what psycopg's DiskFull carries


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "failure",
    [
        OperationalError("database or disk is full"),  # SQLite
        OSError(errno.ENOSPC, "No space left on device"),  # a file being written
        FakeDiskFull("could not extend file"),  # PostgreSQL
    ],
    ids=["sqlite", "file", "postgresql"],
)
def test_saving_a_member_on_a_full_disk_says_so_and_saves_nothing(
    browser, staff_a, township_a, monkeypatch, failure
):
    union = make_union(township_a)
    browser.force_login(staff_a)

    def full(*args, **kwargs):
        raise OperationalError("write failed") from failure

    monkeypatch.setattr(Member, "save", full)
    response = browser.post(reverse("members:member_create"), member_post(union))

    assert response.status_code == 503
    assert FULL in page_text(response)
    assert "请通知系统管理员清理磁盘空间" in page_text(response)
    assert not Member.objects.exists()


def test_a_full_disk_while_saving_the_session_on_sign_in_says_so(browser, staff_a, monkeypatch):
    def full(self, must_create=False):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(SessionStore, "save", full)
    response = browser.post(reverse("login"), {"username": staff_a.username, "password": PASSWORD})
    assert response.status_code == 503
    assert FULL in page_text(response)


def test_any_other_failure_is_the_usual_error_page(browser, staff_a, township_a, monkeypatch):
    union = make_union(township_a)
    browser.force_login(staff_a)

    def broken(*args, **kwargs):
        raise RuntimeError("something else")

    monkeypatch.setattr(Member, "save", broken)
    response = browser.post(reverse("members:member_create"), member_post(union))
    assert response.status_code == 500
    assert "系统暂时出错，您刚才的操作可能没有完成。" in page_text(response)
    assert FULL not in page_text(response)


def test_what_counts_as_a_full_disk():
    assert is_disk_full(OSError(errno.EDQUOT, "Disk quota exceeded"))
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not is_disk_full(OperationalError("database is locked"))
    assert not is_disk_full(None)


def test_a_disk_filling_up_midway_rolls_back_what_was_written_before(
    browser, staff_a, township_a, monkeypatch
):
    # The member's row is inserted, then writing its history fails: the whole save is undone.
    from simple_history.models import HistoricalRecords

    union = make_union(township_a)
    browser.force_login(staff_a)

    written = []

    def full(*args, **kwargs):
        with connection.cursor() as cursor:  # raw SQL: the access guard watches the ORM
            cursor.execute("SELECT COUNT(*) FROM members_member")
            written.append(cursor.fetchone()[0])
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(HistoricalRecords, "create_historical_record", full)
    response = browser.post(reverse("members:member_create"), member_post(union))

    assert written == [1]  # the row had been written when the disk filled up
    assert response.status_code == 503
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    "language, title", [("en", "The server's disk is full"), ("zh-hant", "伺服器磁碟已滿")]
)
def test_the_full_disk_page_speaks_the_users_language(
    browser, staff_a, township_a, monkeypatch, settings, language, title
):
    union = make_union(township_a)
    browser.force_login(staff_a)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    def full(*args, **kwargs):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(Member, "save", full)
    response = browser.post(reverse("members:member_create"), member_post(union))
    assert response.status_code == 503
    assert title in response.content.decode()
