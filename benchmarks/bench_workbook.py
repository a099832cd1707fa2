"""The records workbook at county scale: validate/import 10,000 and 50,000 members into an empty
township, export a township and the whole county (300,000 members), beside django-import-export
importing the same members file into the same model; and the sheets added in the second round
(issue 15): a workbook holding a county's worth of them for one township (300 unions, 10,000
members, 3,000 hardship files, 3,000 mutual-aid rows, 9,000 milestones, 2,000 honours, 12
remittances), and a demo township's own export (every sheet, whole ID numbers) imported back into
an empty township (the round trip).

    .venv/bin/python benchmarks/bench_workbook.py [--skip-baseline]

Runs on a scratch copy of the county database (var/bench-workbook.sqlite3, copied afresh on each
run from var/bench-county.sqlite3, or seeded with seed_demo --scale county if that is absent), so
the imports never change the database the other benchmarks read. Each case runs in its own
process; peak memory is that process's own high-water mark (VmHWM in /proc/self/status, read by
the process at its end: os.wait4's ru_maxrss also counted the parent's memory copied at fork,
so every case reported the same 208 MB); time (wall clock and CPU) is measured inside it after
Django has started. Goals (issue 4): 10,000 members < 5 s,
≥ 5× faster than django-import-export, peak memory < 300 MB, county export < 60 s.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "var" / "bench-workbook.sqlite3"
FILES = ROOT / "var" / "bench-workbook"


def _django() -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH}"
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from county import setup_county_database

    setup_county_database()


def _empty_township(code: str):
    """An empty township in a county of its own: a person may be an active member in one
    union per county, and every benchmark file reuses the same generated IDs."""
    from unionportal.models import County, Township

    suffix = 1
    while Township.objects.filter(code=f"{code}{suffix}").exists():
        suffix += 1
    county = County.objects.create(name=f"工作簿基准县{code}{suffix}")
    return Township.objects.create(
        code=f"{code}{suffix}", name=f"基准{code}{suffix}", county=county
    )


def members_file(n: int) -> Path:
    """A workbook of n members in 20 unions (the unions sheet included)."""
    from unionportal.spreadsheet.writing import write_rows
    from unionportal.validators import id_check_char

    path = FILES / f"members-{n}.xlsx"
    if path.exists():
        return path
    FILES.mkdir(parents=True, exist_ok=True)
    unions = [f"基准第{i}工会" for i in range(1, 21)]
    union_rows = [[u, "企业工会", datetime.date(2010, 1, 1)] for u in unions]
    member_rows = []
    for i in range(n):
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=i % 15000)
        first17 = f"330282{birth:%Y%m%d}{i // 15000 * 2 + 1:03d}"
        member_rows.append(
            [
                f"会员{i}",
                first17 + id_check_char(first17),
                unions[i % 20],
                datetime.date(2018, 1, 1) + datetime.timedelta(days=i % 2000),
                f"138{i:08d}",
                "汉族",
                "是" if i % 3 == 0 else "否",
            ]
        )
    seen: set[str] = set()
    unique = []
    for row in member_rows:  # the same birth date and sequence twice would repeat an ID
        if row[1] not in seen:
            seen.add(row[1])
            unique.append(row)
    with path.open("wb") as out:
        write_rows(
            out,
            {
                "基层工会": (["工会名称", "类型", "成立日期"], union_rows),
                "会员": (
                    ["姓名", "身份证号", "所属工会", "入会日期", "手机号", "民族", "农民工"],
                    unique,
                ),
            },
        )
    return path


def second_round_file() -> Path:
    """A workbook with every sheet added in the second round, at the county demo's totals, for
    one township: 300 unions and their 10,000 members, 3,000 hardship files (members' households,
    one in four out of hardship), mutual aid for each union in 2017–2026, 30 milestones a union
    (a 职代会 every spring and autumn, 换届 every five years, three star ratings and the marks),
    2,000 honours to members and 12 quarters of remittances."""
    from unionportal.spreadsheet.writing import write_rows
    from unionportal.validators import id_check_char

    path = FILES / "second-round.xlsx"
    if path.exists():
        return path
    FILES.mkdir(parents=True, exist_ok=True)
    day = datetime.date
    unions = [f"二轮基准第{i}工会" for i in range(1, 301)]
    union_rows = [[u, "企业工会", day(2010, 1, 1)] for u in unions]
    members = []
    for i in range(10_000):
        birth = day(1965, 1, 1) + datetime.timedelta(days=i % 12000)
        first17 = f"330282{birth:%Y%m%d}{i // 12000 * 2 + 5:03d}"
        id_number = first17 + id_check_char(first17)
        members.append(
            [f"职工{i}", id_number, unions[i % 300], day(2018, 1, 1), f"139{i:08d}", "汉族", "否"]
        )
    categories, causes = ["深度困难", "相对困难", "意外致困"], ["本人大病", "家属大病", "子女就学"]
    hardship = []
    for i in range(3_000):
        name, id_number, union = members[i * 3][:3]
        filed = day(2021, 1, 1) + datetime.timedelta(days=i % 1400)
        out = i % 4 == 0
        hardship.append(
            [
                name,
                id_number,
                union,
                categories[i % 3],
                causes[i % 3] + ("、收入低" if i % 2 else ""),
                2 + i % 4,
                600 + i % 900,
                filed,
                filed + datetime.timedelta(days=300) if i % 3 else None,
                filed + datetime.timedelta(days=400) if out else None,
                "就业增收" if out else None,
                filed + datetime.timedelta(days=20),
            ]
        )
    mutual_aid = [
        [union, year, 40 + u % 60, 35 + u % 60, 3500 + u, u % 5, 1000 * (u % 5)]
        for u, union in enumerate(unions)
        for year in range(2017, 2027)
    ]
    milestones = []
    for u, union in enumerate(unions):
        for year in range(2017, 2027):
            for month in (3, 10):
                delegates = 30 + u % 50
                milestones.append(
                    [union, "职代会召开", day(year, month, 10), None, None, None, delegates]
                )
        for year in (2018, 2023):
            milestones.append([union, "换届", day(year, 5, 8), None, f"主席{u}{year}", "否", None])
        for year, star in ((2019, "一星"), (2021, "二星"), (2025, "三星")):
            milestones.append([union, "星级评定", day(year, 12, 1), star, None, None, None])
        for kind, when, level in (
            ("建立职代会制度", day(2017, 1, 5), None),
            ("建立厂务公开", day(2017, 2, 5), None),
            ("规范化达标", day(2020, 6, 1), None),
            ("成立女职工委员会", day(2019, 3, 8), None),
            ("模范职工之家", day(2024, 4, 20), "县级"),
        ):
            milestones.append([union, kind, when, level, None, None, None])
    titles = ["劳动模范", "五一劳动奖章", "文明职工", "十佳职工"]
    levels = ["乡镇", "县级", "市级", "省级"]
    honours = [
        [
            members[i * 5 + 1][0],
            "个人",
            members[i * 5 + 1][1],
            titles[i % 4],
            levels[i % 4],
            "慈溪市总工会",
            day(2019 + i % 8, 4, 28),
            members[i * 5 + 1][2],
        ]
        for i in range(2_000)
    ]
    remittances = [
        [f"{year}Q{q}", 52000, 50000 + q * 500, day(year, q * 3, 28)]
        for year in (2024, 2025, 2026)
        for q in range(1, 5)
    ]
    with path.open("wb") as out:
        write_rows(
            out,
            {
                "基层工会": (["工会名称", "类型", "成立日期"], union_rows),
                "会员": (
                    ["姓名", "身份证号", "所属工会", "入会日期", "手机号", "民族", "农民工"],
                    members,
                ),
                "困难职工": (
                    [
                        "姓名",
                        "身份证号",
                        "所属工会",
                        "困难类别",
                        "致困原因",
                        "家庭人口",
                        "家庭月人均收入",
                        "建档日期",
                        "复核日期",
                        "脱困日期",
                        "脱困原因",
                        "上报日期",
                    ],
                    hardship,
                ),
                "医疗互助": (
                    [
                        "所属工会",
                        "年度",
                        "在职职工人数",
                        "参加人数",
                        "缴费金额",
                        "受助人次",
                        "受助金额",
                    ],
                    mutual_aid,
                ),
                "工会建设": (
                    [
                        "工会名称",
                        "事项",
                        "日期",
                        "等级",
                        "工会主席",
                        "主席为外来职工",
                        "职工代表人数",
                    ],
                    milestones,
                ),
                "荣誉": (
                    [
                        "获奖对象",
                        "对象类型",
                        "身份证号",
                        "荣誉名称",
                        "级别",
                        "授予单位",
                        "授予日期",
                        "工作单位",
                    ],
                    honours,
                ),
                "经费上缴": (["所属期间", "应上缴金额", "实上缴金额", "上缴日期"], remittances),
            },
        )
    return path


def township_export_file() -> Path:
    """The first demo township's workbook as its staff export it with whole ID numbers."""
    from unionportal.models import Township
    from workbook.exports import export_workbook, township_querysets

    path = FILES / "roundtrip-township.xlsx"
    if path.exists():
        return path
    FILES.mkdir(parents=True, exist_ok=True)
    first = Township.objects.order_by("pk")[:1]
    with path.open("wb") as out:
        export_workbook(
            out, querysets=township_querysets(Township.objects.filter(pk__in=first)), full=True
        )
    return path


