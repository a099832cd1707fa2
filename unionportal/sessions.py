"""The session store (SESSION_ENGINE): Django's database sessions, read with one plain query.

Every signed-in request reads its session row first. Django's store builds that read as an ORM
query each time (a QuerySet, a WHERE tree, compiled to SQL): about 0.4 ms of Python for 0.05 ms
of SQL. Here the same SELECT is written out once, with the same rule (the row of this key whose
expiry is still ahead), so a session ended anywhere (signed out, flushed, expired, its row
deleted) is refused on the very next request in every worker, exactly as before. Nothing is kept
between requests. Writing the session (at most once a minute, unionportal.security) is Django's.
"""

import json
from functools import cache

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


@cache
def _select(alias: str) -> str:
    """The session row's SELECT on database `alias`: the data of an unexpired row of one key."""
    from django.contrib.sessions.models import Session

    ops = connections[alias].ops
    meta = Session._meta
    column = {
        name: ops.quote_name(meta.get_field(name).column)
        for name in ("session_key", "session_data", "expire_date")
    }
    return (
        f"SELECT {column['session_data']} FROM {ops.quote_name(meta.db_table)} "
        f"WHERE {column['session_key']} = %s AND {column['expire_date']} > %s"
    )


# Decoding checks the data's signature (an HMAC) and unpacks it: 0.1 ms of each request. The same
# signed text always decodes to the same data, so each worker keeps, per text it has checked, the
# data as JSON. The row itself is still read on every request: a session changed or ended
# elsewhere has another text (or none), so nothing stale can come from here.
_checked: dict[str, str] = {}
# Texts change when a session is written (once a minute at most): past this many, start again.
_KEEP_AT_MOST = 5000


class SessionStore(DatabaseSessionStore):
    """django.contrib.sessions.backends.db's store, loading the row without building a query.

    Keep the class name: the signing salt of the session data is "django.contrib.sessions." +
    the class name, so under another name every existing session would fail to decode."""

    def load(self) -> dict:
        key = self.session_key
        if key is None:
            # No (valid) key in the cookie: the ORM's `session_key=None` matches no row either.
            self._session_key = None
            return {}
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_select(alias), [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])

    def decode(self, session_data: str) -> dict:
        payload = _checked.get(session_data)
        if payload is not None:
            return json.loads(payload)
        data = super().decode(session_data)
        if data:  # empty for a text that fails its check: never kept
            if len(_checked) >= _KEEP_AT_MOST:
                _checked.clear()
            _checked[session_data] = json.dumps(data)
        return data
