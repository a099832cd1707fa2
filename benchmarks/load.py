"""Load test: simulated township staff and county reviewers against gunicorn, on loopback.

    .venv/bin/python benchmarks/load.py [--db sqlite|postgres] [--users 50] [--duration 60]
                                        [--think 0.5-1] [--warmup 20] [--workers N]
                                        [--baseline COMMIT [--pairs 3]] [--json FILE]
    make load                 # SQLite
    make load DB=postgres     # PostgreSQL
    make load DB=postgres LOAD_ARGS="--baseline 58b923e"   # side by side with that commit

What it does, and stops by itself:
  1. the county-scale demo (`seed_demo --scale county`: 30 townships, 300,000 members) as the
     source: var/bench-county.sqlite3 (benchmarks/county.py makes it on first use) or the
     PostgreSQL database `unionportal_load` (created and seeded if missing: 1–4 minutes);
  2. a fresh copy of it for this run (the source is never written to; named with the process id,
     so runs at once keep apart, and deleted on Ctrl-C or kill too), migrated, with load-test
     users: staff spread over the 30 townships (one each, then a second) and a reviewer for
     every tenth user, all with the password below;
  3. collectstatic into var/load-static/ (only when static/, package-lock.json or
     unionportal/staticfiles.py changed), then gunicorn on 127.0.0.1 at a free port with
     DEBUG=0, sync workers (cores + 1, as docs/performance.md advises);
  4. every user signs in through the real login form (CSRF and all), then for --warmup seconds
     unmeasured (each worker's first pass over a page, query or township costs more than every
     later one; a server runs all day) and --duration seconds measured loops a weighted mix
     (benchmarks/steps.py, shared with bench_page_cpu.py) with 0.5–1 s think time (--think 1-2 for
     a lighter run): home page, member list (and paging), member search, member detail, employer /
     union / case / visit lists, add a member or a welfare visit, edit a member (form opened, then
     saved with its version), dashboards, and now and then a summary PDF or DOCX (reported apart
     from pages);
  5. gunicorn is stopped; its log is searched for "database is locked", tracebacks and worker
     timeouts; the copy is deleted.

Prints per kind of request: count, errors, p50, p95, max; pages overall (everything but
summaries and sign-in) and summaries apart; the CPU the server used per request, and from it the
requests per second the cores could serve beside what the users ask for. Exit status 1 when
any request failed or the log shows a locked database, a traceback or a worker timeout.
Loopback only: the client refuses any host but 127.0.0.1.

--baseline COMMIT runs the same test --pairs times (default 3) for that commit's code and for the
current code in turns, the first of each pair alternating, and prints both side by side with the
medians' ratios: a machine of the same class can be a tenth faster or slower than the last, and
drifts within a session, so a change is measured against its baseline on the same machine in the
same few minutes. The baseline runs from a git worktree (var/.worktrees/pagecpu-<commit>/, with
its own compiled translations and static files, as bench_page_cpu.py makes it) on its own copy of
the source migrated back to the baseline's migrations (unionportal_load_base_<commit>, or
bench-county-base-<commit>.sqlite3 beside the SQLite source), both kept for the next comparison;
its users are made by its own code. Both versions are driven by this script, so the simulated
users' CPU is the same code on both sides.
"""

import argparse
import asyncio
import base64
import contextlib
import dataclasses
import datetime
import fcntl
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

try:
    import sniffio  # noqa: F401
except ImportError:
    # httpcore runs `import sniffio` for every connection it opens, to learn which async library
    # it runs under, and takes asyncio when that fails. anyio 4 no longer installs sniffio, so each
    # failed import searched sys.path again: about a tenth of this process's CPU, which the
    # capacity estimate counts. None in sys.modules makes the import fail at once.
    sys.modules["sniffio"] = None

import httpx

# steps.py beside this file: the users and page mix shared with bench_page_cpu.py (also when this
# file is loaded by path, as the tests do).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from steps import (
    FORM_FIELD,
    PAGES,
    SimulatedUser,
    fill,
    form_errors,
    form_with,
    make_users,
    mix,
    sign_in_form,
    step,
)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LOOPBACK = "127.0.0.1"
PASSWORD = "Load#2026test"
SQLITE_SOURCE = ROOT / "var" / "bench-county.sqlite3"
STATIC_CACHE = ROOT / "var" / "load-static"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/unionportal_load"
# The demo's ID numbers are sealed with settings.py's development key: the source is seeded as the
# test run is (TESTING=1, like the other benchmarks sharing it).
DEVELOPMENT_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="
GOAL_P95_MS = 300

# Kinds of request: key → label. Summaries and sign-in are reported apart from pages.
KINDS = {
    "login": "登录（含密码哈希）",
    **PAGES,
    "summary_pdf": "乡镇总结 PDF",
    "summary_docx": "乡镇总结 DOCX",
    "county_summary_pdf": "全县汇总 PDF",
    "county_summary_docx": "全县汇总 DOCX",
}
SUMMARY_KINDS = {"summary_pdf", "summary_docx", "county_summary_pdf", "county_summary_docx"}
APART = SUMMARY_KINDS | {"login"}


# ---------------------------------------------------------------------------------------------
# Pure helpers


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class Sample:
    kind: str
    ms: float
    ok: bool


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, kind: str, ms: float, ok: bool, detail: str = "") -> None:
        self.samples.append(Sample(kind, ms, ok))
        if not ok and len(self.failures) < 20:
            self.failures.append(f"{KINDS[kind]}：{detail}")


STAT_KEYS = ("count", "errors", "p50", "p95", "max")


