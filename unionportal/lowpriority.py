"""Long renders (a summary's PDF or DOCX) run at a lower CPU priority than pages.

A summary PDF takes about a second of CPU; a list page about 15 ms. When both want the cores at
once, the page should not wait behind the PDF. run() hands the render to a thread of this process
whose nice value is RENDER_NICENESS higher (Linux keeps a nice value per thread) and waits for it:
the download takes as long as before on an idle server, while pages on the other workers are
served first when the cores are busy. Outside Linux, or where the priority cannot be changed,
the render simply runs at the normal priority. RENDER_NICENESS=0 turns it off.
"""

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.conf import settings
from django.utils import translation

T = TypeVar("T")
THREADS = 4  # renders at once per process (a sync worker runs one; runserver may run more)

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_pid: int | None = None


def niceness() -> int:
    return max(0, min(19, int(getattr(settings, "RENDER_NICENESS", 10))))


def _lower_this_thread(step: int) -> None:
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + step))
    except (AttributeError, OSError):  # not Linux, or not permitted: stay at normal priority
        pass


def _executor(step: int) -> ThreadPoolExecutor:
    # One pool per process: a pool made before gunicorn forks its workers has no threads in them.
    global _pool, _pool_pid
    with _lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool = ThreadPoolExecutor(
                max_workers=THREADS,
                thread_name_prefix="render",
                initializer=_lower_this_thread,
                initargs=(step,),
            )
            _pool_pid = os.getpid()
        return _pool


def run(function: Callable[..., T], *args, **kwargs) -> T:
    """function(*args, **kwargs) in a lower-priority thread, in the caller's language; its result
    or its exception, as if called here."""
    step = niceness()
    if not step:
        return function(*args, **kwargs)
    language = translation.get_language()

    def call() -> T:
        with translation.override(language):
            return function(*args, **kwargs)

    return _executor(step).submit(call).result()
