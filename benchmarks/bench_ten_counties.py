"""Ten counties on one server (issue 18): a county's pages beside nine other counties' rows.

    .venv/bin/python benchmarks/bench_ten_counties.py [--rounds 5] [--period 2026H1] [--rebuild]
    make bench-ten-counties

PostgreSQL only. Two databases on 127.0.0.1:5432 (user postgres):
  - one county: `unionportal_load`, the county-scale demo (`seed_demo --scale county`: 30
    townships, 300,000 members), created and seeded as `make load DB=postgres` does if missing;
  - ten counties: `unionportal_tencounty`, built from it once (a few minutes; the time is printed
    and kept in the database's comment) and reused while complete: a copy of the one county
    (CREATE DATABASE … TEMPLATE) plus nine replicas of every record in SQL (INSERT … SELECT
    with id offsets): 10 counties, 300 townships, 3,000,000 members, every other record ten
    times over. Each replica county has its own name, township names and codes, and its own
    staff, chair and reviewer (usernames with a suffix _c2 … _c10). Each person's resident ID
    number is a new valid one (region code 9k…, same birth date and sex, check digit
    recomputed), encrypted and hashed with the development keys like the demo's, so hashes
    stay unique across the server and the look-ups by ID number still work in every county.
    Each township gets a fresh data token at the end (unionportal/datastamp.py; the copy is
    written with triggers off, as one bulk load, then every township is re-stamped), and the
    database is VACUUM ANALYZEd.

Measures, for the first county's reviewer (county_reviewer: the same county, the same rows in
both databases, so the pages show the same thing), through Django's test client: the county
dashboard recomputed (nothing kept) and seen again (kept under the data tokens), the county-wide
member list unfiltered and searched by a surname (王) and by a full name, the county roll-up
summary page (fetch and compose) and its PDF. Rounds alternate the two databases in one process
(the connection is switched between them); medians over all rounds, with the query counts.
Goal (issue 18): each page on ten counties within 2× of its one-county time.
"""

import argparse
import hashlib
import os
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

ONE_URL = "postgres://postgres@127.0.0.1:5432/unionportal_load"
TEN_URL = "postgres://postgres@127.0.0.1:5432/unionportal_tencounty"
COPIES = 9  # replica counties beside the original
MARKER = "bench_ten_counties: complete"

# Names for the replica counties and the first characters of their townships' names (the
# last character, 镇 or 乡, is the original township's).
COUNTY_NAMES = (
    "余姚县",
    "奉化县",
    "象山县",
    "宁海县",
    "镇海县",
    "鄞江县",
    "定海县",
    "普陀县",
    "岱山县",
)
TOWNSHIP_HEADS = "安宝长丰福广和华吉嘉金锦康乐临龙茂宁平清瑞三双太天文新兴阳永"
TOWNSHIP_TAILS = "湾溪岭桥港塘浦埠田山"
# Record tables the copy leaves alone: Django's, the sign-in guards', and the data tokens (every
# township is re-stamped at the end).
SKIPPED_PREFIXES = ("django_", "auth_", "axes_", "otp_")
SKIPPED_TABLES = {
    "unionportal_datastamp",
    "unionportal_user_groups",
    "unionportal_user_user_permissions",
    "audit_accountchange",
}
USER_TABLE = "unionportal_user"
ID_PATTERN = re.compile(r"[0-9]{17}[0-9X]")


def admin_url(url: str) -> tuple[str, str]:
    """(URL of the server's `postgres` database, the database name)."""
    parts = urlsplit(url)
    return parts._replace(path="/postgres").geturl(), parts.path.lstrip("/")


# ---------------------------------------------------------------------------------------------
# Building the ten-county database


def database_comment(url: str) -> str | None:
    """The database's comment (where a finished build leaves its marker), None if it is absent."""
    import psycopg

    admin, name = admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    if row is None:
        return None
    return row[0] or ""


def counts(url: str) -> tuple[int, int, int]:
    """(counties, townships, members) in a database."""
    import psycopg

    with psycopg.connect(url) as conn:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("unionportal_county", "unionportal_township", "members_member")
        )


