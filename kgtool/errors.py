"""Typed errors raised by library code, and the exit statuses the CLI maps them to.

Library modules raise these; only `kgtool.cli.main` turns them into a message and an exit code.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


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
        return f"{loc}: {self.message}" if loc else self.message


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
