"""The dashboards' kept figures (reports/figure_cache.py): the same numbers as computing from the
records, fewer queries when nothing changed, and never older than the records."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Employer, GrassrootsUnion
from reports import figure_cache, indicators
from reports.dashboards import build_dashboard
from reports.indicators import TOTAL, Scope
from reports.trend import monthly
from unionportal import kept
from unionportal.models import DataStamp, Township
from unionportal.periods import parse_period
from unionportal.tests.factories import (
    D,
    make_honour,
    member,
    record_tables_read,
    row_named,
    union,
)
from welfare.models import WelfareVisit

PERIODS = ["2026H1", "2026H2", "2026", "2026Q2", "2026-03", "2025-11-15..2026-08-31"]


def scope_of(county) -> Scope:
    return Scope.for_county(county, Township.objects.filter(county=county))


def from_records(scope, period):
    return indicators.compute(scope, period), monthly(scope, period)


def recording():
    """figure_cache.PARTS with compute functions that note which part they were asked for and for
    which townships: (parts, asked), asked a list of (part, township ids)."""
    asked: list[tuple[str, tuple[int, ...]]] = []

    def noting(name, compute):
        def inner(scope, period, ids):
            asked.append((name, ids))
            return compute(scope, period, ids)

        return inner

    parts = {
        name: (tables, noting(name, compute))
        for name, (tables, compute) in figure_cache.PARTS.items()
    }
    return parts, asked


ALL_PARTS = list(figure_cache.PARTS)


def every_part(ids):
    return [(name, ids) for name in ALL_PARTS]


def around(write, scope, period):
    """Figures before and after `write()`, and the parts (with townships) computed for the second
    view: (first, second, trend, computed)."""
    parts, asked = recording()
    first, _ = figure_cache.figures_and_trend(scope, period, parts=parts)
    seen = len(asked)
    write()
    second, trend = figure_cache.figures_and_trend(scope, period, parts=parts)
    return first, second, trend, asked[seen:]


def test_kept_figures_equal_the_records_in_every_period(data, county):
    scope = scope_of(county)
    for code in PERIODS:
        period = parse_period(code)
        expected = from_records(scope, period)
        assert figure_cache.figures_and_trend(scope, period) == expected, code  # computed
        assert figure_cache.figures_and_trend(scope, period) == expected, code  # kept


def test_nothing_changed_one_query(data, county):
    scope = scope_of(county)
    period = parse_period("2026H1")
    parts, asked = recording()
    figure_cache.figures_and_trend(scope, period, parts=parts)
    assert asked == every_part(scope.township_ids)
    with CaptureQueriesContext(connection) as ctx:
        figure_cache.figures_and_trend(scope, period, parts=parts)
    assert len(ctx.captured_queries) == 1  # the tokens
    assert asked == every_part(scope.township_ids)


def test_a_write_recomputes_that_township_only_and_shows_at_once(data, county):
    a, b = data
    scope = scope_of(county)
    period = parse_period("2026H1")
    first, second, trend, computed = around(
        lambda: member(a, GrassrootsUnion.objects.get(township=a, name="U1"), D(2026, 5, 1)),
        scope,
        period,
    )
    # A member written: the sections that read members, for that township only.
    assert computed == [("organisation.members", (a.pk,)), ("months", (a.pk,))]
    assert second.organisation[a.pk].new_members == first.organisation[a.pk].new_members + 1
    assert second.organisation[TOTAL].new_members == first.organisation[TOTAL].new_members + 1
    assert second.organisation[b.pk] == first.organisation[b.pk]
    assert trend[a.pk][datetime.date(2026, 5, 1)].new_members >= 1
    assert (second, trend) == from_records(scope, period)


def test_an_update_of_many_rows_and_a_delete_show_at_once(data, county):
    a, _ = data
    scope = scope_of(county)
    period = parse_period("2026H1")
    figure_cache.figures_and_trend(scope, period)
    WelfareVisit.objects.filter(township=a).update(cash=Decimal("1.00"))
    assert figure_cache.figures_and_trend(scope, period) == from_records(scope, period)
    Employer.objects.filter(township=a, name="E3").delete()
    kept, _ = figure_cache.figures_and_trend(scope, period)
    assert (
        kept.organisation[a.pk].employers_due
        == from_records(scope, period)[0].organisation[a.pk].employers_due
    )


def test_a_write_to_one_kind_of_record_keeps_the_sections_that_do_not_read_it(data, county):
    a, b = data
    scope = scope_of(county)
    period = parse_period("2026H1")
    first, second, trend, computed = around(
        lambda: WelfareVisit.objects.filter(township=a).update(cash=Decimal("1.00")), scope, period
    )
    assert computed == [("welfare", (a.pk,)), ("months", (a.pk,))]
    assert second.welfare[a.pk] != first.welfare[a.pk]
    assert second.organisation[a.pk] == first.organisation[a.pk]
    assert (second, trend) == from_records(scope, period)
    _, third, trend, computed = around(lambda: make_honour(a, title="县级劳动模范"), scope, period)
    assert computed == [("activities", (a.pk,))]
    assert (third, trend) == from_records(scope, period)


def test_the_tables_each_part_reads_are_the_tables_it_is_kept_under(data, county):
    # A section kept under tables it does not read would go stale when those it does read are
    # written: each part's queries must name exactly its declared tables (of the record tables).
    scope = scope_of(county)
    for code in ("2026H1", "2026"):
        period = parse_period(code)
        for name, (tables, compute) in figure_cache.PARTS.items():
            with CaptureQueriesContext(connection) as ctx:
                compute(scope, period, scope.township_ids)
            assert record_tables_read(ctx.captured_queries) == tables, name


def test_figures_read_across_a_write_are_not_kept(data, county):
    a, _ = data
    scope = scope_of(county)
    period = parse_period("2026H1")
    calls = []

    def compute_while_someone_saves(scope, period, ids):
        calls.append(ids)
        result = figure_cache.PARTS["organisation.unions"][1](scope, period, ids)
        if len(calls) == 1:  # a save commits between reading the tokens and the figures
            union(a, f"并发{len(calls)}", D(2026, 2, 2))
        return result

    parts = {
        **figure_cache.PARTS,
        "organisation.unions": (figure_cache.UNIONS, compute_while_someone_saves),
    }
    figure_cache.figures_and_trend(scope, period, parts=parts)
    figure_cache.figures_and_trend(scope, period, parts=parts)
    assert calls[1] == (a.pk,)  # computed again: the first figures were not kept for township A
    kept, _ = figure_cache.figures_and_trend(scope, period, parts=parts)
    assert len(calls) == 2
    assert (
        kept.organisation[a.pk].new_unions
        == from_records(scope, period)[0].organisation[a.pk].new_unions
    )


def test_a_township_without_a_token_is_always_computed(data, county):
    a, b = data
    DataStamp.objects.filter(township_id=a.pk).delete()
    scope = scope_of(county)
    period = parse_period("2026H1")
    parts, asked = recording()
    figure_cache.figures_and_trend(scope, period, parts=parts)
    figure_cache.figures_and_trend(scope, period, parts=parts)
    assert asked == every_part(scope.township_ids) + every_part((a.pk,))


def test_dashboard_seen_again_runs_three_queries(data, county):
    scope_townships = list(Township.objects.filter(county=county))
    period = parse_period("2026H1")
    build_dashboard(county, scope_townships, period)
    with CaptureQueriesContext(connection) as ctx:
        build_dashboard(county, scope_townships, period)
    assert len(ctx.captured_queries) == 3  # tokens, targets, weights
    # None joins the townships or the county for an order (the models' default orderings did).
    assert not any("JOIN" in q["sql"] for q in ctx.captured_queries)


def test_the_store_is_bounded(data, county):
    scope = scope_of(county)
    old_limit = kept.store.limit
    kept.store.limit = 5
    try:
        for code in PERIODS:
            figure_cache.figures_and_trend(scope, parse_period(code))
        assert len(kept.store) == 5
    finally:
        kept.store.limit = old_limit


def test_county_page_after_a_workbook_style_bulk_insert(client, data, reviewer):
    a, _ = data
    client.force_login(reviewer)
    page = reverse("reports:county_dashboard")
    before = row_named(client.get(page, {"period": "2026H1"}).content.decode(), "慈东镇")
    assert before == row_named(client.get(page, {"period": "2026H1"}).content.decode(), "慈东镇")
    Employer.objects.bulk_create(
        [
            Employer(township=a, name=f"导入{i}", employees=10, should_unionise=True)
            for i in range(4)
        ]
    )
    after = row_named(client.get(page, {"period": "2026H1"}).content.decode(), "慈东镇")
    # 建会率: unionised ÷ employers due; four more employers due, none unionised.
    expected = indicators.compute(scope_of(a.county), parse_period("2026H1"))
    rate = str(expected.organisation[a.pk].unionisation_rate)
    assert rate in after and after != before


def test_another_worker_reads_what_one_computed(data, county):
    # Two gunicorn workers: the second has nothing in memory but finds the first one's figures
    # in the shared cache, under the same tokens; a write sends both back to the records.
    a, _ = data
    scope = scope_of(county)
    period = parse_period("2026H1")
    parts, asked = recording()
    first = figure_cache.figures_and_trend(scope, period, parts=parts)
    kept.store.clear()  # the other worker's memory
    with CaptureQueriesContext(connection) as ctx:
        assert figure_cache.figures_and_trend(scope, period, parts=parts) == first
    assert len(ctx.captured_queries) == 1 and asked == every_part(scope.township_ids)
    member(a, GrassrootsUnion.objects.get(township=a, name="U1"), D(2026, 4, 1))
    kept.store.clear()
    seen = len(asked)
    again = figure_cache.figures_and_trend(scope, period, parts=parts)
    # The written township's member parts from the records; the rest from the shared cache.
    assert asked[seen:] == [("organisation.members", (a.pk,)), ("months", (a.pk,))]
    assert again == from_records(scope, period)


def test_the_shared_level_works_with_the_production_file_cache(data, county, settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "kept": {
            "BACKEND": "unionportal.keptcache.KeptFileCache",
            "LOCATION": tmp_path / "kept",
        },
    }
    scope = scope_of(county)
    period = parse_period("2026H1")
    parts, asked = recording()
    first = figure_cache.figures_and_trend(scope, period, parts=parts)
    files = len(scope.township_ids) * len(ALL_PARTS)
    assert len(list((tmp_path / "kept").iterdir())) == files
    kept.store.clear()
    assert figure_cache.figures_and_trend(scope, period, parts=parts) == first
    assert asked == every_part(scope.township_ids)


def test_the_county_seen_again_is_kept_whole_until_any_township_is_written(data, county):
    a, _b = data
    scope = scope_of(county)
    period = parse_period("2026H1")
    parts, asked = recording()
    figure_cache.figures_and_trend(scope, period, parts=parts)  # computed: not kept whole
    second = figure_cache.figures_and_trend(scope, period, parts=parts)  # kept whole
    assert figure_cache.figures_and_trend(scope, period, parts=parts) is second
    member(a, GrassrootsUnion.objects.get(township=a, name="U1"), D(2026, 5, 1))
    after = figure_cache.figures_and_trend(scope, period, parts=parts)
    assert asked == every_part(scope.township_ids) + [
        ("organisation.members", (a.pk,)),
        ("months", (a.pk,)),
    ]
    assert after is not second
    assert after[0].organisation[TOTAL].new_members == (
        second[0].organisation[TOTAL].new_members + 1
    )
    assert after == from_records(scope, period)
