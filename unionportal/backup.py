"""Backups of the whole portal in one archive, and their restore (README “备份 / Backups”).

An archive `unionportal-backup-YYYYmmdd-HHMMSS.tar.gz` holds:

- `database/db.sqlite3`: a copy made with SQLite's online backup API, safe while the portal runs
  and including what is still in the WAL; or `database/db.dump`: `pg_dump -Fc` of PostgreSQL.
  Finalised summaries (reports.FinalSummary) keep their PDF and DOCX in the database, so they
  are in this file.
- `media/…` and `private/…`: every file under MEDIA_ROOT and PRIVATE_MEDIA_ROOT (attachments).
- `manifest.json` (last): when, which engine, the applied migrations, the row counts of the main
  tables, and the size and SHA-256 of every other file, checked before anything is restored.

The archive is written to a temporary name and renamed when complete, so a full disk or a kill
leaves no partial archive under the final name.
"""

import base64
import binascii
import datetime
import errno
import gzip
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionportal.files import atomic_output, process_alive, write_error_message

FORMAT = 1
MANIFEST = "manifest.json"
ARCHIVE_PREFIX = "unionportal-backup-"
STAGING_PREFIX = ".unionportal-backup-staging-"
SQLITE_MEMBER = "database/db.sqlite3"
POSTGRES_MEMBER = "database/db.dump"
_CHUNK = 1024 * 1024

# The tables counted in the manifest (and checked again after a restore), with the words a
# person reading the report uses for them.
COUNTED_TABLES: list[tuple[str, Any]] = [
    ("unionportal_county", gettext_lazy("县总工会")),
    ("unionportal_township", gettext_lazy("乡镇工会")),
    ("unionportal_user", gettext_lazy("用户")),
    ("members_grassrootsunion", gettext_lazy("基层工会")),
    ("members_employer", gettext_lazy("单位")),
    ("members_member", gettext_lazy("会员")),
    ("members_collectivecontract", gettext_lazy("集体合同")),
    ("members_duesrecord", gettext_lazy("经费记录")),
    ("welfare_welfarevisit", gettext_lazy("慰问记录")),
    ("disputes_case", gettext_lazy("信访与劳动争议")),
    ("events_event", gettext_lazy("活动")),
    ("events_eventattachment", gettext_lazy("活动附件")),
    ("disputes_caseattachment", gettext_lazy("案件附件")),
    ("reports_finalsummary", gettext_lazy("定稿总结")),
]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    sha256: str
    manifest: dict[str, Any]


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    files_written: int
    counts: dict[str, int]
    pending_migrations: list[str]


def default_backup_dir() -> Path:
    """BACKUP_DIR from the environment, else var/backups/ in the project."""
    configured = os.environ.get("BACKUP_DIR", "").strip()
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "backups"


def engine_name() -> str:
    """ "sqlite" or "postgresql": the engines a backup knows how to copy."""
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(
            _("不支持备份 {vendor} 数据库：只支持 SQLite 与 PostgreSQL。").format(vendor=vendor)
        )
    return vendor


def encryption_key_id() -> str | None:
    """The id of the key ID numbers are encrypted with (the first 8 hex digits of its SHA-256,
    the same id unionportal.pii writes into every ciphertext), or None without a key."""
    text = getattr(settings, "FIELD_ENCRYPTION_KEY", "") or ""
    return _key_id(text)


def hash_key_id() -> str | None:
    """The id of the key of the ID numbers' look-up hashes (FIELD_HASH_KEY, by default the
    encryption key): with another key, searches and duplicate checks would find nothing."""
    text = getattr(settings, "FIELD_HASH_KEY", "") or getattr(settings, "FIELD_ENCRYPTION_KEY", "")
    return _key_id(text or "")


def _key_id(text: str) -> str | None:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return hashlib.sha256(key).hexdigest()[:8] if key else None


# --- backup ------------------------------------------------------------------------------------


