"""Settings that a deployment relies on: the database, the locale, and production security."""

import base64
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.utils import ConnectionHandler

from unionportal.settings import database_config

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the suite runs against another database"
)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the suite runs against another database"
)


def open_connection(config: dict):
    """A connection of its own (per thread), built the way Django builds the default one."""
    return ConnectionHandler({"default": config})["default"]


def query_value(conn, sql: str):
    with conn.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


# The locale


def test_time_zone_and_languages_are_chinese_first():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"
    codes = [code for code, _ in settings.LANGUAGES]
    assert codes[0] == "zh-hans"
    assert {"zh-hant", "en"} <= set(codes)


# DATABASE_URL


def test_database_url_for_postgresql_picks_postgresql():
    config = database_config("postgres://portal:secret@db.internal:5433/unionportal")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == (
        "unionportal",
        "portal",
        "secret",
    )
    assert (config["HOST"], config["PORT"]) == ("db.internal", 5433)
    assert config["CONN_MAX_AGE"] == 60
    assert "transaction_mode" not in config.get("OPTIONS", {})


def test_postgresql_connections_run_without_jit():
    # JIT compiling the figures' wide grouped queries cost seconds per county page.
    config = database_config("postgres://portal:secret@db.internal:5433/unionportal")

    assert "jit=off" in config["OPTIONS"]["options"]
    # And random reads priced as on an SSD, so a name search takes the indexes.
    assert "random_page_cost=1.1" in config["OPTIONS"]["options"]


@postgresql_only
def test_postgresql_connection_has_jit_off(db):
    assert query_value(connection, "SHOW jit") == "off"
    assert query_value(connection, "SHOW random_page_cost") == "1.1"


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements(monkeypatch):
    monkeypatch.delenv("DB_PREPARED_STATEMENTS", raising=False)
    options = database_config("postgres://u@h/db")["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 2
    # Off for PgBouncer in transaction mode, which cannot keep a prepared statement.
    monkeypatch.setenv("DB_PREPARED_STATEMENTS", "0")
    options = database_config("postgres://u@h/db")["OPTIONS"]
    assert "server_side_binding" not in options and "prepare_threshold" not in options
    assert "jit=off" in options["options"]


@postgresql_only
def test_a_query_run_again_on_a_connection_is_prepared_on_the_server(db):
    from unionportal.models import Township

    # Statements on the township table that this connection has prepared (the pattern is built
    # in SQL so that this query's own text does not match it).
    count_sql = (
        "SELECT count(*) FROM pg_prepared_statements"
        " WHERE statement LIKE '%' || 'FROM \"unionportal_' || 'township\"' || '%'"
    )

    def township_ids(pk: int) -> list[int]:
        return list(Township.objects.filter(pk=pk).values_list("pk", flat=True))

    assert query_value(connection, count_sql) == 0
    for _ in range(3):
        assert township_ids(-1) == []
    assert query_value(connection, count_sql) == 1
    # The values travel apart from the SQL, so another township is the same statement.
    assert township_ids(-2) == []
    assert query_value(connection, count_sql) == 1


def test_connection_lifetime_follows_the_argument():
    assert database_config("postgres://u@h/db", conn_max_age=0)["CONN_MAX_AGE"] == 0


def test_no_database_url_means_the_sqlite_file_in_var():
    config = database_config("")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(config["NAME"]) == Path(settings.BASE_DIR) / "var" / "db.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_sqlite_url_gets_the_same_concurrency_options(tmp_path):
    config = database_config(f"sqlite:///{tmp_path / 'portal.sqlite3'}")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "portal.sqlite3")
    assert config["OPTIONS"] == database_config("")["OPTIONS"]


# SQLite under several writers


@sqlite_only
def test_default_sqlite_connection_waits_instead_of_failing(db):
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert query_value(connection, "PRAGMA busy_timeout") == 20000
    assert query_value(connection, "PRAGMA foreign_keys") == 1


