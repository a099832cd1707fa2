"""The file cache the gunicorn workers share kept results through (settings.CACHES["kept"])."""

import threading

from django.core.cache.backends.filebased import FileBasedCache

# A write looks at the folder's size once in this many writes of the process.
CULL_CHECK_EVERY = 200


class KeptFileCache(FileBasedCache):
    """Django's file cache, checking whether to cull once every CULL_CHECK_EVERY writes instead of
    on each one.

    FileBasedCache.set() lists the whole folder before every write to count its files (a glob of
    up to MAX_ENTRIES names): with the 20,000 entries KEPT_DIR holds after a busy day, 29 ms of
    CPU per write, and a dashboard seen after a township's write stores several results. Checked
    every 200th write, the folder may pass MAX_ENTRIES by at most 200 files per worker before the
    next check culls it as before."""

    def __init__(self, dir, params) -> None:  # noqa: A002 (Django's signature)
        super().__init__(dir, params)
        self._writes = 0
        self._writes_lock = threading.Lock()

    def _cull(self) -> None:
        with self._writes_lock:
            due = self._writes % CULL_CHECK_EVERY == 0
            self._writes += 1
        if due:
            super()._cull()
