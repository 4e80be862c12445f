"""Writing files safely: the one writer for every file kgtool writes (exports, contributions, caches).

`write_atomic` writes a temp file in the target's folder, flushes and fsyncs it, renames it over the
target (atomic on POSIX) and fsyncs the folder, so a crash leaves exactly the old or exactly the new
file, with the old file's permissions (a new file gets those an ordinary open() would give). The
writers of one graph folder also take its lock (`kgtool.store.graph_folder.graph_lock`).

`write_output` is how a user's `-o FILE` is written. A rename can only replace a regular file: over a
device (`/dev/full`, `/dev/null`), a FIFO or `/dev/stdout` it would put a regular file in the device's
place. So a regular file or a new path (through any symlink, which stays a symlink) is replaced
atomically, and anything else is written in place, where a write error (`/dev/full`: no space) is one
line; a path that is this process's own standard output is written as stdout (`is_standard_output`).
`check_output` refuses, before any work is done, what cannot or must not be written: a missing folder
(kgtool creates none for output), a folder, and, unless forced, a file inside the graph's own folders
(the graph would read it back).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from kgtool.errors import InputError, UsageError

#: Paths under these are the system's views of open files and devices: always written in place.
_SPECIAL_ROOTS = ("/dev/", "/proc/")


def write_atomic(path: Path, data: bytes, *, make_parents: bool = False) -> None:
    """Replace (or create) `path` with `data` so readers see the old or the new content, never a mix.

    `make_parents` creates missing folders (caches); otherwise a missing folder is an error. Any OS
    failure (no space, no permission) becomes an InputError naming the file; the old one stays.
    """
    folder = path.parent
    try:
        if make_parents:
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


def replaced_atomically(path: Path) -> bool:
    """True when `path` is (or, new, will be) a regular file that a rename can replace; False for a
    device, a FIFO, a socket or the system's views of open files (/dev/stdout, /proc/self/fd/1)."""
    absolute = os.path.abspath(path)
    real = os.path.realpath(path)
    if absolute.startswith(_SPECIAL_ROOTS) or real.startswith(_SPECIAL_ROOTS):
        return False
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):  # a new path (its folder is checked elsewhere)
        return True


def is_standard_output(path: Path) -> bool:
    """True when `path` is this process's standard output (`/dev/stdout`, `/proc/self/fd/1`, or the very
    file the shell redirected it to): written as stdout, opening it again would overwrite from offset 0."""
    try:
        there, ours = os.stat(path), os.fstat(1)
    except OSError:
        return False
    return (there.st_dev, there.st_ino) == (ours.st_dev, ours.st_ino)


def check_output(path: Path, *, inside: Iterable[Path] = (), force: bool = False, what: str = "") -> None:
    """Refuse an output path before any work is done: its folder must exist (kgtool creates none), it
    must not be a folder, and unless `force` it must not lie in one of the `inside` folders (the
    graph's own, which would read it back)."""
    if path.is_dir():
        raise UsageError("is a folder; give a file name", file=path)
    folder = path.parent
    if not folder.is_dir():
        problem = "is not a folder" if folder.exists() else "does not exist"
        raise UsageError(f"folder {folder} {problem}; kgtool creates no folders for output", file=path)
    if force or not replaced_atomically(path):
        return
    target = Path(os.path.realpath(path))
    for protected in inside:
        real = Path(os.path.realpath(protected))
        if target == real or real in target.parents:
            raise UsageError(
                f"is inside the graph's {protected.name}/ folder, which the graph reads: the next run "
                f"would read {what or 'this output'} back as part of the graph; write elsewhere, or give "
                "--force to overwrite it anyway",
                file=path,
            )


def write_output(path: Path, data: bytes) -> None:
    """Write a user's output file: atomically (through any symlink) for a regular file or a new path,
    in place for a device, a FIFO or /dev/stdout; a failure is one line naming the file."""
    if replaced_atomically(path):
        write_atomic(Path(os.path.realpath(path)) if path.is_symlink() else path, data)
        return
    try:
        with open(path, "ab") as handle:  # devices and FIFOs ignore append; a file behind /dev/fd/N is kept
            handle.write(data)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
