"""SPARQL syntax errors from either engine's parser, as one line with the query's line and column.

pyoxigraph and rdflib (pyparsing) word and place their errors differently; `syntax_error` gives both the
same shape, so a user sees the same message whichever engine ran, and `unknown_prefix` names an
undeclared prefix where the query first uses it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kgtool.errors import QueryError

if TYPE_CHECKING:
    from kgtool.query.prepared import PreparedQuery

_OX_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_EXPECTED_ITEM = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]|[^,]+)\s*,?""")
_UNKNOWN_PREFIX = re.compile(r"(?:^|[^\w.\-])([^\W\d_][\w.\-]*)?:\S*$")


def syntax_error(
    exc: BaseException, query: PreparedQuery | None = None, *, source: str | None = None
) -> QueryError:
    """A one-line QueryError with line and column from a pyoxigraph or rdflib (pyparsing) syntax error,
    naming `source` (by default the query's own).

    pyoxigraph reports an error met at the end of the input just past it; given the query, such a
    position is moved back onto the last character, so it always points at a real line. Its list of
    expected character classes is summarised ("a name", "a number"), an unknown prefix named.
    """
    if source is None and query is not None:
        source = query.source
    text = str(exc)
    match = _OX_POSITION.match(text)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        query_text = query.text if query is not None else None
        prefix = _missing_prefix(match.group(3), query_text, line, column)
        if prefix is not None and query is not None:
            return unknown_prefix(prefix, query)
        reason = _ox_reason(match.group(3))
        line, column = _clamp(line, column, query_text)
        return QueryError(f"SPARQL syntax error: {reason}", file=source, line=line, column=column)
    lineno = getattr(exc, "lineno", None)
    col = getattr(exc, "col", None) or getattr(exc, "offset", None)
    message = " ".join(str(getattr(exc, "msg", None) or text).split())
    return QueryError(f"SPARQL syntax error: {message}", file=source, line=lineno, column=col)


def unknown_prefix(prefix: str, query: PreparedQuery) -> QueryError:
    """The error for a prefixed name whose prefix the query never declares, at its first use."""
    uses = (t for t in query.tokens if t.kind == "pname" and t.text.startswith(prefix + ":"))
    where = next(uses, None)
    return QueryError(
        f"SPARQL syntax error: unknown prefix {prefix}: (declare it with PREFIX {prefix}: <...>)",
        file=query.source,
        line=where.line if where else None,
        column=where.column if where else None,
    )


def _missing_prefix(reason: str, query: str | None, line: int, column: int) -> str | None:
    if "Prefix not found" not in reason or query is None:
        return None
    lines = query.split("\n")
    found = _UNKNOWN_PREFIX.search(lines[line - 1][: column - 1] if line <= len(lines) else "")
    return (found.group(1) or "") if found else None


def _ox_reason(reason: str) -> str:
    head, sep, rest = reason.partition("expected ")
    if not sep:
        return " ".join(reason.split())
    items: list[str] = []
    for item in (m.group(1).strip() for m in _EXPECTED_ITEM.finditer(rest.removeprefix("one of "))):
        if item.startswith("["):
            item = "a name" if "'A'" in item else "a number" if "'0'" in item else ""
        elif item == "Prefix not found":
            item = ""
        if item and item not in items:
            items.append(item)
    if not items:
        return " ".join(f"{head}unexpected text here".split())
    return " ".join(f"{head}expected {'one of ' if len(items) > 1 else ''}{', '.join(items)}".split())


def _clamp(line: int, column: int, query: str | None) -> tuple[int, int]:
    if query is None:
        return line, column
    lines = query.rstrip().split("\n")
    if line < len(lines) or (line == len(lines) and column <= len(lines[-1])):
        return line, column
    return len(lines), max(len(lines[-1]), 1)