def is_complete(one: str, ten: str) -> bool:
    """The ten-county database exists, its build finished, and it holds ten times the source."""
    comment = database_comment(ten)
    if not comment or not comment.startswith(MARKER):
        return False
    c1, t1, m1 = counts(one)
    return counts(ten) == (c1 * (COPIES + 1), t1 * (COPIES + 1), m1 * (COPIES + 1))


def replicated_models() -> list:
    """The project's tables that hold one county's data (records, their history, townships…)."""
    from django.apps import apps

    models = []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table.startswith(SKIPPED_PREFIXES) or table in SKIPPED_TABLES:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        models.append(model)
    return models


def new_id_number(plain: str, copy: int, regions: dict[str, int]) -> str | None:
    """The number a person gets in replica `copy` (1…9): region 9<copy><4 digits> standing for
    the original region, the same birth date and order (so sex), a new check character. Never
    equal to an original number (regions starting with 9 are not issued) nor to another copy's."""
    from unionportal.validators import id_check_char

    if not ID_PATTERN.fullmatch(plain):
        return None
    first17 = f"9{copy}{regions[plain[:6]]:04d}{plain[6:17]}"
    return first17 + id_check_char(first17)


def write_id_map(cur, tables: list[str]) -> int:
    """Fill bench_idmap(k, old_hash, new_hash, new_cipher) for every person in `tables`: one
    decryption per person, then per replica a new number, its keyed hash and its ciphertext
    (one per person and replica, shared by the person's rows, as a look-up by number finds
    them). Written with COPY into a temporary table the INSERTs join."""
    from unionportal import pii

    people: dict[str, str] = {}
    for table in tables:
        cur.execute(
            f"SELECT DISTINCT ON (id_number_hash) id_number_hash, id_number FROM {table} "
            "WHERE id_number_hash <> ''"
        )
        for digest, stored in cur.fetchall():
            people.setdefault(digest, stored)
    plains = {digest: pii.decrypt(stored) for digest, stored in people.items()}
    regions = {
        region: i
        for i, region in enumerate(
            sorted({p[:6] for p in plains.values() if ID_PATTERN.fullmatch(p)})
        )
    }
    if len(regions) > 10_000:
        raise SystemExit(f"身份证号的地区码太多（{len(regions)} 个），无法逐一映射。")
    cur.execute(
        "CREATE TEMPORARY TABLE bench_idmap (k int, old_hash varchar(64), new_hash varchar(64), "
        "new_cipher varchar(80))"
    )
    rows = 0
    with cur.copy("COPY bench_idmap (k, old_hash, new_hash, new_cipher) FROM STDIN") as copy:
        for digest, plain in plains.items():
            for k in range(1, COPIES + 1):
                number = new_id_number(plain, k, regions)
                if number is None:
                    # Not a valid 18-character number (none in the demo): a hash of its own,
                    # unique per replica, the ciphertext as it was.
                    fake = hashlib.sha256(f"{digest}:{k}".encode()).hexdigest()
                    copy.write_row((k, digest, fake, people[digest]))
                else:
                    copy.write_row((k, digest, pii.id_number_hash(number), pii.encrypt(number)))
                rows += 1
    cur.execute("CREATE UNIQUE INDEX ON bench_idmap (old_hash, k)")
    cur.execute("ANALYZE bench_idmap")
    return rows


def _columns(cur, table: str) -> list[str]:
    cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "ORDER BY ordinal_position",
        [table],
    )
    return [r[0] for r in cur.fetchall()]


