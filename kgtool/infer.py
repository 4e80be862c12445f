"""Inference: the RDFS or OWL-RL closure of a graph, returned as the triples it adds.

Inferred triples are never mixed silently into asserted data: callers get them separately and put
them in the named graph `INFERRED_GRAPH` (queries, exports) or report them apart. Inference must not
strip the outside-fact marking either: what the closure derives only with the help of a triple from
outside the post (`outside_triples`) goes into `INFERRED_OUTSIDE_GRAPH` instead (`needs_outside`).

Entry points:
- `inferred_quads(kg, mode)`: the closure of the whole graph as quads in `INFERRED_GRAPH`, computed by
  the fast reasoner (`kgtool.reasoner`) once per graph version and cached on disk (`kgtool.cache`).
- `closure_of_new(kg, new_triples, mode, context=())`: what NEW triples add, against the graph's cached
  schema (every schema triple of the graph) plus optional `context` triples (e.g. what the graph already
  says about the new triples' nodes) - for validate/add, without re-inferring the whole graph.
- `fast_closure(triples, mode)`: the closure of any triples; `owlrl_closure` is the reference, and
  `comparable` is the one normalisation under which both must give the same set (tests/test_infer.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyoxigraph as ox

from kgtool.errors import check_choice
from kgtool.kg import KnowledgeGraph, Part
from kgtool.reasoner import Triple  # imports pyoxigraph only: cheap

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

if TYPE_CHECKING:
    import rdflib

Mode = Literal["none", "rdfs", "owlrl"]
MODES: tuple[str, ...] = ("none", "rdfs", "owlrl")

#: Named graph that holds inferred triples in quad formats and in query datasets.
INFERRED_GRAPH = "https://w3id.org/kgtool/graph/inferred"
#: Named graph of the inferred triples that follow only with a triple from outside the post.
INFERRED_OUTSIDE_GRAPH = "https://w3id.org/kgtool/graph/inferred-outside"
_KGO = "https://w3id.org/kgtool/ontology#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def check_mode(mode: str) -> Mode:
    """Validate an --infer value."""
    return check_choice(mode, MODES, "inference mode")  # type: ignore[return-value]


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


def _kg_triples(kg: KnowledgeGraph, only: Part = "all") -> list[Triple]:
    """The graph's triples, parsed straight from the files by pyoxigraph (named graphs merged)."""
    from kgtool.loader import iter_quads

    return [(q.subject, q.predicate, q.object) for q in iter_quads(kg.files(only))]  # type: ignore[misc]


def fast_closure(triples: Iterable[Triple], mode: Mode) -> set[Triple]:
    """The triples the closure adds, by the fast reasoner; owlrl only for constructs it lacks."""
    from kgtool import reasoner

    check_mode(mode)
    if mode == "none":
        return set()
    triples = list(triples)
    if mode == "owlrl" and reasoner.unsupported(triples):
        from kgtool.loader import quads_to_rdflib

        graph = quads_to_rdflib(ox.Quad(s, p, o) for s, p, o in triples)  # type: ignore[arg-type]
        from kgtool.loader import from_rdflib_term as ox_term

        return {(ox_term(s), ox_term(p), ox_term(o)) for s, p, o in owlrl_closure(graph, mode)}
    return reasoner.closure(triples, mode)


def outside_triples(triples: Iterable[Triple]) -> set[Triple]:
    """The triples from outside the post: each triple a kgo:OutsideFact describes (rdf:subject,
    rdf:predicate, rdf:object), and every triple about a node marked kgo:inPost false (the outside
    facts themselves, and the entities known only from outside the post)."""
    triples = list(triples)
    marked = {
        s
        for s, p, o in triples
        if p.value == _KGO + "inPost" and isinstance(o, ox.Literal) and o.value in ("false", "0")
    }
    parts: dict[Any, dict[str, Any]] = {}
    for s, p, o in triples:
        if s in marked and p.value in (_RDF + "subject", _RDF + "predicate", _RDF + "object"):
            parts.setdefault(s, {})[p.value] = o
    described = {
        (f[_RDF + "subject"], f[_RDF + "predicate"], f[_RDF + "object"])
        for f in parts.values()
        if len(f) == 3
    }
    return {t for t in triples if t[0] in marked or t in described}


def needs_outside(triples: Iterable[Triple], added: Iterable[Triple], mode: Mode) -> set[Triple]:
    """Of the closure's `added` triples, those that do not follow from the post's triples alone."""
    triples = list(triples)
    outside = outside_triples(triples)
    if not outside:
        return set()
    post = [t for t in triples if t not in outside]
    from_post = fast_closure(post, mode) | set(post)
    return {t for t in added if t not in from_post}


def _entry(kg: KnowledgeGraph, mode: Mode, kind: str) -> Path:
    from kgtool.cache import cache_dir, fingerprint

    return cache_dir() / "closure" / f"{fingerprint(kg)}-{mode}-{kind}.nt"


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
    from kgtool.cache import atomic_write

    data = ox.serialize((ox.Triple(s, p, o) for s, p, o in triples), format=ox.RdfFormat.N_TRIPLES)  # type: ignore[arg-type]
    with contextlib.suppress(OSError):  # a read-only cache only costs speed
        atomic_write(path, data or b"")


