"""Inference: the RDFS or OWL-RL closure of a graph, returned as the triples it adds.

Inferred triples are never mixed silently into asserted data: callers get them separately and put
them in the named graph `INFERRED_GRAPH` (queries, exports) or report them apart.
owlrl is the reference implementation (imported only when inference is asked for).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.kg import KnowledgeGraph

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


def inferred_quads(kg: KnowledgeGraph, mode: Mode) -> list[ox.Quad]:
    """The triples the closure of the whole graph adds, as quads in `INFERRED_GRAPH`.

    This is the entry point for queries and exports (`--infer`); its implementation may cache.
    """
    from kgtool.loader import load_kg_rdflib

    check_mode(mode)
    if mode == "none":
        return []
    added = owlrl_closure(load_kg_rdflib(kg, "all"), mode)
    graph = ox.NamedNode(INFERRED_GRAPH)
    return [
        ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), graph)  # type: ignore[arg-type]
        for s, p, o in added
    ]


def _to_ox(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")
