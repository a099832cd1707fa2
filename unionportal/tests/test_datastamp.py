"""Each township's data token for a record table changes with every write to that table's rows
of the township, whatever the way of writing (unionportal/datastamp.py), and with nothing else."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.models import F

from honours.models import Honour
from members.models import DuesRemittance, Employer, Member, MemberTransfer, UnionMilestone
from unionportal.datastamp import (
    all_tables,
    install_triggers,
    stamped_models,
    table_tokens,
    tokens,
    trigger_names,
)
from unionportal.models import DataStamp, Township
from unionportal.tests.factories import (
    drop_portal,
    make_hardship_file,
    make_honour,
    make_milestone,
    make_mutual_aid,
    make_portal,
    make_remittance,
    make_township,
    make_transfer,
    require_engine,
)
from welfare.models import HardshipFile, MutualAidEnrolment

EXPECTED_TABLES = {
    "members_grassrootsunion",
    "members_employer",
    "members_member",
    "members_collectivecontract",
    "members_duesrecord",
    "welfare_welfarevisit",
    "disputes_case",
    "events_event",
    "welfare_hardshipfile",
    "welfare_mutualaidenrolment",
    "members_unionmilestone",
    "members_duesremittance",
    "honours_honour",
    # A transfer's own writes stamp its sending township; accepting it writes member rows of
    # both townships, which stamp each.
    "members_membertransfer",
}


@pytest.fixture
def handmade(data):
    """Townships A and B with records of every kind (the `data` fixture of conftest.py)."""
    return data


def token(township: Township) -> int | None:
    return tokens([township.pk]).get(township.pk)


def installed_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in cursor.fetchall()}


def test_every_record_kind_is_stamped(db):
    tables = {m._meta.db_table for m in stamped_models()}
    assert tables == EXPECTED_TABLES
    names = installed_triggers()
    for table in tables:
        wanted = set(trigger_names(table))
        if connection.vendor == "postgresql":
            wanted.discard(f"{table}_stamp_upd_old")  # one statement trigger covers both sides
        assert wanted <= names, table


# Builders for kinds the hand-made records leave out, so every kind has a row to update.
EXTRA_BUILDERS = {
    DuesRemittance: make_remittance,
    HardshipFile: make_hardship_file,
    MutualAidEnrolment: make_mutual_aid,
    UnionMilestone: make_milestone,
    Honour: make_honour,
    MemberTransfer: lambda a: make_transfer(a, make_township(a.county)),
}


def test_an_update_of_every_kind_changes_its_townships_token_only(handmade):
    a, b = handmade
    for model in stamped_models():
        if not model.objects.filter(township=a).exists() and model in EXTRA_BUILDERS:
            EXTRA_BUILDERS[model](a)
        assert model.objects.filter(township=a).exists(), model
        before_a, before_b = table_tokens([a.pk])[a.pk], token(b)
        assert model.objects.filter(township=a).update(version=F("version") + 1) > 0
        after_a = table_tokens([a.pk])[a.pk]
        # That table's token of that township, and nothing else.
        changed = {table for table in after_a if after_a[table] != before_a.get(table)}
        assert changed == {model._meta.db_table}, model
        assert token(b) == before_b, model


def test_create_bulk_create_delete_and_raw_sql_change_the_token(handmade):
    a, b = handmade
    seen = {token(a)}

    def changed() -> None:
        now = token(a)
        assert now is not None and now not in seen
        seen.add(now)

    Employer.objects.create(township=a, name="新单位", employees=5)
    changed()
    Employer.objects.bulk_create(
        [Employer(township=a, name=f"批量{i}", employees=1) for i in range(3)]
    )
    changed()
    Employer.objects.filter(township=a, name__startswith="批量").delete()
    changed()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Member._meta.db_table} SET left_on = %s WHERE township_id = %s",
            [datetime.date(2026, 12, 31), a.pk],
        )
    changed()
    assert token(b) is not None


def test_moving_a_record_changes_both_townships(handmade):
    a, b = handmade
    before_a, before_b = token(a), token(b)
    Employer.objects.filter(township=a, name="E3").update(township=b)
    assert token(a) != before_a
    assert token(b) != before_b


def test_a_rolled_back_write_takes_its_token_back(handmade):
    a, _ = handmade
    before = token(a)
    with pytest.raises(RuntimeError), transaction.atomic():
        Employer.objects.create(township=a, name="撤销", employees=1)
        assert token(a) != before
        raise RuntimeError
    assert token(a) == before


def test_reading_leaves_the_token_alone(handmade):
    a, _ = handmade
    before = token(a)
    list(Member.objects.filter(township=a))
    Employer.objects.filter(township=a).count()
    assert token(a) == before


def test_installing_again_keeps_one_set_of_triggers_and_gives_fresh_tokens(handmade):
    a, b = handmade
    count = len(installed_triggers())
    before = token(a)
    install_triggers()
    assert len(installed_triggers()) == count
    assert token(a) != before
    assert set(DataStamp.objects.values_list("township_id", flat=True)) >= {a.pk, b.pk}
    Employer.objects.create(township=a, name="又一家", employees=1)
    assert DataStamp.objects.filter(township_id=a.pk).count() == len(stamped_models())


def test_a_new_township_has_a_token_for_every_table_and_a_write_changes_one(db, county):
    new = make_township(county, "新设镇")
    first = table_tokens([new.pk])[new.pk]
    assert set(first) == all_tables()
    Employer.objects.create(township=new, name="新单位", employees=3)
    second = table_tokens([new.pk])[new.pk]
    assert {t for t in second if second[t] != first[t]} == {"members_employer"}
    assert tokens([new.pk], tables=frozenset({"welfare_welfarevisit"})) == {
        new.pk: (first["welfare_welfarevisit"],)
    }


def test_a_missing_token_for_a_table_read_means_no_token(handmade):
    a, _ = handmade
    DataStamp.objects.filter(township_id=a.pk, source="disputes_case").delete()
    assert a.pk not in tokens([a.pk])
    assert a.pk not in tokens([a.pk], tables=frozenset({"disputes_case", "members_member"}))
    assert a.pk in tokens([a.pk], tables=frozenset({"members_member"}))


STAMPS_NOW = """
from django.db import connection
from unionportal.datastamp import table_tokens
from unionportal.models import Township
with connection.cursor() as cursor:
    described = connection.introspection.get_table_description(cursor, "unionportal_datastamp")
