"""A portal of its own for tests that run manage.py as separate processes (and kill them): a real
database and media folders in a temporary directory, never pytest-django's test database (in
memory, or inside a transaction another process cannot see).

The database is a SQLite file, or, for the "postgresql" variant, a scratch database created
beside DATABASE_URL's and dropped afterwards; that variant runs only when DATABASE_URL is
PostgreSQL (CI runs the suite both ways).
"""

import base64
import datetime
import os
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from unionportal.backup import sqlite_connect
from unionportal.validators import id_check_char
from workbook.tests.helpers import MEMBER_HEADERS, xlsx

MANAGE = Path(settings.BASE_DIR) / "manage.py"
# One fixed key for every process of a scratch portal: ID numbers are encrypted at rest.
FIELD_KEY = base64.b64encode(b"scratch-portal-test-key-32-bytes").decode()
OTHER_FIELD_KEY = base64.b64encode(b"another-portal-test-key-32-bytes").decode()


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "").strip()
    return url if url.startswith(("postgres://", "postgresql://", "pgsql://")) else None


def require_engine(engine: str) -> None:
    if engine == "postgresql" and postgres_url() is None:
        pytest.skip("DATABASE_URL 不是 PostgreSQL：此情形在 CI 的 PostgreSQL 任务中运行")


@dataclass
class ScratchPortal:
    root: Path
    engine: str
    env: dict[str, str]
    database: str  # the SQLite file, or the PostgreSQL database name

    @property
    def media_root(self) -> Path:
        return Path(self.env["MEDIA_ROOT"])

    @property
    def private_root(self) -> Path:
        return Path(self.env["PRIVATE_MEDIA_ROOT"])

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, str(MANAGE), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} → {done.returncode}:\n{done.stderr}")
        return done

    def start(self, *args: str) -> subprocess.Popen:
        """manage.py in the background; its output goes to files (a full pipe would block it)."""
        log = self.root / f"{args[0]}-{uuid.uuid4().hex[:6]}"
        return subprocess.Popen(
            [sys.executable, str(MANAGE), *args],
            env=self.env,
            stdout=(log.with_suffix(".out")).open("wb"),
            stderr=(log.with_suffix(".err")).open("wb"),
        )

    def connect(self) -> Any:
        if self.engine == "sqlite":
            return sqlite_connect(Path(self.database))
        import psycopg

        return psycopg.connect(_with_dbname(postgres_url(), self.database), autocommit=True)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        db = self.connect()
        try:
            cursor = db.cursor()
            cursor.execute(sql if self.engine == "postgresql" else sql.replace("%s", "?"), params)
            return cursor.fetchall()
        finally:
            db.close()

    def tables(self) -> list[str]:
        if self.engine == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        return sorted(row[0] for row in self.query(sql))

    def snapshot(self) -> dict[str, list[tuple]]:
        """Every row of every table, to compare the whole database before and after."""
        db = self.connect()
        try:
            cursor = db.cursor()
            state = {}
            for table in self.tables():
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the catalogue)
                state[table] = sorted(
                    (
                        tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                        for row in cursor.fetchall()
                    ),
                    key=repr,
                )
            return state
        finally:
            db.close()

    def count(self, table: str) -> int:
        return self.query(f'SELECT COUNT(*) FROM "{table}"')[0][0]  # noqa: S608


def _with_dbname(url: str, name: str) -> str:
    import psycopg.conninfo

    return psycopg.conninfo.make_conninfo(url.replace("pgsql://", "postgres://"), dbname=name)


def make_portal(root: Path, engine: str, *, migrate: bool = True) -> ScratchPortal:
    """A portal in `root`, migrated, with the 慈溪县 township 慈东镇 (code cidong)."""
    root.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DEBUG": "0",
        "MEDIA_ROOT": str(root / "media"),
        "PRIVATE_MEDIA_ROOT": str(root / "private"),
        "FIELD_ENCRYPTION_KEY": FIELD_KEY,
    }
    if engine == "sqlite":
        database = str(root / "db.sqlite3")
        env["DATABASE_URL"] = f"sqlite:///{database}"
    else:
        import psycopg

        database = f"scratch_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(_with_dbname(postgres_url(), "postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        base, _, query = postgres_url().partition("?")
        env["DATABASE_URL"] = base[: base.rindex("/") + 1] + database + (f"?{query}" * bool(query))
    portal = ScratchPortal(root=root, engine=engine, env=env, database=database)
    if migrate:
        portal.manage("migrate", "--noinput")
        portal.manage("add_township", "cidong", "慈东镇", "--county", "慈溪县")
    return portal


def drop_portal(portal: ScratchPortal) -> None:
    if portal.engine != "postgresql":
        return
    import psycopg

    with psycopg.connect(_with_dbname(postgres_url(), "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{portal.database}" WITH (FORCE)')


def unique_id_number(i: int) -> str:
    """The i-th of a long run of distinct, valid resident ID numbers."""
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=i // 400)
    first17 = f"330282{birth:%Y%m%d}{i % 400 * 2 + 1:03d}"
    return first17 + id_check_char(first17)


def members_workbook(count: int, *, union: str, start: int = 0) -> bytes:
    """A records workbook with one grassroots union and `count` members of it."""
    rows = [MEMBER_HEADERS] + [
        [f"会员{i}", unique_id_number(i), union, None, datetime.date(2020, 1, 1)]
        for i in range(start, start + count)
    ]
    unions = [["工会名称", "类型", "成立日期"], [union, "企业工会", datetime.date(2015, 1, 1)]]
    return xlsx({"基层工会": unions, "会员": rows})


def sqlite_integrity(path: Path) -> str:
    db = sqlite_connect(path)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def sqlite_write_locked(path: Path) -> bool:
    """Whether another connection holds the write lock (is inside a write transaction)."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return True
        raise
    finally:
        probe.close()
