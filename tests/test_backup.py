"""`manage.py backup` and `manage.py restore` (issue 7, part 9), run as the operator would, in
separate processes on a real database: SQLite file, and PostgreSQL when DATABASE_URL is one."""

import base64
import dataclasses
import gzip
import hashlib
import io
import json
import re
import tarfile
from pathlib import Path

import pytest

from unionportal.tests.factories import (
    drop_portal,
    make_portal,
    numbered_members_workbook,
    require_engine,
    unique_id_number,
)

MEMBERS = 40
# A key other than the scratch portals' own (factories.FIELD_KEY).
OTHER_FIELD_KEY = base64.b64encode(b"another-portal-test-key-32-bytes").decode()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
SEAL = b"\x89PNG\r\n\x1a\n" + b"county seal" * 100

# Separate manage.py processes on a scratch portal: seconds each.
pytestmark = pytest.mark.slow

# Run inside the source portal: a chair, an event with a photo, a finalised summary.
POPULATE = f"""
from django.core.files.uploadedfile import SimpleUploadedFile
from events.models import EventAttachment
from reports.services import finalise_summary
from unionportal.attachments import attach_file
from unionportal.models import Role, Township, User
from unionportal.periods import parse_period
from unionportal.tests.factories import make_event

township = Township.objects.get(code="cidong")
chair = User.objects.create_user(
    username="chair", password="Gonghui#2026test", role=Role.CHAIR, township=township
)
event = make_event(township, title="职工运动会")
photo = attach_file(
    user=chair, record=event, attachment_model=EventAttachment, parent_field="event",
    upload=SimpleUploadedFile("合影.png", {PNG!r}),
)
final = finalise_summary(user=chair, township=township, period=parse_period("2026"))
print("CREATED", photo.file.name, final.pdf_sha256, final.docx_sha256)
"""

READ_BACK = """
from events.models import EventAttachment
from members.models import Member
from reports.models import FinalSummary
import hashlib
final = FinalSummary.objects.get()
pdf, docx = (hashlib.sha256(bytes(data)).hexdigest() for data in (final.pdf, final.docx))
photo = EventAttachment.objects.get().file.read().hex()
print("READ", pdf, docx, photo, ",".join(sorted(m.id_number for m in Member.objects.all())))
"""


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def source(request, tmp_path_factory):
    """A portal with members, an attachment, a file in MEDIA_ROOT and a finalised summary,
    backed up once; yields (portal, archive, what was created)."""
    require_engine(request.param)
    root = tmp_path_factory.mktemp(f"backup-{request.param}")
    portal = make_portal(root / "source", request.param)
    workbook = root / "members.xlsx"
    workbook.write_bytes(numbered_members_workbook(MEMBERS, union="甲工会"))
    portal.manage("import_workbook", str(workbook), "--township", "cidong")
    output = portal.manage("shell", "-c", POPULATE).stdout
    created = re.search(r"^CREATED (\S+) (\w+) (\w+)$", output, re.M).groups()
    (portal.media_root / "logo").mkdir(parents=True)
    (portal.media_root / "logo" / "县徽.png").write_bytes(SEAL)

    done = portal.manage("backup", "--out", str(root / "backups"))
    archives = list((root / "backups").iterdir())
    assert len(archives) == 1
    assert str(archives[0]) in done.stdout
    assert f"会员 {MEMBERS} 条" in done.stdout
    yield portal, archives[0], {"photo": created[0], "pdf": created[1], "docx": created[2]}
    drop_portal(portal)


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


def test_backup_is_one_archive_with_database_files_and_a_manifest_of_checksums(source):
    portal, archive, created = source
    assert re.fullmatch(r"unionportal-backup-\d{8}-\d{6}\.tar\.gz", archive.name)
    manifest = read_manifest(archive)
    assert manifest["database"]["engine"] == portal.engine
    assert manifest["counts"]["members_member"] == MEMBERS
    assert manifest["counts"]["events_eventattachment"] == 1
    assert manifest["counts"]["reports_finalsummary"] == 1
    assert "0001_initial" in manifest["migrations"]["members"]
    with tarfile.open(archive, "r:gz") as tar:
        contents = {
            info.name: tar.extractfile(info).read() for info in tar.getmembers() if info.isfile()
        }
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert set(listed) == set(contents) - {"manifest.json"}
    for name, digest in listed.items():
        assert hashlib.sha256(contents[name]).hexdigest() == digest
    assert contents[f"private/{created['photo']}"] == PNG
    assert contents["media/logo/县徽.png"] == SEAL
    assert manifest["database"]["file"] in contents