def create_backup(*, out_dir: Path) -> BackupResult:
    """Write one archive of the database and the uploaded files into `out_dir` (created if
    missing). Safe while the portal runs: SQLite is copied with its online backup API,
    PostgreSQL dumped from one snapshot, the one the manifest's counts are read from."""
    engine = engine_name()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(write_error_message(out_dir, exc)) from None
    _remove_leftovers(out_dir)
    target = _archive_path(out_dir)
    # The database copy is staged beside the archive (same disk), never in the final name.
    staging_prefix = f"{STAGING_PREFIX}{os.getpid()}-"
    with tempfile.TemporaryDirectory(prefix=staging_prefix, dir=out_dir) as tmp:
        staging = Path(tmp)
        if engine == "sqlite":
            member, dump = SQLITE_MEMBER, staging / "db.sqlite3"
            state = _copy_sqlite(Path(connection.settings_dict["NAME"]), dump)
        else:
            member, dump = POSTGRES_MEMBER, staging / "db.dump"
            state = _dump_postgres(dump)
        sources = [(member, dump), *_media_files()]
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "database": {"engine": engine, "file": member},
            "encryption_key_id": encryption_key_id(),
            "hash_key_id": hash_key_id(),
            "migrations": state["migrations"],
            "counts": state["counts"],
            "files": [],
        }
        try:
            with atomic_output(target) as handle:
                with tarfile.open(fileobj=handle, mode="w:gz", compresslevel=6) as tar:
                    for name, source in sources:
                        entry = _add_file(tar, name, source)
                        if entry is not None:
                            manifest["files"].append(entry)
                    data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mtime, info.mode = len(data), int(_now().timestamp()), 0o600
                    tar.addfile(info, _BytesReader(data))
        except OSError as exc:
            raise BackupError(write_error_message(target, exc, what=_("备份文件"))) from None
    digest = hashlib.sha256()
    with target.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return BackupResult(target, target.stat().st_size, digest.hexdigest(), manifest)


def _remove_leftovers(out_dir: Path) -> None:
    """What an earlier backup killed midway (cron job stopped, machine rebooted) left: its
    staging folder and its unfinished archive, named with its process id. A backup still
    running is left alone."""
    for leftover in out_dir.iterdir():
        name = leftover.name
        if name.startswith(STAGING_PREFIX):
            pid_text = name[len(STAGING_PREFIX) :].split("-", 1)[0]
        elif name.startswith(f".{ARCHIVE_PREFIX}") and ".tar.gz.tmp-" in name:
            pid_text = name.rsplit(".tar.gz.tmp-", 1)[1].split("-", 1)[0]
        else:
            continue
        if not pid_text.isdigit() or process_alive(int(pid_text)):
            continue
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _now() -> datetime.datetime:
    return timezone.localtime()


def _archive_path(out_dir: Path) -> Path:
    stamp = f"{ARCHIVE_PREFIX}{_now():%Y%m%d-%H%M%S}"
    path, n = out_dir / f"{stamp}.tar.gz", 1
    while path.exists():  # two backups in the same second keep both
        n += 1
        path = out_dir / f"{stamp}-{n}.tar.gz"
    return path


