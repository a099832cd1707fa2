"""Server CPU per page, side by side: the current code against the commit before issue 18.

    .venv/bin/python benchmarks/bench_page_cpu.py [--db sqlite|postgres] [--rounds 8]
                                                  [--steps 120] [--baseline a654b2f]
    make bench-page-cpu                 # SQLite
    make bench-page-cpu DB=postgres     # PostgreSQL

The load script's page mix (benchmarks/steps.py, shared with benchmarks/load.py: home, member
list and paging, name search, member detail, employer / union / case / visit lists, the add and
edit forms and their saves, the township and county dashboards; summaries left out, they are
not pages) is played by the same
simulated users against two copies of the county-scale database: one served by the current code,
one by the baseline commit checked out as a git worktree (var/.worktrees/pagecpu-<commit>/).

Each code version runs in its own process, as production runs it (DEBUG=0, TESTING=0, the
collected static files, django-axes on, the file cache of kept figures) and calls Django's WSGI
handler in-process, the way gunicorn does, with each user's cookies. CPU is the process's own
(time.process_time) around each request, so other work on the machine does not count; on
PostgreSQL the database backend's CPU for the request (/proc/<pid>/schedstat) is added. The two
processes take turns, round by round (A B, B A, …), so noise falls on both alike; the first round
of each (every user opening every kind of page once) warms the caches and is not counted.

Databases, each copy migrated by the code version that serves it:
  SQLite: the source var/bench-county.sqlite3 (benchmarks/county.py makes it) is copied for the
    current code; the baseline's copy comes from var/pagecpu-baseline.sqlite3, made once from
    the source while the source's migrations were all known to the baseline (else the current
    code migrates the copy back to the baseline's last migrations first). Both run copies are
    deleted afterwards.
  PostgreSQL: the same with CREATE DATABASE … TEMPLATE, from unionportal_load (benchmarks/load.py
    makes it) and unionportal_pagecpu_baseline.
  Runs at once (several people on one machine) do not disturb each other: a run's copies carry
  its process id (var/pagecpu-run-<version>-<pid>.sqlite3, unionportal_pagecpu_run_<version>_<pid>)
  and are deleted at the end, on Ctrl-C or kill too (copies of runs killed outright are deleted
  by the next run); the shared sources, baselines, worktree and static files are built, migrated
  and copied under one lock (var/.benchmarks.lock), a missing source or baseline under a
  temporary name renamed when complete.

Prints per kind of page: requests measured, median CPU ms of the baseline and the current code,
and their ratio; then the median and mean over all page requests.
"""

import argparse
import base64
import datetime
import http.cookies
import io
import json
import os
import random
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import steps

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASELINE = "a654b2f"
# Hidden (a dot): makemessages skips it, so the baseline's strings never reach the catalogues.
WORKTREES = ROOT / "var" / ".worktrees"
SQLITE_SOURCE = ROOT / "var" / "bench-county.sqlite3"
SQLITE_BASELINE = ROOT / "var" / "pagecpu-baseline.sqlite3"
PG_SOURCE = "postgres://postgres@127.0.0.1:5432/unionportal_load"
PG_BASELINE = "postgres://postgres@127.0.0.1:5432/unionportal_pagecpu_baseline"
DEVELOPMENT_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="
PASSWORD = "PageCpu#2026test"

# Kinds of page: key → label (load.py's, summaries and sign-in left out).
KINDS = steps.PAGES

# ---------------------------------------------------------------------------------------------
# In the worker: one code version, its database copy, a WSGI handler called in-process


