"""The OWL 2 RL schema builder: hierarchies with equivalences, class expressions and restrictions, the
closed domain and range tables, property characteristics and chains. Each step names the rules of the
W3C OWL 2 RL profile (tables 4-9 of "OWL 2 Web Ontology Language Profiles") it prepares or applies."""

from __future__ import annotations

from collections import defaultdict

from kgtool.reasoning.rule_terms import (
    ALL_VALUES,
    CHAIN,
    DOMAIN,
    EQ_CLASS,
    EQ_PROP,
    FUNCTIONAL,
    HAS_VALUE,
    INTERSECTION,
    INV_FUNCTIONAL,
    INVERSE,
    NOTHING,
    ON_PROPERTY,
    ONE_OF,
    OWL_CLASS,
    RANGE,
    SCO,
    SOME_VALUES,
    SPO,
    SYMMETRIC,
    THING,
    TRANSITIVE,
    UNION,
)
from kgtool.reasoning.schema import Schema, SchemaTriples, direct_table, transitive_closure
from kgtool.vocab import Term

Edges = dict[Term, set[Term]]


def build(read: SchemaTriples) -> Schema:
    """The schema for OWL 2 RL inference."""
    schema = Schema()
    sco, spo = read.edges(SCO), read.edges(SPO)
    _equivalences(read, sco, spo)
    _class_axioms(read, schema, sco)
    on_prop: dict[Term, list[Term]] = defaultdict(list)
    for r, p in read.by_p[ON_PROPERTY]:
        on_prop[r].append(p)
    _restrictions(read, schema, on_prop)
    _restriction_hierarchy(read, on_prop, sco, spo)
    schema.close_hierarchies(sco, spo)  # scm-sco, scm-spo
    _mutual_subsumption(schema)
    schema.domain = _closed_typing(schema, direct_table(read.by_p[DOMAIN]), DOMAIN)
    schema.range = _closed_typing(schema, direct_table(read.by_p[RANGE]), RANGE)
    _property_characteristics(read, schema)
    return schema


def _equivalences(read: SchemaTriples, sco: Edges, spo: Edges) -> None:
    """scm-eqc1, scm-eqp1: equivalent classes (properties) are subclasses (subproperties) both ways."""
    for s, o in read.by_p[EQ_CLASS]:
        sco[s].add(o)
        sco[o].add(s)
    for s, o in read.by_p[EQ_PROP]:
        spo[s].add(o)
        spo[o].add(s)


def _class_axioms(read: SchemaTriples, schema: Schema, sco: Edges) -> None:
    """scm-cls (every class is under owl:Thing, above owl:Nothing), scm-int and scm-uni (an
    intersection is a subclass of its parts, a union a superclass of them); cls-int1's table."""
    for c in read.types[OWL_CLASS]:
        sco[c].add(THING)
        sco[NOTHING].add(c)
    intersections: dict[Term, list[tuple[Term, list[Term]]]] = defaultdict(list)
    for c, head in read.by_p[INTERSECTION]:
        parts = read.items(head)
        for part in parts:
            sco[c].add(part)
        if parts:
            intersections[parts[0]].append((c, parts))
    schema.intersections = intersections
    for c, head in read.by_p[UNION]:
        for part in read.items(head):
            sco[part].add(c)


def _restrictions(read: SchemaTriples, schema: Schema, on_prop: dict[Term, list[Term]]) -> None:
    """The tables of cls-hv1/2 (hasValue), cls-svf1/2 (someValuesFrom), cls-avf (allValuesFrom) and
    cls-oo (oneOf)."""
    hv_by_pair: dict[tuple[Term, Term], set[Term]] = defaultdict(set)
    hv_by_class: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
    svf: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
    svf_by_filler: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
    avf: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
    avf_by_prop: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
    for r, v in read.by_p[HAS_VALUE]:
        for q in on_prop[r]:
            hv_by_pair[(q, v)].add(r)
            hv_by_class[r].append((q, v))
    for r, y in read.by_p[SOME_VALUES]:
        for q in on_prop[r]:
            svf[q].append((r, y))
            svf_by_filler[y].append((r, q))
    for r, y in read.by_p[ALL_VALUES]:
        for q in on_prop[r]:
            avf[r].append((q, y))
            avf_by_prop[q].append((r, y))
    schema.hv_by_pair, schema.hv_by_class = hv_by_pair, hv_by_class
    schema.svf, schema.svf_by_filler = svf, svf_by_filler
    schema.avf, schema.avf_by_prop = avf, avf_by_prop
    schema.one_of = [(x, c) for c, head in read.by_p[ONE_OF] for x in read.items(head)]