def test_restore_into_an_empty_database_brings_everything_back(source, tmp_path):
    portal, archive, created = source
    # A new machine: no database yet, empty media folders.
    target = make_portal(tmp_path / "target", portal.engine, migrate=False)
    try:
        done = target.manage("restore", str(archive))
        assert f"会员 {MEMBERS} 条" in done.stdout
        assert "校验值" not in done.stderr

        assert target.snapshot() == portal.snapshot()
        assert (target.private_root / created["photo"]).read_bytes() == PNG
        assert (target.media_root / "logo" / "县徽.png").read_bytes() == SEAL
        # The restored portal reads it all: the summary's bytes, the photo, the ID numbers
        # (encrypted at rest, so this also proves the key fits).
        output = target.manage("shell", "-c", READ_BACK).stdout
        lines = re.search(r"^READ (.*)$", output, re.M).group(1).split()
        assert lines[0:2] == [created["pdf"], created["docx"]]
        assert bytes.fromhex(lines[2]) == PNG
        assert lines[3].split(",") == sorted(unique_id_number(i) for i in range(MEMBERS))
        # And is at the current migration state.
        assert "No planned migration operations" in target.manage("migrate", "--plan").stdout
    finally:
        drop_portal(target)


def test_restore_over_a_database_with_data_needs_yes_then_returns_it_to_the_backup(source):
    portal, archive, _ = source
    before = portal.snapshot()
    extra = portal.root / "extra.xlsx"
    extra.write_bytes(numbered_members_workbook(5, union="乙工会", start=MEMBERS))
    portal.manage("import_workbook", str(extra), "--township", "cidong")
    changed = portal.snapshot()
    assert changed != before

    refused = portal.manage("restore", str(archive), check=False)
    assert refused.returncode == 1
    assert "目标数据库不是空的" in refused.stderr
    assert f"会员 {MEMBERS + 5} 条" in refused.stderr
    assert "--yes" in refused.stderr
    assert portal.snapshot() == changed

    portal.manage("restore", str(archive), "--yes")
    assert portal.snapshot() == before


def flip_one_byte(data: bytes, offset: int) -> bytes:
    damaged = bytearray(data)
    damaged[offset] ^= 0x01
    return bytes(damaged)


def test_a_damaged_archive_is_refused_and_nothing_changes(source, tmp_path):
    portal, archive, created = source
    before = portal.snapshot()
    photo = portal.private_root / created["photo"]
    photo.write_bytes(b"\x89PNG\r\n\x1a\n changed since the backup")

    damaged = tmp_path / archive.name
    data = archive.read_bytes()
    damaged.write_bytes(flip_one_byte(data, len(data) // 2))
    done = portal.manage("restore", str(damaged), "--yes", check=False)
    assert done.returncode == 1
    assert f"备份文件“{damaged}”已损坏" in done.stderr
    assert "未做任何改动" in done.stderr
    assert "Traceback" not in done.stderr
    assert portal.snapshot() == before
    assert photo.read_bytes() == b"\x89PNG\r\n\x1a\n changed since the backup"
    photo.write_bytes(PNG)


def test_an_archive_whose_file_differs_from_its_manifest_is_refused(source, tmp_path):
    portal, archive, _ = source
    before = portal.snapshot()
    # A well-formed archive with one byte of the database changed: only the manifest's
    # SHA-256 can tell.
    database = read_manifest(archive)["database"]["file"]
    out = io.BytesIO()
    with tarfile.open(archive, "r:gz") as src, tarfile.open(fileobj=out, mode="w") as dst:
        for info in src.getmembers():
            data = src.extractfile(info).read()
            if info.name == database:
                data = flip_one_byte(data, len(data) // 2)
            dst.addfile(info, io.BytesIO(data))
    tampered = tmp_path / archive.name
    tampered.write_bytes(gzip.compress(out.getvalue()))

    done = portal.manage("restore", str(tampered), "--yes", check=False)
    assert done.returncode == 1
    assert f"“{database}”的校验值与清单不符" in done.stderr
    assert portal.snapshot() == before


def test_restore_with_another_encryption_key_is_refused(source, tmp_path):
    portal, archive, _ = source
    target = make_portal(tmp_path / "target", portal.engine, migrate=False)
    target.env["FIELD_ENCRYPTION_KEY"] = OTHER_FIELD_KEY
    try:
        done = target.manage("restore", str(archive), check=False)
        assert done.returncode == 1
        assert "FIELD_ENCRYPTION_KEY" in done.stderr
        assert "未做任何改动" in done.stderr
        assert not target.private_root.exists()
        if target.engine == "postgresql":
            assert target.tables() == []
        else:
            assert not Path(target.database).exists()
    finally:
        drop_portal(target)


def test_backup_without_pg_dump_says_what_to_install_and_writes_nothing(source, tmp_path):
    portal, _, _ = source
    if portal.engine != "postgresql":
        pytest.skip("a SQLite backup needs no pg_dump")
    no_tools = dataclasses.replace(portal, env={**portal.env, "PATH": str(tmp_path / "empty")})
    done = no_tools.manage("backup", "--out", str(tmp_path / "backups"), check=False)
    assert done.returncode == 1
    assert "找不到 pg_dump：请安装 PostgreSQL 客户端" in done.stderr
    assert list((tmp_path / "backups").iterdir()) == []
