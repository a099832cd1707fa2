"""The kept results' file cache (unionportal/keptcache.py): still bounded, without listing its
folder on every write."""

from unittest import mock

from unionportal import keptcache
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