def case_import_file(path: Path, dry_run: bool) -> dict:
    from workbook.services import import_workbook

    data = path.read_bytes()
    township = _empty_township("wbnew")
    start, cpu = time.perf_counter(), time.process_time()
    report = import_workbook(data=data, township=township, user=None, dry_run=dry_run)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert report.ok, report.problems[:5]
    return {"seconds": seconds, "cpu": cpu, "created": report.created}


def case_import(n: int, dry_run: bool) -> dict:
    from workbook.services import import_workbook

    data = members_file(n).read_bytes()
    township = _empty_township("wbimp")
    start, cpu = time.perf_counter(), time.process_time()
    report = import_workbook(data=data, township=township, user=None, dry_run=dry_run)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert report.ok, report.problems[:5]
    return {"seconds": seconds, "cpu": cpu, "created": report.created}


def case_baseline(n: int) -> dict:
    """django-import-export 4: a ModelResource for Member, default (row by row) import."""
    import tablib
    from import_export import fields, resources, widgets

    from members.models import GrassrootsUnion, Member
    from unionportal.pii import id_number_hash

    township = _empty_township("wbdie")
    GrassrootsUnion.objects.bulk_create(
        [
            GrassrootsUnion(
                township=township,
                name=f"基准第{i}工会",
                kind="enterprise",
                founded_on=datetime.date(2010, 1, 1),
            )
            for i in range(1, 21)
        ]
    )

    class UnionWidget(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):
            return GrassrootsUnion.objects.filter(township=township)

    class MemberResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        id_number = fields.Field(attribute="id_number", column_name="身份证号")
        union = fields.Field(
            attribute="union", column_name="所属工会", widget=UnionWidget(GrassrootsUnion, "name")
        )
        joined_on = fields.Field(
            attribute="joined_on", column_name="入会日期", widget=widgets.DateWidget()
        )
        mobile = fields.Field(attribute="mobile", column_name="手机号")
        ethnicity = fields.Field(attribute="ethnicity", column_name="民族")
        is_migrant = fields.Field(
            attribute="is_migrant", column_name="农民工", widget=widgets.BooleanWidget()
        )

        class Meta:
            model = Member
            import_id_fields = ("id_number",)
            fields = (
                "name",
                "id_number",
                "union",
                "joined_on",
                "mobile",
                "ethnicity",
                "is_migrant",
            )

        def get_queryset(self):
            return Member.objects.filter(township=township)

        def get_instance(self, instance_loader, row):
            # The ID is encrypted: an existing member is found by its keyed hash.
            return (
                self.get_queryset().filter(id_number_hash=id_number_hash(row["身份证号"])).first()
            )

        def before_import_row(self, row, **kwargs):
            row["农民工"] = row.get("农民工") == "是"

        def before_save_instance(self, instance, row, **kwargs):
            instance.township = township
            instance.derive_from_id()

    import openpyxl

    start, cpu = time.perf_counter(), time.process_time()
    # tablib's xlsx loader reads only the first sheet; the members are on the second one, so
    # the rows are read with openpyxl (as tablib does) and handed over as a Dataset.
    workbook = openpyxl.load_workbook(members_file(n), read_only=True)
    rows = list(workbook["会员"].values)
    book = tablib.Dataset(*rows[1:], headers=rows[0])
    result = MemberResource().import_data(book, dry_run=False, raise_errors=True)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "created": result.totals.get("new", 0)}


