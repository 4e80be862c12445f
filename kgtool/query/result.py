"""What an engine returns: one engine-neutral `Result` of pyoxigraph terms, so output formats and tests
never care which engine (or, later, which endpoint) answered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

import pyoxigraph as ox

from kgtool.vocab import Term

Row: TypeAlias = tuple[Term | None, ...]
#: Bound parameters: {SPARQL variable name without `?`: the checked RDF term}.
Bindings: TypeAlias = Mapping[str, Term]


@dataclass
class Result:
    """Rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    kind: Literal["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
