"""Read-only safety: the checks that refuse unsafe queries, read from a prepared query's tokens.

Refused by default: SPARQL Update (any update operation), SERVICE (federated calls over the network)
and FROM / FROM NAMED of graphs that are not kgtool's own (`vocab.KGTOOL_GRAPHS`). Keywords inside
strings, IRIs and comments are single tokens, so they never trip a check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kgtool.errors import RefusedQuery
from kgtool.query.sparql_tokens import Token, declared_prefixes, expand_codepoints, offset, position, tokenize
from kgtool.query.syntax_errors import syntax_error
from kgtool.vocab import KGTOOL_GRAPHS

if TYPE_CHECKING:
    from kgtool.query.prepared import PreparedQuery

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"}
)
SERVICE_REFUSED = "SERVICE is refused: kgtool never sends queries to remote endpoints"


def check_read_only(query: PreparedQuery) -> None:
    """Refuse SPARQL Update, SERVICE and remote FROM. Raises QueryError at the offending token.

    The text is read both as written (pyoxigraph's reading) and with codepoint escapes expanded
    (rdflib's), and a query spelling SERVICE anywhere is parsed by pyoxigraph with it disarmed.
    """
    _refuse_unsafe(query.tokens, query.source)
    decoded = expand_codepoints(query.text)
    if decoded != query.text:
        _refuse_unsafe(tuple(tokenize(decoded)), query.source)
    _check_service_by_parser(query)


def _refuse_unsafe(tokens: Sequence[Token], source: str) -> None:
    prefixes = declared_prefixes(tokens)
    for i, tok in enumerate(tokens):
        word = tok.upper if tok.kind == "word" else ""
        if word in UPDATE_KEYWORDS:
            message = f"SPARQL Update ({word}) is refused: kgtool queries are read-only"
            raise _refuse(message, tok, source, "update")
        if word == "SERVICE":
            raise _refuse(SERVICE_REFUSED, tok, source, "service")
        if word == "FROM":
            _check_from(tokens, i, prefixes, source)


_SERVICE_LETTERS = re.compile("servic(e)", re.IGNORECASE)


def _check_service_by_parser(query: PreparedQuery) -> None:
    """Refuse a SERVICE keyword that pyoxigraph's own parser would see, however the text hides it.

    Every "service" has its last letter changed, so no SERVICE keyword is left and parsing cannot call
    out. Letters inside strings, IRIs, names or comments never change whether a text parses; a keyword
    does (`SERVICX <iri> {...}` is invalid), so a syntax error at or after the first of them means a
    real SERVICE stood there.
    """
    text = query.text
    found = list(_SERVICE_LETTERS.finditer(text))
    if not found:
        return
    import pyoxigraph as ox

    disarmed = _SERVICE_LETTERS.sub(lambda m: m.group()[:-1] + ("X" if m.group(1) == "E" else "x"), text)
    try:
        ox.Store().query(disarmed)  # an empty store, results never read: only the parse matters
    except SyntaxError as exc:
        error = syntax_error(exc, query)
        where = offset(text, error.line or 1, error.column or 1)
        before = [m for m in found if m.start() <= where]
        if not before:
            raise error from None  # a plain syntax error ahead of any "service"
        line, column = position(text, before[-1].start())
        raise RefusedQuery(
            SERVICE_REFUSED, what="service", file=query.source, line=line, column=column
        ) from None
    except (OSError, ValueError, RuntimeError):
        return  # not a parse problem; the real run reports it


def _check_from(tokens: Sequence[Token], i: int, prefixes: dict[str, str], source: str) -> None:
    j = i + 1
    if j < len(tokens) and tokens[j].upper == "NAMED":
        j += 1
    if j >= len(tokens):
        return  # a syntax error the parser reports with its position
    target = tokens[j]
    iri = target.text[1:-1] if target.kind == "iri" else _expand(target.text, prefixes)
    if iri is None or not iri.startswith(KGTOOL_GRAPHS):
        raise _refuse(
            f"FROM {target.text} is refused: kgtool never loads remote graphs "
            f"(only its own named graphs {KGTOOL_GRAPHS}... may be named)",
            target,
            source,
            "from",
        )


def _expand(pname: str, prefixes: dict[str, str]) -> str | None:
    prefix, _, local = pname.partition(":")
    return prefixes[prefix] + local if prefix in prefixes else None


def _refuse(message: str, tok: Token, source: str, what: str) -> RefusedQuery:
    return RefusedQuery(message, what=what, file=source, line=tok.line, column=tok.column)
