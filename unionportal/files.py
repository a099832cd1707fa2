"""Output files written whole or not at all (spec/cli.md): a temporary file beside the target,
renamed over it once complete.

The temporary file is named `.<name>.tmp-<pid>-<random>`. A process killed while writing
(SIGKILL, power loss) cannot remove it; the next write of the same file removes such leftovers
whose process is gone."""

import errno
import glob
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.utils.translation import gettext_lazy as _


def _temp_prefix(path: Path) -> str:
    return f".{path.name}.tmp-"


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete the temporary files an earlier, killed writer of `path` left behind (their
    process no longer runs). Returns what was removed."""
    directory = path.parent if str(path.parent) else Path(".")
    removed = []
    for leftover in glob.glob(glob.escape(str(directory / _temp_prefix(path))) + "*"):
        pid_text = Path(leftover).name[len(_temp_prefix(path)) :].split("-", 1)[0]
        if not pid_text.isdigit() or process_alive(int(pid_text)):
            continue
        Path(leftover).unlink(missing_ok=True)
        removed.append(Path(leftover))
    return removed


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


@contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A binary file to write `path` through; it replaces `path` only if the block succeeds."""
    directory = path.parent if str(path.parent) else Path(".")
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(prefix=f"{_temp_prefix(path)}{os.getpid()}-", dir=directory)
    try:
        with os.fdopen(fd, "w+b") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    # The rename itself reaches the disk only with the directory.
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def write_whole(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: the file is whole or absent."""
    with atomic_output(path) as handle:
        handle.write(data)


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


DISK_FULL_PAGE_MESSAGE = _("服务器磁盘空间不足，{what}。请联系管理员清理磁盘后重试。")


def write_error_message(path: Path, exc: OSError, *, what: str = "") -> str:
    """What to tell a person when writing `path` failed; atomic_output has left no file."""
    subject = _("{what}“{path}”").format(what=what, path=path) if what else f"“{path}”"
    if is_disk_full(exc):
        return _(
            "磁盘空间不足，未能写入{subject}，没有留下任何文件。请清理磁盘空间后重试。"
        ).format(subject=subject)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _("没有权限写入{subject}，没有留下任何文件。请换一个目录或检查目录权限。").format(
            subject=subject
        )
    if exc.errno == errno.EROFS:
        return _("{subject}所在的磁盘是只读的，未能写入，没有留下任何文件。").format(
            subject=subject
        )
    reason = exc.strerror or str(exc)
    return _("未能写入{subject}：{reason}。没有留下任何文件。").format(
        subject=subject, reason=reason
    )
