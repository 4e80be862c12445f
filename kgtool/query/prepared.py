"""A prepared query: SPARQL text read once, tokenized once, checked read-only once.

`prepare(text, source)` is what every query goes through before an engine sees it: saved queries (by
`kgtool.query.catalog`), ad-hoc ones and test queries alike. It refuses a query nested too deep for the
engines (`kgtool.query.depth_guard`) before any parser sees it, and one that is not read-only. The
`PreparedQuery` it returns carries the tokens and what they say (form, prefixes, variables, whether the
query names its own dataset), so the engines, parameter substitution and error positions never tokenize
the text again.

A run may add two things the text does not say (`for_run`): the prefixes of the graph the query may use
without declaring them (`implicit_prefixes`; a prefix the query declares wins), and the slice of the
answer to return (`slice`, from --limit, --offset or a page). `engine_text` is what an engine runs.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kgtool.query.depth_guard import check_depth
from kgtool.query.read_only_guard import check_read_only
from kgtool.query.slicing import Slice
from kgtool.query.sparql_tokens import Token, declared_prefixes, expand_codepoints, tokenize

if TYPE_CHECKING:
    from kgtool.query.result import Bindings

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class PreparedQuery:
    """A SPARQL query and what its tokens say. Build it with `prepare` unless the read-only check is
    deliberately skipped (a test of what an engine does past the guard)."""

    text: str
    source: str = "<query>"  # the file it came from, for error messages
    tokens: tuple[Token, ...] = field(init=False, repr=False)
    form: str = field(init=False)  # SELECT, ASK, CONSTRUCT or DESCRIBE ("" if none was found)
    prefixes: dict[str, str] = field(init=False, repr=False)
    variables: dict[str, int] = field(init=False, repr=False)  # name (no ?) -> line of first use
    names_dataset: bool = field(init=False)  # FROM / FROM NAMED: the query picks its default graph
    implicit_prefixes: dict[str, str] = field(init=False, repr=False)  # the graph's, used undeclared
    slice: Slice | None = field(init=False, default=None)  # the rows a run returns

    def __post_init__(self) -> None:
        tokens = tuple(tokenize(self.text))
        # A parser may expand \u escapes before it reads anything (rdflib does): read what it reads.
        decoded = expand_codepoints(self.text)
        read = tokens if decoded == self.text else tuple(tokenize(decoded))
        variables: dict[str, int] = {}
        for tok in read:
            if tok.kind == "var":
                variables.setdefault(tok.text[1:], tok.line)
        form = next((tok.upper for tok in read if tok.is_word(*QUERY_FORMS)), "")
        initial = {
            "tokens": tokens,
            "form": form,
            "prefixes": declared_prefixes(read),
            "variables": variables,
            "names_dataset": any(tok.is_word("FROM") for tok in tokens),
            "implicit_prefixes": {},
            "slice": None,
        }
        for name, value in initial.items():
            object.__setattr__(self, name, value)

    @property
    def kind(self) -> str:
        """The kind of result it gives: "select", "ask" or "graph" (CONSTRUCT and DESCRIBE)."""
        return "graph" if self.form in ("CONSTRUCT", "DESCRIBE") else (self.form or "SELECT").lower()

    def undeclared_prefixes(self) -> set[str]:
        """The prefixes of prefixed names the query uses without a PREFIX declaration."""
        used = {tok.text.partition(":")[0] for tok in self.tokens if tok.kind == "pname"}
        return used - set(self.prefixes)

    def for_run(self, graph_prefixes: Mapping[str, str], part: Slice | None = None) -> PreparedQuery:
        """This query with the graph's prefixes it uses undeclared, and the slice of rows to return
        (ASK answers are not sliced)."""
        run = copy.copy(self)
        implicit = {
            name: graph_prefixes[name] for name in self.undeclared_prefixes() if name in graph_prefixes
        }
        object.__setattr__(run, "implicit_prefixes", implicit)
        object.__setattr__(run, "slice", part if self.kind != "ask" else None)
        return run

    def engine_text(self, bindings: Bindings | None = None, *, prologue: bool = False) -> str:
        """The text an engine runs: parameters substituted, the slice applied, and with `prologue`
        the implicit prefixes declared (for an engine that takes no separate prefix map)."""
        from kgtool.query.slicing import apply
        from kgtool.query.substitution import substitute

        text = substitute(self, bindings or {})
        if self.slice is not None:
            text = apply(text, self.slice)
        if prologue and self.implicit_prefixes:
            declared = "".join(f"PREFIX {n}: <{iri}> " for n, iri in sorted(self.implicit_prefixes.items()))
            text = declared + text  # on the first line: every other line keeps its number
        return text


def prepare(text: str, source: str = "<query>") -> PreparedQuery:
    """Tokenize a query; refuse one nested too deep for the engines, and what is not read-only
    (SPARQL Update, SERVICE, remote FROM)."""
    query = PreparedQuery(text, source)
    check_depth(query.tokens, source)
    if "\\u" in text or "\\U" in text:
        check_depth(tuple(tokenize(expand_codepoints(text))), source)
    check_read_only(query)
    return query
