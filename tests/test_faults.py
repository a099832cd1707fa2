"""Faults (issue 7, part 8): a workbook import and a summary build killed with SIGKILL midway, and
a disk that fills up while a summary or a backup is written.

"Midway" is observed from outside, never guessed with a sleep: the import is frozen (SIGSTOP)
once it holds the database's write lock and has written uncommitted pages (SQLite: into the WAL;
PostgreSQL: its backend has a transaction id), the summary build once its process has the PDF
fonts mapped (WeasyPrint is laying out the document). The condition is checked again while
the process is frozen, then it is killed with SIGKILL, which nothing can catch or clean up after.
"""

import errno
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit import exports as audit_exports
from events.models import EventAttachment
from unionportal import files
from unionportal.backup import sqlite_connect
from unionportal.tests.factories import (
    ScratchPortal,
    drop_portal,
    make_event,
    make_member,
    make_portal,
    numbered_members_workbook,
    require_engine,
)
from workbook import views as workbook_views

BIG = 20_000
EARLIER = 30
SUMMARY_TITLE = "慈溪县总工会2026年度工作总结"
# SQLite spills a transaction's pages into the WAL once they outgrow its page cache (2 MB):
# a WAL beyond 1 MB while the write lock is held means rows written and not yet committed.
WAL_WRITTEN = 1024 * 1024

# Separate manage.py processes on a scratch portal, killed midway: seconds each.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def portal(request, tmp_path_factory):
    require_engine(request.param)
    portal = make_portal(tmp_path_factory.mktemp(f"faults-{request.param}"), request.param)
    # Acknowledged before the faults: an import that ran to completion and exited 0.
    small = portal.root / "earlier.xlsx"
    small.write_bytes(numbered_members_workbook(EARLIER, union="乙工会", start=BIG))
    portal.manage("import_workbook", str(small), "--township", "cidong")
    yield portal
    drop_portal(portal)


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("workbooks") / "big.xlsx"
    path.write_bytes(numbered_members_workbook(BIG, union="甲工会"))
    return path


