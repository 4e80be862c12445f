"""Parameter values put into a query as RDF terms, by token (SEP-0007 substitution).

pyoxigraph 0.5 substitutes only the variables a SELECT projects, so kgtool replaces a bound variable's
tokens itself; `star_variables` names the bound variables a `SELECT *` would lose by it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from kgtool.errors import QueryError
from kgtool.query.sparql_tokens import Token
from kgtool.vocab import Term

if TYPE_CHECKING:
    from kgtool.query.prepared import PreparedQuery

_CLAUSE_END = frozenset({"WHERE", "FROM", "LIMIT", "OFFSET", "HAVING", "VALUES", "GROUP", "ORDER"})


def substitute(query: PreparedQuery, bindings: Mapping[str, Term]) -> str:
    """The query with each bound variable replaced by its RDF term (SEP-0007 substitution).

    pyoxigraph 0.5 substitutes only variables a SELECT projects, so kgtool does it itself, by token:
    the inserted text is pyoxigraph's escaped N-Triples form of a checked term (exactly one SPARQL
    term token, whatever the value contains), never the user's text. A projected variable becomes
    `(term AS ?var)`, one in GROUP BY / ORDER BY `(term)`; binding a variable the query assigns
    (`AS ?var`, `VALUES ?var`) is refused.
    """
    text = query.text
    if not bindings:
        return text
    out: list[str] = []
    last = 0
    mode = ""  # "select" (projection), "by" (GROUP/ORDER BY), "values" (VALUES variable list)
    depth = 0  # parentheses
    previous = ""
    tokens = query.tokens
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
                    file=query.source,
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


def star_variables(query: PreparedQuery, names: Iterable[str]) -> list[str]:
    """The `names` a top-level `SELECT *` would show, in order of appearance ([] for other queries).

    Substitution takes a bound variable out of the text, so `SELECT *` would lose its column; the
    engine adds it back with its value, as a pre-bound variable stays in scope (SEP-0007, rdflib).
    """
    tokens = query.tokens
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


def _is_bound_call(tokens: Sequence[Token], i: int) -> bool:
    return (
        i >= 2
        and i + 1 < len(tokens)
        and tokens[i - 2].upper == "BOUND"
        and tokens[i - 1].text == "("
        and tokens[i + 1].text == ")"
    )
