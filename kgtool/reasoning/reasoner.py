"""A forward-chaining RDFS / OWL 2 RL reasoner in Python over indexed sets of pyoxigraph terms.

It implements the rules of owlrl (the reference, `kgtool.reasoning.owlrl_reference`) that produce useful
triples, semi-naively: every new triple is matched once against the schema (`kgtool.reasoning.schema`)
and the indexed facts, so adding triples to a closed state costs only what they entail
(`Reasoner.add`). Each rule is named as in the W3C specifications: RDF 1.1 Semantics (rdf1, rdfs2,
...) and the OWL 2 RL profile (cax-sco, prp-spo1, cls-hv1, eq-rep-s, ...). Left out on purpose, as
noise that `owlrl_reference.comparable` also drops from owlrl's output: reflexive subClassOf /
subPropertyOf / equivalentClass / equivalentProperty / sameAs, `rdf:type rdfs:Resource`, datatype
axioms, and triples about literals. Constructs it does not implement are reported by
`rule_terms.unsupported()`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kgtool.options import InferMode
from kgtool.reasoning.rule_terms import (
    DATATYPE,
    PROPERTY,
    RDFS_CLASS,
    REFLEXIVE,
    SAME_AS,
    SCO,
    SPO,
    THING,
    TYPE,
    is_schema,
)
from kgtool.reasoning.schema import build_schema
from kgtool.vocab import Term, Triple


class Reasoner:
    """Closure state: facts, their indexes and the schema; `add` extends it by the new triples' closure."""

    def __init__(self, mode: InferMode) -> None:
        self.mode = mode
        self.facts: set[Triple] = set()
        self.schema_triples: list[Triple] = []
        self.schema = build_schema((), mode)
        self.types: dict[Term, set[Term]] = defaultdict(set)
        self.sp_o: dict[tuple[Term, Term], set[Term]] = defaultdict(set)
        self.po_s: dict[tuple[Term, Term], set[Term]] = defaultdict(set)
        self.out: dict[Term, set[tuple[Term, Term]]] = defaultdict(set)
        self.inc: dict[Term, set[tuple[Term, Term]]] = defaultdict(set)
        self._indexed: set[Term] = set()
        self.predicates: set[Term] = set()
        self._same_as = False
        self._queue: list[Triple] = []
        self._dirty = False

    def add(self, triples: Iterable[Triple]) -> set[Triple]:
        """Add triples and everything they entail; returns the entailed triples that were new."""
        new = [t for t in triples if t not in self.facts]
        for t in new:
            self._insert(t)
        added: set[Triple] = set()
        fresh = set(new)
        self._dirty = self._dirty or any(is_schema(t) for t in new)
        while True:
            if self._dirty:
                self._rebuild(added)
                self._queue = list(self.facts)
            self._drain(added)
            if not self._dirty:
                break
        added.difference_update(fresh)
        return added

    def _rebuild(self, added: set[Triple]) -> None:
        self._dirty = False
        self.schema = build_schema(self.schema_triples, self.mode)
        indexed = self.schema.transitive | self.schema.functional | self.schema.inv_functional
        indexed |= set(self.schema.svf) | set(self.schema.avf_by_prop) | set(self.schema.chains)
        if self.mode is InferMode.OWLRL and self._same_as:
            indexed.add(SAME_AS)
        if indexed - self._indexed:
            self._indexed = indexed
            self.sp_o.clear()
            self.po_s.clear()
            self.out.clear()
            self.inc.clear()
            for t in self.facts:
                self._index(t)
        for t in self.schema.derived:
            if t not in self.facts:
                self._insert(t)
                added.add(t)
        self._dirty = False  # the derived axioms are already part of the schema just built

    def _insert(self, t: Triple) -> None:
        self.facts.add(t)
        self._queue.append(t)
        if t[1] == SAME_AS and not self._same_as:
            self._same_as = True  # equality rules need every triple indexed from now on
            self._dirty = self.mode is InferMode.OWLRL
        if is_schema(t):
            self.schema_triples.append(t)
            self._dirty = True
        self._index(t)

    def _index(self, t: Triple) -> None:
        s, p, o = t
        self.predicates.add(p)
        if p == TYPE:
            self.types[s].add(o)
        if p in self._indexed:
            self.sp_o[(s, p)].add(o)
            self.po_s[(p, o)].add(s)
        if SAME_AS in self._indexed:
            self.out[s].add((p, o))
            self.inc[o].add((s, p))

    def _emit(self, t: Triple, added: set[Triple]) -> None:
        if t[0] == t[2] and t[1] in REFLEXIVE:
            return
        if t not in self.facts and not isinstance(t[0], ox.Literal):
            self._insert(t)
            added.add(t)

    def _drain(self, added: set[Triple]) -> None:
        """Apply the rules to every queued triple until the queue is empty or the schema changed."""
        mode_rules = self._owl_rules if self.mode is InferMode.OWLRL else self._rdfs_rules
        queue = self._queue
        while queue and not self._dirty:
            t = queue.pop()
            self._common_rules(t, added)
            mode_rules(t, added)
        if not self._dirty:
            for x, c in self.schema.one_of:  # cls-oo
                self._emit((x, TYPE, c), added)

    def _common_rules(self, t: Triple, added: set[Triple]) -> None:
        """The rules both modes share: cax-sco (rdfs9), prp-spo1 (rdfs7), prp-dom (rdfs2), prp-rng (rdfs3)."""
        s, p, o = t
        sch, emit = self.schema, self._emit
        if p == TYPE:
            for c in sch.sup_class.get(o, ()):
                emit((s, TYPE, c), added)
        for q in sch.sup_prop.get(p, ()):
            emit((s, q, o), added)
        for c in sch.domain.get(p, ()):
            emit((s, TYPE, c), added)
        if not isinstance(o, ox.Literal):
            for c in sch.range.get(p, ()):
                emit((o, TYPE, c), added)

    def _rdfs_rules(self, t: Triple, added: set[Triple]) -> None:
        """rdf1; and, as owlrl derives reflexive subPropertyOf/subClassOf, rdf1 on those too."""
        _, p, o = t
        self._emit((p, TYPE, PROPERTY), added)
        self._emit((SPO, TYPE, PROPERTY), added)
        if p == TYPE and o in (RDFS_CLASS, DATATYPE):
            self._emit((SCO, TYPE, PROPERTY), added)

    def _owl_rules(self, t: Triple, added: set[Triple]) -> None:
        """The OWL 2 RL instance rules: property characteristics, class expressions, chains, equality."""
        s, p, o = t
        if p == TYPE:
            self._type_rules(s, o, added)
        self._property_rules(t, added)
        self._restriction_rules(t, added)
        for chain_p, pos, members in self.schema.chains.get(p, ()):
            self._chain(s, o, chain_p, pos, members, added)
        if SAME_AS in self._indexed:
            self._equality(t, added)

    def _property_rules(self, t: Triple, added: set[Triple]) -> None:
        """prp-inv1/2, prp-symp, prp-trp, prp-fp, prp-ifp."""
        s, p, o = t
        sch, emit = self.schema, self._emit
        if not isinstance(o, ox.Literal):
            for q in sch.inverse.get(p, ()):
                emit((o, q, s), added)
            if p in sch.symmetric:
                emit((o, p, s), added)
        if p in sch.transitive:
            for z in list(self.sp_o.get((o, p), ())):
                emit((s, p, z), added)
            for x in list(self.po_s.get((p, s), ())):
                emit((x, p, o), added)
        if p in sch.functional:
            for y in list(self.sp_o.get((s, p), ())):
                if y != o:
                    emit((o, SAME_AS, y), added)
                    emit((y, SAME_AS, o), added)
        if p in sch.inv_functional:
            for x in list(self.po_s.get((p, o), ())):
                if x != s:
                    emit((s, SAME_AS, x), added)
                    emit((x, SAME_AS, s), added)

    def _restriction_rules(self, t: Triple, added: set[Triple]) -> None:
        """A property value arriving: cls-hv1, cls-svf1/2, cls-avf."""
        s, p, o = t
        sch, emit = self.schema, self._emit
        for r in sch.hv_by_pair.get((p, o), ()):
            emit((s, TYPE, r), added)
        for r, y in sch.svf.get(p, ()):
            if y == THING or y in self.types.get(o, ()):
                emit((s, TYPE, r), added)
        for r, y in sch.avf_by_prop.get(p, ()):
            if r in self.types.get(s, ()):
                emit((o, TYPE, y), added)

    def _type_rules(self, s: Term, c: Term, added: set[Triple]) -> None:
        """A type arriving: cls-hv2, cls-svf1, cls-avf, cls-int1."""
        sch = self.schema
        for q, v in sch.hv_by_class.get(c, ()):
            self._emit((s, q, v), added)
        for r, q in sch.svf_by_filler.get(c, ()):
            for u in list(self.po_s.get((q, s), ())):
                self._emit((u, TYPE, r), added)
        for q, y in sch.avf.get(c, ()):
            for v in list(self.sp_o.get((s, q), ())):
                if not isinstance(v, ox.Literal):
                    self._emit((v, TYPE, y), added)
        if sch.intersections:
            have = self.types.get(s, set())
            for group in (sch.intersections.get(k, ()) for k in list(have)):
                for whole, parts in group:
                    if all(part in have for part in parts):
                        self._emit((s, TYPE, whole), added)

    def _chain(
        self, s: Term, o: Term, chain_p: Term, pos: int, members: list[Term], added: set[Triple]
    ) -> None:
        """prp-spo2: a new link at `pos` joins every path through the chain's other members."""
        lefts = {s}
        for member in reversed(members[:pos]):
            lefts = {x for node in lefts for x in self.po_s.get((member, node), ())}
        rights = {o}
        for member in members[pos + 1 :]:
            rights = {z for node in rights for z in self.sp_o.get((node, member), ())}
        for x in lefts:
            for z in rights:
                self._emit((x, chain_p, z), added)

    def _equality(self, t: Triple, added: set[Triple]) -> None:
        """eq-sym, eq-trans, eq-rep-s/p/o: copy statements across owl:sameAs."""
        s, p, o = t
        if p == SAME_AS and s != o:
            self._emit((o, SAME_AS, s), added)
            for q, z in list(self.out.get(s, ())):
                self._emit((o, q, z), added)
            for x, q in list(self.inc.get(s, ())):
                self._emit((x, q, o), added)
            if s in self.predicates:
                for x, z in list(self._uses(s)):
                    self._emit((x, o, z), added)
        for alias in self._aliases(s):
            self._emit((alias, p, o), added)
        for alias in self._aliases(o):
            self._emit((s, p, alias), added)
        for alias in self._aliases(p):
            self._emit((s, alias, o), added)

    def _aliases(self, term: Term) -> list[Term]:
        return [z for z in self.sp_o.get((term, SAME_AS), ()) if z != term]

    def _uses(self, prop: Term) -> Iterable[tuple[Term, Term]]:
        """(subject, object) pairs of a property used as predicate (eq-rep-p; rare, so a scan)."""
        for subj, pairs in list(self.out.items()):
            for q, obj in list(pairs):
                if q == prop:
                    yield subj, obj


def closure(triples: Iterable[Triple], mode: InferMode) -> set[Triple]:
    """The triples the closure of `triples` adds (none of the input triples)."""
    reasoner = Reasoner(mode)
    return reasoner.add(triples)