def backend_cpu_ns(pid: int) -> int:
    """CPU time a process has used, in nanoseconds (Linux schedstat: finer than /proc/stat's
    clock ticks, which would round most requests to 0 or 10 ms)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])


@dataclass
class Browser:
    """One user's cookies, and requests through the WSGI handler timed in CPU."""

    app: object
    username: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, url: str, data: dict | None = None
    ) -> tuple[int, dict, str, dict]:
        """(status, headers, body, cpu) where cpu is {"app": ms, "db": ms}."""
        from django.db import connection

        parts = urlsplit(url)
        body = urlencode(data or {}, doseq=True).encode() if method == "POST" else b""
        environ = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) bench_page_cpu",
            "HTTP_ACCEPT": "text/html,application/xhtml+xml",
            "HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9",
            "HTTP_ACCEPT_ENCODING": "gzip, deflate",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environ["CONTENT_LENGTH"] = str(len(body))
        started: list = []

        def start_response(status, headers, exc_info=None):
            started[:] = [int(status.split()[0]), headers]

        db_before = self._backend(connection)
        cpu_before = time.process_time_ns()
        result = self.app(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        cpu_after = time.process_time_ns()
        db_after = self._backend(connection)
        db_ns = 0
        if db_after is not None:
            db_ns = db_after[1] - (db_before[1] if db_before and db_before[0] == db_after[0] else 0)
        status, headers = started
        for name, value in headers:
            if name.lower() == "set-cookie":
                jar = http.cookies.SimpleCookie()
                jar.load(value)
                for key, morsel in jar.items():
                    if morsel["max-age"] == "0" or (
                        morsel["expires"] and "1970" in morsel["expires"]
                    ):
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
        cpu = {"app": (cpu_after - cpu_before) / 1e6, "db": db_ns / 1e6}
        return status, dict(headers), content.decode("utf-8", "replace"), cpu

    @staticmethod
    def _backend(connection) -> tuple[int, int] | None:
        if connection.vendor != "postgresql" or connection.connection is None:
            return None
        pid = connection.connection.info.backend_pid
        try:
            return pid, backend_cpu_ns(pid)
        except OSError:
            return None


def plan_round(
    users: list[steps.SimulatedUser], round_no: int, count: int, seed: int
) -> list[dict]:
    """The steps of one round: users in turn, each doing an action drawn by the load test's
    weights (summaries left out). Round 0 is the warm-up: every user does each of its actions
    once."""
    rng = random.Random(seed * 1000 + round_no)
    plan = []
    if round_no == 0:
        for user in users:
            for _, action in steps.mix(user, summaries=False):
                plan.append(steps.step(user, action, rng))
        return plan
    for i in range(count):
        user = users[i % len(users)]
        actions = steps.mix(user, summaries=False)
        action = rng.choices([a for _, a in actions], [w for w, _ in actions])[0]
        plan.append(steps.step(user, action, rng))
    return plan


class Worker:
    """One code version serving the plan: signs the users in, then plays rounds on request."""

    def __init__(self, staff: int, reviewers: int, seed: int) -> None:
        import django

        django.setup()
        from django.core.management import call_command
        from django.core.wsgi import get_wsgi_application

        call_command("migrate", verbosity=0)
        self.users = steps.make_users(
            staff=staff,
            reviewers=reviewers,
            seed=seed,
            prefix="pagecpu",
            label="基准",
            password=PASSWORD,
        )
        self.app = get_wsgi_application()
        self.browsers = [Browser(self.app, u.username) for u in self.users]
        for browser in self.browsers:
            self._log_in(browser)
        from unionportal import clock

        self.today = clock.today().isoformat()
        self.seed = seed
        self.kind = ""  # the kind of page being requested, for the profile

    def _log_in(self, browser: Browser) -> None:
        status, _, html, _ = browser.request("GET", "/accounts/login/")
        filled = steps.sign_in_form(html, browser.username, PASSWORD)
        if status != 200 or filled is None:
            raise SystemExit(f"登录页不可用（状态 {status}）")
        status, headers, _, _ = browser.request("POST", *filled)
        if status != 302 or "login" in headers.get("Location", ""):
            raise SystemExit(f"{browser.username} 登录失败（状态 {status}）")

    def play(self, round_no: int, count: int) -> list[tuple[str, float, float]]:
        """Play one round; (kind, app CPU ms, database CPU ms) per request."""
        out = []
        for planned in plan_round(self.users, round_no, count, self.seed):
            out += self._do(planned)
        return out

    def _do(self, planned: dict) -> list[tuple[str, float, float]]:
        user = self.users[planned["user"]]
        browser = self.browsers[planned["user"]]
        action, url = planned["action"], planned["url"]

        def get(kind: str) -> tuple[str, list]:
            self.kind = kind
            status, headers, html, cpu = browser.request("GET", url)
            if status != 200:
                raise SystemExit(
                    f"{user.username} GET {url}：状态 {status} {headers.get('Location', '')}"
                )
            return html, [(kind, cpu["app"], cpu["db"])]

        if action not in steps.FORM_FIELD:
            return get(action)[1]
        html, out = get("form")
        form = steps.form_with(html, steps.FORM_FIELD[action])
        if form is None:
            raise SystemExit(f"{url} 上没有含“{steps.FORM_FIELD[action]}”的表单")
        data = dict(form["fields"])
        steps.fill(user, planned, data, form["options"], today=self.today, label="基准")
        target = urljoin(url, form["action"]) if form["action"] else url
        self.kind = action
        status, headers, body, cpu = browser.request("POST", target, data)
        if status != 302:
            raise SystemExit(
                f"{user.username} POST {target}：状态 {status} {steps.form_errors(body)}"
            )
        return [*out, (action, cpu["app"], cpu["db"])]


def worker_main(args: argparse.Namespace) -> None:
    """Runs in the subprocess for one code version; talks JSON lines on its own pipe."""
    # Django and the version's code are imported from the tree being measured; load.py's form
    # helpers from this script's folder.
    sys.path.insert(0, str(Path(args.tree).resolve()))
    os.chdir(args.tree)
    os.environ["DJANGO_SETTINGS_MODULE"] = "unionportal.settings"
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything Django prints goes to stderr, not into the protocol
    worker = Worker(args.staff, args.reviewers, args.seed)
    proto.write(json.dumps({"ready": True, "users": len(worker.users)}) + "\n")
    for line in sys.stdin:
        command = json.loads(line)
        if command.get("quit"):
            break
        if command.get("profile"):
            proto.write(json.dumps(profile_rounds(worker, command)) + "\n")
            continue
        samples = worker.play(command["round"], command["steps"])
        proto.write(json.dumps({"samples": samples}) + "\n")


def profile_rounds(worker: Worker, command: dict) -> dict:
    """Plays rounds while sampling the stack every millisecond of process CPU (SIGPROF), and
    returns the sampled stacks with their counts, the requests' CPU and the sampling interval."""
    import signal
    from collections import Counter

    interval = command.get("interval", 0.001)
    stacks: Counter = Counter()
    handler_code = None

    def sample(signum, frame) -> None:
        names = []
        middleware = ""
        while frame is not None:
            code = frame.f_code
            names.append(f"{code.co_filename}:{code.co_name}")
            if code.co_name == "__call__" and not middleware and "self" in frame.f_locals:
                owner = type(frame.f_locals["self"])
                if owner.__name__.endswith("Middleware"):
                    middleware = f"{owner.__module__}.{owner.__name__}"
            frame = frame.f_back
        if handler_code is None or not any(n.endswith(handler_code) for n in names):
            return  # outside the WSGI handler: the benchmark's own client
        stacks[(tuple(reversed(names)), middleware, worker.kind)] += 1

    handler_code = "django/core/handlers/wsgi.py:__call__"
    signal.signal(signal.SIGPROF, sample)
    samples = []
    signal.setitimer(signal.ITIMER_PROF, interval, interval)
    try:
        for round_no in command["rounds"]:
            samples += worker.play(round_no, command["steps"])
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)
    return {
        "samples": samples,
        "interval": interval,
        "stacks": [[list(names), mw, kind, n] for (names, mw, kind), n in stacks.items()],
    }