def test_sqlite_file_database_runs_in_wal_mode(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        conn = open_connection(database_config(f"sqlite:///{tmp_path / 'wal.sqlite3'}"))
        try:
            assert query_value(conn, "PRAGMA journal_mode") == "wal"
            assert query_value(conn, "PRAGMA busy_timeout") == 20000
        finally:
            conn.close()


def two_writers_read_then_write(config: dict) -> tuple[int, list[BaseException]]:
    """Two threads each read a counter and write it back plus one, overlapping in time.

    Writer A reads first and waits (briefly) until B has read too before it writes. With
    IMMEDIATE transactions B cannot even begin until A commits, so it reads A's value; with
    DEFERRED ones B reads the old value and its write fails with "database is locked".
    """
    errors: list[BaseException] = []
    a_read, b_starting, b_read, a_committed = (threading.Event() for _ in range(4))

    def read_counter(conn) -> int:
        return query_value(conn, "SELECT n FROM counter")

    def in_transaction(body) -> None:
        conn = open_connection(config)
        try:
            conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            try:
                body(conn)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            finally:
                conn.set_autocommit(True)
        except BaseException as error:  # reported to the test, not lost in the thread
            errors.append(error)
        finally:
            conn.close()

    def writer_a(conn) -> None:
        value = read_counter(conn)
        a_read.set()
        b_starting.wait(5)
        b_read.wait(0.5)  # under IMMEDIATE, B is blocked at BEGIN and this times out
        with conn.cursor() as cursor:
            cursor.execute("UPDATE counter SET n = %s", [value + 1])

    def writer_b(conn) -> None:
        value = read_counter(conn)
        b_read.set()
        a_committed.wait(5)
        with conn.cursor() as cursor:
            cursor.execute("UPDATE counter SET n = %s", [value + 1])

    def run_a() -> None:
        in_transaction(writer_a)
        a_committed.set()

    def run_b() -> None:
        a_read.wait(5)
        b_starting.set()
        in_transaction(writer_b)

    threads = [threading.Thread(target=run_a), threading.Thread(target=run_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)

    conn = open_connection(config)
    try:
        return query_value(conn, "SELECT n FROM counter"), errors
    finally:
        conn.close()


@pytest.fixture
def counter_db(tmp_path, django_db_blocker):
    config = database_config(f"sqlite:///{tmp_path / 'counter.sqlite3'}")
    with django_db_blocker.unblock():
        conn = open_connection(config)
        with conn.cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n integer NOT NULL)")
            cursor.execute("INSERT INTO counter (n) VALUES (0)")
        conn.close()
        yield config


def test_two_writers_with_immediate_transactions_both_succeed(counter_db):
    assert counter_db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"

    final, errors = two_writers_read_then_write(counter_db)

    assert errors == []
    assert final == 2


def test_two_writers_with_deferred_transactions_would_lock(counter_db):
    # The control: the same two writers without IMMEDIATE fail, so the test above can fail.
    deferred = {**counter_db, "OPTIONS": {**counter_db["OPTIONS"], "transaction_mode": "DEFERRED"}}

    final, errors = two_writers_read_then_write(deferred)

    assert len(errors) == 1
    assert isinstance(errors[0], OperationalError)
    assert "database is locked" in str(errors[0])
    assert final == 1


# Production settings, read in a fresh interpreter with a production-like environment


# Every variable settings.py reads: a developer's own values must not leak into these checks.
SETTINGS_VARIABLES = {
    "DEBUG",
    "TESTING",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEY",
    "FIELD_ENCRYPTION_OLD_KEYS",
    "FIELD_HASH_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "HTTPS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "BEHIND_PROXY",
}


def production_settings(**env: str) -> subprocess.CompletedProcess:
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER is not None, "
        "s.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[-1])"
    )
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", script],
        env={**clean, "DJANGO_SETTINGS_MODULE": "unionportal.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_https_turns_on_secure_cookies_redirect_and_hsts():
    result = production_settings(
        SECRET_KEY="x" * 60,
        FIELD_ENCRYPTION_KEY=base64.b64encode(b"k" * 32).decode(),
        HTTPS="1",
        BEHIND_PROXY="1",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "PortalManifestStorage",
    ]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "unionportal.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


# The values settings.py falls back to, published in the repository: never a production key.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production-0123456789abcdef"
DEVELOPMENT_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="
PRODUCTION_FIELD_KEY = base64.b64encode(b"p" * 32).decode()


def test_check_deploy_without_keys_stops_and_names_both_variables():
    result = manage("check", "--deploy", DEBUG="0", HTTPS="1")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    last_line = result.stderr.strip().splitlines()[-1]
    assert "SECRET_KEY" in last_line and "FIELD_ENCRYPTION_KEY" in last_line


def test_migrate_without_a_secret_key_stops_naming_only_that_variable():
    result = manage("migrate", "--plan", DEBUG="0", FIELD_ENCRYPTION_KEY=PRODUCTION_FIELD_KEY)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "SECRET_KEY" in last_line and "FIELD_ENCRYPTION_KEY" not in last_line


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECRET_KEY", DEVELOPMENT_SECRET_KEY),
        ("SECRET_KEY", "change-me-to-a-long-random-string"),  # .env.example's placeholder
        ("FIELD_ENCRYPTION_KEY", DEVELOPMENT_FIELD_KEY),
    ],
)
def test_production_refuses_the_published_development_keys(variable, value):
    env = {"SECRET_KEY": "x" * 60, "FIELD_ENCRYPTION_KEY": PRODUCTION_FIELD_KEY, variable: value}

    result = production_settings(**env)

    assert result.returncode != 0
    assert variable in result.stderr.strip().splitlines()[-1]


def test_production_starts_with_both_keys_set():
    result = production_settings(SECRET_KEY="x" * 60, FIELD_ENCRYPTION_KEY=PRODUCTION_FIELD_KEY)

    assert result.returncode == 0, result.stderr


def test_debug_runs_on_the_development_keys():
    # `make run` sets DEBUG=1 and no keys.
    result = production_settings(DEBUG="1")

    assert result.returncode == 0, result.stderr


def test_the_test_run_itself_is_marked_by_its_configuration():
    # pyproject's pytest options load unionportal/pytest_plugin.py, which sets TESTING=1 before
    # pytest-django reads the settings; nothing guesses from the modules loaded.
    assert os.environ["TESTING"] == "1"
    assert settings.TESTING is True
    result = production_settings(TESTING="1")
    assert result.returncode == 0, result.stderr


# Static files


STATIC_TAG = re.compile(r"""{%\s*static\s+["']([^"']+)["']""")


def static_paths_named_in_templates() -> set[str]:
    base = Path(settings.BASE_DIR)
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if Path(app.path).parent == base  # the project's apps, not Django's or a package's
    ]
    return {
        match
        for folder in folders
        for template in folder.rglob("*.html")
        for match in STATIC_TAG.findall(template.read_text(encoding="utf-8"))
    }


def test_every_static_file_a_template_names_is_collected(settings, tmp_path):
    # Production serves only what collectstatic gathered (with some vendor builds left out on
    # purpose, unionportal/staticfiles.py); a page naming anything else would fail there only.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }

    call_command("collectstatic", "--noinput", verbosity=0)

    collected = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    named = static_paths_named_in_templates()
    assert "vendor/bootstrap/css/bootstrap.min.css" in named
    assert sorted(named - collected.keys()) == []