def summarise(results: Results) -> dict:
    """Count, errors and p50/p95/max per kind, and for pages (everything but summaries and
    sign-in) and summaries as two groups."""

    def stats(samples: list[Sample]) -> dict:
        ms = [s.ms for s in samples]
        return {
            "count": len(ms),
            "errors": sum(not s.ok for s in samples),
            "p50": round(percentile(ms, 50)) if ms else None,
            "p95": round(percentile(ms, 95)) if ms else None,
            "max": round(max(ms)) if ms else None,
        }

    by_kind = {k: [s for s in results.samples if s.kind == k] for k in KINDS}
    return {
        "kinds": {k: stats(v) for k, v in by_kind.items() if v},
        "pages": stats([s for s in results.samples if s.kind not in APART]),
        "summaries": stats([s for s in results.samples if s.kind in SUMMARY_KINDS]),
    }


# ---------------------------------------------------------------------------------------------
# Simulated users


class Session:
    """A browser: its own cookies, timing every request into `results`."""

    def __init__(self, base_url: str, results: Results) -> None:
        if urlsplit(base_url).hostname != LOOPBACK:
            raise SystemExit(f"只对本机（{LOOPBACK}）做负载测试，拒绝 {base_url}")
        self.client = httpx.AsyncClient(base_url=base_url, timeout=180, follow_redirects=False)
        self.results = results

    async def request(
        self,
        kind: str,
        method: str,
        url: str,
        *,
        expect: int = 200,
        check: Callable[[httpx.Response], str] | None = None,
        **kwargs,
    ) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            ms = (time.perf_counter() - start) * 1000
            self.results.add(kind, ms, False, f"{method} {url} {type(exc).__name__}")
            return None
        ms = (time.perf_counter() - start) * 1000
        problem = ""
        if response.status_code != expect:
            problem = f"{method} {url} 状态 {response.status_code}（应为 {expect}）"
            if response.status_code == 200 and method == "POST":
                problem += " " + form_errors(response.text)
        elif check is not None:
            problem = check(response)
        self.results.add(kind, ms, not problem, problem)
        return response if not problem else None

    async def post_form(
        self, kind: str, form_url: str, field: str, changes: Callable[[dict, dict], None]
    ) -> None:
        """Open a form (timed as 'form'), change some fields, submit it; a save redirects.
        `changes(fields, options)` edits the fields in place; options are each select's values."""
        page = await self.request("form", "GET", form_url)
        if page is None:
            return
        form = form_with(page.text, field)
        if form is None:
            self.results.add(kind, 0, False, f"{form_url} 上没有含“{field}”的表单")
            return
        data = dict(form["fields"])
        changes(data, form["options"])
        target = urljoin(form_url, form["action"]) if form["action"] else form_url

        def saved(response: httpx.Response) -> str:
            where = response.headers.get("location", "")
            return f"保存后被转到 {where}" if "/accounts/" in where else ""

        await self.request(kind, "POST", target, data=data, expect=302, check=saved)

    async def close(self) -> None:
        await self.client.aclose()


def _is_file(kind: str, magic: bytes) -> Callable[[httpx.Response], str]:
    def check(response: httpx.Response) -> str:
        if not response.content.startswith(magic):
            return f"{kind} 下载内容不是 {magic!r} 开头（{len(response.content)} 字节）"
        return ""

    return check


async def log_in(session: Session, user: SimulatedUser) -> bool:
    page = await session.request("login", "GET", "/accounts/login/")
    if page is None:
        return False
    filled = sign_in_form(page.text, user.username, PASSWORD)
    if filled is None:
        session.results.add("login", 0, False, "登录页没有登录表单")
        return False
    target, data = filled

    def landed_home(response: httpx.Response) -> str:
        where = response.headers.get("location", "")
        return "" if "login" not in where and "password" not in where else f"登录后转到 {where}"

    done = await session.request("login", "POST", target, data=data, expect=302, check=landed_home)
    return done is not None


def actions_for(
    user: SimulatedUser, session: Session, rng: random.Random, today: str
) -> list[tuple[float, Callable[[], Awaitable]]]:
    """The weighted mix of what this user does between think times (steps.py's, with the
    summary downloads). `today` is the server's date (the project's time zone), not this
    machine's: a date past it is refused."""
    s = session

    def page(kind: str):
        def go():
            planned = step(user, kind, rng)
            url = planned["url"]
            if kind not in FORM_FIELD:
                return s.request(kind, "GET", url)

            def changes(data: dict, options: dict) -> None:
                fill(user, planned, data, options, today=today, label="压测")

            return s.post_form(kind, url, FORM_FIELD[kind], changes)

        return go

    def summary():
        fmt = rng.choice(["pdf", "docx"])
        params = {"format": fmt}
        if user.role == "reviewer":
            params["township"] = rng.choice(user.township_ids)
        magic = b"%PDF" if fmt == "pdf" else b"PK"
        return s.request(
            f"summary_{fmt}",
            "GET",
            "/reports/summaries/download/",
            params=params,
            check=_is_file(fmt, magic),
        )

    def county_summary():
        fmt = rng.choice(["pdf", "docx"])
        magic = b"%PDF" if fmt == "pdf" else b"PK"
        return s.request(
            f"county_summary_{fmt}",
            "GET",
            "/reports/county/summary/download/",
            params={"format": fmt},
            check=_is_file(fmt, magic),
        )

    downloads = {"summary": summary, "county_summary": county_summary}
    return [(w, downloads.get(kind) or page(kind)) for w, kind in mix(user, summaries=True)]


