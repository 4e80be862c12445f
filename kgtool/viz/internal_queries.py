"""The pictures read the graph only through SPARQL: the internal queries in `kgtool/viz/queries/*.rq`
(package data), prepared like any query (read-only check included) and run on whichever `Engine` the
caller opened, so a remote endpoint engine serves them as well as the local store."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

import pyoxigraph as ox

from kgtool.query.engines import Engine
from kgtool.query.prepared import prepare
from kgtool.vocab import Term

Row = dict[str, Term]


def rows(engine: Engine, name: str) -> list[Row]:
    """The rows of internal query `name`, each a {variable: term} of its bound variables."""
    text = resources.files("kgtool.viz").joinpath(f"queries/{name}.rq").read_text(encoding="utf-8")
    result = engine.execute(prepare(text, f"kgtool/viz/queries/{name}.rq"), {})
    return [
        {var: term for var, term in zip(result.variables, row, strict=True) if term is not None}
        for row in result.row_iterator()
    ]


def iri(row: Row, var: str) -> str | None:
    """The IRI bound to `var` (blank nodes get their `_:` label), or None."""
    term = row.get(var)
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return None


def text(row: Row, var: str) -> str | None:
    """The lexical form of the literal bound to `var`, or None."""
    term = row.get(var)
    return term.value if isinstance(term, ox.Literal) else None


def number(row: Row, var: str) -> float | None:
    """The number bound to `var`, or None when unbound or not a number."""
    value = text(row, var)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def flag(row: Row, var: str, default: bool = True) -> bool:
    """An xsd:boolean bound to `var` (`default` when unbound)."""
    value = text(row, var)
    return default if value is None else value.strip() in ("true", "1")


def best_label(labels: Iterable[ox.Literal | Term]) -> str | None:
    """The label to show: English first, then untagged, then any other language (stable order)."""
    found = [t for t in labels if isinstance(t, ox.Literal)]
    if not found:
        return None

    def rank(literal: ox.Literal) -> tuple[int, str, str]:
        lang = (literal.language or "").lower()
        preference = 0 if lang == "en" or lang.startswith("en-") else 1 if lang == "" else 2
        return preference, lang, literal.value

    return min(found, key=rank).value


def slug(iri_text: str) -> str:
    """The last segment of an IRI, words spaced: a readable stand-in when a node has no label."""
    tail = iri_text.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return tail.replace("-", " ").replace("_", " ") or iri_text
