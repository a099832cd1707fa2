"""The page for a request that failed on the server: a full disk is said as such.

Django calls handler500 inside the `except` that caught the failure, wherever it happened (a view,
a service's transaction, the session saved on the way out), so sys.exc_info() names it. A full
disk (SQLite "database or disk is full", PostgreSQL's disk_full, ENOSPC or a quota on a file
write) gets a 503 that tells the user nothing was saved and the administrator must free space;
the transaction it happened in has been rolled back. Anything else is the usual 500 page. Both
render without the request context, so nothing on them can fail again.
"""

import errno
import sys

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
DISK_FULL_SQLSTATE = "53100"  # PostgreSQL disk_full


def is_disk_full(exc: BaseException | None) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
            return True
        if "database or disk is full" in str(exc):
            return True
        if getattr(exc, "sqlstate", None) == DISK_FULL_SQLSTATE:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    if is_disk_full(sys.exc_info()[1]):
        body = loader.get_template("disk_full.html").render()
        return HttpResponse(body, status=503, headers={"Retry-After": "600"})
    return HttpResponseServerError(loader.get_template("500.html").render())
