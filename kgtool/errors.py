"""Typed errors raised by library code, and the exit statuses the CLI maps them to.

Library modules raise these; only `kgtool.cli.main` turns them into a message and an exit code.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path

#: Characters that end a line for `str.splitlines` (and for terminals), written escaped in messages.
_LINE_BREAKS = {
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    **{c: f"\\x{ord(c):02x}" for c in "\x0b\x0c\x1c\x1d\x1e\x85"},
    **{c: f"\\u{ord(c):04x}" for c in "\u2028\u2029"},
}
_LINE_BREAK_TABLE = str.maketrans(_LINE_BREAKS)


def one_line(text: str) -> str:
    """`text` with every line break (and tab) escaped: an error quoting an IRI or a character from a
    file stays one line on stderr, whatever the file holds."""
    return text.translate(_LINE_BREAK_TABLE)


class ExitStatus(IntEnum):
    """Process exit codes, documented in `kgtool --help`."""

    OK = 0
    CHECK_FAILED = 1  # ASK answered false, or the data does not conform to the shapes
    USAGE = 2  # bad arguments, unreadable or malformed input, refused query


class KgtoolError(Exception):
    """Base of every error a user can cause; rendered as one line `file:line:col: message`."""

    exit_status: ExitStatus = ExitStatus.USAGE

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column

    def location(self) -> str:
        """`file:line:col` as far as it is known, or an empty string."""
        parts = [p for p in (self.file, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        loc = self.location()
        return one_line(f"{loc}: {self.message}" if loc else self.message)


class UsageError(KgtoolError):
    """Bad command-line usage: unknown query, missing or ill-typed parameter, bad option value."""


class InputError(KgtoolError):
    """An input file that cannot be read or parsed: syntax error, bad encoding, too large, unsafe."""


class QueryError(KgtoolError):
    """A SPARQL query that is malformed or refused (update, SERVICE, remote FROM)."""


class RefusedQuery(QueryError):
    """A query refused as unsafe by the read-only guard; `what` says why ("update", "service" or "from"),
    so a server can answer an update with 403 and the rest with 400."""

    def __init__(
        self,
        message: str,
        *,
        what: str = "",
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message, file=file, line=line, column=column)
        self.what = what