# ---------------------------------------------------------------------------------------------
# Where the CPU goes: sampled stacks sorted into categories

# Each sample goes to the category of its innermost frame that says what is being done: a query
# run while a template renders is a query, a translation looked up by a crispy field is i18n.
# Frames that only pass the call on (the standard library, lazy objects, thread-locals, signals)
# say nothing and are skipped; Django's template and form machinery inside a crispy form counts
# as crispy.
CATEGORIES = [
    ("数据库查询与 ORM", ("/django/db/", "/sqlite3/", "/psycopg/", "/psycopg_pool/")),
    ("身份证号解密与脱敏", ("/unionportal/pii.py", "/unionportal/masking.py", "/cryptography/")),
    ("翻译（i18n）", ("/django/utils/translation/", "/gettext.py")),
    (
        "日期与数字格式化（l10n）",
        (
            "/django/utils/formats.py",
            "/django/utils/dateformat.py",
            "/django/utils/numberformat.py",
            "/django/contrib/humanize/",
            "/django/utils/timezone.py",
            "/zoneinfo/",
        ),
    ),
    ("URL 解析与反查", ("/django/urls/",)),
    ("静态文件地址", ("/django/templatetags/static.py", "/django/contrib/staticfiles/")),
    ("会话", ("/django/contrib/sessions/", "/django/core/signing.py")),
    (
        "中间件（安全、CSRF、认证、锁定、语言、CSP、no-store、历史、消息）",
        (
            "/django/middleware/",
            "/django/contrib/auth/",
            "/django_otp/",
            "/axes/",
            "/whitenoise/",
            "/simple_history/middleware",
            "/django/contrib/messages/",
            "/unionportal/security.py",
            "/django/utils/cache.py",
        ),
    ),
    ("crispy 表单", ("/crispy_forms/", "/crispy_bootstrap5/")),
    ("Django 表单（校验与控件）", ("/django/forms/",)),
    (
        "模板渲染与 include",
        (
            "/django/template/",
            "/django/templatetags/",
            "/django/utils/html.py",
            "/django/utils/safestring.py",
            "/django/shortcuts.py",
        ),
    ),
    ("请求与响应对象（WSGI 处理器）", ("/django/core/handlers/", "/django/http/")),
    (
        "项目代码（视图、访问门、看板计算、导航）",
        (
            "/unionportal/",
            "/members/",
            "/welfare/",
            "/disputes/",
            "/events/",
            "/honours/",
            "/portal/",
            "/reports/",
            "/workbook/",
            "/audit/",
        ),
    ),
]
PASS_THROUGH = ("/django/utils/", "/asgiref/", "/django/dispatch/", "/lib/python3", "<")