@dataclass
class Run:
    signin: Results
    results: Results
    warmup: Results = field(default_factory=lambda: Results())
    elapsed: float = 0.0
    # CPU seconds during the measured window: gunicorn's workers, PostgreSQL's backends serving
    # them, and this process (the simulated users, which share the machine's cores).
    app_cpu: float = 0.0
    db_cpu: float = 0.0
    client_cpu: float = 0.0  # CPU seconds of this process (the simulated users) in that window
    actions: int = 0  # steps the users took (an add or edit is two requests)


async def drive(
    users: list[SimulatedUser],
    base_url: str,
    *,
    duration: float,
    think: tuple[float, float],
    seed: int,
    meter: "CpuMeter",
    today: str,
    warmup: float = 0.0,
) -> Run:
    """Sign every user in (timed apart), then run the mix for `warmup` seconds unmeasured and
    `duration` seconds measured, without a pause between; each user keeps the session (cookies)
    it signed in with. Requests begun in the warm-up go to run.warmup (their errors still
    count); the CPU meter starts when it ends."""
    run = Run(Results(), Results())
    sessions = {u.username: Session(base_url, run.signin) for u in users}
    # A sign-in hashes the password (deliberately slow): a few at a time, as people arrive.
    gate = asyncio.Semaphore(4)

    async def sign_in(user: SimulatedUser) -> bool:
        async with gate:
            return await log_in(sessions[user.username], user)

    async def work(user: SimulatedUser, measured_from: float, deadline: float) -> None:
        rng = random.Random(seed * 1000 + user.index)
        session = sessions[user.username]
        session.results = run.warmup if warmup else run.results
        await asyncio.sleep(rng.uniform(0, think[1]))  # people do not all click at once
        actions = actions_for(user, session, rng, today)
        weights = [w for w, _ in actions]
        while time.monotonic() < deadline:
            measured = time.monotonic() >= measured_from
            session.results = run.results if measured else run.warmup
            _, action = rng.choices(actions, weights)[0]
            await action()
            run.actions += measured
            await asyncio.sleep(rng.uniform(*think))

    client_before = 0.0

    async def start_meter(at: float) -> None:
        nonlocal client_before
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        meter.start()
        client_before = time.process_time()

    try:
        if not all(await asyncio.gather(*(sign_in(u) for u in users))):
            return run
        started = time.monotonic() + warmup
        await asyncio.gather(
            start_meter(started), *(work(u, started, started + duration) for u in users)
        )
        run.elapsed = time.monotonic() - started
        run.app_cpu, run.db_cpu = meter.stop()
        run.client_cpu = time.process_time() - client_before
        return run
    finally:
        for session in sessions.values():
            await session.close()


# ---------------------------------------------------------------------------------------------
# The database: a seeded source, and a fresh copy of it for each run


def _admin_url(url: str) -> tuple[str, str]:
    """(URL of the server's `postgres` database, the database name) for a PostgreSQL URL."""
    parts = urlsplit(url)
    return parts._replace(path="/postgres").geturl(), parts.path.lstrip("/")


# Held while a run builds, migrates or copies the databases and static files the benchmarks
# share (the sources, the page-CPU baselines, var/load-static/), so two runs at once neither
# build one twice nor copy one half made or being migrated. The kernel lets go of it when the
# process ends, however it ends.
SHARED_LOCK = ROOT / "var" / ".benchmarks.lock"
_lock_depth = 0


