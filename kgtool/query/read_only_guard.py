"""Read-only safety for SPARQL text: a small tokenizer and the checks that refuse unsafe queries.

The tokenizer skips strings, IRIs and comments, so a keyword inside a literal never trips a check.
Refused by default: SPARQL Update (any update operation), SERVICE (federated calls over the network)
and FROM / FROM NAMED of graphs that are not kgtool's own (`https://w3id.org/kgtool/graph/...`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from kgtool.errors import QueryError
from kgtool.vocab import KGTOOL_GRAPHS, Term

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"}
)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<pname>(?:[^\W\d_][\w.\-]*)?:
              (?:(?:[\w\-.:%]|\\[_~.\-!$&'()*+,;=/?\#@%])*
                 (?:[\w\-:%]|\\[_~.\-!$&'()*+,;=/?\#@%]))?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[{}()\[\];,.*=<>!+\-/|^@])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One SPARQL token with its 1-based line and column."""

    kind: str  # comment, string, iri, var, pname, word, number, punct, other
    text: str
    line: int
    column: int
    offset: int = 0  # character offset in the text

    @property
    def upper(self) -> str:
        return self.text.upper()


def tokenize(text: str, *, keep_comments: bool = False) -> Iterator[Token]:
    """Yield the tokens of a SPARQL text (whitespace dropped; comments only when asked for)."""
    line, line_start = 1, 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        value = match.group()
        if kind != "ws" and (kind != "comment" or keep_comments):
            yield Token(kind, value, line, match.start() - line_start + 1, match.start())
        newlines = value.count("\n")
        if newlines:
            line += newlines
            line_start = match.start() + value.rfind("\n") + 1


@dataclass(frozen=True)
class QueryShape:
    """What the safety check learned about a query: its form, prefixes and variables."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE ("" if none was found)
    prefixes: dict[str, str]
    variables: dict[str, int]  # name (without ? or $) -> line of first appearance, in that order


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def expand_codepoints(text: str) -> str:
    """SPARQL's `\\uXXXX` / `\\UXXXXXXXX` escapes, which a parser may expand before reading any keyword."""
    if "\\u" not in text and "\\U" not in text:
        return text

    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _CODEPOINT.sub(expand, text)


def check_read_only(text: str, *, source: str | Path | None = None) -> QueryShape:
    """Refuse SPARQL Update, SERVICE and remote FROM; return the query's shape. Raises QueryError.

    The text is read both as written (pyoxigraph's reading) and with codepoint escapes expanded
    (rdflib's), and a query spelling SERVICE anywhere is parsed by pyoxigraph with it disarmed.
    """
    shape = _scan(text, source)
    decoded = expand_codepoints(text)
    if decoded != text:
        shape = _scan(decoded, source)
    _check_service_by_parser(text, source)
    return shape


def _scan(text: str, source: str | Path | None) -> QueryShape:
    tokens = list(tokenize(text))
    prefixes: dict[str, str] = {}
    form = ""
    variables: dict[str, int] = {}
    for i, tok in enumerate(tokens):
        word = tok.upper if tok.kind == "word" else ""
        if tok.kind == "var":
            variables.setdefault(tok.text[1:], tok.line)
        elif word in UPDATE_KEYWORDS:
            raise _refuse(f"SPARQL Update ({word}) is refused: kgtool queries are read-only", tok, source)
        elif word == "SERVICE":
            raise _refuse(_SERVICE_REFUSED, tok, source)
        elif word == "PREFIX":
            _declare_prefix(tokens, i, prefixes)
        elif word in QUERY_FORMS and not form:
            form = word
        elif word == "FROM":
            _check_from(tokens, i, prefixes, source)
    return QueryShape(form, prefixes, variables)


_SERVICE_REFUSED = "SERVICE is refused: kgtool never sends queries to remote endpoints"
_SERVICE_LETTERS = re.compile("servic(e)", re.IGNORECASE)