def _read_state(cursor: Any) -> dict[str, Any]:
    """Applied migrations and row counts, read through a DB-API cursor of the copy/snapshot."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    counts = {}
    for table, label in COUNTED_TABLES:
        try:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (fixed names)
        except Exception:
            raise BackupError(
                _("数据库中没有“{label}”表（{table}）：请先运行 migrate。").format(
                    label=label, table=table
                )
            ) from None
        counts[table] = cursor.fetchone()[0]
    return {"migrations": migrations, "counts": counts}


def sqlite_connect(path: Path, *, timeout: float = 30) -> sqlite3.Connection:
    """A plain sqlite3 connection that can check the portal's constraints: some CHECK
    constraints use REGEXP, which Django defines on its own connections only."""
    db = sqlite3.connect(path, timeout=timeout)
    db.create_function("REGEXP", 2, _regexp, deterministic=True)
    return db


def _regexp(pattern: str | None, value: Any) -> bool | None:
    if pattern is None or value is None:
        return None
    return bool(re.search(pattern, str(value)))


def _copy_sqlite(source: Path, copy: Path) -> dict[str, Any]:
    if not source.is_file():
        raise BackupError(_("找不到 SQLite 数据库文件“{path}”。").format(path=source))
    src = sqlite_connect(source)
    dst = sqlite_connect(copy)
    try:
        # One step: a consistent snapshot of the database including the WAL's committed
        # pages; writers carry on meanwhile (WAL readers do not block them).
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(
                _("数据库副本的完整性检查未通过（{result}），未生成备份。").format(result=result)
            )
        return _read_state(dst.cursor())
    except sqlite3.Error as exc:
        if exc.sqlite_errorcode == sqlite3.SQLITE_FULL:
            raise BackupError(_disk_full(copy.parent.parent)) from None
        raise BackupError(_("复制 SQLite 数据库失败：{error}").format(error=exc)) from None
    finally:
        dst.close()
        src.close()


def _disk_full(out_dir: Path) -> str:
    return write_error_message(out_dir, OSError(errno.ENOSPC, "No space left"), what=_("备份目录"))


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "找不到 {name}：请安装 PostgreSQL 客户端（Debian/Ubuntu：apt-get install "
                "postgresql-client），其版本不能低于数据库服务器的版本。"
            ).format(name=name)
        )
    return found


def _pg_env() -> dict[str, str]:
    """The connection of DATABASE_URL for pg_dump/pg_restore, passed in the environment so the
    password never appears in the process list."""
    config = connection.settings_dict
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", config.get("HOST")),
        ("PGPORT", config.get("PORT")),
        ("PGUSER", config.get("USER")),
        ("PGPASSWORD", config.get("PASSWORD")),
        ("PGDATABASE", config.get("NAME")),
        ("PGSSLMODE", (config.get("OPTIONS") or {}).get("sslmode")),
    ):
        if value:
            env[key] = str(value)
    return env


def _dump_postgres(dump: Path) -> dict[str, Any]:
    pg_dump = _pg_tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        # The counts and the dump see the same moment: pg_dump joins this snapshot.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        state = _read_state(cursor)
        done = subprocess.run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
    if "No space left on device" in done.stderr:
        raise BackupError(_disk_full(dump.parent.parent))
    if done.returncode != 0:
        raise BackupError(
            _("pg_dump 失败（退出码 {code}）：{error}").format(
                code=done.returncode, error=done.stderr.strip()
            )
        )
    return state


def _media_files() -> Iterator[tuple[str, Path]]:
    for prefix, root in (("media", settings.MEDIA_ROOT), ("private", settings.PRIVATE_MEDIA_ROOT)):
        root = Path(root)
        if not root.is_dir():
            continue
        for directory, subdirs, files in os.walk(root):
            subdirs.sort()
            for name in sorted(files):
                path = Path(directory) / name
                if path.is_file() and not path.is_symlink():
                    yield f"{prefix}/{path.relative_to(root).as_posix()}", path


class _HashingReader:
    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        return data


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset : end], min(end, len(self.data))
        return chunk


def _add_file(tar: tarfile.TarFile, name: str, source: Path) -> dict[str, Any] | None:
    """Add one file, hashing it as it is read; None when it disappeared meanwhile (an
    attachment deleted while the backup ran)."""
    try:
        handle = source.open("rb")
    except FileNotFoundError:
        return None
    with handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"path": name, "size": stat.st_size, "sha256": reader.sha256.hexdigest()}


# --- reading an archive ------------------------------------------------------------------------


@contextmanager
def _members(archive: Path) -> Iterator[Iterator[tuple[tarfile.TarInfo, IO[bytes] | None]]]:
    """The archive's members in order, read as a stream; the gzip stream is read to its end so
    its own checksum (CRC-32) is checked too. Damage of any kind becomes a BackupError."""
    try:
        raw = archive.open("rb")
    except OSError as exc:
        raise BackupError(
            _("无法打开备份文件“{path}”：{error}。").format(path=archive, error=exc.strerror)
        ) from None
    with raw, gzip.GzipFile(fileobj=raw, mode="rb") as gz:

        def iterate() -> Iterator[tuple[tarfile.TarInfo, IO[bytes] | None]]:
            with tarfile.open(fileobj=gz, mode="r|") as tar:
                for info in tar:
                    yield info, tar.extractfile(info) if info.isfile() else None
            while gz.read(_CHUNK):  # the rest: tar padding, then the gzip trailer
                pass

        try:
            yield iterate()
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise BackupError(
                _("备份文件“{path}”已损坏（{error}），无法使用。未做任何改动。").format(
                    path=archive, error=f"{type(exc).__name__}: {exc}"
                )
            ) from None


def _safe_member_name(name: str) -> bool:
    """Only the names create_backup writes: no absolute paths, no "..", nothing outside the
    two media folders."""
    if name in (MANIFEST, SQLITE_MEMBER, POSTGRES_MEMBER):
        return True
    path = PurePosixPath(name)
    return (
        len(path.parts) >= 2
        and path.parts[0] in ("media", "private")
        and ".." not in path.parts
        and name == path.as_posix()
    )


def verify_archive(archive: Path) -> dict[str, Any]:
    """The manifest of an intact archive: every file present with the size and SHA-256 the
    manifest lists, nothing unlisted. Otherwise a BackupError saying what is wrong."""
    seen: dict[str, tuple[int, str]] = {}
    manifest_bytes = None
    with _members(archive) as members:
        for info, handle in members:
            if handle is None or not _safe_member_name(info.name):
                raise BackupError(
                    _(
                        "备份文件“{path}”中有不应出现的条目“{name}”，拒绝使用。未做任何改动。"
                    ).format(path=archive, name=info.name)
                )
            if info.name == MANIFEST:
                manifest_bytes = handle.read()
                continue
            digest, size = hashlib.sha256(), 0
            for chunk in iter(lambda h=handle: h.read(_CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
            seen[info.name] = (size, digest.hexdigest())
    if manifest_bytes is None:
        raise BackupError(
            _("“{path}”不是本平台的备份文件（没有 {manifest}）。未做任何改动。").format(
                path=archive, manifest=MANIFEST
            )
        )
    try:
        manifest = json.loads(manifest_bytes)
        listed = {entry["path"]: (entry["size"], entry["sha256"]) for entry in manifest["files"]}
        engine = manifest["database"]["engine"]
    except (ValueError, KeyError, TypeError):
        raise BackupError(
            _("备份文件“{path}”的清单无法读取，拒绝使用。未做任何改动。").format(path=archive)
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("备份文件“{path}”的格式版本（{version}）无法识别。").format(
                path=archive, version=manifest.get("format")
            )
        )
    for name, expected in listed.items():
        if name not in seen:
            raise BackupError(
                _("备份文件“{path}”缺少清单所列的“{name}”，无法恢复。未做任何改动。").format(
                    path=archive, name=name
                )
            )
        if seen[name] != tuple(expected):
            raise BackupError(
                _(
                    "备份文件“{path}”中“{name}”的校验值与清单不符（文件已损坏或被改动），"
                    "无法恢复。未做任何改动。"
                ).format(path=archive, name=name)
            )
    extra = sorted(set(seen) - set(listed))
    if extra:
        raise BackupError(
            _("备份文件“{path}”中有清单未列的“{name}”，拒绝使用。").format(
                path=archive, name=extra[0]
            )
        )
    if manifest["database"].get("file") not in listed or engine not in ("sqlite", "postgresql"):
        raise BackupError(_("备份文件“{path}”中没有数据库，无法恢复。").format(path=archive))
    return manifest


# --- restore -----------------------------------------------------------------------------------


def target_counts() -> dict[str, int] | None:
    """Row counts of the main tables in the current database, or None when it has no tables
    yet (a new, empty database)."""
    tables = set(connection.introspection.table_names())
    if "django_migrations" not in tables:
        return None
    with connection.cursor() as cursor:
        counts = {}
        for table, _label in COUNTED_TABLES:
            if table in tables:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (fixed names)
                counts[table] = cursor.fetchone()[0]
    return counts


def describe_counts(counts: dict[str, int]) -> str:
    labels = dict(COUNTED_TABLES)
    return _("、").join(
        _("{label} {count} 条").format(label=labels[t], count=n)
        for t, n in counts.items()
        if n and t in labels
    )


def restore_backup(
    *, archive: Path, overwrite: bool, progress: Callable[[str], None] = lambda _: None
) -> RestoreResult:
    """Restore an archive made by create_backup into the configured database and media folders.

    Checked first, before anything changes: the archive (every checksum), the engine, the
    migrations (an archive from a newer version is refused), the encryption key, and that the
    database is empty unless `overwrite`. Files are written before the database, so a failure
    there leaves the database as it was. The portal should be stopped meanwhile.
    """
    manifest = verify_archive(archive)
    progress(
        _("备份文件完好：{count} 个文件的 SHA-256 与清单一致。").format(
            count=len(manifest["files"])
        )
    )
    engine = engine_name()
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            _(
                "这是 {backup} 数据库的备份，当前配置（DATABASE_URL）是 "
                "{current}：不能跨数据库类型恢复。未做任何改动。"
            ).format(backup=manifest["database"]["engine"], current=engine)
        )
    unknown = _unknown_migrations(manifest["migrations"])
    if unknown:
        raise BackupError(
            _(
                "备份来自更新版本的平台（含本版本没有的迁移 {first} 等 {count} 个），"
                "请先升级平台代码再恢复。未做任何改动。"
            ).format(first=unknown[0], count=len(unknown))
        )
    _check_keys(manifest.get("encryption_key_id"), manifest.get("hash_key_id"))
    if engine == "sqlite":
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    existing = target_counts()
    if existing and any(existing.values()) and not overwrite:
        raise BackupError(
            _(
                "目标数据库不是空的（{counts}）。恢复会用备份覆盖其中全部数据；"
                "确认无误后加 --yes 重新运行。未做任何改动。"
            ).format(counts=describe_counts(existing))
        )
    written = _restore_members(archive, manifest, engine)
    counts = target_counts() or {}
    for table, expected in manifest["counts"].items():
        if counts.get(table) != expected:
            label = dict(COUNTED_TABLES).get(table, table)
            raise BackupError(
                _(
                    "恢复后“{label}”有 {count} 条，备份清单记录的是 {expected} 条。"
                    "请检查数据库日志后重新恢复。"
                ).format(label=label, count=counts.get(table), expected=expected)
            )
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    pending = sorted(
        f"{app}.{name}"
        for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
        if (app, name) not in applied
    )
    return RestoreResult(manifest, written, counts, pending)


def _unknown_migrations(migrations: dict[str, list[str]]) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(
        f"{app}.{name}"
        for app, names in migrations.items()
        for name in names
        if (app, name) not in known
    )


def _check_keys(backup_key: str | None, backup_hash_key: str | None) -> None:
    available = {encryption_key_id()} | {
        _key_id(text) for text in getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", []) or []
    }
    if backup_key is not None and backup_key not in available:
        raise BackupError(
            _(
                "备份中的身份证号是用编号为 {key} 的密钥加密的，当前环境的 FIELD_ENCRYPTION_KEY"
                "（及 FIELD_ENCRYPTION_OLD_KEYS）中没有这把密钥，恢复后将无法读取身份证号。请在"
                " /etc/unionportal.env 中配置备份时的密钥后再恢复。未做任何改动。"
            ).format(key=backup_key)
        )
    if backup_hash_key is not None and backup_hash_key != hash_key_id():
        raise BackupError(
            _(
                "备份中身份证号的查找哈希用的是编号为 {key} 的密钥，与当前环境的 "
                "FIELD_HASH_KEY（未设置时即 FIELD_ENCRYPTION_KEY）不同：恢复后将无法按身份证号查找"
                "和查重。请在 /etc/unionportal.env 中配置备份时的密钥后再恢复。未做任何改动。"
            ).format(key=backup_hash_key)
        )


def _restore_members(archive: Path, manifest: dict[str, Any], engine: str) -> int:
    """Second pass over the verified archive: files into MEDIA_ROOT and PRIVATE_MEDIA_ROOT
    (each written whole), the database last."""
    roots = {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}
    expected = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    db_member = manifest["database"]["file"]
    if engine == "sqlite":
        db_target = Path(connection.settings_dict["NAME"])
        staging_dir = db_target.parent
    else:
        db_target, staging_dir = None, None
    try:
        if staging_dir is not None:
            staging_dir.mkdir(parents=True, exist_ok=True)
        fd, staged_name = tempfile.mkstemp(prefix=".unionportal-restore-", dir=staging_dir)
        os.close(fd)
    except OSError as exc:
        raise BackupError(write_error_message(staging_dir or Path("."), exc)) from None
    staged = Path(staged_name)
    written = 0
    try:
        with _members(archive) as members:
            for info, handle in members:
                if info.name == MANIFEST or handle is None:
                    continue
                if info.name == db_member:
                    destination = staged
                else:
                    top, _sep, rest = info.name.partition("/")
                    destination = roots[top] / rest
                digest = _write_member(handle, destination, fresh=destination == staged)
                if digest != expected[info.name]:
                    raise BackupError(
                        _("备份文件“{path}”在恢复过程中发生了变化，已停止。").format(path=archive)
                    )
                if destination != staged:
                    written += 1
        if engine == "sqlite":
            _restore_sqlite(staged, db_target)
        else:
            _restore_postgres(staged)
    finally:
        staged.unlink(missing_ok=True)
    return written


def _write_member(handle: IO[bytes], destination: Path, *, fresh: bool) -> str:
    digest = hashlib.sha256()
    try:
        if fresh:
            out_ctx = destination.open("wb")
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            out_ctx = atomic_output(destination)
        with out_ctx as out:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
    except OSError as exc:
        raise BackupError(write_error_message(destination, exc, what=_("要恢复的文件"))) from None
    return digest.hexdigest()


def _restore_sqlite(staged: Path, target: Path) -> None:
    connections.close_all()
    src = sqlite_connect(staged)
    try:
        check = src.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(
                _("备份中的数据库完整性检查未通过（{result}），未做恢复。").format(result=check)
            )
        dst = sqlite_connect(target)
        try:
            # Through SQLite itself, not a file copy: the target's -wal/-shm stay consistent,
            # and the copy is one transaction in the target (a crash leaves the old database).
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
    except sqlite3.Error as exc:
        if exc.sqlite_errorcode == sqlite3.SQLITE_FULL:
            raise BackupError(write_error_message(target, OSError(errno.ENOSPC, "full"))) from None
        raise BackupError(
            _("恢复 SQLite 数据库失败：{error}。数据库保持原样。").format(error=exc)
        ) from None
    finally:
        src.close()


def _restore_postgres(dump: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    connections.close_all()
    done = subprocess.run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",  # all or nothing: an error leaves the database as it was
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(
            _("pg_restore 失败（退出码 {code}），数据库保持原样：{error}").format(
                code=done.returncode, error=done.stderr.strip()
            )
        )
