"""Queries built and compiled once per process and *shape*, run with new values as parameters.

Building and compiling a Django query (Q objects, conditional aggregates, annotations, joins) can
cost more CPU than running its SQL. prepared(name, build, **values) builds the query once per
process, name and shape of the values (tuples of ids, dates, ints) with stand-in values
(sentinels), notes the positions of `params` they fill, checks that the query built from the real
values states the same SQL with those values in those positions, and from then on runs the kept
compiled SQL with each call's values put there. A value never seen by the process then costs what
a seen one does. Used by the indicator sections (reports.indicators), the home page's record
counts and the member pages.
"""

import copy
import datetime
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from unionportal.kept import Store

# Kept shapes, by name and shape of the values. The indicator sections: some 13 queries × the
# numbers of townships computed together (one after a write to one, a county's 30 for a first
# view; any number between after writes in several), padded to a power of two (_padded): 6 shapes
# of each. The home page's counts and the member pages: a few dozen more.
_BUILT = Store(800)
# Names of queries whose SQL was not the same with other values (build() branched on a value,
# or derived one not declared in `derived`): they are kept per values instead (tests: empty).
UNSHAPED: set[str] = set()

# Values that no query names otherwise: ints fit a PositiveSmallIntegerField (years), dates lie
# centuries apart, so a day a year before one of them (a derived value) is none of the others.
_SENTINEL_INT = 30_001


def _sentinel_date(n: int) -> datetime.date:
    return datetime.date(1001 + 37 * n, 1 + n % 12, 1 + (3 * n) % 28)


def _flat(values: dict[str, Any]) -> dict[Hashable, Any] | None:
    """Every parameter value by name ((name, i) for the i-th of a tuple of ids); None when the
    values have no shape (repeated ids, which an IN list would state once)."""
    flat: dict[Hashable, Any] = {}
    for name, value in values.items():
        if isinstance(value, tuple):
            if len(set(value)) != len(value):
                return None
            flat.update(((name, i), v) for i, v in enumerate(value))
        else:
            flat[name] = value
    return flat


def _padded(values: dict[str, Any]) -> dict[str, Any]:
    """`values` with each tuple of township ids padded to a power of two with ids no township
    has (-1, -2, …): an IN list matches the same rows, and the numbers of townships computed
    together make 6 shapes (1, 2, 4 … 32) rather than 30."""
    out = dict(values)
    for name, value in values.items():
        if isinstance(value, tuple) and len(value) > 1 and all(type(v) is int for v in value):
            size = 1 << (len(value) - 1).bit_length()
            out[name] = value + tuple(range(-1, -(size - len(value)) - 1, -1))
    return out


def _shape_of(values: dict[str, Any]) -> tuple:
    """What the SQL text may depend on: the number of ids, the type of each other value."""
    return tuple(
        (name, len(v) if isinstance(v, tuple) else type(v).__name__) for name, v in values.items()
    )


def _sentinels(values: dict[str, Any]) -> dict[str, Any]:
    ints, dates = iter(range(_SENTINEL_INT, _SENTINEL_INT + 10_000)), iter(range(100))
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, tuple) and all(type(v) is int for v in value):
            out[name] = tuple(next(ints) for _ in value)
        elif type(value) is int:
            out[name] = next(ints)
        elif type(value) is datetime.date:
            out[name] = _sentinel_date(next(dates))
        else:
            raise TypeError(f"prepared(): no stand-in for {name}={value!r}")
    return out


def _forms(value: Any, connection) -> tuple[Callable[[Any], Any], ...]:
    """How a backend may hand a value to the database: as is (ints; PostgreSQL's dates), or as
    text (SQLite's dates); or, for an int, as an int of the column's size (_template)."""
    if type(value) is datetime.date:
        return (str, connection.ops.adapt_datefield_value, _as_is)
    return (_as_is,)


def _as_is(value: Any) -> Any:
    return value


@dataclass
class _Shape:
    """A query compiled from sentinels: its SQL, its params, and which params take which value
    (position, value's name, how the backend adapts it)."""

    db: str
    queryset: QuerySet
    compiler: Any
    sql: str
    params: tuple
    slots: tuple[tuple[int, Hashable, Callable[[Any], Any]], ...]

    def params_for(self, flat: dict[Hashable, Any]) -> tuple:
        if not self.slots:
            return self.params
        params = list(self.params)
        for position, name, adapt in self.slots:
            params[position] = adapt(flat[name])
        return tuple(params)


