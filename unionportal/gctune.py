"""The garbage collector set for a long-running server process (gunicorn's workers).

Python's cyclic collector runs after every 700 net new container objects (CPython 3.11), and
now and then over the older generations too, walking every object the process holds: the
imported modules, the URL and template caches, and what the portal keeps in memory (figures,
query shapes, page headers). A summary PDF creates millions of short-lived objects: a render
spent a tenth of its CPU in the collector (py-spy: gc_collect_main 10% of WeasyPrint's time).

tune() is called once the application is loaded (unionportal/wsgi.py): it moves everything
loaded so far into the permanent generation (gc.freeze: never walked again; what a process loads
at startup lives as long as the process) and collects the young generation every GC_THRESHOLD
container objects instead of 700. Memory held by reference cycles is freed a little later;
nothing else changes. GC_THRESHOLD=0 leaves the collector as Python sets it.
"""

import gc
import os

DEFAULT_THRESHOLD = 20_000


def threshold() -> int:
    """GC_THRESHOLD from the environment (an integer; 0 turns tuning off), else the default."""
    text = os.environ.get("GC_THRESHOLD", "").strip()
    try:
        return max(0, int(text)) if text else DEFAULT_THRESHOLD
    except ValueError:
        return DEFAULT_THRESHOLD


def tune() -> bool:
    """Freeze what is loaded and raise the young generation's threshold; False when turned off."""
    young = threshold()
    if not young:
        return False
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, old)
    return True
