"""Record pages at county scale (30 townships, 300,000 members): median render times.

    .venv/bin/python benchmarks/bench_records.py [--runs 15]

Times the whole request through Django's test client (middleware, session, access door, SQL,
template) for a township's staff and for a county reviewer:
  - the member list, unfiltered and filtered (search by name prefix; active migrants of a union);
  - a member's detail page (visits, cases, history);
  - the kinds added in the second round (issue 15): the hardship register as the township's staff
    see it (reasons and income) and as a county reviewer sees the whole county (masked names, no
    reasons), the honours list, and a grassroots union's page with its milestone timeline (the
    union of the township with the most milestones).
Baseline, run alternately in the same process on the same data: Django admin's changelist for the
same model (its default COUNT(*)s and 100-row page) filtered to the same township, and unfiltered
for the whole county, or its change page. Goal (issue 3): each record page under 150 ms median on
2 cores. Besides the wall-clock median, the median CPU time of this process (the test client, the
view and, on SQLite, the database) is printed: the steadier figure on a shared machine.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable

from county import setup_county_database


def timed_ms(fn: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of `runs` calls after a warm-up."""
    fn()  # warm-up: templates, SQLite page cache
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    # Pages link static files without a collected manifest (as in tests); nothing else changes.
    os.environ.setdefault("TESTING", "1")
    setup_county_database()

    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from honours.models import Honour
    from members.models import GrassrootsUnion, Member
    from unionportal.models import Role, Township, User
    from welfare.models import HardshipFile

    settings.ALLOWED_HOSTS = ["*"]
    township = Township.objects.select_related("county").order_by("pk").first()
    staff, _ = User.objects.get_or_create(
        username="bench_records_staff",
        defaults={"role": Role.STAFF, "township": township, "full_name": "基准录入"},
    )
    reviewer, _ = User.objects.get_or_create(
        username="bench_records_reviewer",
        defaults={"role": Role.REVIEWER, "county": township.county, "full_name": "基准审阅"},
    )
    admin, _ = User.objects.get_or_create(
        username="bench_records_admin",
        defaults={"role": Role.ADMIN, "is_staff": True, "is_superuser": True},
    )
    member = Member.objects.filter(township=township, employer__isnull=False).order_by("pk").first()
    sample = Member.objects.filter(township=township).order_by("pk")[500]
    members_here = Member.objects.filter(township=township).count()
    members_all = Member.objects.count()
    files_here = HardshipFile.objects.filter(township=township).count()
    files_all = HardshipFile.objects.count()
    honours_here = Honour.objects.filter(township=township).count()
    union = (
        GrassrootsUnion.objects.filter(township=township)
        .annotate(n=Count("milestones"))
        .order_by("-n", "pk")
        .first()
    )

    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    as_staff, as_reviewer, as_admin = client_for(staff), client_for(reviewer), client_for(admin)
    member_list = reverse("members:member_list")
    pages: list[tuple[str, Client, str, str, Client]] = [
        (
            f"会员列表 · 本乡镇全部（{members_here:,} 人）",
            as_staff,
            member_list,
            f"/admin/members/member/?township__id__exact={township.pk}",
            as_admin,
        ),
        (
            f"会员列表 · 按姓名搜索“{sample.name[:1]}”",
            as_staff,
            f"{member_list}?q={sample.name[:1]}",
            f"/admin/members/member/?township__id__exact={township.pk}&q={sample.name[:1]}",
            as_admin,
        ),
        (
            "会员列表 · 某工会在册农民工",
            as_staff,
            f"{member_list}?union={sample.union_id}&active=1&migrant=1",
            f"/admin/members/member/?union__id__exact={sample.union_id}&is_migrant__exact=1",
            as_admin,
        ),
        (
            f"会员列表 · 县总审阅全县（{members_all:,} 人）",
            as_reviewer,
            member_list,
            "/admin/members/member/",
            as_admin,
        ),
        (
            "会员详情",
            as_staff,
            reverse("members:member_detail", args=[member.pk]),
            f"/admin/members/member/{member.pk}/change/",
            as_admin,
        ),
        (
            f"困难职工档案 · 本乡镇（{files_here:,} 户）",
            as_staff,
            reverse("welfare:hardship_list"),
            f"/admin/welfare/hardshipfile/?township__id__exact={township.pk}",
            as_admin,
        ),
        (
            f"困难职工档案 · 县总审阅全县（{files_all:,} 户，姓名脱敏）",
            as_reviewer,
            reverse("welfare:hardship_list"),
            "/admin/welfare/hardshipfile/",
            as_admin,
        ),
        (
            f"荣誉表彰 · 本乡镇（{honours_here:,} 项）",
            as_staff,
            reverse("honours:honour_list"),
            f"/admin/honours/honour/?township__id__exact={township.pk}",
            as_admin,
        ),
        (
            f"基层工会详情 · 工会建设时间线（{union.n} 项）",
            as_staff,
            reverse("members:union_detail", args=[union.pk]),
            f"/admin/members/grassrootsunion/{union.pk}/change/",
            as_admin,
        ),
    ]
    townships = Township.objects.count()
    print(f"县级规模：{townships} 个乡镇，{members_all:,} 名会员；每项 {args.runs} 次取中位数")
    print(
        f"{'页面':<34}{'本页 ms':>10}{'CPU ms':>8}{'SQL':>6}{'基线 ms':>10}{'CPU ms':>8}{'比值':>8}"
    )
    for label, client, url, baseline_url, baseline_client in pages:
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            assert client.get(url).status_code == 200, url
        assert baseline_client.get(baseline_url).status_code == 200, baseline_url
        # Alternate the two so cache warmth and CPU frequency treat them alike.
        ours_wall, ours_cpu, base_wall, base_cpu = [], [], [], []
        for _ in range(3):
            wall, cpu = timed_ms(lambda c=client, u=url: c.get(u), max(args.runs // 3, 1))
            ours_wall += wall
            ours_cpu += cpu
            wall, cpu = timed_ms(
                lambda c=baseline_client, u=baseline_url: c.get(u), max(args.runs // 3, 1)
            )
            base_wall += wall
            base_cpu += cpu
        ours, baseline = statistics.median(ours_wall), statistics.median(base_wall)
        print(
            f"{label:<34}{ours:>10.1f}{statistics.median(ours_cpu):>8.1f}{len(queries):>6}"
            f"{baseline:>10.1f}{statistics.median(base_cpu):>8.1f}{baseline / ours:>7.1f}×"
        )
    print("基线：Django admin 的同一列表（changelist，同一筛选）或修改页。目标：中位数 < 150 ms。")


if __name__ == "__main__":
    main()
