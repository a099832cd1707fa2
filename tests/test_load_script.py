"""The load script (benchmarks/load.py) and what it shares with the page-CPU benchmark
(benchmarks/steps.py, the shared databases): the pure parts, and a short real run against gunicorn.

The timings it prints are not asserted (they belong to the benchmark); what is asserted is what
`make load` promises: it runs by itself, signs users in through the real form, every request of
the mix succeeds, nothing is locked, and the source database is left as it was.
"""

import fcntl
import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from unionportal.validators import validate_id_number

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "load.py"


def _load_module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


load = _load_module(SCRIPT, "load_script")
steps = _load_module(ROOT / "benchmarks" / "steps.py", "load_steps")


def test_generated_id_numbers_are_valid_and_never_repeat():
    numbers = [steps.make_id_number(n) for n in (0, 1, 999, 1000, 4_900_123, 5_000_000)]
    for number in numbers:
        validate_id_number(number)  # raises on a bad check digit or birth date
    assert len(set(numbers)) == len(numbers)


def test_form_parser_submits_what_a_browser_would():
    html = """
    <form method="post" action="/accounts/logout/">
      <input name="csrfmiddlewaretoken" value="t0">
    </form>
    <form method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="t1">
      <input name="name" value="张丽娜">
      <input name="union" type="hidden" value="">
      <input name="locked" value="x" disabled>
      <input type="checkbox" name="is_migrant" checked>
      <input type="checkbox" name="unticked">
      <select name="model_worker"><option value="none">无</option>
        <option value="county" selected>县级</option></select>
      <select name="kind"><option value="">请选择</option><option value="a">甲</option></select>
      <textarea name="note">第一行
第二行</textarea>
      <button type="submit" name="save">保存</button>
    </form>"""
    form = load.form_with(html, "name")
    assert form["action"] == ""
    assert form["fields"] == {
        "csrfmiddlewaretoken": "t1",
        "name": "张丽娜",
        "union": "",
        "is_migrant": "on",
        "model_worker": "county",
        "kind": "",
        "note": "第一行\n第二行",
    }
    assert form["options"]["kind"] == ["", "a"]
    assert load.form_with(html, "missing") is None


def test_page_cpu_benchmark_plays_the_load_mix_without_the_downloads():
    staff = steps.SimulatedUser(0, "s", "staff", 1, [1], [1], [1], [1])
    reviewer = steps.SimulatedUser(1, "r", "reviewer", None, [1], [], [], [1, 2])
    for user in (staff, reviewer):
        with_downloads = steps.mix(user, summaries=True)
        downloads = [(w, k) for w, k in with_downloads if k in ("summary", "county_summary")]
        assert downloads
        rest = [pair for pair in with_downloads if pair not in downloads]
        assert rest == steps.mix(user, summaries=False)
    assert {k for _, k in steps.mix(staff, summaries=False)} == set(steps.PAGES) - {
        "form",
        "county_dashboard",
    }


def test_runs_at_once_get_their_own_database_copies():
    sqlite_run = load.run_name("sqlite:////w/var/pagecpu-run.sqlite3", "current")
    assert sqlite_run == f"sqlite:////w/var/pagecpu-run-current-{os.getpid()}.sqlite3"
    pg = "postgres://postgres@127.0.0.1:5432/unionportal_load"
    assert load.run_name(pg, "run") == f"{pg}_run_{os.getpid()}"
    assert load.run_name(pg, "run") != load.run_name(pg, "building")


def test_copies_of_runs_that_died_are_deleted_and_live_ones_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "ROOT", tmp_path)
    monkeypatch.setattr(load, "SHARED_LOCK", tmp_path / "lock")
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead, live = int(ended.stdout), os.getpid()
    (tmp_path / "var").mkdir()
    names = [
        f"pagecpu-run-current-{dead}.sqlite3",
        f"pagecpu-run-current-{dead}.sqlite3-wal",
        f"load-run-{dead}.sqlite3",
        f"bench-county-building-{dead}.sqlite3",
        f"pagecpu-run-baseline-{live}.sqlite3",
        "bench-county.sqlite3",
        "pagecpu-baseline.sqlite3",
    ]
    for name in names:
        (tmp_path / "var" / name).write_bytes(b"")
    load.drop_leftovers("sqlite")
    assert sorted(p.name for p in (tmp_path / "var").iterdir()) == [
        "bench-county.sqlite3",
        "pagecpu-baseline.sqlite3",
        f"pagecpu-run-baseline-{live}.sqlite3",
    ]