@contextlib.contextmanager
def shared_databases():
    """The benchmarks' shared lock (re-entrant within a process); says so when it waits."""
    global _lock_depth
    if _lock_depth:
        _lock_depth += 1
        try:
            yield
        finally:
            _lock_depth -= 1
        return
    SHARED_LOCK.parent.mkdir(parents=True, exist_ok=True)
    with open(SHARED_LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("等待另一个基准程序建好或复制共享的数据库 ……", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        _lock_depth = 1
        try:
            yield
        finally:
            _lock_depth = 0
            fcntl.flock(handle, fcntl.LOCK_UN)


def stop_on_sigterm() -> None:
    """A `kill` ends the run as Ctrl-C does: through the `finally` blocks that delete its copies."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


@contextlib.contextmanager
def cleaning_up():
    """A second Ctrl-C (or kill) while a run stops its processes and deletes its copies waits
    until that is done, instead of leaving the copies behind."""
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def run_name(url: str, tag: str) -> str:
    """This run's own copy of database `url`: the name with `tag` and the process id added (a
    SQLite file beside it), so runs at once never share or delete each other's copies."""
    if url.startswith("sqlite:///"):
        path = sqlite_path(url)
        return f"sqlite:///{path.with_name(f'{path.stem}-{tag}-{os.getpid()}{path.suffix}')}"
    parts = urlsplit(url)
    return parts._replace(path=f"{parts.path}_{tag}_{os.getpid()}").geturl()


# Names run_name() gives (and load.py's SQLite copy, load-run-<pid>): the pid is the run's.
_LEFTOVER_FILE = re.compile(
    r"^(?:load-run|pagecpu-run-[a-z]+|[\w.-]+-building)-(\d+)\.sqlite3(?:-wal|-shm)?$"
)
_LEFTOVER_DB = re.compile(
    r"^(?:unionportal_load(?:_base_[0-9a-f]+)?_run|unionportal_pagecpu_run_[a-z]+|\w+_building)"
    r"_(\d+)$"
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def drop_leftovers(db: str) -> None:
    """Delete the copies of runs that ended without cleaning up (kill -9, a crash, a machine
    restart): those whose name carries the id of a process that no longer exists."""
    with shared_databases():
        if db == "sqlite":
            for path in (ROOT / "var").glob("*.sqlite3*"):
                found = _LEFTOVER_FILE.match(path.name)
                if found and not _alive(int(found[1])):
                    print(f"删除遗留的副本 {path.name}", flush=True)
                    path.unlink(missing_ok=True)
            return
        import psycopg

        admin, _ = _admin_url(PG_DEFAULT)
        with psycopg.connect(admin, autocommit=True) as conn:
            names = [row[0] for row in conn.execute("SELECT datname FROM pg_database")]
        for name in names:
            found = _LEFTOVER_DB.match(name)
            if found and not _alive(int(found[1])):
                print(f"删除遗留的副本 {name}", flush=True)
                drop_database(db, urlsplit(PG_DEFAULT)._replace(path=f"/{name}").geturl())


def database_exists(db: str, url: str) -> bool:
    if db == "sqlite":
        return sqlite_path(url).exists()
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def rename_database(db: str, old: str, new: str) -> None:
    """Put a database built under a temporary name in its place, in one step."""
    if db == "sqlite":
        conn = sqlite3.connect(sqlite_path(old))
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the main file
        finally:
            conn.close()
        os.replace(sqlite_path(old), sqlite_path(new))
        drop_database(db, old)  # any -wal/-shm left beside the old name
        return
    import psycopg

    admin, name = _admin_url(old)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" RENAME TO "{_admin_url(new)[1]}"')


def ensure_source(db: str, source: str, scale: str) -> None:
    """The source database, migrated, seeded with the demo at `scale` if new: a missing one is
    built under a temporary name and renamed when complete, so an interrupted build leaves
    nothing that looks like a source."""
    with shared_databases():
        if database_exists(db, source):
            _prepare_source(db, source, scale)
            return
        building = run_name(source, "building")
        print(f"新建源数据库（{scale} 规模，数分钟）……", flush=True)
        try:
            _prepare_source(db, building, scale)
            rename_database(db, building, source)
        finally:
            drop_database(db, building)


def _prepare_source(db: str, source: str, scale: str) -> None:
    """Migrate the source database and seed it with the demo at `scale` if it is empty."""
    env = {**os.environ, "DATABASE_URL": source, "DEBUG": "0", "TESTING": "1"}
    if db == "postgres":
        import psycopg

        admin, name = _admin_url(source)
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                print(f"新建 PostgreSQL 数据库 {name} ……", flush=True)
                conn.execute(f'CREATE DATABASE "{name}"')
    if scale == "county":
        # benchmarks/county.py: migrate, seed the county demo on first use, refuse a small one.
        code = "from county import setup_county_database; setup_county_database()"
        subprocess.run([PYTHON, "-c", code], cwd=ROOT / "benchmarks", env=env, check=True)
    else:
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*manage, "seed_demo", "--scale", scale, "--if-empty"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if db == "postgres":
        # What autovacuum does for a database in service (this server may have it off): planner
        # statistics and the visibility map for index-only scans. Seconds when nothing changed;
        # the run's copy inherits both.
        import psycopg

        with psycopg.connect(source, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
    else:
        # Planner statistics, as seed_demo now leaves them, for a source made before it did.
        conn = sqlite3.connect(sqlite_path(source))
        try:
            if not conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
            ).fetchone():
                conn.execute("ANALYZE")
        finally:
            conn.close()


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def copy_database(db: str, source: str, run: str) -> None:
    """A copy of the source for this run, so the run's writes never reach the source."""
    with shared_databases():
        _copy_database(db, source, run)


def _copy_database(db: str, source: str, run: str) -> None:
    drop_database(db, run)
    if db == "sqlite":
        # SQLite's online backup: consistent even with the source in WAL mode. Only read, but
        # not opened read-only: a read-only connection cannot tidy away the -wal/-shm files.
        src = sqlite3.connect(sqlite_path(source))
        dst = sqlite3.connect(sqlite_path(run))
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
        return
    import psycopg

    admin, name = _admin_url(source)
    with psycopg.connect(admin, autocommit=True) as conn:
        for attempt in range(30):
            try:
                conn.execute(f'CREATE DATABASE "{_admin_url(run)[1]}" TEMPLATE "{name}"')
                return
            except psycopg.errors.ObjectInUse:
                # Someone outside the benchmarks' lock is connected to the source (a shell, the
                # ten-county build): CREATE … TEMPLATE needs it idle for a moment.
                if attempt == 0:
                    print(f"等待其他连接离开 {name} ……", flush=True)
                if attempt == 29:
                    raise
                time.sleep(2)


def drop_database(db: str, run: str) -> None:
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path(run)}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    admin, name = _admin_url(run)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_run(
    run: str, count: int, seed: int, tree: Path = ROOT
) -> tuple[list[SimulatedUser], str]:
    """Migrate the run's copy, add the load-test users and pick the records each will open;
    with the server's today (ISO). With another `tree` (a baseline's worktree), done by that
    tree's code in a child process: its own models and migrations, and this process's Django
    stays unset.

    Staff go round the townships (one each, then a second); every tenth user is a county
    reviewer. All share one password hash: one hash instead of fifty.
    """
    if tree != ROOT:
        cmd = [PYTHON, str(Path(__file__).resolve()), "--prepare", run, "--tree", str(tree)]
        cmd += ["--users", str(count), "--seed", str(seed)]
        done = subprocess.run(cmd, cwd=tree, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"{tree.name} 的代码准备用户失败：\n{done.stderr[-3000:]}")
        found = json.loads(done.stdout.splitlines()[-1])
        return [SimulatedUser(**u) for u in found["users"]], found["today"]
    return _prepare_here(run, count, seed, ROOT)


def _prepare_here(run: str, count: int, seed: int, tree: Path) -> tuple[list[SimulatedUser], str]:
    os.environ["DATABASE_URL"] = run
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
    # Set-up as the source was seeded; the server below runs as production (static_environment).
    os.environ["TESTING"] = "1"
    sys.path.insert(0, str(tree))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from unionportal import clock

    call_command("migrate", verbosity=0)
    reviewers = max(1, count // 10)
    users = make_users(
        staff=count - reviewers,
        reviewers=reviewers,
        seed=seed,
        prefix="load",
        label="压测",
        password=PASSWORD,
    )
    connections.close_all()
    return users, clock.today().isoformat()


# ---------------------------------------------------------------------------------------------
# Static files and the server


def static_environment(collect: bool) -> dict[str, str]:
    """Production static files (collectstatic into var/load-static/, redone only when static/
    or package-lock.json changed: it takes about half a minute), or TESTING=1 without them."""
    if not collect:
        return {"TESTING": "1"}
    sources = [ROOT / "package-lock.json", ROOT / "unionportal" / "staticfiles.py"]
    sources += [p for p in (ROOT / "static").rglob("*") if p.is_file()]
    fingerprint = str(max(p.stat().st_mtime for p in sources))
    stamp = STATIC_CACHE / ".load-stamp"
    with shared_databases():
        if not stamp.exists() or stamp.read_text() != fingerprint:
            _collect_static(fingerprint, stamp)
    return {"TESTING": "0", "STATIC_ROOT": str(STATIC_CACHE)}


def _collect_static(fingerprint: str, stamp: Path) -> None:
    print("collectstatic → var/load-static/ ……", flush=True)
    env = {
        **os.environ,
        **production_keys(),
        "DEBUG": "0",
        "TESTING": "0",
        "STATIC_ROOT": str(STATIC_CACHE),
    }
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "--clear", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    stamp.write_text(fingerprint)


def production_keys() -> dict[str, str]:
    """Keys for a process run as production (DEBUG=0), which refuses the development ones: the
    run's own, keeping the development key to open and find the demo's sealed ID numbers."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "FIELD_ENCRYPTION_OLD_KEYS": DEVELOPMENT_FIELD_KEY,
        "FIELD_HASH_KEY": DEVELOPMENT_FIELD_KEY,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def start_gunicorn(
    env: dict[str, str], workers: int, log, tree: Path = ROOT
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [PYTHON, "-m", "gunicorn", "unionportal.wsgi", "--bind", f"{LOOPBACK}:{port}"]
    # The county summary PDF takes seconds; the README's production unit says the same.
    cmd += ["--workers", str(workers), "--timeout", "120", "--graceful-timeout", "30"]
    proc = subprocess.Popen(cmd, cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://{LOOPBACK}:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn 启动失败（退出码 {proc.returncode}），见日志 {log.name}")
        try:
            if httpx.get(f"{base_url}/accounts/login/", timeout=5).status_code == 200:
                return proc, base_url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("gunicorn 两分钟内没有就绪")


def _cpu_seconds(pid: int | str) -> float | None:
    """User + system CPU seconds of a process so far (Linux /proc), None if it is gone."""
    try:
        # Fields after the ")" closing the command name: utime and stime are the 12th and 13th.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU used by gunicorn's workers and, on PostgreSQL, the backends of the run's database,
    sampled every second so a worker or connection replaced mid-run is still counted."""

    def __init__(self, master: int, pg_url: str | None) -> None:
        self.master = master
        self.pg = None
        if pg_url:
            import psycopg

            self.pg = psycopg.connect(pg_url, autocommit=True)
        self.base: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _probe(self) -> dict[tuple[str, int], float]:
        found = {}
        try:
            pids = Path(f"/proc/{self.master}/task/{self.master}/children").read_text().split()
        except OSError:
            pids = []
        for pid in pids:
            found[("app", int(pid))] = _cpu_seconds(pid)
        if self.pg is not None:
            rows = self.pg.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
            for (pid,) in rows:
                found[("db", pid)] = _cpu_seconds(pid)
        return {k: v for k, v in found.items() if v is not None}

    def _loop(self) -> None:
        while not self._done.wait(1.0):
            self.last.update(self._probe())

    def start(self) -> None:
        self.base = self._probe()
        self.last = dict(self.base)
        self._thread.start()

    def stop(self) -> tuple[float, float]:
        """(workers, database) CPU seconds since start()."""
        self._done.set()
        self._thread.join()
        self.last.update(self._probe())
        if self.pg is not None:
            self.pg.close()
        used = {"app": 0.0, "db": 0.0}
        for key, seconds in self.last.items():
            used[key[0]] += seconds - self.base.get(key, 0.0)
        return used["app"], used["db"]


def stop_gunicorn(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)  # graceful: workers finish the request in hand
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def scan_log(text: str) -> dict[str, int]:
    return {
        "locked": text.count("database is locked"),
        "tracebacks": text.count("Traceback (most recent call last)"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
    }


# ---------------------------------------------------------------------------------------------
# Report


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _row(cells: list[str], widths: list[int]) -> str:
    out = []
    for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
        pad = " " * (w - _width(cell))
        out.append(cell + pad if i == 0 else pad + cell)
    return "  ".join(out)


def report(summary: dict, login: dict, meta: dict) -> str:
    def cells(label: str, s: dict) -> list[str]:
        return [label, *("—" if s[k] is None else str(s[k]) for k in STAT_KEYS)]

    head = ["请求", "次数", "错误", "p50 ms", "p95 ms", "最大 ms"]
    lines = [cells(KINDS["login"], login)]
    lines += [cells(KINDS[kind], s) for kind, s in summary["kinds"].items()]
    pages, sums = summary["pages"], summary["summaries"]
    lines.append(cells("页面合计（不含登录与总结下载）", pages))
    lines.append(cells("总结下载合计", sums))
    widths = [max(_width(r[i]) for r in [head, *lines]) for i in range(len(head))]
    table = [_row(head, widths)] + [_row(r, widths) for r in lines]
    met = pages["p95"] is not None and pages["p95"] < GOAL_P95_MS
    return "\n".join(
        [
            "",
            f"负载测试 {meta['when']}：{meta['db_label']}，{meta['users']} 个用户（"
            f"{meta['staff']} 录入员、{meta['reviewers']} 县总审阅），预热 {meta['warmup']:g} s（"
            f"{meta['warmup_requests']} 次请求，错误 {meta['warmup_errors']}，不计入）后测 "
            f"{meta['duration']:g} s，"
            f"思考时间 {meta['think']} s，gunicorn {meta['workers']} 个同步 worker，"
            f"{meta['cores']} 核",
            f"机器负载（1/5/15 分钟）：开始 {meta['loadavg_start']}，结束 {meta['loadavg_end']}",
            "",
            *table,
            "",
            f"共 {meta['requests']} 次请求（{meta['throughput']} 次/秒），错误 {meta['errors']}；"
            f"页面 p95 {pages['p95']} ms，目标 < {GOAL_P95_MS} ms：{'达标' if met else '未达标'}",
            f"gunicorn 日志：“database is locked” {meta['locked']} 次，Traceback "
            f"{meta['tracebacks']} 次，worker 超时 {meta['worker_timeouts']} 次",
            f"CPU：gunicorn worker {meta['app_cpu_s']} s"
            + (f" + PostgreSQL {meta['db_cpu_s']} s" if meta["db"] == "postgres" else "")
            + f"（每请求 {meta['server_cpu_ms']} ms），模拟用户（本进程）{meta['client_cpu_s']} s；"
            f"{meta['cores']} 核 × {meta['elapsed_s']} s = "
            f"{round(meta['cores'] * meta['elapsed_s'], 1)} CPU 秒",
            f"容量估算：{meta['cores']} 核全给本服务时约 {meta['capacity']} 次/秒"
            "（按每请求的服务器与客户端 CPU）；"
            f"{meta['users']} 个用户不等待服务器时会发出约 {meta['offered']} 次/秒",
        ]
    )


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    try:
        pair = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"思考时间应写成 最短-最长 秒，如 0.5-1：{text}") from None
    if not 0 <= pair[0] <= pair[1]:
        raise argparse.ArgumentTypeError(f"思考时间应为 0 ≤ 最短 ≤ 最长：{text}")
    return pair


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="秒")
    # A server runs all day: each gunicorn worker's first pass over a page, a township's figures
    # or a query costs more than every pass after. The first --warmup seconds run the same mix
    # unmeasured (errors still count); --warmup 0 measures from the first request.
    parser.add_argument("--warmup", type=float, default=20, help="秒，不计入测量，默认 20")
    # 0.5–1 s between steps: each of the 50 users clicks almost without pause, about 76
    # requests a second in all, many times what a county's 60-odd staff and reviewers ask for
    # when they read and type between clicks. --think 1-2 is the lighter run in the README.
    parser.add_argument("--think", type=_think, default=(0.5, 1.0), help="秒，默认 0.5-1")
    # Cores + 1, as docs/performance.md advises: on 2 cores with PostgreSQL on the same machine,
    # 2, 3, 4 and 5 workers measured a capacity of 113, 116, 109 and 102 requests a second (each
    # worker keeps its own figures, query shapes and prepared statements, and they contend for
    # the cores), and 2 left pages waiting behind a summary PDF (p95 166 ms against 93 ms).
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--source",
        help="已填充演示数据的源数据库：SQLite 文件路径或 PostgreSQL URL"
        f"（默认 {SQLITE_SOURCE.relative_to(ROOT)} 或 {PG_DEFAULT}）",
    )
    parser.add_argument("--scale", choices=["county", "small"], default="county")
    parser.add_argument("--no-collectstatic", action="store_true", help="用 TESTING=1 代替")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="把结果另存为 JSON")
    parser.add_argument(
        "--baseline",
        help="与这个提交的代码并排：基线与当前轮流各跑 --pairs 次"
        "（git worktree，基线有自己的源库副本）",
    )
    parser.add_argument("--pairs", type=int, default=3, help="并排时的对数，默认 3")
    # A baseline's users, made by its own code in a child process (prepare_run).
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        users, today = _prepare_here(args.prepare, args.users, args.seed, Path(args.tree))
        print(json.dumps({"users": [dataclasses.asdict(u) for u in users], "today": today}))
        return 0
    if args.users < 2:
        parser.error("--users 至少为 2（录入员和县总审阅各至少一人）")
    if args.pairs < 1:
        parser.error("--pairs 至少为 1")

    if args.db == "sqlite":
        path = Path(args.source or SQLITE_SOURCE).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        source = f"sqlite:///{path}"
        label = "SQLite"
    else:
        source = args.source or PG_DEFAULT
        parts = urlsplit(source)
        if parts.hostname not in (LOOPBACK, "localhost"):
            raise SystemExit("只使用本机的 PostgreSQL")
        label = "PostgreSQL"

    if args.baseline:
        known = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"{args.baseline}^{{commit}}"],
            cwd=ROOT,
            capture_output=True,
        )
        if known.returncode:
            parser.error(f"--baseline {args.baseline}：找不到这个提交")

    print(f"准备源数据库（{args.scale} 规模）……", flush=True)
    drop_leftovers(args.db)
    ensure_source(args.db, source, args.scale)
    stop_on_sigterm()
    static_env = static_environment(not args.no_collectstatic)
    if args.baseline:
        return compare(args, label, source, static_env)
    print("复制为本次运行的数据库 ……", flush=True)
    outcome = one_run(args, label, source, ROOT, static_env)
    show(outcome)
    if args.json:
        args.json.write_text(json.dumps(outcome.record, ensure_ascii=False, indent=2))
    return 1 if outcome.failed else 0


