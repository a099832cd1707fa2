"""Each township's data tokens (DataStamp), one per record table, kept by database triggers.

Every table of a TownshipRecord kind (会员, 单位, 基层工会, 集体合同, 经费, 慰问, 信访, 活动 …)
gets triggers that give the written rows' township(s) a new random token for that table, inside
the writing statement and so inside its transaction: a bulk insert, an update of many rows, a
delete, the admin or raw SQL all change it, and a rolled-back write takes its token back with it.
On an update that moves a record to another township, both townships get one.

  SQLite: row triggers, `INSERT OR REPLACE … random()` (a 64-bit random integer).
  PostgreSQL: statement triggers with transition tables, so a 50,000-row import writes each
  township's token once, not 50,000 times.

A result read from some tables is kept under the tokens of those tables only (tokens(…,
tables=…); unionportal.kept): a welfare visit written leaves the kept membership figures alone.
The triggers are (re)created after every `migrate` (post_migrate), which also covers a table that
a migration rebuilt (SQLite drops a rebuilt table's triggers) and a record kind added later, and
every township then gets a fresh token for every table; a township added later gets its tokens
as it is saved (post_save). tests/test_datastamp.py checks every record table.
"""

import functools
from collections.abc import Iterable

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

from unionportal.models import DataStamp, Township, TownshipRecord

STAMP_TABLE = DataStamp._meta.db_table
PG_FUNCTION = "unionportal_stamp_townships"
# A random non-negative 63-bit integer on PostgreSQL (random() is a double in [0, 1)).
PG_TOKEN = "(random() * 9.2e18)::bigint"


def stamped_models() -> list[type[TownshipRecord]]:
    """The concrete record kinds whose tables carry the triggers (not their history tables)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TownshipRecord) and not model._meta.abstract and not model._meta.proxy
    ]


def trigger_names(table: str) -> list[str]:
    return [f"{table}_stamp_{op}" for op in ("ins", "upd", "upd_old", "del")]


def _sqlite_statements(table: str) -> list[str]:
    ins, upd, upd_old, dele = trigger_names(table)
    put = f'INSERT OR REPLACE INTO "{STAMP_TABLE}" (township_id, source, token) VALUES'
    return [
        *(f'DROP TRIGGER IF EXISTS "{name}"' for name in trigger_names(table)),
        f'CREATE TRIGGER "{ins}" AFTER INSERT ON "{table}" '
        f"BEGIN {put} (NEW.township_id, '{table}', random()); END",
        f'CREATE TRIGGER "{upd}" AFTER UPDATE ON "{table}" '
        f"BEGIN {put} (NEW.township_id, '{table}', random()); END",
        f'CREATE TRIGGER "{upd_old}" AFTER UPDATE OF township_id ON "{table}" '
        f"WHEN OLD.township_id IS NOT NEW.township_id "
        f"BEGIN {put} (OLD.township_id, '{table}', random()); END",
        f'CREATE TRIGGER "{dele}" AFTER DELETE ON "{table}" '
        f"BEGIN {put} (OLD.township_id, '{table}', random()); END",
    ]


def _pg_function() -> str:
    # One token per township touched by the statement (for the table it wrote, TG_TABLE_NAME),
    # written in township order so that two statements touching the same townships lock their
    # stamp rows in the same order.
    def put(rows: str) -> str:
        return (
            f'INSERT INTO "{STAMP_TABLE}" (township_id, source, token) '
            f"SELECT t, TG_TABLE_NAME, {PG_TOKEN} "
            f"FROM (SELECT DISTINCT township_id AS t FROM {rows}) AS s ORDER BY t "
            "ON CONFLICT (township_id, source) DO UPDATE SET token = EXCLUDED.token;"
        )

    return f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {put("new_rows")}
    ELSIF TG_OP = 'UPDATE' THEN
        {put("(SELECT township_id FROM new_rows UNION SELECT township_id FROM old_rows) AS u")}
    ELSE
        {put("old_rows")}
    END IF;
    RETURN NULL;
END
$$"""


