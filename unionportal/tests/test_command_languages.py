"""Management commands speak Chinese by default and are marked for translation (issue 17.1):
with another language active (LANGUAGE_CODE, or an operator's override) their messages, errors
and the backup's counts follow it."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from unionportal.backup import describe_counts


def test_an_error_is_chinese_by_default_and_english_when_english_is_active(db):
    # As a command runs: no language activated, so settings.LANGUAGE_CODE's.
    with translation.override(None), pytest.raises(CommandError) as chinese:
        call_command("unlock", ip="not-an-address")
    with translation.override("en"), pytest.raises(CommandError) as english:
        call_command("unlock", ip="not-an-address")

    assert str(chinese.value) == "“not-an-address”不是有效的网络地址。"
    assert str(english.value) == "“not-an-address” is not a valid network address."


def test_the_backups_counts_follow_the_active_language():
    counts = {"members_member": 3, "unionportal_township": 2, "events_event": 0}

    with translation.override(None):
        assert describe_counts(counts) == "会员 3 条、乡镇工会 2 条"
    with translation.override("zh-hant"):
        assert describe_counts(counts) == "會員 3 條、鄉鎮工會 2 條"
    with translation.override("en"):
        assert describe_counts(counts) == "Members 3, Township union 2"