@dataclass
class Outcome:
    """One run's figures (record: what --json writes) and what went wrong."""

    record: dict
    summary: dict
    login: dict
    failures: list[str]
    log_tail: str | None
    failed: bool


def one_run(args, label: str, source: str, tree: Path, static_env: dict[str, str]) -> Outcome:
    """A run of the mix against gunicorn serving `tree`'s code on a fresh copy of `source`."""
    run_db = (
        run_name(source, "run")
        if args.db == "postgres"
        else f"sqlite:///{sqlite_path(source).with_name(f'load-run-{os.getpid()}.sqlite3')}"
    )
    loadavg_start = _loadavg()
    try:
        copy_database(args.db, source, run_db)
        users, today = prepare_run(run_db, args.users, args.seed, tree)
        with tempfile.TemporaryDirectory(prefix="load-") as tmp:
            env = {
                **os.environ,
                "DEBUG": "0",
                **production_keys(),
                "ALLOWED_HOSTS": LOOPBACK,
                "DATABASE_URL": run_db,
                "HTTPS": "0",
                "LOG_LEVEL": "WARNING",
                "MEDIA_ROOT": f"{tmp}/media",
                "PRIVATE_MEDIA_ROOT": f"{tmp}/private",
                "KEPT_DIR": f"{tmp}/kept",  # the workers' shared kept figures, this run's own
                **static_env,
            }
            log_path = Path(tmp) / "gunicorn.log"
            with open(log_path, "w") as log:
                proc, base_url = start_gunicorn(env, args.workers, log, tree)
                print(
                    f"gunicorn 已在 {base_url} 就绪；{len(users)} 个用户登录后预热 "
                    f"{args.warmup:g} s、再测 {args.duration:g} s ……",
                    flush=True,
                )
                try:
                    run = asyncio.run(
                        drive(
                            users,
                            base_url,
                            duration=args.duration,
                            think=args.think,
                            seed=args.seed,
                            warmup=args.warmup,
                            today=today,
                            meter=CpuMeter(proc.pid, run_db if args.db == "postgres" else None),
                        )
                    )
                finally:
                    with cleaning_up():
                        stop_gunicorn(proc)
            log_text = log_path.read_text(errors="replace")
    finally:
        with cleaning_up():
            drop_database(args.db, run_db)

    found = scan_log(log_text)
    summary = summarise(run.results)
    login = summarise(run.signin)["kinds"].get("login", dict.fromkeys(STAT_KEYS, 0))
    requests = len(run.results.samples)
    warm_errors = sum(not s.ok for s in run.warmup.samples)
    errors = sum(not s.ok for s in run.results.samples) + login["errors"] + warm_errors
    reviewers = sum(u.role == "reviewer" for u in users)
    meta = {
        "when": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "db": args.db,
        "db_label": label,
        "code": "current" if tree == ROOT else tree.name,
        "users": len(users),
        "staff": len(users) - reviewers,
        "reviewers": reviewers,
        "duration": args.duration,
        "warmup": args.warmup,
        "warmup_requests": len(run.warmup.samples),
        "warmup_errors": warm_errors,
        "think": "–".join(f"{t:g}" for t in args.think),
        "workers": args.workers,
        "cores": os.cpu_count(),
        "loadavg_start": loadavg_start,
        "loadavg_end": _loadavg(),
        "requests": requests,
        "elapsed_s": round(run.elapsed, 1),
        "throughput": round(requests / run.elapsed, 1) if run.elapsed else 0,
        "errors": errors,
        "app_cpu_s": round(run.app_cpu, 1),
        "db_cpu_s": round(run.db_cpu, 1),
        "server_cpu_ms": round((run.app_cpu + run.db_cpu) * 1000 / requests) if requests else 0,
        "client_cpu_s": round(run.client_cpu, 1),
        # What the machine could serve if the server and the simulated users had it to
        # themselves, against what the users ask for when answers come at once (think time
        # only): above capacity, requests queue and every page waits (Little's law).
        "capacity": round(
            (os.cpu_count() or 1) * requests / (run.app_cpu + run.db_cpu + run.client_cpu)
        )
        if requests
        else 0,
        "offered": round(len(users) * requests / run.actions / (sum(args.think) / 2))
        if run.actions and sum(args.think)
        else 0,
        **found,
    }
    tail = None
    if found["tracebacks"] or found["worker_timeouts"]:
        tail = "\n".join([ln for ln in log_text.splitlines() if ln.strip()][-30:])
    failed = errors or found["locked"] or found["tracebacks"] or found["worker_timeouts"]
    return Outcome(
        record={**meta, **summary, "login": login},
        summary=summary,
        login=login,
        failures=run.signin.failures + run.warmup.failures + run.results.failures,
        log_tail=tail,
        failed=bool(failed or not requests),
    )


