"""Per-township results kept in memory under each township's data token.

Some pages state something of every township they show that depends only on the township's
records: the dashboards' figures (reports.figure_cache), the record counts and overdue cases on
the home page. per_township() reads the townships' tokens (unionportal.datastamp; one query),
takes the results it kept under the current tokens, and computes only the others, together. The
database changes a township's token in the same transaction as any write to its records, so a
result is never older than the records: a write changes the token and the next view computes
that township again.

A result is kept only when the token read before computing it is still the token after, so
figures read across a concurrent commit are not kept under the earlier token. Two levels: this
process's memory (bounded, least recently used entries go first), then the cache alias "kept"
(settings.CACHES: files under KEPT_DIR, shared by the gunicorn workers, so a township written to
is computed by one worker and read by the others). Nothing to clear: a result is found only under
the token its records had, and a restored backup brings back the tokens of the records it holds.
A township without a token (no DataStamp row) is always computed.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.base import InvalidCacheBackendError
from django.db import DEFAULT_DB_ALIAS, connections

from unionportal.datastamp import tokens

T = TypeVar("T")
MAX_ENTRIES = 4000  # kinds × townships × periods × tokens: room for a county of 30 and more


class Store:
    """A bounded, thread-safe least-recently-used map."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: tuple, item: Any) -> None:
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


store = Store(MAX_ENTRIES)
SHARED = "kept"  # the cache alias shared by the processes (absent: memory only)


def shared_cache():
    try:
        return caches[SHARED]
    except InvalidCacheBackendError:
        return None


def clear() -> None:
    """Forget everything kept, in this process and shared (tests; never needed in service)."""
    store.clear()
    cache = shared_cache()
    if cache is not None:
        cache.clear()


def database_of(using: str) -> tuple[str, str]:
    """What a kept result's slot names its database by."""
    return (using, str(connections[using].settings_dict.get("NAME")))


def _shared_key(slot: tuple) -> str:
    return "kept:" + hashlib.sha256(repr(slot).encode()).hexdigest()


def per_township(
    kind: str,
    township_ids: Iterable[int],
    compute: Callable[[tuple[int, ...]], dict[int, T]],
    *,
    key: Hashable = (),
    using: str = DEFAULT_DB_ALIAS,
    before: dict[int, int] | None = None,
) -> dict[int, T]:
    """{township id: result} for every township, where compute(ids) gives the results of the
    townships it is asked for from their records, and `key` names whatever else the result
    depends on (a period, a day). Results must not be changed by the caller: they are shared.
    `before`: the townships' tokens as the caller has just read them (tokens()), to save the
    query."""
    ids = tuple(township_ids)
    if before is None:
        before = tokens(ids, using)
    database = database_of(using)

    def slot(tid: int) -> tuple:
        return (kind, database, key, tid, before[tid])

    found: dict[int, T] = {}
    missing: list[int] = []
    for tid in ids:
        item = store.get(slot(tid)) if tid in before else None
        if item is None:
            missing.append(tid)
        else:
            found[tid] = item
    cache = shared_cache()
    if cache is not None and missing:
        keys = {_shared_key(slot(tid)): tid for tid in missing if tid in before}
        for shared_key, item in cache.get_many(list(keys)).items():
            tid = keys[shared_key]
            store.put(slot(tid), item)
            found[tid] = item
        missing = [tid for tid in missing if tid not in found]
    if missing:
        fresh = compute(tuple(missing))
        after = tokens(missing, using)
        stable = {}
        for tid in missing:
            if tid in before and after.get(tid) == before[tid]:
                store.put(slot(tid), fresh[tid])
                stable[_shared_key(slot(tid))] = fresh[tid]
        if cache is not None and stable:
            cache.set_many(stable)
        found.update(fresh)
    return found