columns = [c.name for c in described]
ids = list(Township.objects.values_list("pk", flat=True))
rows = sum(len(s) for s in table_tokens(ids).values()) if "source" in columns else "-"
print("STAMPS", ",".join(columns), rows)
"""


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_database_migrated_back_to_one_token_per_township_and_forward_again(engine, tmp_path):
    # Taking a database back to the release before 0006 (and the bench's baselines do) must not
    # leave triggers naming the new table's columns, and this release's migrate must not try to
    # fill the old table; going forward again gives every township a token per table.
    require_engine(engine)
    portal = make_portal(tmp_path / "portal", engine)
    try:
        tables = len(stamped_models())
        assert (
            f"STAMPS id,township_id,source,token {tables}"
            in portal.manage("shell", "-c", STAMPS_NOW).stdout
        )
        portal.manage("migrate", "unionportal", "0005", "--noinput")
        assert "STAMPS township_id,token -" in portal.manage("shell", "-c", STAMPS_NOW).stdout
        # With the old table in place, writing a record fires no trigger of the new release.
        portal.manage("add_township", "xishan", "西山乡", "--county", "慈溪县")
        portal.manage("migrate", "--noinput")
        assert (
            f"STAMPS id,township_id,source,token {2 * tables}"
            in portal.manage("shell", "-c", STAMPS_NOW).stdout
        )
    finally:
        drop_portal(portal)