def category_of(names: list[str]) -> str:
    for name in reversed(names):
        for label, parts in CATEGORIES:
            if any(p in name for p in parts):
                if label in ("模板渲染与 include", "Django 表单（校验与控件）") and any(
                    "/crispy_forms/" in n for n in names
                ):
                    return "crispy 表单"
                return label
        if "site-packages" in name and not any(p in name for p in PASS_THROUGH):
            return "其他第三方库"
    return "其他（标准库）"


def categorise(stacks: list, samples: list) -> str:
    """The sampled stacks as tables of ms of CPU per request (the samples scaled to the CPU the
    requests measured) and shares: by category, by phase of the request (each middleware on its
    own, the view, its template), and the busiest functions."""
    from collections import Counter

    from load import _row, _width

    requests = len(samples)
    cpu_ms = sum(s[1] for s in samples)
    by_category: Counter = Counter()
    by_phase: Counter = Counter()
    self_time: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    per_kind: dict[str, Counter] = {}
    for names, middleware, kind, n in stacks:
        total += n
        category = category_of(names)
        by_category[category] += n
        per_kind.setdefault(kind, Counter())[category] += n
        view = [
            i
            for i, x in enumerate(names)
            if x.endswith("django/core/handlers/base.py:_get_response")
        ]
        if view:
            after = names[view[0] + 1 :]
            if any(":process_view" in x for x in after[:2]):
                by_phase["中间件 process_view（CSRF、请求体大小）"] += n
            elif any("/django/template/" in x for x in after):
                by_phase["视图：模板渲染（含其中的查询、翻译、URL）"] += n
            else:
                by_phase["视图：取数与其余（模板之外）"] += n
        elif middleware:
            by_phase[f"中间件 {middleware.rsplit('.', 1)[-1]}"] += n
        else:
            by_phase["WSGI 处理器（请求对象、响应头）"] += n
        self_time[names[-1]] += n
        for name in set(names):
            inclusive[name] += n
    per_sample = cpu_ms / requests / total

    def block(title: str, counter: Counter, limit: int | None = None) -> list[str]:
        head = [title, "ms/请求", "占比"]
        rows = [
            [k, f"{v * per_sample:.2f}", f"{100 * v / total:.1f}%"]
            for k, v in counter.most_common(limit)
        ]
        widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(3)]
        return [_row(head, widths), *(_row(r, widths) for r in rows), ""]

    def short(name: str) -> str:
        for marker in ("site-packages/", f"{ROOT}/", "/lib/python3.11/"):
            if marker in name:
                return name.split(marker, 1)[1]
        return name

    out = [
        f"{requests} 次请求，进程 CPU 每请求 {cpu_ms / requests:.1f} ms；调用栈采样 {total} 次"
        "（按进程 CPU 时间触发），按采样比例分摊",
        "",
    ]
    out += block("类别", by_category)
    # Per kind of page: ms per request of that kind in each of the main categories.
    main = [k for k, _ in by_category.most_common(8)]
    short_names = [k.split("（")[0] for k in main]
    head = ["页面", "次数", "ms/请求", *short_names]
    rows = []
    for kind, name in KINDS.items():
        n = sum(1 for s in samples if s[0] == kind)
        if not n or kind not in per_kind:
            continue
        mean = sum(s[1] for s in samples if s[0] == kind) / n
        counts = per_kind[kind]
        scale = mean / sum(counts.values())
        rows.append([name, str(n), f"{mean:.1f}", *(f"{counts[c] * scale:.1f}" for c in main)])
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    out += [_row(head, widths), *(_row(r, widths) for r in rows), ""]
    out += block("阶段", by_phase)
    out += block("函数（自身）", Counter({short(k): v for k, v in self_time.items()}), 40)
    out += block("函数（含调用）", Counter({short(k): v for k, v in inclusive.items()}), 80)
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# In the parent: the worktree, the database copies, the two workers taking turns


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def production_env() -> dict[str, str]:
    return {
        "DEBUG": "0",
        "TESTING": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        # The demo's ID numbers were sealed with the development key (seeded as tests are).
        "FIELD_ENCRYPTION_OLD_KEYS": DEVELOPMENT_FIELD_KEY,
        "FIELD_HASH_KEY": DEVELOPMENT_FIELD_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "0",
        "LOG_LEVEL": "WARNING",
    }