def _typed(params: Iterable) -> list[tuple[type, Any]]:
    return [(type(p), p) for p in params]  # True == 1, '2026-01-01' != date(2026, 1, 1)


def _compiled(build: Callable[..., QuerySet], values: dict[str, Any]):
    queryset = build(**values)
    compiler = queryset.query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    return queryset, compiler, sql, tuple(params)


def _shape(
    name: str,
    build: Callable[..., QuerySet],
    derived: Callable[[dict[str, Any]], dict[str, Any]] | None,
    values: dict[str, Any],
) -> tuple[_Shape, dict[Hashable, Any]] | None:
    """The kept shape of build(**values) and the parameter values to run it with; None when the
    query is empty (no township) and so has no SQL."""
    if build.__closure__ or (derived is not None and derived.__closure__):
        # A value read from an enclosing call would be kept in the shape for every later one.
        raise TypeError(f"prepared({name!r}): build() must read only its arguments")
    values = _padded(values)
    everything = {**values, **(derived(values) if derived else {})}
    flat = _flat(everything)
    if flat is None or name in UNSHAPED:
        key: tuple = (name, tuple(everything.items()))  # kept for these values only
        flat = {}
    else:
        key = (name, _shape_of(everything))
    found = _BUILT.get(key)
    if found is not None:
        return found, flat
    try:
        queryset, compiler, sql, params = _compiled(build, values)
    except EmptyResultSet:
        return None
    if flat:
        template = _template(build, derived, values)
        # Kept only if it states exactly the query built from the values themselves.
        if (
            template is not None
            and template.sql == sql
            and _typed(template.params_for(flat)) == _typed(params)
        ):
            _BUILT.put(key, template)
            return template, flat
        UNSHAPED.add(name)
        key, flat = (name, tuple(everything.items())), {}
    shape = _Shape(queryset.db, queryset, compiler, sql, params, ())
    _BUILT.put(key, shape)
    return shape, flat


def _template(
    build: Callable[..., QuerySet],
    derived: Callable[[dict[str, Any]], dict[str, Any]] | None,
    values: dict[str, Any],
) -> _Shape | None:
    """build() compiled from sentinels, with the params they fill as slots."""
    stand_in = _sentinels(values)
    try:
        queryset, compiler, sql, params = _compiled(build, stand_in)
    except EmptyResultSet:
        return None
    forms: dict[tuple[type, Any], tuple[Hashable, Callable[[Any], Any]]] = {}
    stand_flat = _flat({**stand_in, **(derived(stand_in) if derived else {})}) or {}
    for flat_name, value in stand_flat.items():
        for adapt in _forms(value, compiler.connection):
            form = adapt(value)
            forms[(type(form), form)] = (flat_name, adapt)
    slots = []
    for i, p in enumerate(params):
        if isinstance(p, bool) or not isinstance(p, int | str | datetime.date):
            continue
        found = forms.get((type(p), p))
        if found is None and isinstance(p, int) and type(p) is not int:
            # PostgreSQL with server-side binding: psycopg's Int2/Int4/Int8, as the column.
            name_of = forms.get((int, int(p)), (None,))[0]
            found = None if name_of is None else (name_of, type(p))
        if found is not None:
            slots.append((i, *found))
    return _Shape(queryset.db, queryset, compiler, sql, params, tuple(slots))


def prepared(
    name: str,
    build: Callable[..., QuerySet],
    *,
    derived: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    **values: Any,
) -> QuerySet:
    """build(**values), ready to iterate once: the same SQL, parameters and result conversion as
    iterating it, its query built and compiled once per process for the name and shape of the
    values (tuples of township ids, dates, ints). build() must read nothing but its arguments
    and constants, and state its values as query parameters only, each as given (an IN list of
    the ids, a date compared with a DateField): `derived(values)` names any other value it
    computes from them and passes to the database (e.g. the day a year before the end)."""
    found = _shape(name, build, derived, values)
    if found is None:
        return build(**values)
    shape, flat = found
    sql, params = shape.sql, shape.params_for(flat)
    # The compiler keeps what it set up for the SQL (the selected columns and their converters);
    # a copy of it runs these values on this thread's connection, and is asked only for the SQL.
    compiler = copy.copy(shape.compiler)
    compiler.connection = connections[shape.db]
    compiler.as_sql = lambda *args, **kwargs: (sql, params)
    fresh = shape.queryset._chain()
    fresh.query.get_compiler = lambda using=None, connection=None, elide_empty=True: compiler
    return fresh
