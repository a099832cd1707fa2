"""The collector setting a server process gets from unionportal/wsgi.py (unionportal/gctune.py)."""

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from unionportal import gctune

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def collector():
    """Put the collector back as it was: the test run shares this process."""
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_tuning_freezes_what_is_loaded_and_raises_the_young_threshold(collector, monkeypatch):
    monkeypatch.delenv("GC_THRESHOLD", raising=False)
    _, middle, old = gc.get_threshold()

    assert gctune.tune() is True
    assert gc.get_threshold() == (gctune.DEFAULT_THRESHOLD, middle, old)
    assert gc.get_freeze_count() > 0


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("5000", 5000), ("many", 20_000)])
def test_the_threshold_comes_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("GC_THRESHOLD", value)

    assert gctune.threshold() == expected


def test_gc_threshold_zero_leaves_the_collector_alone(collector, monkeypatch):
    monkeypatch.setenv("GC_THRESHOLD", "0")
    gc.unfreeze()
    before = gc.get_threshold()

    assert gctune.tune() is False
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_the_wsgi_application_is_served_by_a_tuned_process():
    # A fresh interpreter, as a gunicorn worker imports the application.
    probe = (
        "import gc, os; os.environ['TESTING'] = '1';"
        "import unionportal.wsgi;"
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 0)"
    )
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "unionportal.settings"}
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()

    assert out == [str(gctune.DEFAULT_THRESHOLD), "True"]