def test_shared_lock_is_held_across_nested_use_and_let_go_after(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "SHARED_LOCK", tmp_path / "lock")

    def try_lock() -> bool:
        with open(tmp_path / "lock", "a") as other:  # as another run would
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            fcntl.flock(other, fcntl.LOCK_UN)
            return True

    with load.shared_databases():
        with load.shared_databases():  # a copy inside a build: no deadlock
            assert not try_lock()
        assert not try_lock()
    assert try_lock()


def test_source_is_built_under_a_temporary_name_and_nothing_is_left_when_interrupted(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(load, "SHARED_LOCK", tmp_path / "lock")
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    built = []

    def interrupted(db, url, scale):
        built.append(url)
        with sqlite3.connect(load.sqlite_path(url)) as conn:
            conn.execute("CREATE TABLE half (x)")
        raise KeyboardInterrupt

    monkeypatch.setattr(load, "_prepare_source", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load.ensure_source("sqlite", source, "small")
    assert built != [source]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lock"]

    def complete(db, url, scale):
        with sqlite3.connect(load.sqlite_path(url)) as conn:
            conn.execute("CREATE TABLE whole (x)")

    monkeypatch.setattr(load, "_prepare_source", complete)
    load.ensure_source("sqlite", source, "small")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lock", "source.sqlite3"]
    with sqlite3.connect(tmp_path / "source.sqlite3") as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("whole",)]


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert load.percentile(values, 50) == 50
    assert load.percentile(values, 95) == 95
    assert load.percentile([7.0], 95) == 7


def test_client_refuses_any_host_but_loopback():
    with pytest.raises(SystemExit):
        load.Session("http://192.0.2.1:8000", load.Results())


def run_on_small_demo(
    source: Path, out: Path, options: list[str], *, timeout: int = 300
) -> tuple[subprocess.CompletedProcess, dict]:
    """The load script on the small demo at `source` (built on first use), without collected
    static files; it must succeed. Its output and the JSON it wrote."""
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--source", str(source), "--scale", "small"]
        + options
        + ["--no-collectstatic", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done, json.loads(out.read_text())


@pytest.mark.slow
def test_short_run_on_the_small_demo_succeeds_and_leaves_the_source_alone(tmp_path):
    source = tmp_path / "source.sqlite3"
    done, result = run_on_small_demo(
        source,
        tmp_path / "result.json",
        ["--users", "3", "--duration", "4", "--warmup", "3", "--workers", "2"],
    )
    assert result["errors"] == 0
    assert result["locked"] == result["tracebacks"] == result["worker_timeouts"] == 0
    assert (result["staff"], result["reviewers"]) == (2, 1)
    assert result["login"]["count"] == 6  # the login page and the form post, for each user
    assert result["pages"]["count"] > 0
    # The warm-up ran the same mix unmeasured: its requests are apart from the measured ones.
    assert result["warmup"] == 3 and result["warmup_requests"] > 0
    assert result["warmup_errors"] == 0
    assert result["requests"] == result["pages"]["count"] + result["summaries"]["count"]
    assert "页面合计" in done.stdout and "预热 3 s" in done.stdout
    # The run wrote to a copy, deleted afterwards; the source has no load-test users.
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("load-run")]
    with sqlite3.connect(source) as conn:
        users = conn.execute(
            "SELECT COUNT(*) FROM unionportal_user WHERE username LIKE 'load_%'"
        ).fetchone()
    assert users == (0,)


def test_side_by_side_alternates_which_version_goes_first():
    assert load.pair_orders(3) == [
        ("baseline", "current"),
        ("current", "baseline"),
        ("baseline", "current"),
    ]
    # Every pair runs both versions once.
    assert all(sorted(pair) == ["baseline", "current"] for pair in load.pair_orders(4))


def test_the_baseline_has_its_own_source_beside_the_current_one():
    pg = "postgres://postgres@127.0.0.1:5432/unionportal_load"
    assert load.baseline_source("postgres", pg, "58b923e") == f"{pg}_base_58b923e"
    assert (
        load.baseline_source("sqlite", "sqlite:////w/var/bench-county.sqlite3", "58b923e")
        == "sqlite:////w/var/bench-county-base-58b923e.sqlite3"
    )
    # A baseline run's copy that outlived its process is found and dropped like any other.
    base_run = load.run_name(f"{pg}_base_58b923e", "run").rsplit("/", 1)[1]
    assert load._LEFTOVER_DB.match(base_run)
    assert not load._LEFTOVER_DB.match("unionportal_load_base_58b923e")


def _record(capacity: int, app: float, db: float, client: float, p95: int) -> dict:
    return {
        "capacity": capacity,
        "requests": 1000,
        "app_cpu_s": app,
        "db_cpu_s": db,
        "client_cpu_s": client,
        "pages": {"p95": p95},
    }


def test_side_by_side_compares_medians_of_the_two_versions():
    found = load.comparison(
        {
            "baseline": [_record(100, 12.0, 3.0, 2.0, 90), _record(110, 11.0, 3.0, 2.0, 70)],
            "current": [_record(130, 9.0, 2.0, 2.0, 50), _record(120, 10.0, 2.0, 1.0, 60)],
        }
    )
    assert found["baseline"]["capacity"] == [100, 110]
    assert found["baseline"]["capacity_median"] == 105
    assert found["baseline"]["server_cpu_ms_median"] == 14.5  # (15 + 14) / 2 ms a request
    assert found["current"]["server_cpu_ms_median"] == 11.5
    assert found["current"]["client_cpu_ms_median"] == 1.5
    assert found["current"]["page_p95_ms_median"] == 55
    assert found["server_cpu_ratio"] == round(11.5 / 14.5, 2)
    assert found["capacity_ratio"] == round(125 / 105, 2)
    table = load.comparison_table(found, "58b923e", "PostgreSQL")
    assert "基线 58b923e" in table and "100、110" in table
    assert f"服务器 CPU 每请求 {found['server_cpu_ratio']}" in table


@pytest.mark.slow
def test_side_by_side_run_on_the_small_demo(tmp_path):
    """--baseline: the commit's code in a worktree with its own copy of the source, and the
    current code, in turns; both succeed and are compared. HEAD stands in for an older commit."""
    head = subprocess.run(
        ["git", "rev-parse", "--short=7", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    tree = ROOT / "var" / ".worktrees" / f"pagecpu-{head}"
    made_here = not tree.exists()
    source = tmp_path / "source.sqlite3"
    try:
        done, result = run_on_small_demo(
            source,
            tmp_path / "result.json",
            ["--users", "2", "--duration", "3", "--warmup", "2", "--workers", "1"]
            + ["--baseline", "HEAD", "--pairs", "1"],
            timeout=600,
        )
        assert result["baseline_commit"] == "HEAD"
        for version in ("baseline", "current"):
            (run,) = result[version]
            assert run["errors"] == 0 and run["requests"] > 0
            assert run["locked"] == run["tracebacks"] == 0
        assert result["baseline"][0]["code"] == f"pagecpu-{head}"
        assert result["current"][0]["code"] == "current"
        assert result["comparison"]["server_cpu_ratio"] > 0
        assert "当前 / 基线：服务器 CPU 每请求" in done.stdout
        # The baseline's source sits beside the current one; both are left as they were.
        assert (tmp_path / f"source-base-{head}.sqlite3").exists()
        assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("load-run")]
        for db in (source, tmp_path / f"source-base-{head}.sqlite3"):
            with sqlite3.connect(db) as conn:
                users = conn.execute(
                    "SELECT COUNT(*) FROM unionportal_user WHERE username LIKE 'load_%'"
                ).fetchone()
            assert users == (0,)
    finally:
        if made_here and tree.exists():
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT)


def test_an_unknown_baseline_commit_is_refused_in_words(tmp_path):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--source", str(tmp_path / "none.sqlite3")]
        + ["--scale", "small", "--baseline", "no-such-commit-zz", "--no-collectstatic"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode != 0
    assert "--baseline no-such-commit-zz：找不到这个提交" in done.stderr
    assert not (tmp_path / "none.sqlite3").exists()  # refused before any database was made
    assert "Traceback" not in done.stderr