def copy_table(cur, model, offsets: dict[str, int], users: list[int]) -> int:
    """INSERT … SELECT one table's nine replicas: ids and references to replicated rows moved by
    k × the target table's offset, the replicated users' references to their replicas, county
    and township names and codes, usernames, ID numbers and hashes replaced."""
    meta = model._meta
    table = meta.db_table
    by_column = {f.column: f for f in meta.concrete_fields}
    instance = getattr(model, "instance_type", None)  # simple_history's historical tables
    columns = _columns(cur, table)
    exprs, joins, where = [], [], [f's."{meta.pk.column}" <= {offsets[table]}']
    for column in columns:
        field = by_column.get(column)
        source = f's."{column}"'
        if field is not None and field.primary_key:
            expr = f"{source} + g.k * {offsets[table]}"
        elif instance is not None and column == instance._meta.pk.column:
            expr = f"{source} + g.k * {offsets[instance._meta.db_table]}"
        elif field is not None and field.is_relation:
            target = field.related_model._meta.db_table
            if target == USER_TABLE:
                expr = (
                    f"CASE WHEN {source} = ANY(%(users)s) THEN {source} + g.k * "
                    f"{offsets[USER_TABLE]} ELSE {source} END"
                )
            elif target in offsets:
                expr = f"{source} + g.k * {offsets[target]}"
            else:
                expr = source
        elif column == "id_number_hash":
            expr = "COALESCE(x.new_hash, s.id_number_hash)"
            joins.append("LEFT JOIN bench_idmap x ON x.old_hash = s.id_number_hash AND x.k = g.k")
        elif column == "id_number" and "id_number_hash" in columns:
            expr = "COALESCE(x.new_cipher, s.id_number)"
        elif table == "unionportal_county" and column == "name":
            expr = "(%(counties)s::text[])[g.k]"
        elif table == "unionportal_township" and column in ("name", "code"):
            expr = f"n.{column}"
        elif table == USER_TABLE and column == "username":
            expr = "s.username || '_c' || (g.k + 1)"
        else:
            expr = source
        exprs.append(expr)
    if table == "unionportal_township":
        joins.append("JOIN bench_names n ON n.old_id = s.id AND n.k = g.k")
    if table == USER_TABLE:
        where.append("s.id = ANY(%(users)s)")
    names = ", ".join(f'"{c}"' for c in columns)
    sql = (
        f'INSERT INTO "{table}" ({names}) SELECT {", ".join(exprs)} FROM "{table}" s '
        f"CROSS JOIN generate_series(1, {COPIES}) AS g(k) {' '.join(joins)} "
        f"WHERE {' AND '.join(where)}"
    )
    cur.execute(sql, {"users": users, "counties": list(COUNTY_NAMES)})
    return cur.rowcount