def case_export(scope: str) -> dict:
    from unionportal.models import Township
    from workbook.exports import export_workbook, township_querysets

    if scope == "county":
        first = Township.objects.order_by("pk").first()
        townships = Township.objects.filter(county_id=first.county_id)
    else:
        townships = Township.objects.order_by("pk")[:1]
        townships = Township.objects.filter(pk__in=[t.pk for t in townships])
    path = FILES / f"export-{scope}.xlsx"
    start, cpu = time.perf_counter(), time.process_time()
    with path.open("wb") as out:
        written = export_workbook(
            out, querysets=township_querysets(townships), with_township=scope == "county"
        )
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu": cpu,
        "members": written.get("members", 0),
        "bytes": path.stat().st_size,
    }


CASES = {
    # Exports first: the imports below add townships to the county.
    "export-township": lambda: case_export("township"),
    "export-county": lambda: case_export("county"),
    "validate-10000": lambda: case_import(10_000, True),
    "import-10000": lambda: case_import(10_000, False),
    "validate-50000": lambda: case_import(50_000, True),
    "import-50000": lambda: case_import(50_000, False),
    "baseline-import-10000": lambda: case_baseline(10_000),
    # The sheets added in the second round (issue 15).
    "validate-second-round": lambda: case_import_file(second_round_file(), True),
    "import-second-round": lambda: case_import_file(second_round_file(), False),
    "import-township-roundtrip": lambda: case_import_file(township_export_file(), False),
}


