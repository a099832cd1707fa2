"""The load script (benchmarks/load.py): its pure parts, and a short real run against gunicorn.

The timings it prints are not asserted (they belong to the benchmark); what is asserted is what
`make load` promises: it runs by itself, signs users in through the real form, every request of
the mix succeeds, nothing is locked, and the source database is left as it was.
"""

import importlib.util
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from unionportal.validators import validate_id_number

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "load.py"


def _load_module():
    spec = importlib.util.spec_from_file_location("load_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


load = _load_module()


def test_generated_id_numbers_are_valid_and_never_repeat():
    numbers = [load.make_id_number(n) for n in (0, 1, 999, 1000, 4_900_123, 5_000_000)]
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


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert load.percentile(values, 50) == 50
    assert load.percentile(values, 95) == 95
    assert load.percentile([7.0], 95) == 7


def test_client_refuses_any_host_but_loopback():
    with pytest.raises(SystemExit):
        load.Session("http://192.0.2.1:8000", load.Results())


@pytest.mark.slow
def test_short_run_on_the_small_demo_succeeds_and_leaves_the_source_alone(tmp_path):
    source = tmp_path / "source.sqlite3"
    out = tmp_path / "result.json"
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--source",
            str(source),
            "--scale",
            "small",
            "--users",
            "3",
            "--duration",
            "4",
            "--workers",
            "2",
            "--no-collectstatic",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["errors"] == 0
    assert result["locked"] == result["tracebacks"] == result["worker_timeouts"] == 0
    assert (result["staff"], result["reviewers"]) == (2, 1)
    assert result["login"]["count"] == 6  # the login page and the form post, for each user
    assert result["pages"]["count"] > 0
    assert "页面合计" in done.stdout
    # The run wrote to a copy, deleted afterwards; the source has no load-test users.
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("load-run")]
    with sqlite3.connect(source) as conn:
        users = conn.execute(
            "SELECT COUNT(*) FROM unionportal_user WHERE username LIKE 'load_%'"
        ).fetchone()
    assert users == (0,)
