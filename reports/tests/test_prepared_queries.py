"""reports.indicators.prepared: a section's queries are built and compiled once per process and
run again with the same SQL, parameters and result conversion, against the records as they are."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import GrassrootsUnion
from reports import indicators
from reports.indicators import TOTAL, Scope
from reports.trend import monthly
from unionportal.models import Township
from unionportal.periods import parse_period
from unionportal.tests.factories import D, member

PERIODS = ["2026H1", "2026", "2026-03", "2025-11-15..2026-08-31"]


def figures(scope, period):
    return indicators.compute(scope, period), monthly(scope, period)


def test_built_again_or_prepared_the_same_sql_and_figures(data, county):
    scope = Scope.for_county(county, Township.objects.filter(county=county))
    for code in PERIODS:
        period = parse_period(code)
        indicators._BUILT.clear()
        with CaptureQueriesContext(connection) as built:
            first = figures(scope, period)
        assert len(indicators._BUILT) > 0
        with CaptureQueriesContext(connection) as again:
            second = figures(scope, period)
        assert [q["sql"] for q in again.captured_queries] == [
            q["sql"] for q in built.captured_queries
        ]
        assert second == first, code


def test_a_prepared_query_counts_records_written_after_it_was_built(data, county):
    a, _b = data
    scope = Scope.for_county(county, Township.objects.filter(county=county))
    period = parse_period("2026H1")
    before, trend_before = figures(scope, period)
    member(a, GrassrootsUnion.objects.get(township=a, name="U1"), D(2026, 5, 1))
    after, trend_after = figures(scope, period)
    assert after.organisation[TOTAL].new_members == before.organisation[TOTAL].new_members + 1
    indicators._BUILT.clear()
    assert (after, trend_after) == figures(scope, period)  # as built from scratch