def _check_service_by_parser(text: str, source: str | Path | None) -> None:
    """Refuse a SERVICE keyword that pyoxigraph's own parser would see, however the text hides it.

    Every "service" has its last letter changed, so no SERVICE keyword is left and parsing cannot call
    out. Letters inside strings, IRIs, names or comments never change whether a text parses; a keyword
    does (`SERVICX <iri> {...}` is invalid), so a syntax error at or after the first of them means a
    real SERVICE stood there.
    """
    found = list(_SERVICE_LETTERS.finditer(text))
    if not found:
        return
    import pyoxigraph as ox

    disarmed = _SERVICE_LETTERS.sub(lambda m: m.group()[:-1] + ("X" if m.group(1) == "E" else "x"), text)
    try:
        ox.Store().query(disarmed)  # an empty store, results never read: only the parse matters
    except SyntaxError as exc:
        error = syntax_error(exc, source=source, query=text)
        where = _offset(text, error.line or 1, error.column or 1)
        before = [m for m in found if m.start() <= where]
        if not before:
            raise error from None  # a plain syntax error ahead of any "service"
        line, column = _position(text, before[-1].start())
        raise QueryError(_SERVICE_REFUSED, file=source, line=line, column=column) from None
    except (OSError, ValueError, RuntimeError):
        return  # not a parse problem; the real run reports it


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(part) + 1 for part in lines[: line - 1]) + column - 1


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def names_dataset(text: str) -> bool:
    """Whether the query has a FROM or FROM NAMED clause, so it chooses its own default graph."""
    return any(tok.kind == "word" and tok.upper == "FROM" for tok in tokenize(text))


def _declare_prefix(tokens: list[Token], i: int, prefixes: dict[str, str]) -> None:
    if i + 2 < len(tokens) and tokens[i + 1].kind == "pname" and tokens[i + 2].kind == "iri":
        prefixes[tokens[i + 1].text.rstrip(":")] = tokens[i + 2].text[1:-1]


def _check_from(tokens: list[Token], i: int, prefixes: dict[str, str], source: str | Path | None) -> None:
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
        )


def _expand(pname: str, prefixes: dict[str, str]) -> str | None:
    prefix, _, local = pname.partition(":")
    return prefixes[prefix] + local if prefix in prefixes else None


def _refuse(message: str, tok: Token, source: str | Path | None) -> QueryError:
    return QueryError(message, file=source, line=tok.line, column=tok.column)


_CLAUSE_END = frozenset({"WHERE", "FROM", "LIMIT", "OFFSET", "HAVING", "VALUES", "GROUP", "ORDER"})


def substitute(text: str, bindings: Mapping[str, Term], *, source: str | Path | None = None) -> str:
    """The query with each bound variable replaced by its RDF term (SEP-0007 substitution).

    pyoxigraph 0.5 substitutes only variables a SELECT projects, so kgtool does it itself, by token:
    the inserted text is pyoxigraph's escaped N-Triples form of a checked term (exactly one SPARQL
    term token, whatever the value contains), never the user's text. A projected variable becomes
    `(term AS ?var)`, one in GROUP BY / ORDER BY `(term)`; binding a variable the query assigns
    (`AS ?var`, `VALUES ?var`) is refused.
    """
    if not bindings:
        return text
    out: list[str] = []
    last = 0
    mode = ""  # "select" (projection), "by" (GROUP/ORDER BY), "values" (VALUES variable list)
    depth = 0  # parentheses
    previous = ""
    tokens = list(tokenize(text))
    skip_to = -1
    for i, tok in enumerate(tokens):
        if i <= skip_to:
            continue
        word = tok.upper if tok.kind == "word" else ""
        if word == "SELECT":
            mode = "select"
        elif word == "BY":
            mode = "by"
        elif word == "VALUES":
            mode = "values"
        elif word in _CLAUSE_END or tok.text in ("{", "}"):
            mode = ""
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.kind == "var" and tok.text[1:] in bindings:
            name = tok.text[1:]
            if previous == "AS" or mode == "values":
                raise QueryError(
                    f"?{name} is a parameter, so the query may not assign it (AS / VALUES)",
                    file=source,
                    line=tok.line,
                    column=tok.column,
                )
            term = str(bindings[name])
            if _is_bound_call(tokens, i):
                # BOUND(?var) of a bound parameter is simply true: replace the whole call.
                out.append(text[last : tokens[i - 2].offset])
                out.append("true")
                last = tokens[i + 1].offset + 1
                depth -= 1
                skip_to = i + 1
                previous = ")"
                continue
            if mode == "select" and depth == 0:
                term = f"({term} AS {tok.text})"
            elif mode == "by" and depth == 0:
                term = f"({term})"
            out.append(text[last : tok.offset])
            out.append(term)
            last = tok.offset + len(tok.text)
        previous = tok.upper
    out.append(text[last:])
    return "".join(out)


