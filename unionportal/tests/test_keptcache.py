"""The kept results' file cache (unionportal/keptcache.py): still bounded, without listing its
folder on every write."""

from unittest import mock

from unionportal import keptcache
from unionportal.kept import Store
from unionportal.keptcache import KeptFileCache


def _cache(tmp_path, most: int) -> KeptFileCache:
    return KeptFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": most, "CULL_FREQUENCY": 2}})


def test_the_folder_is_listed_once_in_many_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(keptcache, "CULL_CHECK_EVERY", 10)
    cache = _cache(tmp_path, 1000)
    with mock.patch.object(cache, "_list_cache_files", wraps=cache._list_cache_files) as listed:
        for i in range(30):
            cache.set(f"k{i}", i)

    assert listed.call_count == 3
    assert cache.get("k29") == 29


def test_the_folder_is_still_culled_past_its_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(keptcache, "CULL_CHECK_EVERY", 10)
    cache = _cache(tmp_path, 20)
    for i in range(200):
        cache.set(f"k{i}", i)

    assert len(list(tmp_path.glob("*.djcache"))) <= 20 + 10
    assert cache.get("k199") == 199


def test_a_store_by_count_keeps_the_most_recently_used():
    kept = Store(2)
    kept.put(("a",), 1)
    kept.put(("b",), 2)
    assert kept.get(("a",)) == 1  # now the most recently used
    kept.put(("c",), 3)
    assert kept.get(("b",)) is None and len(kept) == 2
    empty = Store(0)  # keeps nothing (tests use it to turn keeping off)
    empty.put(("a",), 1)
    assert empty.get(("a",)) is None and len(empty) == 0


def test_a_store_by_weight_stays_within_its_limit():
    kept = Store(10, weigh=len)
    kept.put(("a",), b"12345")
    kept.put(("b",), b"6789")
    assert kept.get(("a",)) == b"12345"  # now the most recently used
    kept.put(("c",), b"xyz")  # 12 bytes: the least recently used ("b") goes
    assert kept.get(("b",)) is None
    assert kept.get(("a",)) == b"12345" and kept.get(("c",)) == b"xyz"
    assert kept.size == 8 and len(kept) == 2
    kept.put(("a",), b"1")  # replaced: its old weight no longer counts
    assert kept.size == 4
    kept.put(("d",), b"x" * 11)  # heavier than the whole limit: not kept, nothing dropped
    assert kept.get(("d",)) is None and len(kept) == 2
