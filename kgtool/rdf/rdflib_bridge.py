"""The bridge to rdflib, for the steps that need its graphs (pyshacl, owlrl, the rdflib engine, export's
blank node canonicaliser): rdflib graphs are built from quads pyoxigraph parsed, so rdflib never parses
(or fetches) anything itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgtool.errors import InputError
from kgtool.rdf.parsing import ParsedFile, parse_file
from kgtool.vocab import XSD_STRING

if TYPE_CHECKING:
    import rdflib


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> rdflib.term.Node:
    """Convert one pyoxigraph term to the equal rdflib term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)  # RDF 1.1 simple literal: what rdflib's own parsers produce
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise InputError(f"unsupported RDF term {term!r} (RDF-star triple terms are not supported)")


def from_rdflib_term(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert one rdflib term to the equal pyoxigraph term (the other half of the bridge)."""
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
    raise TypeError(f"unsupported RDF term {term!r}")


def quads_to_rdflib(quads: Iterable[ox.Quad], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Add quads' triples to an rdflib Graph (named graphs are merged)."""
    from rdflib import Graph

    target = Graph() if graph is None else graph
    add = target.add
    for q in quads:
        add((to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object)))
    return target


def rdflib_graph(parsed: Iterable[ParsedFile]) -> rdflib.Graph:
    """Parsed files as one merged rdflib Graph, with the files' prefixes bound."""
    from rdflib import Graph

    graph = Graph()
    for pf in parsed:
        quads_to_rdflib(pf.quads, graph)
        for prefix, ns in pf.prefixes.items():
            graph.bind(prefix, ns, override=False)
    return graph


def load_rdflib(files: Sequence[Path], *, max_bytes: int | None = None) -> rdflib.Graph:
    """Parse files (by pyoxigraph) into one merged rdflib Graph, with the files' prefixes bound."""
    return rdflib_graph(parse_file(path, max_bytes=max_bytes) for path in files)