def own_peak_mb() -> float:
    """This process's peak resident memory since it started (exec), in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM in /proc/self/status (Linux only)")


def run_case(name: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--case", name], stdout=subprocess.PIPE, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{name} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=CASES)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--only", nargs="*", choices=CASES)
    args = parser.parse_args()
    county = ROOT / "var" / "bench-county.sqlite3"
    if not args.case and county.exists():
        # A fresh copy each run: every run starts from the same 30 townships.
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SCRATCH}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(county, SCRATCH)
    _django()
    if args.case:
        result = CASES[args.case]()
        print(json.dumps({**result, "peak_mb": own_peak_mb()}))
        return
    members_file(10_000), members_file(50_000), second_round_file(), township_export_file()
    names = args.only or [n for n in CASES if not (args.skip_baseline and "baseline" in n)]
    results = {}
    for name in names:
        results[name] = run_case(name)
        r = results[name]
        print(
            f"{name:24} {r['seconds']:8.2f} s   峰值内存 {r['peak_mb']:6.0f} MB   {r}", flush=True
        )
    if "import-10000" in results and "baseline-import-10000" in results:
        base, ours = results["baseline-import-10000"], results["import-10000"]
        wall, cpu = base["seconds"] / ours["seconds"], base["cpu"] / ours["cpu"]
        print(f"django-import-export / 本项目（10,000 会员导入）= {wall:.1f}×（CPU {cpu:.1f}×）")


if __name__ == "__main__":
    main()