def show(outcome: Outcome) -> None:
    print(report(outcome.summary, outcome.login, outcome.record))
    for line in outcome.failures:
        print(f"  错误：{line}")
    if outcome.log_tail:
        print("gunicorn 日志末尾：\n" + outcome.log_tail)


# ---------------------------------------------------------------------------------------------
# Side by side: the current code against a baseline commit, in alternating runs


def baseline_source(db: str, source: str, short: str) -> str:
    """The baseline's own source beside `source`: a copy migrated to the baseline's schema."""
    if db == "sqlite":
        path = sqlite_path(source)
        return f"sqlite:///{path.with_name(f'{path.stem}-base-{short}{path.suffix}')}"
    parts = urlsplit(source)
    return parts._replace(path=f"{parts.path}_base_{short}").geturl()


def pair_orders(pairs: int) -> list[tuple[str, str]]:
    """Baseline and current in turns, the first of each pair alternating (B C, C B, B C …): a
    machine growing slower or faster during the runs weighs on both alike."""
    return [
        ("baseline", "current") if i % 2 == 0 else ("current", "baseline") for i in range(pairs)
    ]


def _cpu_per_request(record: dict, *, client: bool = False) -> float:
    if not record["requests"]:
        return 0.0
    seconds = record["client_cpu_s"] if client else record["app_cpu_s"] + record["db_cpu_s"]
    return seconds * 1000 / record["requests"]