def township_names(cur) -> list[tuple[int, int, str, str]]:
    """(k, original township id, name, code) for every replica township: names unique within
    each county, codes unique on the server."""
    cur.execute("SELECT id, name, code FROM unionportal_township ORDER BY id")
    originals = cur.fetchall()
    rows = []
    for k in range(1, COPIES + 1):
        taken = set()
        for i, (pk, name, code) in enumerate(originals):
            head = TOWNSHIP_HEADS[i % len(TOWNSHIP_HEADS)]
            tail = TOWNSHIP_TAILS[(k + i // len(TOWNSHIP_HEADS)) % len(TOWNSHIP_TAILS)]
            new = f"{head}{tail}{name[-1]}"
            while new in taken:
                new = f"{new[:-1]}{len(taken)}{name[-1]}"
            taken.add(new)
            rows.append((k, pk, new, f"{code}-c{k + 1}"))
    return rows


def build(one: str, ten: str) -> float:
    """Create the ten-county database from the one-county one; returns the seconds it took."""
    import load
    import psycopg

    started = time.perf_counter()
    admin, name = admin_url(ten)
    source = admin_url(one)[1]
    # Dropped first, copied under the benchmarks' lock, waiting for anyone connected to the source.
    load.copy_database("postgres", one, ten)
    print(f"  复制一县数据库为 {name}：{time.perf_counter() - started:.1f} 秒", flush=True)
    models = replicated_models()
    with psycopg.connect(ten) as conn, conn.cursor() as cur:
        # One bulk load: no foreign-key checks or data-token triggers per statement (every
        # township is re-stamped below), indexes other than keys built once afterwards.
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute("SET work_mem = '256MB'")
        cur.execute("SET synchronous_commit = off")
        offsets, sizes = {}, {}
        for model in models:
            table, pk = model._meta.db_table, model._meta.pk.column
            cur.execute(f'SELECT coalesce(max("{pk}"), 0), count(*) FROM "{table}"')
            top, sizes[table] = cur.fetchone()
            offsets[table] = 10 ** len(str(top))
        cur.execute(
            f"SELECT id FROM {USER_TABLE} WHERE township_id IS NOT NULL OR county_id IS NOT NULL"
        )
        users = [r[0] for r in cur.fetchall()]
        step = time.perf_counter()
        id_tables = [
            m._meta.db_table
            for m in models
            if "id_number_hash" in {f.column for f in m._meta.concrete_fields}
            and sizes[m._meta.db_table]
        ]
        mapped = write_id_map(cur, id_tables)
        print(
            f"  新身份证号、索引哈希与密文 {mapped:,} 个：{time.perf_counter() - step:.1f} 秒",
            flush=True,
        )
        cur.execute(
            "CREATE TEMPORARY TABLE bench_names (k int, old_id bigint, name text, code text)"
        )
        cur.executemany("INSERT INTO bench_names VALUES (%s, %s, %s, %s)", township_names(cur))
        # Secondary indexes of the bigger tables: dropped, then built once over all the rows.
        dropped: list[tuple[str, str]] = []
        for model in models:
            table = model._meta.db_table
            if sizes[table] < 5_000:
                continue
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = %s AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexname::regclass)",
                [table],
            )
            for index, definition in cur.fetchall():
                cur.execute(f'DROP INDEX "{index}"')
                dropped.append((table, definition))
        step = time.perf_counter()
        for model in sorted(models, key=lambda m: sizes[m._meta.db_table]):
            table = model._meta.db_table
            if not sizes[table]:
                continue
            t0 = time.perf_counter()
            rows = copy_table(cur, model, offsets, users)
            if rows > 100_000:
                print(f"  {table}：{rows:,} 行，{time.perf_counter() - t0:.1f} 秒", flush=True)
        print(f"  复制九个县的记录：{time.perf_counter() - step:.1f} 秒", flush=True)
        step = time.perf_counter()
        for _table, definition in dropped:
            cur.execute(definition)
        print(f"  重建 {len(dropped)} 个索引：{time.perf_counter() - step:.1f} 秒", flush=True)
        for model in models:
            table, pk = model._meta.db_table, model._meta.pk.column
            cur.execute("SELECT pg_get_serial_sequence(%s, %s)", [f'"{table}"', pk])
            sequence = cur.fetchone()[0]
            if sequence:
                cur.execute(
                    f'SELECT setval(%s, greatest((SELECT max("{pk}") FROM "{table}"), 1))',
                    [sequence],
                )
        # What datastamp.install_triggers ends with: a fresh token for every township and table.
        from unionportal.datastamp import STAMP_TABLE, fresh_tokens_sql

        cur.execute(f'DELETE FROM "{STAMP_TABLE}"')
        cur.execute(fresh_tokens_sql("postgresql"))
        cur.execute("SET session_replication_role = DEFAULT")
        conn.commit()
    with psycopg.connect(ten, autocommit=True) as conn:
        step = time.perf_counter()
        conn.execute("VACUUM (ANALYZE)")
        print(f"  VACUUM ANALYZE：{time.perf_counter() - step:.1f} 秒", flush=True)
    seconds = time.perf_counter() - started
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            f"COMMENT ON DATABASE \"{name}\" IS '{MARKER} (built from {source} in {seconds:.0f} s)'"
        )
    return seconds


def check_ten(ten: str) -> None:
    """What must hold after the copy: every record's references resolve, hashes are unique per
    township (the constraints were on throughout), every township has a token."""
    import psycopg

    problems = []
    with psycopg.connect(ten) as conn:
        for table, column, target in (
            ("members_member", "union_id", "members_grassrootsunion"),
            ("members_member", "employer_id", "members_employer"),
            ("members_member", "township_id", "unionportal_township"),
            ("welfare_welfarevisit", "member_id", "members_member"),
            ("members_grassrootsunion", "township_id", "unionportal_township"),
            ("unionportal_township", "county_id", "unionportal_county"),
        ):
            missing = conn.execute(
                f"SELECT count(*) FROM {table} s WHERE s.{column} IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {target} t WHERE t.id = s.{column})"
            ).fetchone()[0]
            if missing:
                problems.append(f"{table}.{column}：{missing} 行指向不存在的 {target}")
        # A member's union and employer are in the member's township.
        wrong = conn.execute(
            "SELECT count(*) FROM members_member m JOIN members_grassrootsunion u "
            "ON u.id = m.union_id WHERE u.township_id <> m.township_id"
        ).fetchone()[0]
        if wrong:
            problems.append(f"{wrong} 名会员的工会不在本乡镇")
        unstamped = conn.execute(
            "SELECT count(*) FROM unionportal_township t WHERE NOT EXISTS "
            "(SELECT 1 FROM unionportal_datastamp d WHERE d.township_id = t.id)"
        ).fetchone()[0]
        if unstamped:
            problems.append(f"{unstamped} 个乡镇没有数据令牌")
        triggers = conn.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'members_member_stamp_%'"
        ).fetchone()[0]
        if triggers < 3:
            problems.append("members_member 上没有数据令牌触发器")
    if problems:
        raise SystemExit("十县数据库不一致：" + "；".join(problems))


