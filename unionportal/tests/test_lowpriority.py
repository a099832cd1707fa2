"""Summary renders run in a lower-priority thread (unionportal/lowpriority.py)."""

import os
import threading

import pytest
from django.utils import translation

from unionportal import lowpriority


def this_thread() -> tuple[int, int]:
    tid = threading.get_native_id()
    return tid, os.getpriority(os.PRIO_PROCESS, tid)


def test_runs_in_another_thread_with_a_higher_nice_value(settings):
    settings.RENDER_NICENESS = 10
    here_tid, here_nice = this_thread()
    tid, nice = lowpriority.run(this_thread)
    assert tid != here_tid
    assert nice == min(19, here_nice + 10)
    assert this_thread() == (here_tid, here_nice)  # the caller's own priority is untouched


def test_result_exception_and_language_come_back_as_if_called_here(settings):
    settings.RENDER_NICENESS = 10
    assert lowpriority.run(sum, [1, 2, 3]) == 6
    with pytest.raises(ZeroDivisionError):
        lowpriority.run(lambda: 1 / 0)
    with translation.override("zh-hant"):
        assert lowpriority.run(translation.get_language) == "zh-hant"


def test_zero_runs_in_place(settings):
    settings.RENDER_NICENESS = 0
    assert lowpriority.run(this_thread) == this_thread()