def comparison(records: dict[str, list[dict]]) -> dict:
    """Medians per version and the current code's against the baseline's."""
    out: dict = {}
    for version, runs in records.items():
        out[version] = {
            "capacity": [r["capacity"] for r in runs],
            "capacity_median": statistics.median(r["capacity"] for r in runs),
            "server_cpu_ms_median": round(statistics.median(_cpu_per_request(r) for r in runs), 2),
            "client_cpu_ms_median": round(
                statistics.median(_cpu_per_request(r, client=True) for r in runs), 2
            ),
            "page_p95_ms_median": statistics.median(r["pages"]["p95"] or 0 for r in runs),
        }
    base, current = out["baseline"], out["current"]
    out["server_cpu_ratio"] = (
        round(current["server_cpu_ms_median"] / base["server_cpu_ms_median"], 2)
        if base["server_cpu_ms_median"]
        else None
    )
    out["capacity_ratio"] = (
        round(current["capacity_median"] / base["capacity_median"], 2)
        if base["capacity_median"]
        else None
    )
    return out


def comparison_table(found: dict, baseline: str, label: str) -> str:
    head = [
        "代码",
        "各次容量估算（次/秒）",
        "中位数",
        "服务器 CPU / 请求",
        "模拟用户 CPU / 请求",
        "页面 p95",
    ]
    rows = []
    for version, name in (("baseline", f"基线 {baseline}"), ("current", "当前")):
        v = found[version]
        rows.append(
            [
                name,
                "、".join(str(c) for c in v["capacity"]),
                f"{v['capacity_median']:g}",
                f"{v['server_cpu_ms_median']:.1f} ms",
                f"{v['client_cpu_ms_median']:.1f} ms",
                f"{v['page_p95_ms_median']:g} ms",
            ]
        )
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    return "\n".join(
        [
            "",
            f"并排（{label}，基线与当前轮流）：",
            _row(head, widths),
            *(_row(r, widths) for r in rows),
            f"当前 / 基线：服务器 CPU 每请求 {found['server_cpu_ratio']}，"
            f"容量估算 {found['capacity_ratio']}",
        ]
    )