def baseline_tree(commit: str) -> Path:
    """The baseline's worktree, made on first use: its own compiled translations and collected
    static files (as production has them), node_modules shared with this checkout."""
    import load

    full = git("rev-parse", "--verify", f"{commit}^{{commit}}")
    tree = WORKTREES / f"pagecpu-{full[:7]}"
    with load.shared_databases():  # made by one run at a time
        _make_baseline_tree(tree, full)
    return tree


def _make_baseline_tree(tree: Path, full: str) -> None:
    if not (tree / ".git").exists():
        WORKTREES.mkdir(parents=True, exist_ok=True)
        print(f"git worktree → {tree.relative_to(ROOT)} ……", flush=True)
        git("worktree", "add", "--detach", str(tree), full)
    if not (tree / "node_modules").exists():
        (tree / "node_modules").symlink_to(ROOT / "node_modules")
    stamp = tree / "var" / ".pagecpu-ready"
    if not stamp.exists():
        (tree / "var").mkdir(exist_ok=True)
        env = {**os.environ, "DEBUG": "1", "TESTING": "0"}
        env.pop("DATABASE_URL", None)
        print("基线：compilemessages、collectstatic ……", flush=True)
        manage = [sys.executable, "manage.py"]
        subprocess.run(
            [*manage, "compilemessages", "--ignore=.venv", "--ignore=node_modules", "-v0"],
            cwd=tree,
            env=env,
            check=True,
        )
        env = {**os.environ, **production_env(), "STATIC_ROOT": str(tree / "staticfiles")}
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "--clear", "-v0"], cwd=tree, env=env, check=True
        )
        stamp.write_text(full)