def closure(kg: KnowledgeGraph, mode: Mode, store: ox.Store | None = None) -> list[Triple]:
    """The closure of the whole graph (added triples only), cached per graph version and mode.

    Blank node ids differ from one parse to the next, so a closure that mentions blank nodes is only
    valid for the parse it came from: it is never cached, and is computed from `store`'s own triples
    when the caller passes the store it will query.
    """
    from kgtool import reasoner

    check_mode(mode)
    if mode == "none":
        return []
    entry = _entry(kg, mode, "closure")
    cached = _read_nt(entry)
    if cached is not None:
        return cached
    triples = _kg_triples(kg) if store is None else [(q.subject, q.predicate, q.object) for q in store]
    added = sorted(fast_closure(triples, mode), key=str)
    if not any(isinstance(term, ox.BlankNode) for triple in added for term in triple):
        _write_nt(entry, added)
    _write_nt(_entry(kg, mode, "schema"), (t for t in triples if reasoner.is_schema(t)))
    return added


def closure_file(kg: KnowledgeGraph, mode: Mode) -> Path | None:
    """The cached closure's N-Triples file for the graph's current version, if there is one (the on-disk
    index bulk loads it rather than holding the closure in memory)."""
    entry = _entry(kg, mode, "closure")
    return entry if mode != "none" and entry.is_file() else None


def _schema_triples(kg: KnowledgeGraph, mode: Mode) -> list[Triple]:
    """Every schema triple of the graph (see `reasoner.is_schema`), cached per graph version."""
    from kgtool import reasoner

    entry = _entry(kg, mode, "schema")
    cached = _read_nt(entry)
    if cached is None:
        cached = [t for t in _kg_triples(kg) if reasoner.is_schema(t)]
        _write_nt(entry, cached)
    return cached


def closure_of_new(
    kg: KnowledgeGraph, new_triples: Iterable[Triple], mode: Mode, context: Iterable[Triple] = ()
) -> set[Triple]:
    """The triples that `new_triples` add to the closure of (graph schema + `context`).

    Instance rules joining new triples with graph data not passed in `context` are not applied: give
    as context what the graph says about the nodes the new triples mention.
    """
    from kgtool import reasoner

    check_mode(mode)
    if mode == "none":
        return set()
    new = list(new_triples)
    schema = _schema_triples(kg, mode)
    if mode == "owlrl" and reasoner.unsupported(schema + new):
        base = schema + list(context)
        return fast_closure(base + new, mode) - fast_closure(base, mode) - set(base) - set(new)
    state = reasoner.Reasoner(mode)
    state.add(schema)
    state.add(context)
    return state.add(new)


def outside_closure(kg: KnowledgeGraph, mode: Mode, store: ox.Store | None = None) -> set[Triple]:
    """The part of the closure that needs a triple from outside the post (`needs_outside`), cached per
    graph version and mode like the closure (and, like it, not cached when it names blank nodes)."""
    check_mode(mode)
    if mode == "none":
        return set()
    entry = _entry(kg, mode, "outside")
    cached = _read_nt(entry)
    if cached is not None:
        return set(cached)
    added = closure(kg, mode, store)
    triples = _kg_triples(kg) if store is None else [(q.subject, q.predicate, q.object) for q in store]
    found = needs_outside(triples, added, mode)
    if not any(isinstance(term, ox.BlankNode) for triple in found for term in triple):
        _write_nt(entry, sorted(found, key=str))
    return found


def inferred_quads(kg: KnowledgeGraph, mode: Mode, store: ox.Store | None = None) -> list[ox.Quad]:
    """The triples the closure of the whole graph adds, as quads in `INFERRED_GRAPH`, or in
    `INFERRED_OUTSIDE_GRAPH` for those that need a triple from outside the post.

    This is the entry point for queries and exports (`--infer`); it is cached per graph version.
    Pass the `store` the quads will join so that inferred triples about blank nodes use its ids.
    """
    check_mode(mode)
    graph, outside_graph = ox.NamedNode(INFERRED_GRAPH), ox.NamedNode(INFERRED_OUTSIDE_GRAPH)
    outside = outside_closure(kg, mode, store)
    return [
        ox.Quad(s, p, o, outside_graph if (s, p, o) in outside else graph)  # type: ignore[arg-type]
        for s, p, o in closure(kg, mode, store)
    ]


_XSD = "http://www.w3.org/2001/XMLSchema#"
_DATATYPE_IRIS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#" + n
    for n in ("langString", "PlainLiteral", "XMLLiteral", "HTML")
} | {"http://www.w3.org/2000/01/rdf-schema#Literal"}
_REFLEXIVE_NOISE = {
    "http://www.w3.org/2002/07/owl#sameAs",
    "http://www.w3.org/2002/07/owl#equivalentClass",
    "http://www.w3.org/2002/07/owl#equivalentProperty",
    "http://www.w3.org/2000/01/rdf-schema#subClassOf",
    "http://www.w3.org/2000/01/rdf-schema#subPropertyOf",
}
_ERRNS = "http://www.daml.org/2002/03/agents/agent-ont#"


def comparable(
    added: Iterable[tuple[Any, Any, Any]], asserted: rdflib.Graph, mode: Mode
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
            or (isinstance(s, URIRef) and (str(s).startswith(_XSD) or str(s) in _DATATYPE_IRIS))
            or (s == o and str(p) in _REFLEXIVE_NOISE)
            or (str(p) == str(RDF_TYPE) and str(o) == "http://www.w3.org/2000/01/rdf-schema#Resource")
            or str(p).startswith(_ERRNS)
            or str(o).startswith(_ERRNS)
            or isinstance(p, BNode)
        )

    from rdflib import Graph

    baseline = {(key(s), key(p), key(o)) for s, p, o in asserted}
    baseline |= {(key(s), key(p), key(o)) for s, p, o in owlrl_closure(Graph(), mode)}
    return {(key(s), key(p), key(o)) for s, p, o in added if not noise(s, p, o)} - baseline
