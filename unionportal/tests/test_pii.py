"""unionportal/pii.py: the sealing of ID numbers, their look-up hash, keys and the migrations
that convert rows written before encryption."""

import base64
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from members.models import Member
from unionportal import pii
from unionportal.masking import mask_mobile
from unionportal.tests.factories import id_number, make_member, make_visit
from welfare.models import WelfareVisit

NEW_KEY = base64.b64encode(b"n" * 32).decode()


@pytest.fixture
def fresh_keys():
    pii.reset_keys()
    yield
    pii.reset_keys()


def test_a_sealed_number_opens_again_and_never_shows_the_number():
    number = id_number()

    sealed = pii.encrypt(number)

    assert sealed.startswith("e1:") and number not in sealed
    assert pii.decrypt(sealed) == number
    assert pii.encrypt("") == "" and pii.decrypt("") == ""


def test_the_hash_ignores_how_the_number_was_typed():
    number = id_number()
    typed = "".join(chr(ord(c) + 0xFEE0) for c in number[:6]) + " " + number[6:].lower()

    assert pii.id_number_hash(typed) == pii.id_number_hash(number)
    assert pii.id_number_hash(number) != pii.id_number_hash(id_number())
    assert pii.id_number_hash("") == ""


def test_after_a_key_rotation_old_values_still_open_and_hashes_stay(settings, fresh_keys):
    number = id_number()
    old_key = settings.FIELD_ENCRYPTION_KEY
    sealed_before, hash_before = pii.encrypt(number), pii.id_number_hash(number)
    settings.FIELD_ENCRYPTION_KEY = NEW_KEY
    settings.FIELD_ENCRYPTION_OLD_KEYS = [old_key]
    settings.FIELD_HASH_KEY = old_key
    pii.reset_keys()

    sealed_after = pii.encrypt(number)

    assert pii.decrypt(sealed_before) == number
    assert pii.needs_rotation(sealed_before) and not pii.needs_rotation(sealed_after)
    assert pii.id_number_hash(number) == hash_before


def test_a_value_sealed_by_an_unknown_key_says_which_key_is_missing(settings, fresh_keys):
    sealed = pii.encrypt(id_number())
    settings.FIELD_ENCRYPTION_KEY = NEW_KEY
    pii.reset_keys()

    with pytest.raises(pii.DecryptionError, match=sealed.split(":")[1]):
        pii.decrypt(sealed)


def test_a_key_of_the_wrong_length_is_refused():
    with pytest.raises(ImproperlyConfigured, match="32 字节"):
        pii.decode_key(base64.b64encode(b"short").decode())
    with pytest.raises(ImproperlyConfigured, match="base64"):
        pii.decode_key("not base64!")


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "FIELD_ENCRYPTION_KEY must be set in production"),
        ("ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE=", "FIELD_ENCRYPTION_KEY must be set"),
        ("change-me-base64-of-32-random-bytes", "FIELD_ENCRYPTION_KEY must be base64 of 32"),
    ],
)
def test_production_refuses_to_start_without_a_proper_encryption_key(key, message):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEY": key,
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    env.pop("TESTING", None)  # production, not the test run

    result = subprocess.run(
        [sys.executable, "-c", "import unionportal.settings"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert message in result.stderr


def test_mobiles_are_masked_to_prefix_and_last_four():
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile("") == ""


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_migrations_encrypt_rows_written_before_and_can_be_undone(township_a):
    """Back to before encryption, plain rows written as the old code wrote them, then forward:
    every row, history included, is sealed, hashed and reads as the number again."""
    before = [
        ("members", "0006_member_name_index"),
        ("welfare", "0002_welfarevisit_version_historicalwelfarevisit"),
    ]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    number, visit_number = id_number(), id_number()
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        union = old.get_model("members", "GrassrootsUnion").objects.create(
            township_id=township_a.pk, name="老工会", kind="enterprise", founded_on="2015-01-01"
        )
        member = old.get_model("members", "Member").objects.create(
            township_id=township_a.pk,
            union_id=union.pk,
            name="老会员",
            id_number=number,
            gender="M",
            birth_date="1985-03-15",
            joined_on="2020-01-01",
        )
        old.get_model("members", "HistoricalMember").objects.create(
            id=member.pk,
            township_id=township_a.pk,
            union_id=union.pk,
            name="老会员",
            id_number=number,
            gender="M",
            birth_date="1985-03-15",
            joined_on="2020-01-01",
            created_at=member.created_at,
            updated_at=member.updated_at,
            history_date=member.created_at,
            history_type="+",
        )
        old.get_model("welfare", "WelfareVisit").objects.create(
            township_id=township_a.pk,
            visited_on="2026-01-20",
            beneficiary_type="hardship",
            beneficiary_name="老慰问",
            id_number=visit_number,
        )

        executor = MigrationExecutor(connection)
        executor.migrate(leaves)

        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number, id_number_hash FROM members_member")
            stored, hashed = cursor.fetchone()
            cursor.execute("SELECT id_number, id_number_hash FROM members_historicalmember")
            history = cursor.fetchall()
            cursor.execute("SELECT id_number, id_number_hash FROM welfare_welfarevisit")
            visit = cursor.fetchone()
        assert stored.startswith("e1:") and pii.decrypt(stored) == number
        assert hashed == pii.id_number_hash(number)
        assert history == [(history[0][0], hashed)] and history[0][0].startswith("e1:")
        assert visit[0].startswith("e1:") and visit[1] == pii.id_number_hash(visit_number)

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number FROM members_member")
            assert cursor.fetchone()[0] == number
            cursor.execute("SELECT id_number FROM welfare_welfarevisit")
            assert cursor.fetchone()[0] == visit_number
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)


def test_reencrypting_after_a_rotation_seals_every_row_with_the_new_key(
    settings, fresh_keys, township_a
):
    number = id_number()
    member = make_member(township_a, id_number=number)
    visit = make_visit(township_a, id_number=number)
    old_key = settings.FIELD_ENCRYPTION_KEY
    settings.FIELD_ENCRYPTION_KEY = NEW_KEY
    settings.FIELD_ENCRYPTION_OLD_KEYS = [old_key]
    settings.FIELD_HASH_KEY = old_key
    pii.reset_keys()
    out = io.StringIO()

    call_command("reencrypt_id_numbers", stdout=out)
    call_command("reencrypt_id_numbers", stdout=io.StringIO())  # a second run changes nothing

    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    pii.reset_keys()
    with connection.cursor() as cursor:
        for table in ("members_member", "members_historicalmember", "welfare_welfarevisit"):
            cursor.execute(f"SELECT id_number FROM {table}")  # noqa: S608 (fixed names)
            for (stored,) in cursor.fetchall():
                assert not pii.needs_rotation(stored) and pii.decrypt(stored) == number
    assert "members_member：更新 1 行" in out.getvalue()
    assert Member.objects.get(id_number_hash=pii.id_number_hash(number)) == member
    assert WelfareVisit.objects.get().pk == visit.pk
