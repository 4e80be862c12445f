"""Where a picture goes and in which format, by the project's file conventions: `--format` wins; else
the suffix of `-o FILE` names it; else (stdout, or `-o -`) the command's default. A file is written
through the atomic writer (temp file, fsync, rename), so a reader never sees half a picture; a path
that exists but is no regular file (a FIFO, /dev/stdout) is written in place, never replaced."""

from __future__ import annotations

from pathlib import Path

from kgtool import formats
from kgtool.errors import InputError, UsageError
from kgtool.formats import Format

STDOUT = "-"


def choose_format(
    fmt: str | None, output: str | None, allowed: tuple[Format, ...], default: Format, what: str
) -> Format:
    """The format to write: `--format` (checked against `allowed`), else the suffix of `-o FILE`, else
    `default`. An unknown suffix is a UsageError naming the formats and suffixes that work."""
    if fmt is not None:
        return formats.parse(fmt, allowed, what)
    if output is None or output == STDOUT:
        return default
    suffix = Path(output).suffix
    found = formats.among_by_suffix(suffix, allowed)
    if found is None:
        known = ", ".join(s for f in allowed for s in f.suffixes)
        raise UsageError(
            f"cannot tell the {what} from {output!r}: name a file ending in {known}, "
            f"or choose one with --format {formats.names(allowed, sep='|')}"
        )
    return found


def to_stdout(output: str | None) -> bool:
    """True when the picture goes to standard output (no -o, or -o -)."""
    return output is None or output == STDOUT


def save(data: bytes, output: str) -> Path:
    """Write `data` to the file `output`: atomically for a regular (or new) file, in place otherwise."""
    from kgtool.rdf.atomic_write import write_atomic

    path = Path(output)
    if path.is_dir():
        raise InputError("is a folder; name a file to write the picture to", file=path)
    if path.exists() and not path.is_file():  # a FIFO or a device: renaming over it would replace it
        try:
            with path.open("wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
        return path
    write_atomic(path, data)
    return path
