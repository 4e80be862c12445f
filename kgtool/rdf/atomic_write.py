"""Crash-safe writes: the one writer for every file kgtool writes (exports, contributions, caches).

`write_atomic` writes a temp file in the target's folder, flushes and fsyncs it, renames it over the
target (atomic on POSIX) and fsyncs the folder, so a crash leaves exactly the old or exactly the new
file, with the old file's permissions (a new file gets those an ordinary open() would give). The
writers of one graph folder also take its lock (`kgtool.store.graph_folder.graph_lock`).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from kgtool.errors import InputError


def write_atomic(path: Path, data: bytes) -> None:
    """Replace (or create) `path` with `data` so readers see the old or the new content, never a mix.

    Any OS failure (no space, no permission) becomes an InputError naming the file; the old one stays.
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
    try:
        os.fchmod(fd, _mode_for(path))  # mkstemp makes 0600; give what an ordinary open() would
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_dir(folder)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
        raise


def _mode_for(path: Path) -> int:
    """The replaced file's permission bits, or for a new file 0o666 less the umask, as open() gives."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)  # reading the umask means setting it; put it straight back
        os.umask(umask)
        return 0o666 & ~umask


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
