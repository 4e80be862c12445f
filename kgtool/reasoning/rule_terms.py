"""The RDF, RDFS and OWL terms the inference rules match, as pyoxigraph terms, and which triples count
as schema (the triples that drive the instance rules)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kgtool.vocab import OWL as _OWL
from kgtool.vocab import RDF as _RDF
from kgtool.vocab import RDFS as _RDFS
from kgtool.vocab import Triple


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


TYPE = _n(_RDF + "type")
PROPERTY = _n(_RDF + "Property")
FIRST, REST, NIL = _n(_RDF + "first"), _n(_RDF + "rest"), _n(_RDF + "nil")
SCO, SPO = _n(_RDFS + "subClassOf"), _n(_RDFS + "subPropertyOf")
DOMAIN, RANGE = _n(_RDFS + "domain"), _n(_RDFS + "range")
RDFS_CLASS, RESOURCE = _n(_RDFS + "Class"), _n(_RDFS + "Resource")
RDFS_LITERAL, DATATYPE = _n(_RDFS + "Literal"), _n(_RDFS + "Datatype")
CMP, MEMBER = _n(_RDFS + "ContainerMembershipProperty"), _n(_RDFS + "member")
OWL_CLASS, THING, NOTHING = _n(_OWL + "Class"), _n(_OWL + "Thing"), _n(_OWL + "Nothing")
EQ_CLASS, EQ_PROP = _n(_OWL + "equivalentClass"), _n(_OWL + "equivalentProperty")
INVERSE, SAME_AS = _n(_OWL + "inverseOf"), _n(_OWL + "sameAs")
SYMMETRIC, TRANSITIVE = _n(_OWL + "SymmetricProperty"), _n(_OWL + "TransitiveProperty")
FUNCTIONAL, INV_FUNCTIONAL = _n(_OWL + "FunctionalProperty"), _n(_OWL + "InverseFunctionalProperty")
ON_PROPERTY, HAS_VALUE = _n(_OWL + "onProperty"), _n(_OWL + "hasValue")
SOME_VALUES, ALL_VALUES = _n(_OWL + "someValuesFrom"), _n(_OWL + "allValuesFrom")
INTERSECTION, UNION, ONE_OF = _n(_OWL + "intersectionOf"), _n(_OWL + "unionOf"), _n(_OWL + "oneOf")
CHAIN = _n(_OWL + "propertyChainAxiom")

#: Predicates whose triples make up the schema; deriving one of them makes the reasoner rebuild it.
SCHEMA_PREDICATES = frozenset(
    {
        SCO,
        SPO,
        DOMAIN,
        RANGE,
        EQ_CLASS,
        EQ_PROP,
        INVERSE,
        ON_PROPERTY,
        HAS_VALUE,
        SOME_VALUES,
        ALL_VALUES,
        INTERSECTION,
        UNION,
        ONE_OF,
        CHAIN,
        FIRST,
        REST,
    }
)
#: Classes whose instances are schema terms (property characteristics, classes).
SCHEMA_TYPES = frozenset(
    {SYMMETRIC, TRANSITIVE, FUNCTIONAL, INV_FUNCTIONAL, OWL_CLASS, RDFS_CLASS, DATATYPE, CMP}
)
#: Predicates whose reflexive triples (x p x) are never emitted: true of everything, so noise.
REFLEXIVE = frozenset({SAME_AS, SCO, SPO, EQ_CLASS, EQ_PROP})
#: OWL 2 RL constructs owlrl implements and this reasoner does not (callers fall back to owlrl).
UNSUPPORTED = tuple(_n(_OWL + name) for name in ("hasKey", "maxCardinality", "maxQualifiedCardinality"))


def is_schema(t: Triple) -> bool:
    """True for triples that change the schema the instance rules are driven by."""
    return t[1] in SCHEMA_PREDICATES or (t[1] == TYPE and t[2] in SCHEMA_TYPES)


def unsupported(triples: Iterable[Triple]) -> list[str]:
    """The IRIs of constructs used in `triples` that this reasoner does not implement."""
    found = {t[1].value for t in triples if t[1] in UNSUPPORTED}
    return sorted(found)