def compare(args, label: str, source: str, static_env: dict[str, str]) -> int:
    """--baseline: `--pairs` pairs of runs, the baseline commit's code (a git worktree, with its
    own copy of the source migrated to its schema, both kept for the next comparison) and the
    current code in turns; each run as a plain run is, then both side by side."""
    # The baseline's worktree and source, made as the page-CPU benchmark makes its own.
    import bench_page_cpu

    try:
        tree = bench_page_cpu.baseline_tree(args.baseline)
    except subprocess.CalledProcessError as exc:
        raise SystemExit(
            f"--baseline {args.baseline}：无法为这个提交建 worktree"
            f"（{(exc.stderr or '').strip() or exc}）"
        ) from None
    short = tree.name.rsplit("-", 1)[-1]
    base_source = baseline_source(args.db, source, short)
    bench_page_cpu.ensure_baseline_source(args.db, source, base_source, args.baseline)
    base_static = (
        static_env
        if args.no_collectstatic
        else {"TESTING": "0", "STATIC_ROOT": str(tree / "staticfiles")}
    )
    versions = {"baseline": (tree, base_source, base_static), "current": (ROOT, source, static_env)}
    outcomes: dict[str, list[Outcome]] = {"baseline": [], "current": []}
    for i, order in enumerate(pair_orders(args.pairs)):
        for version in order:
            code, db_source, static = versions[version]
            name = f"基线 {args.baseline}" if version == "baseline" else "当前"
            print(f"第 {i + 1}/{args.pairs} 对：{name} ……", flush=True)
            outcome = one_run(args, label, db_source, code, static)
            outcomes[version].append(outcome)
            r = outcome.record
            print(
                f"  {name}：{r['requests']} 次请求，错误 {r['errors']}，"
                f"页面 p95 {r['pages']['p95']} ms，"
                f"服务器 CPU 每请求 {_cpu_per_request(r):.1f} ms，容量估算 {r['capacity']} 次/秒",
                flush=True,
            )
            if outcome.failed:
                show(outcome)
    records = {v: [o.record for o in runs] for v, runs in outcomes.items()}
    found = comparison(records)
    print(comparison_table(found, args.baseline, label))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"baseline_commit": args.baseline, **records, "comparison": found},
                ensure_ascii=False,
                indent=2,
            )
        )
    failed = any(o.failed for runs in outcomes.values() for o in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("已中断")