def current_static() -> str:
    """load.py's collected static files of this checkout (redone when static/ changed)."""
    sys.path.insert(0, str(HERE))
    import load

    return load.static_environment(True)["STATIC_ROOT"]


def migrations_in(tree: Path, commit: str | None) -> set[tuple[str, str]]:
    """(app, migration) of the project's own apps at `commit` (None: the working tree)."""
    if commit is None:
        paths = [str(p.relative_to(tree)) for p in tree.glob("*/migrations/0*.py")]
    else:
        paths = git("ls-tree", "-r", "--name-only", commit, cwd=tree).splitlines()
    found = set()
    for path in paths:
        parts = path.split("/")
        if len(parts) == 3 and parts[1] == "migrations" and parts[2][:1].isdigit():
            found.add((parts[0], parts[2].removesuffix(".py")))
    return found


def applied_migrations(db: str, url: str) -> set[tuple[str, str]]:
    if db == "sqlite":
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return set(conn.execute("SELECT app, name FROM django_migrations").fetchall())
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(url) as conn:
        return set(conn.execute("SELECT app, name FROM django_migrations").fetchall())


def ensure_baseline_source(db: str, source: str, target: str, commit: str) -> None:
    """The baseline's own source: a copy of the shared source as the baseline's migrations
    leave it. Made once and kept, under a temporary name first and renamed when complete (an
    interrupted build leaves no half-made baseline); when the shared source already carries
    migrations of later code, the current code migrates the copy back to the baseline's last
    ones."""
    import load

    with load.shared_databases():
        if load.database_exists(db, target):
            return
        print(f"基线数据库 {target} ← {source} ……", flush=True)
        building = load.run_name(target, "building")
        try:
            load.copy_database(db, source, building)
            _migrate_back(db, building, commit)
            load.rename_database(db, building, target)
        finally:
            load.drop_database(db, building)


def _migrate_back(db: str, url: str, commit: str) -> None:
    project_apps = {app for app, _ in migrations_in(ROOT, None)} | {
        app for app, _ in migrations_in(ROOT, commit)
    }
    known = migrations_in(ROOT, commit)
    later = {(a, n) for a, n in applied_migrations(db, url) if a in project_apps} - known
    for app in sorted({a for a, _ in later}):
        mine = sorted(n for a, n in known if a == app)
        goal = mine[-1] if mine else "zero"
        print(f"  基线没有 {app} 的较新迁移：迁回 {app} {goal}", flush=True)
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "TESTING": "1"}
        done = subprocess.run(
            [sys.executable, "manage.py", "migrate", app, goal, "-v0"], cwd=ROOT, env=env
        )
        if done.returncode:
            raise SystemExit(f"无法把 {app} 迁回 {goal}：请用基线代码重新生成基线数据库")


