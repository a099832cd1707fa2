"""Output files written whole or not at all (spec/cli.md): a temporary file beside the target,
renamed over it once complete."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A binary file to write `path` through; it replaces `path` only if the block succeeds."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w+b") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_whole(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: the file is whole or absent."""
    with atomic_output(path) as handle:
        handle.write(data)