def freeze_when(process: subprocess.Popen, condition: Callable[[], bool], *, what: str) -> None:
    """SIGSTOP the process as soon as `condition` holds, and make sure it still holds while the
    process is frozen. Fails if the process ends first."""
    deadline = time.monotonic() + 600  # a guard against hanging, not a timing assertion
    while True:
        if condition():
            process.send_signal(signal.SIGSTOP)
            if condition():
                return
            process.send_signal(signal.SIGCONT)
        if process.poll() is not None:
            pytest.fail(f"the process ended (exit {process.returncode}) before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.002)


def sigkill(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)  # also ends a stopped process
    return process.wait(timeout=120)


def sqlite_integrity(path: Path) -> str:
    db = sqlite_connect(path)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def sqlite_write_locked(path: Path) -> bool:
    """Whether another connection holds the write lock (is inside a write transaction)."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return True
        raise
    finally:
        probe.close()


def writing_uncommitted(portal: ScratchPortal) -> Callable[[], bool]:
    """Whether another process is inside a write transaction and has written to the database."""
    if portal.engine == "sqlite":
        database = Path(portal.database)
        wal = database.with_name(database.name + "-wal")
        start = wal.stat().st_size if wal.exists() else 0

        def sqlite_condition() -> bool:
            # Frames, not just the WAL's 32-byte header: a connection writes that on opening.
            size = wal.stat().st_size if wal.exists() else 0
            return size > start + WAL_WRITTEN and sqlite_write_locked(database)

        return sqlite_condition
    monitor = portal.connect()

    def postgres_condition() -> bool:
        row = monitor.execute(
            # A transaction id is given at the first write; by the member rows the union row
            # of the same transaction is written too.
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
            " AND backend_xid IS NOT NULL AND query LIKE '%%INSERT INTO \"members_member\"%%'",
            (portal.database,),
        ).fetchone()
        return row[0] > 0

    postgres_condition.monitor = monitor  # type: ignore[attr-defined]
    return postgres_condition


def wait_for_disconnect(portal: ScratchPortal) -> None:
    """PostgreSQL rolls back a killed client's transaction when it sees the connection close."""
    if portal.engine != "postgresql":
        return
    deadline = time.monotonic() + 120
    sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
    while portal.query(sql, (portal.database,))[0][0]:
        assert time.monotonic() < deadline, "the killed client's server process did not end"
        time.sleep(0.05)


def check_database(portal: ScratchPortal) -> None:
    if portal.engine == "sqlite":
        assert sqlite_integrity(Path(portal.database)) == "ok"
    else:
        # A clean catalogue and a usable table: the rollback left nothing behind.
        assert portal.query("SELECT count(*) FROM pg_prepared_xacts")[0][0] == 0


def test_import_killed_midway_keeps_earlier_records_and_writes_none_of_its_own(
    portal, big_workbook
):
    before = portal.snapshot()
    assert portal.count("members_member") >= EARLIER
    process = portal.start("import_workbook", str(big_workbook), "--township", "cidong")
    condition = writing_uncommitted(portal)
    try:
        freeze_when(process, condition, what="the import wrote uncommitted rows")
    finally:
        returncode = sigkill(process)
        if portal.engine == "postgresql":
            condition.monitor.close()
    assert returncode == -signal.SIGKILL
    if portal.engine == "sqlite":
        wal = Path(portal.database + "-wal")
        # Killed with its uncommitted pages on disk: the next reader must ignore them.
        assert wal.stat().st_size > WAL_WRITTEN
    wait_for_disconnect(portal)

    # Every earlier record is there with the same values, and no row of the killed import.
    assert portal.snapshot() == before
    assert portal.query("SELECT count(*) FROM members_grassrootsunion WHERE name = '甲工会'") == [
        (0,)
    ]
    check_database(portal)

    # Nothing is left half done: running the import again simply works.
    again = portal.manage("import_workbook", str(big_workbook), "--township", "cidong")
    assert f"会员：新增{BIG}条" in again.stdout
    members = portal.query("SELECT count(*) FROM members_member")[0][0]
    assert members == len(before["members_member"]) + BIG
    check_database(portal)


def fonts_mapped(pid: int) -> bool:
    """Whether the process has font files mapped: WeasyPrint is laying out text."""
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False
    return any(suffix in maps for suffix in (".ttc\n", ".otf\n", ".ttf\n"))


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def summary_args(out: Path) -> tuple[str, ...]:
    return ("build_summary", "--county", "慈溪县", "--period", "2026", "--format", "pdf",
            "--out", str(out))  # fmt: skip


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_summary_build_killed_midway_leaves_the_earlier_file_whole_and_no_other_file(
    portal, tmp_path
):
    out = tmp_path / "慈溪县2026.pdf"
    portal.manage(*summary_args(out))
    earlier = out.read_bytes()
    assert SUMMARY_TITLE in pdf_text(out)

    # Rebuilding over the earlier file, killed while the PDF is being laid out.
    process = portal.start(*summary_args(out))
    try:
        freeze_when(process, lambda: fonts_mapped(process.pid), what="the PDF layout began")
    finally:
        assert sigkill(process) == -signal.SIGKILL
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
    assert out.read_bytes() == earlier
    assert SUMMARY_TITLE in pdf_text(out)

    # A new file killed midway is simply not there.
    new = tmp_path / "新总结.pdf"
    process = portal.start(*summary_args(new))
    try:
        freeze_when(process, lambda: fonts_mapped(process.pid), what="the PDF layout began")
    finally:
        assert sigkill(process) == -signal.SIGKILL
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
    check_database(portal)


# While the bytes are being written: the window is too short to hit from outside, so a
# stand-in writer goes through the same unionportal.files.atomic_output and waits inside it.
WRITER = """
import sys
from pathlib import Path
from unionportal.files import atomic_output
with atomic_output(Path(sys.argv[1])) as handle:
    handle.write(b"%PDF-1.7 half of a new file " * 40_000)
    handle.flush()
    sys.stdin.read()
"""


def test_writer_killed_during_the_write_leaves_the_old_file_and_the_next_build_cleans_up(
    portal, tmp_path
):
    out = tmp_path / "慈东镇2026.pdf"
    out.write_bytes(b"%PDF-1.7 the earlier summary")
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(out)],
        stdin=subprocess.PIPE,
        cwd=settings.BASE_DIR,
        env={**os.environ, "PYTHONPATH": str(settings.BASE_DIR)},
    )
    prefix = f".{out.name}.tmp-{process.pid}-"

    def half_written() -> bool:
        return any(
            p.name.startswith(prefix) and p.stat().st_size > 100_000 for p in tmp_path.iterdir()
        )

    try:
        freeze_when(process, half_written, what="the temporary file was half written")
    finally:
        assert sigkill(process) == -signal.SIGKILL
        process.stdin.close()
    leftovers = [p.name for p in tmp_path.iterdir() if p != out]
    assert len(leftovers) == 1 and leftovers[0].startswith(prefix)
    assert out.read_bytes() == b"%PDF-1.7 the earlier summary"

    portal.manage(
        "build_summary", "--township", "cidong", "--period", "2026", "--format", "pdf",
        "--out", str(out),
    )  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
    assert "慈东镇工会2026年度工作总结" in pdf_text(out)