def _pg_statements(table: str) -> list[str]:
    ins, upd, _, dele = trigger_names(table)
    each = f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
    return [
        *(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"' for name in trigger_names(table)),
        f'CREATE TRIGGER "{ins}" AFTER INSERT ON "{table}" '
        f"REFERENCING NEW TABLE AS new_rows {each}",
        f'CREATE TRIGGER "{upd}" AFTER UPDATE ON "{table}" '
        f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {each}",
        f'CREATE TRIGGER "{dele}" AFTER DELETE ON "{table}" '
        f"REFERENCING OLD TABLE AS old_rows {each}",
    ]


def install_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    """(Re)create the triggers on every record table and give every township a fresh token."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return  # no triggers: DataStamp rows are never written, so nothing is cached
    tables = [m._meta.db_table for m in stamped_models()]
    existing = set(connection.introspection.table_names())
    if STAMP_TABLE not in existing or not _per_table(connection):
        # No stamp table yet, or the one-token-per-township table of before migration 0006 (a
        # database migrated back to an older release): that release's migrate installs its own.
        return
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(_pg_function())
        for table in tables:
            if table not in existing:
                continue
            for sql in _sqlite_statements(table) if vendor == "sqlite" else _pg_statements(table):
                cursor.execute(sql)
        cursor.execute(f'DELETE FROM "{STAMP_TABLE}"')
        cursor.execute(fresh_tokens_sql(vendor))


def _per_table(connection) -> bool:
    """Whether the stamp table has a token per township and record table (migration 0006)."""
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, STAMP_TABLE)
    return any(column.name == "source" for column in columns)


def drop_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    """Remove the triggers from every record table (migration 0006 going back: the older
    release's migrate installs its own)."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in stamped_models():
            table = model._meta.db_table
            if table not in existing:
                continue
            for name in trigger_names(table):
                if connection.vendor == "sqlite":
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                else:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')


def fresh_tokens_sql(vendor: str, township_ids: Iterable[int] | None = None) -> str:
    """One statement giving every township (or those of `township_ids`) a new random token for
    every record table (over any it has: run after deleting them, or for new townships)."""
    township = Township._meta.db_table
    token = "random()" if vendor == "sqlite" else PG_TOKEN
    sources = ", ".join(f"('{m._meta.db_table}')" for m in stamped_models())
    where = ""
    if township_ids is not None:
        where = " WHERE t.id IN (" + ", ".join(str(int(i)) for i in township_ids) + ")"
    return (
        f"WITH s(source) AS (VALUES {sources}) "
        f'INSERT INTO "{STAMP_TABLE}" (township_id, source, token) '
        f'SELECT t.id, s.source, {token} FROM "{township}" AS t CROSS JOIN s{where}'
    )


def after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    install_triggers(using)


def after_township_saved(sender, instance: Township, created: bool, raw: bool = False, **kwargs):
    """A new township gets a token for every record table, so what is read from its records is
    kept from the first view (with none, nothing of it would be kept until each table was
    written). A restored backup (raw) brings its own tokens."""
    if not created or raw:
        return
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    if STAMP_TABLE not in connection.introspection.table_names() or not _per_table(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{STAMP_TABLE}" WHERE township_id = %s', [instance.pk])
        cursor.execute(fresh_tokens_sql(connection.vendor, [instance.pk]))


Stamps = dict[str, int]  # {record table: token} of one township


def table_tokens(township_ids: Iterable[int], using: str = DEFAULT_DB_ALIAS) -> dict[int, Stamps]:
    """{township id: {record table: its current token}} for those of the townships that have any
    (one query)."""
    ids = list(township_ids)
    if not ids:
        return {}
    found: dict[int, Stamps] = {}
    # Plain SQL: a county's 30 townships are some 400 rows, which the ORM's values_list took
    # half a millisecond to hand over on every dashboard view.
    marks = ", ".join(["%s"] * len(ids))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f'SELECT township_id, source, token FROM "{STAMP_TABLE}" '
            f"WHERE township_id IN ({marks})",
            ids,
        )
        for tid, source, token in cursor.fetchall():
            stamps = found.get(tid)
            if stamps is None:
                stamps = found[tid] = {}
            stamps[source] = token
    return found


@functools.cache
def all_tables() -> frozenset[str]:
    """Every record table that carries the triggers."""
    return frozenset(m._meta.db_table for m in stamped_models())


@functools.cache
def _ordered(tables: frozenset[str] | None) -> tuple[str, ...]:
    return tuple(sorted(all_tables() if tables is None else tables))


def combined(stamps: Stamps | None, tables: frozenset[str] | None = None) -> tuple | None:
    """One township's token for a result read from `tables` (None: every record table): the
    tables' tokens in table order, or None when any of them has no token (never kept)."""
    if stamps is None:
        return None
    try:
        return tuple(stamps[name] for name in _ordered(tables))
    except KeyError:
        return None


def tokens(
    township_ids: Iterable[int],
    using: str = DEFAULT_DB_ALIAS,
    tables: frozenset[str] | None = None,
) -> dict[int, tuple]:
    """{township id: its current token for `tables` (None: every record table)} for those of the
    townships that have one (one query)."""
    found = {}
    for tid, stamps in table_tokens(township_ids, using).items():
        token = combined(stamps, tables)
        if token is not None:
            found[tid] = token
    return found
