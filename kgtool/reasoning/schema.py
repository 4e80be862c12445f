"""The schema the reasoner's instance rules are driven by: class and property hierarchies and the
lookup tables of the rules, built from the schema triples by the RDFS builder (`rdfs_schema`) or the
OWL 2 RL one (`owl_schema`).

`build_schema` reads the triples once (`SchemaTriples`) and hands them to the builder of the mode.
`Schema.derived` collects the schema triples a builder entails (scm-sco, scm-dom1, ...): the reasoner
adds them to the facts. Rule names are those of the W3C RDF Semantics (rdfs2, ...) and OWL 2 RL
profile (cax-sco, prp-spo1, ...) specifications.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kgtool.options import InferMode
from kgtool.reasoning.rule_terms import FIRST, NIL, REST, SCO, SPO, TYPE
from kgtool.vocab import Term, Triple

Pairs = list[tuple[Term, Term]]


@dataclass
class SchemaTriples:
    """The schema triples read once: (subject, object) pairs by predicate, instances by class."""

    by_p: dict[Term, Pairs]
    types: dict[Term, set[Term]]
    first: dict[Term, Term] = field(default_factory=dict)  # RDF list cells
    rest: dict[Term, Term] = field(default_factory=dict)

    @classmethod
    def read(cls, triples: Iterable[Triple]) -> SchemaTriples:
        by_p: dict[Term, Pairs] = defaultdict(list)
        types: dict[Term, set[Term]] = defaultdict(set)
        for s, p, o in triples:
            if p == TYPE:
                types[o].add(s)
            else:
                by_p[p].append((s, o))
        return cls(by_p, types, dict(by_p[FIRST]), dict(by_p[REST]))

    def edges(self, predicate: Term) -> dict[Term, set[Term]]:
        """subject -> objects of one predicate (a hierarchy's direct links)."""
        out: dict[Term, set[Term]] = defaultdict(set)
        for s, o in self.by_p[predicate]:
            out[s].add(o)
        return out

    def items(self, head: Term) -> list[Term]:
        """The members of the RDF list starting at `head` (a cycle ends it)."""
        out, seen = [], set()
        while head in self.first and head not in seen:
            seen.add(head)
            out.append(self.first[head])
            head = self.rest.get(head, NIL)
        return out


@dataclass
class Schema:
    """Lookup tables for the instance rules; the OWL 2 RL ones stay empty in RDFS mode."""

    sup_class: dict[Term, frozenset[Term]] = field(default_factory=dict)  # cax-sco / rdfs9
    sup_prop: dict[Term, frozenset[Term]] = field(default_factory=dict)  # prp-spo1 / rdfs7
    domain: dict[Term, set[Term]] = field(default_factory=dict)  # prp-dom / rdfs2
    range: dict[Term, set[Term]] = field(default_factory=dict)  # prp-rng / rdfs3
    derived: set[Triple] = field(default_factory=set)  # schema triples the builder entailed
    intersections: dict[Term, list[tuple[Term, list[Term]]]] = field(default_factory=dict)  # cls-int1
    hv_by_pair: dict[tuple[Term, Term], set[Term]] = field(default_factory=dict)  # cls-hv1
    hv_by_class: dict[Term, Pairs] = field(default_factory=dict)  # cls-hv2: R -> (q, v)
    svf: dict[Term, Pairs] = field(default_factory=dict)  # cls-svf1/2: property -> (R, Y)
    svf_by_filler: dict[Term, Pairs] = field(default_factory=dict)  # cls-svf1: Y -> (R, q)
    avf: dict[Term, Pairs] = field(default_factory=dict)  # cls-avf: R -> (q, Y)
    avf_by_prop: dict[Term, Pairs] = field(default_factory=dict)  # cls-avf: q -> (R, Y)
    one_of: Pairs = field(default_factory=list)  # cls-oo: (member, class)
    inverse: dict[Term, set[Term]] = field(default_factory=dict)  # prp-inv1/2
    symmetric: set[Term] = field(default_factory=set)  # prp-symp
    transitive: set[Term] = field(default_factory=set)  # prp-trp
    functional: set[Term] = field(default_factory=set)  # prp-fp
    inv_functional: set[Term] = field(default_factory=set)  # prp-ifp
    chains: dict[Term, list[tuple[Term, int, list[Term]]]] = field(default_factory=dict)  # prp-spo2

    def close_hierarchies(self, sco: dict[Term, set[Term]], spo: dict[Term, set[Term]]) -> None:
        """scm-sco / rdfs11 and scm-spo / rdfs5: the transitive class and property hierarchies."""
        self.sup_class = transitive_closure(sco)
        self.sup_prop = transitive_closure(spo)
        for c, sups in self.sup_class.items():
            self.derived.update((c, SCO, d) for d in sups)
        for p, sups in self.sup_prop.items():
            self.derived.update((p, SPO, q) for q in sups)


def transitive_closure(edges: dict[Term, set[Term]]) -> dict[Term, frozenset[Term]]:
    """Strict transitive closure of a small relation (schema sized)."""
    out: dict[Term, frozenset[Term]] = {}
    for start in edges:
        seen: set[Term] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            stack.extend(edges.get(node, ()))
        seen.discard(start)
        out[start] = frozenset(seen)
    return out


def direct_table(pairs: Pairs) -> dict[Term, set[Term]]:
    """subject -> objects, e.g. property -> its declared domains."""
    table: dict[Term, set[Term]] = defaultdict(set)
    for s, o in pairs:
        table[s].add(o)
    return table


def build_schema(triples: Iterable[Triple], mode: InferMode) -> Schema:
    """The schema of `triples` for the rules of `mode` (rdfs or owlrl)."""
    from kgtool.reasoning import owl_schema, rdfs_schema

    read = SchemaTriples.read(triples)
    return owl_schema.build(read) if mode is InferMode.OWLRL else rdfs_schema.build(read)