def _restriction_hierarchy(
    read: SchemaTriples, on_prop: dict[Term, list[Term]], sco: Edges, spo: Edges
) -> None:
    """scm-hv, scm-svf1/2, scm-avf1/2: subclass links between restrictions (a fixpoint, schema sized)."""
    changed = True
    while changed:
        changed = False
        sup_c, sup_p = transitive_closure(sco), transitive_closure(spo)
        for filler_p in (HAS_VALUE, SOME_VALUES, ALL_VALUES):
            pairs = read.by_p[filler_p]
            for c1, y1 in pairs:
                for c2, y2 in pairs:
                    if c1 == c2:
                        continue
                    for p1 in on_prop[c1]:
                        for p2 in on_prop[c2]:
                            link = _restriction_link(filler_p, (c1, y1, p1), (c2, y2, p2), sup_c, sup_p)
                            if link and link[1] not in sco[link[0]]:
                                sco[link[0]].add(link[1])
                                changed = True


def _restriction_link(
    filler_p: Term,
    first: tuple[Term, Term, Term],
    second: tuple[Term, Term, Term],
    sup_c: dict[Term, frozenset[Term]],
    sup_p: dict[Term, frozenset[Term]],
) -> tuple[Term, Term] | None:
    """The (sub, super) link two restrictions (class, filler, property) get, if any."""
    (c1, y1, p1), (c2, y2, p2) = first, second
    sub_p = p1 == p2 or p2 in sup_p.get(p1, ())
    if filler_p == HAS_VALUE:
        return (c1, c2) if y1 == y2 and sub_p else None  # scm-hv
    if p1 == p2 and (y1 == y2 or y2 in sup_c.get(y1, ())):
        return (c1, c2)  # scm-svf1, scm-avf1
    if y1 == y2 and sub_p:
        return (c2, c1) if filler_p == ALL_VALUES else (c1, c2)  # scm-avf2, scm-svf2
    return None


def _mutual_subsumption(schema: Schema) -> None:
    """scm-eqc2, scm-eqp2: classes (properties) subsumed both ways are equivalent."""
    for c, sups in schema.sup_class.items():
        schema.derived.update((c, EQ_CLASS, d) for d in sups if c in schema.sup_class.get(d, ()))
    for p, sups in schema.sup_prop.items():
        schema.derived.update((p, EQ_PROP, q) for q in sups if p in schema.sup_prop.get(q, ()))


def _closed_typing(schema: Schema, table: Edges, pred: Term) -> Edges:
    """prp-dom / prp-rng tables closed under scm-dom1/2 (scm-rng1/2): a domain's superclasses are
    domains too, and so are a property's for its subproperties."""
    closed: Edges = defaultdict(set)
    subs: Edges = defaultdict(set)
    for p, sups in schema.sup_prop.items():
        for q in sups:
            subs[q].add(p)
    for p, classes in table.items():
        for c in classes:
            for target in {c} | schema.sup_class.get(c, frozenset()):
                for prop in {p} | subs.get(p, set()):
                    closed[prop].add(target)
    for p, classes in closed.items():
        schema.derived.update((p, pred, c) for c in classes if c not in table.get(p, ()))
    return closed


def _property_characteristics(read: SchemaTriples, schema: Schema) -> None:
    """The tables of prp-inv1/2, prp-symp, prp-trp, prp-fp, prp-ifp and prp-spo2 (property chains)."""
    inverse: Edges = defaultdict(set)
    for p1, p2 in read.by_p[INVERSE]:
        inverse[p1].add(p2)
        inverse[p2].add(p1)
    schema.inverse = inverse
    schema.symmetric = set(read.types[SYMMETRIC])
    schema.transitive = set(read.types[TRANSITIVE])
    schema.functional = set(read.types[FUNCTIONAL])
    schema.inv_functional = set(read.types[INV_FUNCTIONAL])
    chains: dict[Term, list[tuple[Term, int, list[Term]]]] = defaultdict(list)
    for p, head in read.by_p[CHAIN]:
        members = read.items(head)
        for pos, member in enumerate(members):
            chains[member].append((p, pos, members))
    schema.chains = chains