# --- a full disk ---------------------------------------------------------------------------------


@pytest.fixture
def full_disk(tmp_path):
    """A real 512 KB file system (tmpfs), filled up but for 16 KB. Needs root; skipped otherwise
    (the simulated test below still runs)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        filler = mount / "filler"
        with filler.open("wb", buffering=0) as handle:
            with pytest.raises(OSError) as full:
                while True:
                    handle.write(b"\0" * 4096)
            assert full.value.errno == errno.ENOSPC
        os.truncate(filler, filler.stat().st_size - 16 * 1024)
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_full_disk_while_writing_a_summary_says_so_and_leaves_no_file(portal, full_disk):
    out = full_disk / "慈东镇2026.pdf"
    done = portal.manage(
        "build_summary", "--township", "cidong", "--period", "2026", "--format", "pdf",
        "--out", str(out), check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert f"磁盘空间不足，未能写入“{out}”，没有留下任何文件" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]


def test_full_disk_while_writing_a_backup_says_so_and_leaves_no_file(portal, full_disk):
    backups = full_disk / "backups"
    done = portal.manage("backup", "--out", str(backups), check=False)
    assert done.returncode == 1
    assert "磁盘空间不足" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(backups.iterdir()) == []


def test_full_disk_while_exporting_a_workbook_says_so_and_leaves_no_file(portal, full_disk):
    # The scratch portal's workbook is smaller than the 16 KB left free: fill the disk to the brim.
    with (full_disk / "filler2").open("wb", buffering=0) as handle:
        with pytest.raises(OSError):
            while True:
                handle.write(b"\0" * 1024)
    out = full_disk / "慈东镇记录.xlsx"
    done = portal.manage("export_workbook", "--township", "cidong", "--out", str(out), check=False)
    assert done.returncode == 1
    assert f"磁盘空间不足，未能写入“{out}”，没有留下任何文件" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler", "filler2"]


class _DiskFillsUp:
    """A file whose disk fills up after `room` bytes, as os.write reports it (ENOSPC)."""

    def __init__(self, handle, *, room: int = 4096) -> None:
        self.handle = handle
        self.room = room
        self.written = 0

    def write(self, data: bytes) -> int:
        room = max(0, self.room - self.written)
        self.handle.write(data[:room])
        self.written += min(room, len(data))
        if len(data) > room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return len(data)

    def __getattr__(self, name):
        return getattr(self.handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()


def test_full_disk_simulated_while_writing_a_summary_says_so_and_leaves_no_file(
    township_a, tmp_path, monkeypatch
):
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        files.os, "fdopen", lambda fd, mode="r", *a, **k: _DiskFillsUp(real_fdopen(fd, mode))
    )
    out = tmp_path / "慈东镇2026.pdf"
    with pytest.raises(CommandError) as refused:
        call_command(
            "build_summary", "--township", township_a.code, "--period", "2026",
            "--format", "pdf", "--out", str(out), stdout=StringIO(),
        )  # fmt: skip
    assert refused.value.returncode == 1
    assert f"磁盘空间不足，未能写入“{out}”，没有留下任何文件" in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_full_disk_simulated_while_exporting_a_workbook_says_so_and_leaves_no_file(
    township_a, tmp_path, monkeypatch
):
    make_member(township_a)
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        files.os, "fdopen", lambda fd, mode="r", *a, **k: _DiskFillsUp(real_fdopen(fd, mode))
    )
    out = tmp_path / "慈东镇记录.xlsx"
    with pytest.raises(CommandError) as refused:
        call_command(
            "export_workbook", "--township", township_a.code, "--out", str(out), stdout=StringIO()
        )
    assert refused.value.returncode == 1
    assert f"磁盘空间不足，未能写入“{out}”，没有留下任何文件" in str(refused.value)
    assert list(tmp_path.iterdir()) == []


# --- a full disk in the browser: the two pages that write files ----------------------------------


def test_full_disk_while_exporting_in_the_browser_gives_a_message_not_an_error_page(
    client, staff_a, monkeypatch
):
    make_member(staff_a.township)
    real_temporary_file = audit_exports.tempfile.TemporaryFile
    monkeypatch.setattr(
        audit_exports.tempfile,
        "TemporaryFile",
        lambda: _DiskFillsUp(real_temporary_file(), room=0),
    )
    client.force_login(staff_a)
    response = client.get(reverse("members:member_list"), {"format": "xlsx", "q": "会员"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('members:member_list')}?q=%E4%BC%9A%E5%91%98"
    page = client.get(response["Location"])
    assert "服务器磁盘空间不足，未能生成导出文件" in page.content.decode()


def test_full_disk_while_uploading_a_workbook_gives_a_message_and_keeps_no_file(
    client, staff_a, monkeypatch, tmp_path
):
    monkeypatch.setattr(workbook_views, "UPLOAD_DIR", tmp_path)
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        files.os, "fdopen", lambda fd, mode="r", *a, **k: _DiskFillsUp(real_fdopen(fd, mode))
    )
    client.force_login(staff_a)
    upload = SimpleUploadedFile("会员.xlsx", numbered_members_workbook(3, union="甲工会"))
    response = client.post(reverse("workbook:upload"), {"file": upload})
    assert response.status_code == 302
    assert response["Location"] == reverse("workbook:upload")
    page = client.get(response["Location"])
    assert "服务器磁盘空间不足，已检查的文件未能保存，没有导入任何数据" in page.content.decode()
    assert list(tmp_path.iterdir()) == []
    assert workbook_views.SESSION_KEY not in client.session


def test_full_disk_while_uploading_an_attachment_gives_a_message_and_keeps_no_partial_file(
    client, staff_a, monkeypatch, tmp_path
):
    storage = FileSystemStorage(location=tmp_path)
    monkeypatch.setattr(EventAttachment._meta.get_field("file"), "storage", storage)
    event = make_event(staff_a.township)
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        files.os, "fdopen", lambda fd, mode="r", *a, **k: _DiskFillsUp(real_fdopen(fd, mode))
    )
    client.force_login(staff_a)
    photo = SimpleUploadedFile("合影.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 80)
    response = client.post(reverse("events:attachment_upload", args=[event.pk]), {"file": photo})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "服务器磁盘空间不足，附件“合影.png”未能保存" in page.content.decode()
    assert not event.attachments.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_only_temporaries_of_ended_writers_are_removed(tmp_path):
    out = tmp_path / "总结.pdf"
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    dead = tmp_path / f".{out.name}.tmp-{ended.stdout.strip()}-abc123"
    alive = tmp_path / f".{out.name}.tmp-{os.getpid()}-def456"  # a writer still at work
    other = tmp_path / f".其他.pdf.tmp-{ended.stdout.strip()}-abc123"
    for path in (dead, alive, other):
        path.write_bytes(b"partial")
    files.write_whole(out, b"%PDF-1.7 whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, alive.name, other.name])
    assert out.read_bytes() == b"%PDF-1.7 whole"


def test_backup_killed_midway_leaves_no_archive_and_the_next_backup_cleans_up(portal, tmp_path):
    backups = tmp_path / "backups"
    process = portal.start("backup", "--out", str(backups))

    def started_writing() -> bool:
        return backups.is_dir() and any(p.name.startswith(".") for p in backups.iterdir())

    try:
        freeze_when(process, started_writing, what="the backup began to write")
    finally:
        assert sigkill(process) == -signal.SIGKILL
    names = [p.name for p in backups.iterdir()]
    assert names and all(name.startswith(".unionportal-backup-") for name in names)
    assert all(str(process.pid) in name for name in names)

    done = portal.manage("backup", "--out", str(backups))
    archives = list(backups.iterdir())
    assert len(archives) == 1 and archives[0].name.endswith(".tar.gz")
    assert str(archives[0]) in done.stdout
