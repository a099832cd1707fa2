"""unionportal.prepared, as reports.indicators uses it: a section's queries are built and
compiled once per process and query shape (the query and the number of townships), and run with
each township's ids and each period's days as parameters: the same SQL, parameters and result
conversion as the query built afresh, against the records as they are."""

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import GrassrootsUnion
from reports import figure_cache, indicators, trend
from reports.indicators import TOTAL, Scope
from reports.trend import monthly
from unionportal import prepared as shapes_of
from unionportal.models import Township
from unionportal.periods import parse_period
from unionportal.tests.factories import D, member

# 2024-02 ends on 29 February: 复核逾期 then compares reviews with 28 February 2023.
PERIODS = ["2026H1", "2026", "2026-03", "2025-11-15..2026-08-31", "2024-02"]


# Each test starts and ends with no query kept by shape (conftest.py).
pytestmark = pytest.mark.usefixtures("nothing_prepared")


def figures(scope, period):
    return indicators.compute(scope, period), monthly(scope, period)


def executed(scope, period):
    """The figures, and every statement run for them with its parameters (typed: SQLite passes
    dates as text, PostgreSQL as dates)."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, [(type(p), p) for p in params or ()]))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = figures(scope, period)
    return result, statements


def afresh(monkeypatch, scope, period):
    """What the queries built from scratch for these townships and days run and return."""
    with monkeypatch.context() as m:
        plain = lambda name, build, *, derived=None, **values: build(**values)  # noqa: E731
        m.setattr(indicators, "prepared", plain)
        m.setattr(trend, "prepared", plain)
        m.setattr(shapes_of, "_template", lambda *args: None)  # _count_over: its own SQL
        m.setattr(shapes_of, "_BUILT", shapes_of.Store(0))
        m.setattr(shapes_of, "UNSHAPED", set())
        return executed(scope, period)


def township(t: Township) -> Scope:
    return Scope.for_township(t)


def test_built_again_or_prepared_the_same_sql_and_figures(data, county):
    scope = Scope.for_county(county, Township.objects.filter(county=county))
    for code in PERIODS:
        period = parse_period(code)
        shapes_of._BUILT.clear()
        with CaptureQueriesContext(connection) as built:
            first = figures(scope, period)
        assert len(shapes_of._BUILT) > 0
        with CaptureQueriesContext(connection) as again:
            second = figures(scope, period)
        assert [q["sql"] for q in again.captured_queries] == [
            q["sql"] for q in built.captured_queries
        ]
        assert second == first, code
    assert shapes_of.UNSHAPED == set()


def test_another_township_and_period_from_the_same_shape_as_built_afresh(data, county, monkeypatch):
    a, b = data
    figures(township(a), parse_period("2026H1"))  # the shapes of one township, built here
    shapes = len(shapes_of._BUILT)
    for t in (b, a):
        for code in PERIODS:
            period = parse_period(code)
            kept, ran = executed(township(t), period)
            fresh, ran_afresh = afresh(monkeypatch, township(t), period)
            assert ran == ran_afresh, (t.name, code)
            assert kept == fresh, (t.name, code)
            assert kept[0].total() == fresh[0].total()
    # Every query was kept by shape, none per township or period.
    assert len(shapes_of._BUILT) == shapes
    assert shapes_of.UNSHAPED == set()


def test_a_county_shape_serves_other_townships_in_the_same_number(data, county, monkeypatch):
    a, b = data
    c = Township.objects.create(code="nanhu", name="南湖镇", county=county)
    period = parse_period("2026")
    figures(Scope.for_county(county, [a, b]), period)
    shapes = len(shapes_of._BUILT)
    scope = Scope.for_county(county, [a, c])
    kept, ran = executed(scope, period)
    fresh, ran_afresh = afresh(monkeypatch, scope, period)
    assert ran == ran_afresh
    assert kept == fresh
    assert len(shapes_of._BUILT) == shapes


def test_a_new_township_or_period_builds_no_query(data, county, monkeypatch):
    a, b = data
    whole = Scope.for_county(county, [a, b])

    def compute_all(scope, period, ids):
        for _tables, compute in figure_cache.PARTS.values():
            compute(scope, period, ids)

    compute_all(whole, parse_period("2026H2"), (a.pk,))
    builds = []
    real = shapes_of._compiled
    monkeypatch.setattr(
        shapes_of, "_compiled", lambda build, values: builds.append(build) or real(build, values)
    )
    with CaptureQueriesContext(connection) as run:
        for code in ("2026H2", "2026", "2025Q4"):
            compute_all(whole, parse_period(code), (b.pk,))
    assert builds == []
    assert len(run.captured_queries) == 3 * 13  # 12 for the sections, 1 for the monthly trend


def test_a_prepared_query_counts_records_written_after_it_was_built(data, county):
    a, _b = data
    scope = Scope.for_county(county, Township.objects.filter(county=county))
    period = parse_period("2026H1")
    before, trend_before = figures(scope, period)
    member(a, GrassrootsUnion.objects.get(township=a, name="U1"), D(2026, 5, 1))
    after, trend_after = figures(scope, period)
    assert after.organisation[TOTAL].new_members == before.organisation[TOTAL].new_members + 1
    shapes_of._BUILT.clear()
    assert (after, trend_after) == figures(scope, period)  # as built from scratch


def test_no_township_no_query(db, county):
    scope = dataclasses.replace(Scope.for_county(county, []), township_ids=())
    with CaptureQueriesContext(connection) as run:
        result = indicators.compute(scope, parse_period("2026"))
    empty = [section() for _, section in indicators.SECTIONS]
    assert dataclasses.astuple(result.total()) == tuple(dataclasses.astuple(s) for s in empty)
    assert run.captured_queries == []


def test_a_build_that_reads_its_caller_is_refused(db):
    ids = (1,)
    with pytest.raises(TypeError):
        shapes_of.prepared("x", lambda: GrassrootsUnion.objects.filter(township_id__in=ids))


def test_three_townships_run_as_four_and_count_the_same(data, county, monkeypatch):
    # An IN list padded with ids no township has (-1): the rows and figures of three townships,
    # from the shape of four, so the numbers of townships computed together make few shapes.
    a, b = data
    c = Township.objects.create(code="nanhu", name="南湖镇", county=county)
    d = Township.objects.create(code="beishan", name="北山镇", county=county)
    member(a, GrassrootsUnion.objects.get(township=a, name="U1"), D(2026, 3, 2))
    period = parse_period("2026")
    figures(Scope.for_county(county, [a, b, c, d]), period)
    shapes = len(shapes_of._BUILT)
    scope = Scope.for_county(county, [a, b, c])
    kept, ran = executed(scope, period)
    fresh, _ = afresh(monkeypatch, scope, period)
    assert kept == fresh
    assert kept[0].total() == fresh[0].total()
    assert len(shapes_of._BUILT) == shapes  # no new shape for three
    assert any(-1 in [p for _type, p in params] for _sql, params in ran)
    assert shapes_of.UNSHAPED == set()
