"""The county-scale database the benchmarks run against.

Uses DATABASE_URL when set; otherwise var/bench-county.sqlite3, created and filled with
`seed_demo --scale county` (deterministic) on first use and reused afterwards.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = ROOT / "var" / "bench-county.sqlite3"


def setup_county_database() -> None:
    """Point Django at the county-scale database and make sure it is migrated and seeded."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DB}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
    # In-process, on the development keys, which only DEBUG=1 or the test run accept.
    os.environ.setdefault("TESTING", "1")
    BENCH_DB.parent.mkdir(exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    from unionportal.models import Township

    call_command("migrate", verbosity=0)
    if not Township.objects.exists():
        print("首次运行：生成县级规模基准数据（seed_demo --scale county）……", flush=True)
        call_command("seed_demo", scale="county")
    elif Township.objects.count() < 30:
        raise SystemExit("基准数据库不是县级规模：请删除它或设置 DATABASE_URL 指向县级规模数据。")
