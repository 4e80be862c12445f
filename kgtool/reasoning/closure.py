"""Inference: the RDFS or OWL 2 RL closure of a graph, returned as the triples it adds.

Inferred triples are never mixed silently into asserted data: callers get them separately and put
them in the named graph `vocab.INFERRED_GRAPH` (queries, exports) or report them apart. Inference must
not strip the outside-fact marking either: what the closure derives only with the help of a triple from
outside the post (`outside_triples`) goes into `vocab.INFERRED_OUTSIDE_GRAPH` instead (`needs_outside`).

Entry points:
- `inferred_quads(kg, mode)`: the closure of the whole graph as quads in `INFERRED_GRAPH`, computed by
  the fast reasoner (`kgtool.reasoning.reasoner`) once per graph version and cached on disk
  (`kgtool.store.cache`); queries, the on-disk index and exports use it.
- `fast_closure(triples, mode)`: the closure of any triples (validation infers with it over the
  context it read); owlrl (`kgtool.reasoning.owlrl_reference`) serves only the constructs the fast
  reasoner lacks.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgtool.options import InferMode
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.vocab import INFERRED_GRAPH, INFERRED_OUTSIDE_GRAPH, KGO, RDF, Triple


def _kg_triples(kg: KnowledgeGraph) -> list[Triple]:
    """The graph's triples, parsed straight from the files by pyoxigraph (named graphs merged)."""
    from kgtool.rdf.parsing import iter_quads

    return [(q.subject, q.predicate, q.object) for q in iter_quads(kg.files())]  # type: ignore[misc]


def fast_closure(triples: Iterable[Triple], mode: InferMode) -> set[Triple]:
    """The triples the closure adds, by the fast reasoner; owlrl only for constructs it lacks."""
    from kgtool.reasoning import reasoner
    from kgtool.reasoning.rule_terms import unsupported

    if mode is InferMode.NONE:
        return set()
    triples = list(triples)
    if mode is InferMode.OWLRL and unsupported(triples):
        from kgtool.rdf.rdflib_bridge import quads_to_rdflib
        from kgtool.reasoning.owlrl_reference import owlrl_closure

        graph = quads_to_rdflib(ox.Quad(s, p, o) for s, p, o in triples)  # type: ignore[arg-type]
        from kgtool.rdf.rdflib_bridge import from_rdflib_term as ox_term

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
        if p.value == KGO + "inPost" and isinstance(o, ox.Literal) and o.value in ("false", "0")
    }
    parts: dict[Any, dict[str, Any]] = {}
    for s, p, o in triples:
        if s in marked and p.value in (RDF + "subject", RDF + "predicate", RDF + "object"):
            parts.setdefault(s, {})[p.value] = o
    described = {
        (f[RDF + "subject"], f[RDF + "predicate"], f[RDF + "object"]) for f in parts.values() if len(f) == 3
    }
    return {t for t in triples if t[0] in marked or t in described}


def needs_outside(triples: Iterable[Triple], added: Iterable[Triple], mode: InferMode) -> set[Triple]:
    """Of the closure's `added` triples, those that do not follow from the post's triples alone."""
    triples = list(triples)
    outside = outside_triples(triples)
    if not outside:
        return set()
    post = [t for t in triples if t not in outside]
    from_post = fast_closure(post, mode) | set(post)
    return {t for t in added if t not in from_post}


def _entry(kg: KnowledgeGraph, mode: InferMode, kind: str = "closure") -> Path:
    from kgtool.store.cache import cache_dir, fingerprint

    return cache_dir() / "closure" / f"{fingerprint(kg)}-{mode.value}-{kind}.nt"


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


def outside_closure(kg: KnowledgeGraph, mode: InferMode, store: ox.Store | None = None) -> set[Triple]:
    """The part of the closure that needs a triple from outside the post (`needs_outside`), cached per
    graph version and mode like the closure (and, like it, not cached when it names blank nodes)."""
    if mode is InferMode.NONE:
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


def inferred_quads(kg: KnowledgeGraph, mode: InferMode, store: ox.Store | None = None) -> list[ox.Quad]:
    """The triples the closure of the whole graph adds, as quads in `INFERRED_GRAPH`, or in
    `INFERRED_OUTSIDE_GRAPH` for those that need a triple from outside the post.

    This is the entry point for queries and exports (`--infer`); it is cached per graph version.
    Pass the `store` the quads will join so that inferred triples about blank nodes use its ids.
    """
    graph, outside_graph = ox.NamedNode(INFERRED_GRAPH), ox.NamedNode(INFERRED_OUTSIDE_GRAPH)
    outside = outside_closure(kg, mode, store)
    return [
        ox.Quad(s, p, o, outside_graph if (s, p, o) in outside else graph)  # type: ignore[arg-type]
        for s, p, o in closure(kg, mode, store)
    ]
