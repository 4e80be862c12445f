"""The RDFS schema builder: the class and property hierarchies with the RDFS axioms owlrl applies, and
the domain and range tables (W3C RDF 1.1 Semantics rule names)."""

from __future__ import annotations

from kgtool.reasoning.rule_terms import (
    CMP,
    DATATYPE,
    DOMAIN,
    MEMBER,
    RANGE,
    RDFS_CLASS,
    RDFS_LITERAL,
    RESOURCE,
    SCO,
    SPO,
)
from kgtool.reasoning.schema import Schema, SchemaTriples, direct_table


def build(read: SchemaTriples) -> Schema:
    """The schema for RDFS inference."""
    schema = Schema()
    sco, spo = read.edges(SCO), read.edges(SPO)
    for c in read.types[RDFS_CLASS]:
        sco[c].add(RESOURCE)  # rdfs8
    for c in read.types[DATATYPE]:
        sco[c].add(RDFS_LITERAL)  # rdfs13
    for p in read.types[CMP]:
        spo[p].add(MEMBER)  # rdfs12
    schema.close_hierarchies(sco, spo)  # rdfs11, rdfs5
    schema.domain = direct_table(read.by_p[DOMAIN])  # rdfs2
    schema.range = direct_table(read.by_p[RANGE])  # rdfs3
    return schema
