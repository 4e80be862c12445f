"""The reference the fast reasoner is checked against: owlrl's closure, and the one normalisation under
which both must give the same set (tests/reasoning/test_closure.py). owlrl also serves the few OWL 2
RL constructs the fast reasoner lacks (`rule_terms.UNSUPPORTED`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kgtool.options import InferMode
from kgtool.vocab import OWL, RDF, RDF_TYPE, RDFS, XSD

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
