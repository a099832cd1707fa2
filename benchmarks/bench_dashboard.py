"""The county dashboard at county scale (seed_demo --scale county): time and SQL queries.

    .venv/bin/python benchmarks/bench_dashboard.py [--runs 9] [--period 2026H1]

Measures what a county reviewer waits for: the whole page (session, access door, indicators,
monthly trend, targets, weights, template) through Django's test client, its query count, the
Excel export, and the figures alone; and the home page of a township's staff, which is their
township's dashboard (the same figures for the whole county, for the county average). Each
twice: with every township's figures computed from the records (nothing kept: the first view in
a worker, or every township written to since), and seen again with nothing written (the figures
and counts kept under the townships' data tokens, unionportal/kept.py). The
baseline, run alternately in the same process, is the naive way to fill the same table:
compute() once per township plus once for the county total, and the trend month by month.
Goal (issue 6): page < 300 ms median, ≤ 20 queries, on SQLite and PostgreSQL. Wall-clock
medians: on a shared machine they measure the other programs too, so note the load; beside each,
the median CPU time of this process (the view, and on SQLite the database too) plus, on
PostgreSQL, that of its server process for this connection (read from /proc: the server is on
this machine), the steadier figure when the machine is busy. Targets for
every township and weights are written first (and removed afterwards) so that colours and
scores are part of the work. On PostgreSQL the tables are first vacuumed and analysed, as
autovacuum does shortly after bulk writes (seed_demo, a migration that rewrites every member
row): otherwise the first minutes measure dead rows and guessed statistics.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from county import setup_county_database

CPU: dict[Callable[[], object], float] = {}  # median CPU seconds of the last median_time(fn)
SERVER_PID: list[int] = []  # the PostgreSQL server process of this connection, if any


def cpu_seconds() -> float:
    """CPU time of this process and of its PostgreSQL server process (utime + stime)."""
    total = time.process_time()
    for pid in SERVER_PID:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def median_time(fn: Callable[[], object], runs: int) -> float:
    """Median wall-clock seconds of `runs` calls after a warm-up; their CPU median in CPU[fn]."""
    fn()  # warm-up: templates, database page cache
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(cpu_seconds() - start_cpu)
    CPU[fn] = statistics.median(cpu)
    return statistics.median(times)


def cpu_ms(fn: Callable[[], object]) -> str:
    return f"（CPU {CPU[fn] * 1000:6.1f} ms）"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--period", default="2026H1")
    args = parser.parse_args()
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("TESTING", "1")  # static URLs without a collected manifest
    # One server process for the whole run, so that its CPU time can be read (cpu_seconds).
    os.environ.setdefault("DB_CONN_MAX_AGE", "3600")
    setup_county_database()

    from decimal import Decimal

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from reports import indicators, trend
    from reports.dashboards import TARGETED, build_dashboard
    from reports.indicators import Scope
    from reports.models import AnnualTarget, AssessmentWeight
    from unionportal import kept
    from unionportal.models import County, Role, User
    from unionportal.periods import parse_period

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SELECT pg_backend_pid()")
            SERVER_PID.append(cursor.fetchone()[0])
    period = parse_period(args.period)
    county = County.objects.order_by("pk").first()
    townships = list(county.townships.all())
    reviewer = User.objects.filter(role=Role.REVIEWER, county=county).first()
    staff = User.objects.filter(role=Role.STAFF, township__county=county).order_by("pk").first()
    year = period.start.year
    AnnualTarget.objects.filter(township__county=county, year=year).delete()
    AssessmentWeight.objects.filter(county=county, year=year).delete()
    AnnualTarget.objects.bulk_create(
        AnnualTarget(township=t, year=year, indicator=h.target, value=Decimal(80 + i % 20))
        for i, t in enumerate(townships)
        for h in TARGETED
    )
    AssessmentWeight.objects.bulk_create(
        AssessmentWeight(county=county, year=year, indicator=h.target, weight=10) for h in TARGETED
    )

    client = Client()
    client.force_login(reviewer)
    staff_client = Client()
    staff_client.force_login(staff)
    page_url = reverse("reports:county_dashboard")
    export_url = reverse("reports:county_dashboard_export")

    def page() -> None:
        response = client.get(page_url, {"period": period.code})
        assert response.status_code == 200, response.status_code

    def home() -> None:
        response = staff_client.get(reverse("home"), {"period": period.code})
        assert response.status_code == 200, response.status_code

    def export() -> None:
        response = client.get(export_url, {"period": period.code})
        assert response.status_code == 200, response.status_code

    def ours() -> None:
        build_dashboard(county, townships, period)

    def baseline() -> None:
        for township in townships:
            indicators.compute(Scope.for_township(township), period)
        indicators.compute(Scope.for_county(county, townships), period)
        for month in trend.months_of(period):
            last = parse_period(f"{month.year}-{month.month:02d}")
            indicators.compute(Scope.for_county(county, townships), last)

    def computed(fn: Callable[[], object]) -> Callable[[], object]:
        """fn with nothing kept: every township's figures computed from the records, as on the
        first view in a worker or after every township has been written to."""

        def run() -> object:
            kept.clear()
            return fn()

        return run

    def queries(fn: Callable[[], object]) -> int:
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    try:
        print(
            f"数据库：{connection.vendor}，{len(townships)} 个乡镇；期间 {period.label}；"
            f"每项取 {args.runs} 次的中位数"
        )
        page_computed = computed(page)
        t_page, n_page = median_time(page_computed, args.runs), queries(page_computed)
        verdict = "达标" if t_page < 0.3 and n_page <= 20 else "未达标"
        print(
            f"  全县看板整页，各乡镇重算       {t_page * 1000:7.1f} ms{cpu_ms(page_computed)}"
            f"  {n_page:3d} 条 SQL   目标 < 300 ms、≤ 20 条：{verdict}"
        )
        t_kept = median_time(page, args.runs)
        print(
            f"  全县看板整页，数据未变（保留） {t_kept * 1000:7.1f} ms{cpu_ms(page)}"
            f"  {queries(page):3d} 条 SQL"
        )
        home_computed = computed(home)
        t_home = median_time(home_computed, args.runs)
        print(
            f"  乡镇录入员首页，重算           {t_home * 1000:7.1f} ms{cpu_ms(home_computed)}"
            f"  {queries(home_computed):3d} 条 SQL"
        )
        t_home_kept = median_time(home, args.runs)
        print(
            f"  乡镇录入员首页，数据未变       {t_home_kept * 1000:7.1f} ms{cpu_ms(home)}"
            f"  {queries(home):3d} 条 SQL"
        )
        export_computed = computed(export)
        t_export = median_time(export_computed, args.runs)
        print(
            f"  导出 Excel（重算）             {t_export * 1000:7.1f} ms{cpu_ms(export_computed)}"
            f"  {queries(export_computed):3d} 条 SQL"
        )
        ours_computed = computed(ours)
        t_ours = median_time(ours_computed, args.runs)
        t_base = median_time(baseline, args.runs)
        print(
            f"  只取数：build_dashboard（重算）{t_ours * 1000:7.1f} ms{cpu_ms(ours_computed)}"
            f"  {queries(ours_computed):3d} 条 SQL"
        )
        print(
            f"  基线：逐乡镇 compute() + 逐月  {t_base * 1000:7.1f} ms{cpu_ms(baseline)}"
            f"  {queries(baseline):3d} 条 SQL   比值 {t_ours / t_base:4.2f}"
            f"（CPU {CPU[ours_computed] / CPU[baseline]:4.2f}）"
        )
    finally:
        AnnualTarget.objects.filter(township__county=county, year=year).delete()
        AssessmentWeight.objects.filter(county=county, year=year).delete()


if __name__ == "__main__":
    main()
