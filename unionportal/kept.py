"""Per-township results kept in memory under the township's data tokens of the tables they read.

Some pages state something of every township they show that depends only on the township's
records: the dashboards' figures (reports.figure_cache), the record counts and overdue cases on
the home page. per_township() reads the townships' tokens (unionportal.datastamp; one query),
takes the results it kept under the current tokens, and computes only the others, together. The
database changes a township's token for a record table in the same transaction as any write to
that table's rows of the township, so a result is never older than the records: a write changes
the token and the next view computes that township again. A result names the tables it reads
(`tables`; None: every record table) and is kept under their tokens alone, so a write to another
kind of record leaves it kept; per_township_parts() keeps several kinds with one read of the
tokens before and one after.

A result is kept only when the tokens read before computing it are still the tokens after, so
figures read across a concurrent commit are not kept under the earlier token. Two levels: this
process's memory (bounded, least recently used entries go first), then the cache alias "kept"
(settings.CACHES: files under KEPT_DIR, shared by the gunicorn workers, so a township written to
is computed by one worker and read by the others). Nothing to clear: a result is found only under
the tokens its records had, and a restored backup brings back the tokens of the records it holds.
A township without a token for one of the tables (no DataStamp row) is always computed.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, NamedTuple, TypeVar

from django.core.cache import caches
from django.core.cache.backends.base import InvalidCacheBackendError
from django.db import DEFAULT_DB_ALIAS, connections

from unionportal.datastamp import Stamps, combined, table_tokens

__all__ = ["Part", "combined", "per_township", "per_township_parts", "table_tokens"]

T = TypeVar("T")
MAX_ENTRIES = 4000  # kinds × townships × periods × tokens: room for a county of 30 and more


class Store:
    """A bounded, thread-safe least-recently-used map: at most `limit` items, or, with `weigh`,
    items whose weights (weigh(item), such as a length in bytes) add up to at most `limit`; an
    item heavier than the whole limit is not kept."""

    def __init__(self, limit: int, weigh: Callable[[Any], int] | None = None) -> None:
        self.limit = limit
        self.weigh = weigh
        self.size = 0  # the items' weights added up (their number without `weigh`)
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: tuple, item: Any) -> None:
        weight = self.weigh(item) if self.weigh else 1
        if weight > self.limit:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= self.weigh(old) if self.weigh else 1
            self._items[key] = item
            self.size += weight
            while self.size > self.limit:
                _, dropped = self._items.popitem(last=False)
                self.size -= self.weigh(dropped) if self.weigh else 1

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0

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


class Part(NamedTuple):
    """One kind of result kept per township: the record tables it is read from (None: all of
    them) and compute(ids), which gives the results of the townships it is asked for."""

    tables: frozenset[str] | None
    compute: Callable[[tuple[int, ...]], dict[int, Any]]


def per_township(
    kind: str,
    township_ids: Iterable[int],
    compute: Callable[[tuple[int, ...]], dict[int, T]],
    *,
    key: Hashable = (),
    using: str = DEFAULT_DB_ALIAS,
    tables: frozenset[str] | None = None,
) -> dict[int, T]:
    """{township id: result} for every township, where compute(ids) gives the results of the
    townships it is asked for from their records, `tables` names the record tables they are read
    from (None: every record table) and `key` names whatever else the result depends on (a
    period, a day). Results must not be changed by the caller: they are shared."""
    return per_township_parts({kind: Part(tables, compute)}, township_ids, key=key, using=using)[
        kind
    ]


def per_township_parts(
    parts: Mapping[str, Part],
    township_ids: Iterable[int],
    *,
    key: Hashable = (),
    using: str = DEFAULT_DB_ALIAS,
    stamps: dict[int, Stamps] | None = None,
) -> dict[str, dict[int, Any]]:
    """per_township() of several kinds at once ({kind: {township id: result}}), each kept under
    the tokens of its own tables: the tokens are read once before (or given as `stamps`, as
    table_tokens() has just returned them) and once after computing whatever was missing."""
    ids = tuple(township_ids)
    if stamps is None:
        stamps = table_tokens(ids, using)
    database = database_of(using)
    before = {
        kind: {t: tok for t in ids if (tok := combined(stamps.get(t), part.tables)) is not None}
        for kind, part in parts.items()
    }

    def slot(kind: str, tid: int) -> tuple:
        return (kind, database, key, tid, before[kind][tid])

    found: dict[str, dict[int, Any]] = {kind: {} for kind in parts}
    missing: dict[str, list[int]] = {}
    for kind in parts:
        for tid in ids:
            item = store.get(slot(kind, tid)) if tid in before[kind] else None
            if item is None:
                missing.setdefault(kind, []).append(tid)
            else:
                found[kind][tid] = item
    cache = shared_cache()
    if cache is not None and missing:
        keys = {
            _shared_key(slot(kind, tid)): (kind, tid)
            for kind, tids in missing.items()
            for tid in tids
            if tid in before[kind]
        }
        if keys:
            for shared_key, item in cache.get_many(list(keys)).items():
                kind, tid = keys[shared_key]
                store.put(slot(kind, tid), item)
                found[kind][tid] = item
        missing = {
            kind: left
            for kind, tids in missing.items()
            if (left := [t for t in tids if t not in found[kind]])
        }
    if not missing:
        return found
    fresh = {kind: parts[kind].compute(tuple(tids)) for kind, tids in missing.items()}
    after = table_tokens(sorted({t for tids in missing.values() for t in tids}), using)
    stable = {}
    for kind, tids in missing.items():
        for tid in tids:
            if (
                tid in before[kind]
                and combined(after.get(tid), parts[kind].tables) == before[kind][tid]
            ):
                store.put(slot(kind, tid), fresh[kind][tid])
                stable[_shared_key(slot(kind, tid))] = fresh[kind][tid]
        found[kind].update(fresh[kind])
    if cache is not None and stable:
        cache.set_many(stable)
    return found
