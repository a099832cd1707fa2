"""Test-only guard: while a view handles a request, a query on a township record that did not come
through the access door fails loudly.

A query on a TownshipRecord model (or a summary) is accepted when it
- was made by the door (`access.visible`, `access.of_township`, `access.mark_scoped`), or
- follows a relation from a record the view already holds (`member.union`, `case.attachments`),
  which Django marks with the instance in the queryset's hints, or
- is narrowed by township in SQL: an AND-ed condition on the record's township column or on its
  township's county (`filter(township=…)`, `filter(township_id__in=…)`, `township__county_id=…`).
Anything else (`Member.objects.all()`, `Member.objects.get(pk=pk)`, a search by ID number across
every township) raises UnscopedRecordQuery.

Limits: only requests made through the test client are watched (the middleware is added by the
root conftest.py), not services called directly by unit tests nor the Django admin (which shows
administrators everything); a township condition is trusted without checking where its value came
from; history tables (django-simple-history) and raw SQL are not watched.
"""

import contextvars
import functools
import sys
from pathlib import Path

import django.db.models
from django.db.models import QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.sql.where import AND, NothingNode, WhereNode

from unionportal.access import is_scoped
from unionportal.models import Township, TownshipRecord

_active = contextvars.ContextVar("scope_guard_active", default=False)


class UnscopedRecordQuery(AssertionError):
    """A view queried township records without going through unionportal/access.py."""


def _guarded(model) -> bool:
    from reports.models import FinalSummary, SummaryNarrative

    return issubclass(model, TownshipRecord) or model in (FinalSummary, SummaryNarrative)


def _township_condition(node: WhereNode) -> bool:
    """Whether an AND-ed condition of `node` is on a township column (or a township's county)."""
    if node.negated or (node.connector != AND and len(node.children) > 1):
        return False
    for child in node.children:
        if isinstance(child, NothingNode):
            return True
        if isinstance(child, WhereNode):
            if _township_condition(child):
                return True
            continue
        if isinstance(child, Lookup) and isinstance(child.lhs, Col):
            field = child.lhs.target
            if field.is_relation and field.related_model is Township:
                return True
            if field.model is Township and field.name == "county":
                return True
    return False


_DJANGO_MODELS = str(Path(django.db.models.__file__).parent)
_PASSED_THROUGH = (__file__, f"{_DJANGO_MODELS}/query.py", f"{_DJANGO_MODELS}/manager.py")


def _asked_by_django_itself() -> bool:
    """Whether the query comes from Django's own model machinery (a foreign key's existence
    check, a unique check, a delete's cascade) working on an instance the view already holds."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename in _PASSED_THROUGH:
        frame = frame.f_back
    return frame is not None and frame.f_code.co_filename.startswith(_DJANGO_MODELS)


def check(queryset: QuerySet) -> None:
    """Raise if this queryset reads township records no door vouched for."""
    if not _active.get() or not _guarded(queryset.model):
        return
    if is_scoped(queryset) or "instance" in queryset._hints:
        return
    if _township_condition(queryset.query.where) or _asked_by_django_itself():
        return
    raise UnscopedRecordQuery(
        f"{queryset.model.__name__} queried without the access door "
        f"(unionportal/access.py: visible / get_visible_or_404 / of_township): {queryset.query}"
    )


def _wrap(method):
    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        if _active.get():
            check(self)
        return method(self, *args, **kwargs)

    return guarded


def _wrap_fetch_all(method):
    @functools.wraps(method)
    def guarded(self):
        if self._result_cache is None and _active.get():
            check(self)
        return method(self)

    return guarded


_installed = False


def install() -> None:
    """Wrap the QuerySet methods that reach the database (once per process)."""
    global _installed
    if _installed:
        return
    QuerySet._fetch_all = _wrap_fetch_all(QuerySet._fetch_all)
    for name in ("_iterator", "count", "exists", "aggregate", "update", "delete", "contains"):
        setattr(QuerySet, name, _wrap(getattr(QuerySet, name)))
    _installed = True


class ScopeGuardMiddleware:
    """Watches queries while a portal view runs and renders (the Django admin is left out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _active.set(False)
        try:
            return self.get_response(request)
        finally:
            _active.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace != "admin":
            _active.set(True)
        return None