def star_variables(text: str, names: Iterable[str]) -> list[str]:
    """The `names` a top-level `SELECT *` would show, in order of appearance ([] for other queries).

    Substitution takes a bound variable out of the text, so `SELECT *` would lose its column; the
    engine adds it back with its value, as a pre-bound variable stays in scope (SEP-0007, rdflib).
    """
    tokens = list(tokenize(text))
    for i, tok in enumerate(tokens):
        if tok.upper == "SELECT":
            j = i + 1
            if j < len(tokens) and tokens[j].upper in ("DISTINCT", "REDUCED"):
                j += 1
            if j >= len(tokens) or tokens[j].text != "*":
                return []
            wanted = set(names)
            seen = dict.fromkeys(t.text[1:] for t in tokens[j:] if t.kind == "var" and t.text[1:] in wanted)
            return list(seen)
    return []


def _is_bound_call(tokens: list[Token], i: int) -> bool:
    return (
        i >= 2
        and i + 1 < len(tokens)
        and tokens[i - 2].upper == "BOUND"
        and tokens[i - 1].text == "("
        and tokens[i + 1].text == ")"
    )


_OX_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_EXPECTED_ITEM = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]|[^,]+)\s*,?""")
_UNKNOWN_PREFIX = re.compile(r"(?:^|[^\w.\-])([^\W\d_][\w.\-]*)?:\S*$")


def syntax_error(
    exc: BaseException, *, source: str | Path | None = None, query: str | None = None
) -> QueryError:
    """A one-line QueryError with line and column from a pyoxigraph or rdflib (pyparsing) syntax error.

    pyoxigraph reports an error met at the end of the input just past it; given the query text, such
    a position is moved back onto the last character, so it always points at a real line. Its list of
    expected character classes is summarised ("a name", "a number"), an unknown prefix named.
    """
    text = str(exc)
    match = _OX_POSITION.match(text)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        prefix = _missing_prefix(match.group(3), query, line, column)
        if prefix is not None and query is not None:
            return unknown_prefix(prefix, query, source=source)
        reason = _ox_reason(match.group(3))
        line, column = _clamp(line, column, query)
        return QueryError(f"SPARQL syntax error: {reason}", file=source, line=line, column=column)
    lineno = getattr(exc, "lineno", None)
    col = getattr(exc, "col", None) or getattr(exc, "offset", None)
    message = " ".join(str(getattr(exc, "msg", None) or text).split())
    return QueryError(f"SPARQL syntax error: {message}", file=source, line=lineno, column=col)


def unknown_prefix(prefix: str, query: str, *, source: str | Path | None = None) -> QueryError:
    """The error for a prefixed name whose prefix the query never declares, at its first use."""
    where = next((t for t in tokenize(query) if t.kind == "pname" and t.text.startswith(prefix + ":")), None)
    return QueryError(
        f"SPARQL syntax error: unknown prefix {prefix}: (declare it with PREFIX {prefix}: <...>)",
        file=source,
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