def ensure_ten(one: str, ten: str, rebuild: bool) -> None:
    if not rebuild and is_complete(one, ten):
        print(
            f"十县数据库已存在且完整，沿用（{database_comment(ten).removeprefix(MARKER).strip()}）"
        )
        return
    print("生成十县数据库（一县复制九份）……", flush=True)
    seconds = build(one, ten)
    check_ten(ten)
    c, t, m = counts(ten)
    print(f"十县数据库：{c} 个县，{t} 个乡镇，{m:,} 名会员；用时 {seconds:.0f} 秒", flush=True)


# ---------------------------------------------------------------------------------------------
# Measuring


def columns(text: str) -> int:
    """Terminal columns `text` takes: two for each wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * max(width - columns(text), 0)
    return space + text if right else text + space


HEADS = (("一县 ms", 10), ("SQL", 5), ("十县 ms", 10), ("SQL", 5), ("比值", 8))


def size_of(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="交替轮数（默认 5）")
    parser.add_argument("--runs", type=int, default=3, help="每轮每页次数（默认 3；PDF 每轮 1 次）")
    parser.add_argument("--period", default="2026H1")
    parser.add_argument("--one", default=ONE_URL, help="一县数据库（默认 unionportal_load）")
    parser.add_argument("--ten", default=TEN_URL, help="十县数据库（默认 unionportal_tencounty）")
    parser.add_argument("--rebuild", action="store_true", help="重新生成十县数据库")
    parser.add_argument("--no-pdf", action="store_true", help="不测全县汇总 PDF")
    args = parser.parse_args()
    for url in (args.one, args.ten):
        if not url.startswith(("postgres://", "postgresql://")):
            raise SystemExit(f"只支持 PostgreSQL：{url}")

    # The one-county source, as `make load DB=postgres` makes it (migrated, seeded, analysed).
    import load

    load.ensure_source("postgres", args.one, "county")

    os.environ["DATABASE_URL"] = args.one
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
    os.environ.setdefault("TESTING", "1")  # the development keys the demo's IDs are sealed with
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from members.models import Member
    from unionportal import kept
    from unionportal.models import County, Role, User

    connection.close()
    ensure_ten(args.one, args.ten, args.rebuild)
    names = {"one": admin_url(args.one)[1], "ten": admin_url(args.ten)[1]}

    def use(which: str) -> None:
        """Point Django's connection at one of the two databases; nothing kept carries over."""
        connection.close()
        connection.settings_dict["NAME"] = names[which]
        kept.clear()

    # The ten-county copy may predate a migration added since (the source was just migrated).
    use("ten")
    call_command("migrate", verbosity=0)

    clients, full_names = {}, {}
    county = None
    for which in ("one", "ten"):
        use(which)
        county = County.objects.order_by("pk").first()
        reviewer = User.objects.get(role=Role.REVIEWER, county=county, username="county_reviewer")
        client = Client()
        client.force_login(reviewer)
        clients[which] = client
        full_names[which] = (
            Member.objects.filter(township__county=county)
            .order_by("pk")
            .values_list("name", flat=True)[1000]
        )
    assert full_names["one"] == full_names["ten"], full_names
    full_name = full_names["one"]
    period = args.period
    dashboard = reverse("reports:county_dashboard")
    members = reverse("members:member_list")
    summary = reverse("reports:county_summary")
    download = reverse("reports:county_summary_download")

    def get(url: str, **params: str) -> Callable[[Client], None]:
        def fetch(client: Client) -> None:
            response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)

        return fetch

    def recomputed(fn: Callable[[Client], None]) -> Callable[[Client], None]:
        def run(client: Client) -> None:
            kept.clear()
            fn(client)

        return run

    pages: list[tuple[str, Callable[[Client], None], int]] = [
        ("全县看板，各乡镇重算", recomputed(get(dashboard, period=period)), args.runs),
        ("全县看板，数据未变（保留）", get(dashboard, period=period), args.runs),
        ("会员列表，全县，不筛选", get(members), args.runs),
        ("会员列表，全县，搜索“王”", get(members, q="王"), args.runs),
        (f"会员列表，全县，搜索“{full_name}”", get(members, q=full_name), args.runs),
        ("全县汇总页（取数与成文）", recomputed(get(summary, period=period)), args.runs),
    ]
    if not args.no_pdf:
        pages.append(("全县汇总 PDF", recomputed(get(download, period=period)), 1))

    samples: dict[tuple[str, str], list[float]] = {}
    queries: dict[tuple[str, str], int] = {}
    for which in ("one", "ten"):
        use(which)
        for label, fn, _runs in pages:
            fn(clients[which])  # warm-up: templates, fonts, the database's cache
            with CaptureQueriesContext(connection) as ctx:
                fn(clients[which])
            queries[(which, label)] = len(ctx.captured_queries)
    load_before = os.getloadavg()
    started = time.perf_counter()
    for round_no in range(args.rounds):
        # Alternate which database goes first, so warmth and the machine's load treat them alike.
        order = ("one", "ten") if round_no % 2 == 0 else ("ten", "one")
        for which in order:
            use(which)
            get(dashboard, period=period)(clients[which])  # the connection, once
            for label, fn, runs in pages:
                for _ in range(runs):
                    t0 = time.perf_counter()
                    fn(clients[which])
                    samples.setdefault((which, label), []).append(time.perf_counter() - t0)
        print(
            f"  第 {round_no + 1}/{args.rounds} 轮完成（{time.perf_counter() - started:.0f} 秒）",
            flush=True,
        )
    load_after = os.getloadavg()

    sizes = {which: size_of(url) for which, url in (("one", args.one), ("ten", args.ten))}
    use("one")
    c1, t1, m1 = counts(args.one)
    c10, t10, m10 = counts(args.ten)
    print()
    print(
        f"一县：{c1} 个县，{t1} 个乡镇，{m1:,} 名会员，{sizes['one'] / 2**30:.2f} GiB；"
        f"十县：{c10} 个县，{t10} 个乡镇，{m10:,} 名会员，{sizes['ten'] / 2**30:.2f} GiB"
    )
    print(
        f"县总审阅 county_reviewer（{county.name}），期间 {period}；{args.rounds} 轮交替，"
        f"每页每轮 {args.runs} 次（PDF 1 次），取中位数；"
        f"负载 {load_before[0]:.2f} → {load_after[0]:.2f}"
    )
    width = max(columns(label) for label, _fn, _runs in pages) + 2
    print(pad("页面", width) + "".join(pad(h, w, right=True) for h, w in HEADS) + "  目标 ≤ 2×")
    worst = 0.0
    for label, _fn, _runs in pages:
        one_ms = statistics.median(samples[("one", label)]) * 1000
        ten_ms = statistics.median(samples[("ten", label)]) * 1000
        ratio = ten_ms / one_ms
        worst = max(worst, ratio)
        verdict = "达标" if ratio <= 2 else "未达标"
        print(
            f"{pad(label, width)}{one_ms:>10.1f}{queries[('one', label)]:>5}"
            f"{ten_ms:>10.1f}{queries[('ten', label)]:>5}{ratio:>6.2f}×  {verdict}"
        )
    print(f"最大比值 {worst:.2f}×：{'全部达标' if worst <= 2 else '有页面未达标'}")


if __name__ == "__main__":
    main()
