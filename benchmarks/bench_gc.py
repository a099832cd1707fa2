"""The garbage collector setting of the server processes, side by side: CPU per summary PDF.

    .venv/bin/python benchmarks/bench_gc.py [--db postgres] [--pdfs 16] [--pages 40]

Two gunicorns with one sync worker each, on one copy of the county-scale demo database (as
benchmarks/load.py prepares it), differing only in GC_THRESHOLD: 0 (Python's collector as it
comes) and the portal's default (unionportal/gctune.py: startup objects frozen, the young
generation collected every 20,000 container objects). The county reviewer downloads the same
--pdfs distinct summaries (township × period, none kept by content yet) from each in turn,
alternating which goes first; then each list page --pages times. CPU is the worker's own
(/proc), so the client's share is not in it. Prints CPU per request and the ratio tuned / as it
comes.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (benchmarks/load.py: database copy, keys, gunicorn)

PAGES = [
    "/",
    "/records/members/",
    "/records/unions/",
    "/records/cases/",
    "/reports/dashboard/county/",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pdfs", type=int, default=16, help="distinct summary PDFs, each to both")
    parser.add_argument("--pages", type=int, default=40, help="requests of each list page, per run")
    args = parser.parse_args()

    if args.db == "sqlite":
        path = load.SQLITE_SOURCE.resolve()
        source = f"sqlite:///{path}"
        run_db = f"sqlite:///{path.with_name(f'gc-run-{os.getpid()}.sqlite3')}"
    else:
        source = load.PG_DEFAULT
        run_db = load.run_name(source, "run")
    load.drop_leftovers(args.db)
    load.ensure_source(args.db, source, "county")
    load.copy_database(args.db, source, run_db)
    servers = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-gc-") as tmp:
            env = {
                **os.environ,
                "DEBUG": "0",
                **load.production_keys(),
                "ALLOWED_HOSTS": load.LOOPBACK,
                "DATABASE_URL": run_db,
                "HTTPS": "0",
                "LOG_LEVEL": "WARNING",
                **load.static_environment(True),
            }
            cookie = reviewer_cookie(env)
            for name, threshold in (("as it comes", "0"), ("tuned", "")):
                server_env = {**env, "GC_THRESHOLD": threshold, "KEPT_DIR": f"{tmp}/{name}"}
                log = open(f"{tmp}/{len(servers)}.log", "w")  # noqa: SIM115 (closed with tmp)
                proc, base_url = load.start_gunicorn(server_env, 1, log)
                worker = int(subprocess.check_output(["pgrep", "-P", str(proc.pid)]).split()[0])
                servers.append((name, proc, int(base_url.rsplit(":", 1)[1]), worker))
            report(servers, cookie, args)
    finally:
        for _, proc, _, _ in servers:
            load.stop_gunicorn(proc)
        load.drop_database(args.db, run_db)


def reviewer_cookie(env: dict[str, str]) -> str:
    """A signed-in session of the county reviewer, made in this process on the run's database."""
    os.environ.update(env)  # the servers' keys: the session must be theirs
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(username="county_reviewer")
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def get(port: int, url: str, cookie: str) -> None:
    connection = http.client.HTTPConnection(load.LOOPBACK, port, timeout=180)
    connection.request("GET", url, headers={"Cookie": cookie, "Host": load.LOOPBACK})
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"{url}：状态 {response.status}")


def report(servers: list, cookie: str, args: argparse.Namespace) -> None:
    from unionportal.models import Township

    townships = list(Township.objects.order_by("pk").values_list("pk", flat=True))
    periods = ["2026H2", "2026", "2026H1"]
    pdfs = [
        f"/reports/summaries/download/?format=pdf&township={townships[i % len(townships)]}"
        f"&period={periods[i // len(townships) % len(periods)]}"
        for i in range(args.pdfs)
    ]
    for _, _, port, _ in servers:  # first requests: templates, shapes, fonts
        for url in PAGES:
            get(port, url, cookie)
        get(port, "/reports/summaries/download/?format=pdf&period=2025", cookie)
    cpu: dict[tuple[str, str], list[float]] = {}

    def timed(name: str, port: int, worker: int, url: str, times: int) -> None:
        before = load._cpu_seconds(worker)
        for _ in range(times):
            get(port, url, cookie)
        spent = (load._cpu_seconds(worker) - before) * 1000 / times
        cpu.setdefault((name, url if url in PAGES else "pdf"), []).append(spent)

    for i, url in enumerate(pdfs):
        for name, _, port, worker in servers if i % 2 == 0 else servers[::-1]:
            timed(name, port, worker, url, 1)
    for i, url in enumerate(PAGES):
        for name, _, port, worker in servers if i % 2 == 0 else servers[::-1]:
            timed(name, port, worker, url, args.pages)
    names = [name for name, *_ in servers]
    print(f"GC_THRESHOLD=0 与默认（{names[1]}）并排，各 1 个 worker；worker 每请求 CPU（ms）")
    for url in ["pdf", *PAGES]:
        a, b = (statistics.mean(cpu[(name, url)]) for name in names)
        label = f"总结 PDF（{args.pdfs} 份不同的）" if url == "pdf" else url
        print(f"  {label:<28} {a:8.1f} {b:8.1f}  {b / a:5.2f}")


if __name__ == "__main__":
    main()
