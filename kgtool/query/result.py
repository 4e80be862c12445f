"""What an engine returns: one engine-neutral `Result`, streamed, so output formats and tests never care
which engine (or, later, which endpoint) answered.

A SELECT result is its variables and an iterator of rows (tuples of pyoxigraph terms, None where a
variable is unbound), read once, as the engine produces them; an engine that has its own serializer for
exactly those rows also hands it over (`native`), and the W3C formats are then written by it, without
a Python object per term. An ASK result is a boolean; a CONSTRUCT/DESCRIBE result an iterator of
triples, read once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Literal, Protocol, TypeAlias

import pyoxigraph as ox

from kgtool.vocab import Term

Row: TypeAlias = tuple[Term | None, ...]
#: Bound parameters: {SPARQL variable name without `?`: the checked RDF term}.
Bindings: TypeAlias = Mapping[str, Term]


class NativeSolutions(Protocol):
    """An engine's own writer of the rows a Result streams (pyoxigraph's `QuerySolutions`, or a remote
    endpoint's response body): it writes the rows not yet read, in a W3C results format."""

    def serialize(self, output: IO[bytes], format: ox.QueryResultsFormat) -> None:
        """Write the remaining rows to a binary stream; raises QueryError if the engine fails midway."""
        ...


@dataclass
class Result:
    """Rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE); rows and triples are read once."""

    kind: Literal["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: Iterable[Row] = ()
    boolean: bool | None = None
    triples: Iterable[ox.Triple] = ()
    native: NativeSolutions | None = None  # writes exactly `rows`, when the engine has a serializer

    def row_iterator(self) -> Iterator[Row]:
        """The rows, to read one by one (after that, `native` has nothing left to write)."""
        return iter(self.rows)

    def all_rows(self) -> list[Row]:
        """Every row, in memory: for tests and small answers, never for output."""
        if not isinstance(self.rows, list):
            self.rows = list(self.rows)
            self.native = None
        return self.rows

    def all_triples(self) -> list[ox.Triple]:
        """Every triple, in memory: for tests and small answers."""
        if not isinstance(self.triples, list):
            self.triples = list(self.triples)
        return self.triples
