"""Every namespace kgtool writes into code, kgtool's own graph IRIs, and the RDF term types its modules
share: one home for each, so no module spells an IRI of its own.

Namespaces are plain strings (`XSD + "date"`), cheap to import on the query path; `prefixes()` gives the
conventional prefix names for them. `Term` is any RDF term a triple can hold (as pyoxigraph types it),
`Triple` three of them.
"""

from __future__ import annotations

from typing import TypeAlias

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
VOID = "http://rdfs.org/ns/void#"
#: The namespace of the W3C SPARQL 1.1 XML results format.
SPARQL_RESULTS = "http://www.w3.org/2005/sparql-results#"
#: kgtool's own ontology.
KGO = "https://w3id.org/kgtool/ontology#"

RDF_TYPE = RDF + "type"
XSD_STRING = XSD + "string"

#: kgtool's own named graphs: the only graphs a query may name in FROM / FROM NAMED, never fetched.
KGTOOL_GRAPHS = "https://w3id.org/kgtool/graph/"
#: The named graph that holds inferred triples, in query datasets and quad-format exports.
INFERRED_GRAPH = KGTOOL_GRAPHS + "inferred"
#: Named graph of the inferred triples that follow only with a triple from outside the post.
INFERRED_OUTSIDE_GRAPH = KGTOOL_GRAPHS + "inferred-outside"
#: What a lookup parameter is bound to when no resource has the name given: an IRI no graph carries.
NO_MATCH = "https://w3id.org/kgtool/no-match"
#: Where the graph's own resources live (`event/...`, `actor/...`); `kgtool serve` answers for them.
INSTANCES = "https://w3id.org/kgtool/iraq/"
#: The named graph `kgtool push` puts the graph's ontology, shapes and data files in on a remote store.
PUSHED_GRAPH = KGTOOL_GRAPHS + "iraq"
#: The IRIs of `kgtool add` contributions (their named graphs and PROV records).
CONTRIBUTIONS = INSTANCES + "contribution/"

_PREFIXES = {
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "sh": SH,
    "void": VOID,
    "xsd": XSD,
}

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal
Triple: TypeAlias = tuple[Term, Term, Term]


def prefixes(*names: str) -> dict[str, str]:
    """The conventional prefix names for some of these namespaces, e.g. `prefixes("rdf", "xsd")`."""
    return {name: _PREFIXES[name] for name in names}
