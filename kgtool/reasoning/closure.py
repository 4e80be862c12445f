"""Inference: the RDFS or OWL-RL closure of a graph, returned as the triples it adds.

Inferred triples are never mixed silently into asserted data: callers get them separately and put
them in the named graph `INFERRED_GRAPH` (queries, exports) or report them apart.

Entry points:
- `inferred_quads(kg, mode)`: the closure of the whole graph as quads in `INFERRED_GRAPH`, computed by
  the fast reasoner (`kgtool.reasoning.reasoner`) once per graph version and cached on disk
  (`kgtool.store.cache`).
- `fast_closure(triples, mode)`: the closure of any triples; `owlrl_closure` is the reference, and
  `comparable` is the one normalisation under which both must give the same set (tests/test_infer.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kgtool.options import InferMode
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.vocab import INFERRED_GRAPH, OWL, RDF, RDF_TYPE, RDFS, XSD, Triple

if TYPE_CHECKING:
    import rdflib


def owlrl_closure(graph: rdflib.Graph, mode: InferMode) -> rdflib.Graph:
    """The triples owlrl's closure adds to `graph` (reference implementation; the input is untouched)."""
    import owlrl
    from rdflib import Graph

    result = Graph()
    if mode is InferMode.NONE:
        return result
    work = Graph()
    for triple in graph:
        work.add(triple)
    semantics = owlrl.RDFS_Semantics if mode is InferMode.RDFS else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    for triple in work:
        if triple not in graph:
            result.add(triple)
    return result


def _kg_triples(kg: KnowledgeGraph) -> list[Triple]:
    """The graph's triples, parsed straight from the files by pyoxigraph (named graphs merged)."""
    from kgtool.rdf.parsing import iter_quads

    return [(q.subject, q.predicate, q.object) for q in iter_quads(kg.files())]  # type: ignore[misc]


def fast_closure(triples: Iterable[Triple], mode: InferMode) -> set[Triple]:
    """The triples the closure adds, by the fast reasoner; owlrl only for constructs it lacks."""
    from kgtool.reasoning import reasoner

    if mode is InferMode.NONE:
        return set()
    triples = list(triples)
    if mode is InferMode.OWLRL and reasoner.unsupported(triples):
        from kgtool.rdf.rdflib_bridge import quads_to_rdflib

        graph = quads_to_rdflib(ox.Quad(s, p, o) for s, p, o in triples)  # type: ignore[arg-type]
        from kgtool.rdf.rdflib_bridge import from_rdflib_term as ox_term

        return {(ox_term(s), ox_term(p), ox_term(o)) for s, p, o in owlrl_closure(graph, mode)}
    return reasoner.closure(triples, mode)


def _entry(kg: KnowledgeGraph, mode: InferMode) -> Path:
    from kgtool.store.cache import cache_dir, fingerprint

    return cache_dir() / "closure" / f"{fingerprint(kg)}-{mode.value}-closure.nt"


def _read_nt(path: Path) -> list[Triple] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return [(t.subject, t.predicate, t.object) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    except (SyntaxError, ValueError):
        return None


def _write_nt(path: Path, triples: Iterable[Triple]) -> None:
    from kgtool.store.cache import write_entry

    data = ox.serialize((ox.Triple(s, p, o) for s, p, o in triples), format=ox.RdfFormat.N_TRIPLES)  # type: ignore[arg-type]
    write_entry(path, data or b"")


def closure(kg: KnowledgeGraph, mode: InferMode, store: ox.Store | None = None) -> list[Triple]:
    """The closure of the whole graph (added triples only), cached per graph version and mode.

    Blank node ids differ from one parse to the next, so a closure that mentions blank nodes is only
    valid for the parse it came from: it is never cached, and is computed from `store`'s own triples
    when the caller passes the store it will query.
    """
    if mode is InferMode.NONE:
        return []
    entry = _entry(kg, mode)
    cached = _read_nt(entry)
    if cached is not None:
        return cached
    triples = _kg_triples(kg) if store is None else [(q.subject, q.predicate, q.object) for q in store]
    added = sorted(fast_closure(triples, mode), key=str)
    if not any(isinstance(term, ox.BlankNode) for triple in added for term in triple):
        _write_nt(entry, added)
    return added


def closure_file(kg: KnowledgeGraph, mode: InferMode) -> Path | None:
    """The cached closure's N-Triples file for the graph's current version, if there is one (the on-disk
    index bulk loads it rather than holding the closure in memory)."""
    if mode is InferMode.NONE:
        return None
    entry = _entry(kg, mode)
    return entry if entry.is_file() else None


def inferred_quads(kg: KnowledgeGraph, mode: InferMode, store: ox.Store | None = None) -> list[ox.Quad]:
    """The triples the closure of the whole graph adds, as quads in `INFERRED_GRAPH`.

    This is the entry point for queries and exports (`--infer`); it is cached per graph version.
    Pass the `store` the quads will join so that inferred triples about blank nodes use its ids.
    """
    graph = ox.NamedNode(INFERRED_GRAPH)
    return [ox.Quad(s, p, o, graph) for s, p, o in closure(kg, mode, store)]  # type: ignore[arg-type]


_DATATYPE_IRIS = {RDF + n for n in ("langString", "PlainLiteral", "XMLLiteral", "HTML")} | {RDFS + "Literal"}
_REFLEXIVE_NOISE = {
    OWL + "sameAs",
    OWL + "equivalentClass",
    OWL + "equivalentProperty",
    RDFS + "subClassOf",
    RDFS + "subPropertyOf",
}
_ERRNS = "http://www.daml.org/2002/03/agents/agent-ont#"


def comparable(
    added: Iterable[tuple[Any, Any, Any]], asserted: rdflib.Graph, mode: InferMode
) -> set[tuple[Any, ...]]:
    """The one normalisation under which the fast closure must equal owlrl's (rdflib terms in and out).

    Dropped from either side, as noise rather than knowledge: triples about literals (subject is a
    literal); datatype axioms (subject is an XSD or RDF datatype IRI); reflexive sameAs, subClassOf,
    subPropertyOf, equivalentClass, equivalentProperty; `?x rdf:type rdfs:Resource`; owlrl's error
    report nodes; and whatever owlrl adds to the empty graph. Literal objects are compared by value
    (owlrl's RDFS rules copy a triple to every literal with an equal Python value, e.g. "x"@en and
    "x"), and triples equal by that measure to an asserted one are dropped.
    """
    from rdflib import BNode, Literal, URIRef

    def key(term: Any) -> Any:
        if isinstance(term, Literal):
            return (
                ("literal", term.value)
                if term.value is not None
                else ("literal", str(term), term.datatype, term.language)
            )
        return term

    def noise(s: Any, p: Any, o: Any) -> bool:
        return (
            isinstance(s, Literal)
            or (isinstance(s, URIRef) and (str(s).startswith(XSD) or str(s) in _DATATYPE_IRIS))
            or (s == o and str(p) in _REFLEXIVE_NOISE)
            or (str(p) == RDF_TYPE and str(o) == RDFS + "Resource")
            or str(p).startswith(_ERRNS)
            or str(o).startswith(_ERRNS)
            or isinstance(p, BNode)
        )

    from rdflib import Graph

    baseline = {(key(s), key(p), key(o)) for s, p, o in asserted}
    baseline |= {(key(s), key(p), key(o)) for s, p, o in owlrl_closure(Graph(), mode)}
    return {(key(s), key(p), key(o)) for s, p, o in added if not noise(s, p, o)} - baseline