class Version:
    """One code version's worker process."""

    def __init__(self, label: str, tree: Path, env: dict[str, str], args) -> None:
        self.label = label
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--tree", str(tree)]
        cmd += ["--staff", str(args.staff), "--reviewers", str(args.reviewers)]
        cmd += ["--seed", str(args.seed)]
        self.log = open(env["LOG_FILE"], "w")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            cmd,
            cwd=tree,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        self.samples: list[tuple[str, float, float]] = []

    def _reply(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            self.log.flush()
            tail = Path(self.log.name).read_text(errors="replace")[-3000:]
            raise SystemExit(f"{self.label} 的进程意外退出：\n{tail}")
        return json.loads(line)

    def ready(self) -> None:
        self._reply()

    def send(self, command: dict) -> dict:
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        return self._reply()

    def stop(self, *, now: bool = False) -> None:
        """Ask the worker to quit; one that is gone (Ctrl-C reaches it too) or hangs is killed,
        and so is one still busy when the run is interrupted (`now`)."""
        try:
            if now and self.proc.poll() is None:
                self.proc.terminate()
                self.proc.wait(timeout=10)
            elif self.proc.poll() is None:
                self.proc.stdin.write(json.dumps({"quit": True}) + "\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=60)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            self.log.close()


def _db_name(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def table(versions: list[Version], db: str) -> str:
    from load import _row, _width

    label = {"app": "应用", "db": "数据库"}
    use_db = db == "postgres"
    head = ["页面", "次数", "基线 ms", "当前 ms", "比值"]
    lines = []

    def cpu(s: tuple[str, float, float]) -> float:
        return s[1] + (s[2] if use_db else 0)

    base, cur = versions
    for kind, name in KINDS.items():
        b = [cpu(s) for s in base.samples if s[0] == kind]
        c = [cpu(s) for s in cur.samples if s[0] == kind]
        if not b or not c:
            continue
        mb, mc = statistics.median(b), statistics.median(c)
        lines.append([name, str(len(c)), f"{mb:.1f}", f"{mc:.1f}", f"{mc / mb:.2f}"])
    b = [cpu(s) for s in base.samples]
    c = [cpu(s) for s in cur.samples]
    mb, mc = statistics.median(b), statistics.median(c)
    lines.append(["全部页面：中位数", str(len(c)), f"{mb:.1f}", f"{mc:.1f}", f"{mc / mb:.2f}"])
    ab, ac = statistics.fmean(b), statistics.fmean(c)
    lines.append(["全部页面：平均", str(len(c)), f"{ab:.1f}", f"{ac:.1f}", f"{ac / ab:.2f}"])
    if use_db:
        for part in ("app", "db"):
            i = 1 if part == "app" else 2
            ab = statistics.fmean(s[i] for s in base.samples)
            ac = statistics.fmean(s[i] for s in cur.samples)
            lines.append(
                [f"  其中{label[part]}：平均", "", f"{ab:.1f}", f"{ac:.1f}", f"{ac / ab:.2f}"]
            )
    widths = [max(_width(r[i]) for r in [head, *lines]) for i in range(len(head))]
    return "\n".join([_row(head, widths)] + [_row(r, widths) for r in lines])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--baseline", default=BASELINE, help=f"基线提交（默认 {BASELINE}）")
    parser.add_argument("--rounds", type=int, default=8, help="计入的轮数（另有一轮预热）")
    parser.add_argument("--steps", type=int, default=120, help="每轮的步数")
    parser.add_argument("--staff", type=int, default=18)
    parser.add_argument("--reviewers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["baseline", "current"], help="只运行一个版本")
    parser.add_argument(
        "--profile",
        type=Path,
        help="只运行一个版本（默认当前），对调用栈采样，按类别汇总 CPU；采样存到此文件",
    )
    parser.add_argument("--json", type=Path, help="把结果另存为 JSON")
    parser.add_argument("--keep", action="store_true", help="保留本次的数据库副本")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    if args.worker:
        worker_main(args)
        return 0

    import load

    started = datetime.datetime.now(datetime.UTC)
    loadavg_start = _loadavg()
    # The code the current version's process loads now: later commits do not reach it.
    commit = git("rev-parse", "--short", "HEAD")
    dirty = " + 未提交的改动" if git("status", "--porcelain", "--untracked-files=no") else ""
    load.drop_leftovers(args.db)
    if args.db == "sqlite":
        source, base_source = f"sqlite:///{SQLITE_SOURCE}", f"sqlite:///{SQLITE_BASELINE}"
        if not SQLITE_SOURCE.exists():
            load.ensure_source("sqlite", source, "county")
        runs = {
            label: load.run_name(f"sqlite:///{ROOT / 'var' / 'pagecpu-run.sqlite3'}", label)
            for label in ("baseline", "current")
        }
    else:
        source, base_source = PG_SOURCE, PG_BASELINE
        if not load.database_exists("postgres", source):
            load.ensure_source("postgres", source, "county")
        runs = {
            label: load.run_name(PG_BASELINE.replace("_baseline", "_run"), label)
            for label in ("baseline", "current")
        }
    labels = ["baseline", "current"]
    if args.only:
        labels = [args.only]
    elif args.profile:
        labels = ["current"]
    trees = {"current": ROOT}
    statics = {}
    if "baseline" in labels:
        trees["baseline"] = baseline_tree(args.baseline)
        statics["baseline"] = str(trees["baseline"] / "staticfiles")
        ensure_baseline_source(args.db, source, base_source, args.baseline)
    if "current" in labels:
        statics["current"] = current_static()
    versions: list[Version] = []
    tmp = Path(tempfile.mkdtemp(prefix="pagecpu-"))
    load.stop_on_sigterm()
    interrupted = False
    try:
        for label in labels:
            print(f"复制数据库：{label} → {_db_name(runs[label])} ……", flush=True)
            load.copy_database(args.db, base_source if label == "baseline" else source, runs[label])
        for label in labels:
            env = {
                **os.environ,
                **production_env(),
                "DATABASE_URL": runs[label],
                "STATIC_ROOT": statics[label],
                "MEDIA_ROOT": str(tmp / label / "media"),
                "PRIVATE_MEDIA_ROOT": str(tmp / label / "private"),
                "KEPT_DIR": str(tmp / label / "kept"),
                "LOG_FILE": str(tmp / f"{label}.log"),
            }
            env.pop("DJANGO_SETTINGS_MODULE", None)
            versions.append(Version(label, trees[label], env, args))
        print("迁移数据库、建用户、登录 ……", flush=True)
        for v in versions:
            v.ready()
        for v in versions:
            v.send({"round": 0, "steps": args.steps})  # warm-up, not counted
        if args.profile:
            (v,) = versions
            reply = v.send(
                {"profile": True, "rounds": list(range(1, args.rounds + 1)), "steps": args.steps}
            )
            v.samples = [tuple(s) for s in reply["samples"]]
            args.profile.write_text(json.dumps(reply, ensure_ascii=False))
            text = categorise(reply["stacks"], v.samples)
            print(text)
            args.profile.with_suffix(".txt").write_text(text)
            total = sum(s[1] for s in v.samples)
            print(f"应用 CPU 合计 {total:.0f} ms，每请求 {total / len(v.samples):.1f} ms")
            return 0
        for r in range(1, args.rounds + 1):
            order = versions if r % 2 else versions[::-1]
            for v in order:
                reply = v.send({"round": r, "steps": args.steps})
                v.samples += [tuple(s) for s in reply["samples"]]
            print(f"  第 {r}/{args.rounds} 轮", flush=True)
    except BaseException:
        interrupted = True
        raise
    finally:
        with load.cleaning_up():
            for v in versions:
                v.stop(now=interrupted)
            if args.keep:
                print("保留数据库副本：" + "，".join(_db_name(runs[x]) for x in labels))
            else:
                for label in labels:
                    load.drop_database(args.db, runs[label])
            shutil.rmtree(tmp, ignore_errors=True)

    finished = datetime.datetime.now(datetime.UTC)
    print()
    print(
        f"页面 CPU 基准 {started:%Y-%m-%d %H:%M}–{finished:%H:%M} UTC："
        f"{'SQLite' if args.db == 'sqlite' else 'PostgreSQL'}，"
        f"基线 {args.baseline}，当前 {commit}{dirty}；"
        f"{args.staff} 录入员、{args.reviewers} 县总审阅，"
        f"{args.rounds} 轮 × {args.steps} 步（另有预热一轮），{os.cpu_count()} 核"
    )
    print(f"机器负载（1/5/15 分钟）：开始 {loadavg_start}，结束 {_loadavg()}")
    if len(versions) == 2:
        print(
            "每请求 CPU 的中位数（进程 CPU 时间"
            + ("，含数据库后端" if args.db == "postgres" else "")
            + "）："
        )
        print(table(versions, args.db))
    else:
        (v,) = versions
        for kind, name in KINDS.items():
            vals = [s[1] + s[2] for s in v.samples if s[0] == kind]
            if vals:
                print(f"{name}\t{len(vals)}\t{statistics.median(vals):.1f} ms")
        print(f"全部\t{len(v.samples)}\t{statistics.median(s[1] + s[2] for s in v.samples):.1f} ms")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "started": started.isoformat(),
                    "db": args.db,
                    "baseline": args.baseline,
                    "current": commit + dirty,
                    "loadavg": [loadavg_start, _loadavg()],
                    "samples": {v.label: v.samples for v in versions},
                },
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("已中断")
