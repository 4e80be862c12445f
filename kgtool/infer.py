"""Inference: the RDFS or OWL-RL closure of a graph, returned as the triples it adds.

Inferred triples are never mixed silently into asserted data: callers get them separately and put
them in the named graph `INFERRED_GRAPH` (queries, exports) or report them apart.
owlrl is the reference implementation (imported only when inference is asked for).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from kgtool.errors import UsageError

if TYPE_CHECKING:
    import rdflib

Mode = Literal["none", "rdfs", "owlrl"]
MODES: tuple[str, ...] = ("none", "rdfs", "owlrl")

#: Named graph that holds inferred triples in quad formats and in query datasets.
INFERRED_GRAPH = "https://w3id.org/kgtool/graph/inferred"


def check_mode(mode: str) -> Mode:
    """Validate an --infer value."""
    if mode not in MODES:
        raise UsageError(f"unknown inference mode {mode!r}; choose one of {', '.join(MODES)}")
    return mode  # type: ignore[return-value]


def owlrl_closure(graph: rdflib.Graph, mode: Mode) -> rdflib.Graph:
    """The triples owlrl's closure adds to `graph` (reference implementation; the input is untouched)."""
    import owlrl
    from rdflib import Graph

    check_mode(mode)
    result = Graph()
    if mode == "none":
        return result
    work = Graph()
    for triple in graph:
        work.add(triple)
    semantics = owlrl.RDFS_Semantics if mode == "rdfs" else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    for triple in work:
        if triple not in graph:
            result.add(triple)
    return result
