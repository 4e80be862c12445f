"""A forward-chaining RDFS / OWL-RL reasoner in Python over indexed sets of pyoxigraph terms.

It implements the rules of owlrl (the reference, see `kgtool.reasoning.closure.owlrl_closure`) that produce
useful triples, semi-naively: every new triple is matched once against the schema and the indexed facts, so
adding triples to a closed state costs only what they entail (`Reasoner.add`). Left out on purpose, as
noise that `kgtool.reasoning.closure.comparable` also drops from owlrl's output: reflexive subClassOf /
subPropertyOf / equivalentClass / equivalentProperty / sameAs, `rdf:type rdfs:Resource`, datatype
axioms, and triples about literals. Constructs it does not implement are reported by `unsupported()`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kgtool.options import InferMode
from kgtool.vocab import OWL as _OWL
from kgtool.vocab import RDF as _RDF
from kgtool.vocab import RDFS as _RDFS
from kgtool.vocab import Term, Triple


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


def _closure(edges: dict[Term, set[Term]]) -> dict[Term, frozenset[Term]]:
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


class Schema:
    """The schema closure (class and property hierarchies, axioms) and lookup tables for the rules."""

    def __init__(self, triples: Iterable[Triple], mode: InferMode) -> None:
        owl = mode is InferMode.OWLRL
        by_p: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
        types: dict[Term, set[Term]] = defaultdict(set)
        for s, p, o in triples:
            if p == TYPE:
                types[o].add(s)
            else:
                by_p[p].append((s, o))
        self.derived: set[Triple] = set()
        rest = dict(by_p[REST])
        first = dict(by_p[FIRST])

        def items(head: Term) -> list[Term]:
            out, seen = [], set()
            while head in first and head not in seen:
                seen.add(head)
                out.append(first[head])
                head = rest.get(head, NIL)
            return out

        sco: dict[Term, set[Term]] = defaultdict(set)
        spo: dict[Term, set[Term]] = defaultdict(set)
        for s, o in by_p[SCO]:
            sco[s].add(o)
        for s, o in by_p[SPO]:
            spo[s].add(o)
        self.intersections: dict[Term, list[tuple[Term, list[Term]]]] = defaultdict(list)
        if owl:
            for s, o in by_p[EQ_CLASS]:
                sco[s].add(o)
                sco[o].add(s)
            for s, o in by_p[EQ_PROP]:
                spo[s].add(o)
                spo[o].add(s)
            for c in types[OWL_CLASS]:
                sco[c].add(THING)
                sco[NOTHING].add(c)
            for c, head in by_p[INTERSECTION]:
                parts = items(head)
                for part in parts:
                    sco[c].add(part)
                if parts:
                    self.intersections[parts[0]].append((c, parts))
            for c, head in by_p[UNION]:
                for part in items(head):
                    sco[part].add(c)
        else:
            for c in types[RDFS_CLASS]:
                sco[c].add(RESOURCE)
            for c in types[DATATYPE]:
                sco[c].add(RDFS_LITERAL)
            for p in types[CMP]:
                spo[p].add(MEMBER)

        on_prop: dict[Term, list[Term]] = defaultdict(list)
        for r, p in by_p[ON_PROPERTY]:
            on_prop[r].append(p)
        # Restrictions: (property, value) -> classes; class -> [(property, value)]; and the like.
        self.hv_by_pair: dict[tuple[Term, Term], set[Term]] = defaultdict(set)
        self.hv_by_class: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
        self.svf: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)  # property -> (R, Y)
        self.svf_by_filler: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)  # Y -> (R, q)
        self.avf: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)  # R -> (q, Y)
        self.avf_by_prop: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)  # q -> (R, Y)
        self.one_of: list[tuple[Term, Term]] = []
        if owl:
            for r, v in by_p[HAS_VALUE]:
                for q in on_prop[r]:
                    self.hv_by_pair[(q, v)].add(r)
                    self.hv_by_class[r].append((q, v))
            for r, y in by_p[SOME_VALUES]:
                for q in on_prop[r]:
                    self.svf[q].append((r, y))
                    self.svf_by_filler[y].append((r, q))
            for r, y in by_p[ALL_VALUES]:
                for q in on_prop[r]:
                    self.avf[r].append((q, y))
                    self.avf_by_prop[q].append((r, y))
            for c, head in by_p[ONE_OF]:
                self.one_of.extend((x, c) for x in items(head))
            self._restriction_hierarchy(by_p, on_prop, sco, spo)

        self.sup_class = _closure(sco)
        self.sup_prop = _closure(spo)
        for c, sups in self.sup_class.items():
            self.derived.update((c, SCO, d) for d in sups)
        for p, sups in self.sup_prop.items():
            self.derived.update((p, SPO, q) for q in sups)
        if owl:
            for c, sups in self.sup_class.items():
                self.derived.update((c, EQ_CLASS, d) for d in sups if c in self.sup_class.get(d, ()))
            for p, sups in self.sup_prop.items():
                self.derived.update((p, EQ_PROP, q) for q in sups if p in self.sup_prop.get(q, ()))

        self.domain = self._typing(by_p[DOMAIN], DOMAIN, owl)
        self.range = self._typing(by_p[RANGE], RANGE, owl)
        self.inverse: dict[Term, set[Term]] = defaultdict(set)
        self.symmetric: set[Term] = set()
        self.transitive: set[Term] = set()
        self.functional: set[Term] = set()
        self.inv_functional: set[Term] = set()
        if owl:
            for p1, p2 in by_p[INVERSE]:
                self.inverse[p1].add(p2)
                self.inverse[p2].add(p1)
            self.symmetric = set(types[SYMMETRIC])
            self.transitive = set(types[TRANSITIVE])
            self.functional = set(types[FUNCTIONAL])
            self.inv_functional = set(types[INV_FUNCTIONAL])
        # prp-spo2: chain member property -> (chain property, position, members)
        self.chains: dict[Term, list[tuple[Term, int, list[Term]]]] = defaultdict(list)
        if owl:
            for p, head in by_p[CHAIN]:
                members = items(head)
                for pos, member in enumerate(members):
                    self.chains[member].append((p, pos, members))
        self.types_needed = owl and bool(self.svf or self.avf or self.intersections)

    def _restriction_hierarchy(
        self,
        by_p: dict[Term, list[tuple[Term, Term]]],
        on_prop: dict[Term, list[Term]],
        sco: dict[Term, set[Term]],
        spo: dict[Term, set[Term]],
    ) -> None:
        """scm-hv, scm-svf1/2, scm-avf1/2: subclass links between restrictions (fixpoint, schema sized)."""
        changed = True
        while changed:
            changed = False
            sup_c, sup_p = _closure(sco), _closure(spo)
            for filler_p in (HAS_VALUE, SOME_VALUES, ALL_VALUES):
                pairs = by_p[filler_p]
                for c1, y1 in pairs:
                    for c2, y2 in pairs:
                        if c1 == c2:
                            continue
                        for p1 in on_prop[c1]:
                            for p2 in on_prop[c2]:
                                sub_p = p1 == p2 or p2 in sup_p.get(p1, ())
                                if filler_p == HAS_VALUE:
                                    link = (c1, c2) if y1 == y2 and sub_p else None
                                elif p1 == p2 and (y1 == y2 or y2 in sup_c.get(y1, ())):
                                    link = (c1, c2)
                                elif y1 == y2 and sub_p:
                                    link = (c2, c1) if filler_p == ALL_VALUES else (c1, c2)
                                else:
                                    link = None
                                if link and link[1] not in sco[link[0]]:
                                    sco[link[0]].add(link[1])
                                    changed = True

    def _typing(self, pairs: list[tuple[Term, Term]], pred: Term, owl: bool) -> dict[Term, set[Term]]:
        """Direct domains or ranges; in OWL-RL mode also the axioms scm-dom1/2, scm-rng1/2 derive."""
        table: dict[Term, set[Term]] = defaultdict(set)
        for p, c in pairs:
            table[p].add(c)
        if not owl:
            return table
        closed: dict[Term, set[Term]] = defaultdict(set)
        subs: dict[Term, set[Term]] = defaultdict(set)
        for p, sups in self.sup_prop.items():
            for q in sups:
                subs[q].add(p)
        for p, classes in table.items():
            for c in classes:
                for target in {c} | self.sup_class.get(c, frozenset()):
                    for prop in {p} | subs.get(p, set()):
                        closed[prop].add(target)
        for p, classes in closed.items():
            self.derived.update((p, pred, c) for c in classes if c not in table.get(p, ()))
        return closed


class Reasoner:
    """Closure state: facts, their indexes and the schema; `add` extends it by the new triples' closure."""

    def __init__(self, mode: InferMode) -> None:
        self.mode = mode
        self.facts: set[Triple] = set()
        self.schema_triples: list[Triple] = []
        self.schema = Schema((), mode)
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
        self.schema = Schema(self.schema_triples, self.mode)
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
        sch = self.schema
        emit = self._emit
        owl = self.mode is InferMode.OWLRL
        queue = self._queue
        while queue and not self._dirty:
            t = queue.pop()
            s, p, o = t
            if p == TYPE:
                for c in sch.sup_class.get(o, ()):
                    emit((s, TYPE, c), added)
                if owl:
                    self._type_rules(s, o, added)
            for q in sch.sup_prop.get(p, ()):
                emit((s, q, o), added)
            for c in sch.domain.get(p, ()):
                emit((s, TYPE, c), added)
            if not isinstance(o, ox.Literal):
                for c in sch.range.get(p, ()):
                    emit((o, TYPE, c), added)
            if not owl:
                # rdf1; and, as owlrl derives reflexive subPropertyOf/subClassOf, rdf1 on those too.
                emit((p, TYPE, PROPERTY), added)
                emit((SPO, TYPE, PROPERTY), added)
                if p == TYPE and o in (RDFS_CLASS, DATATYPE):
                    emit((SCO, TYPE, PROPERTY), added)
                continue
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
            for r in sch.hv_by_pair.get((p, o), ()):
                emit((s, TYPE, r), added)
            for r, y in sch.svf.get(p, ()):
                if y == THING or y in self.types.get(o, ()):
                    emit((s, TYPE, r), added)
            for r, y in sch.avf_by_prop.get(p, ()):
                if r in self.types.get(s, ()):
                    emit((o, TYPE, y), added)
            for chain_p, pos, members in sch.chains.get(p, ()):
                self._chain(s, o, chain_p, pos, members, added)
            if SAME_AS in self._indexed:
                self._equality(t, added)
        if not self._dirty:
            for x, c in sch.one_of:
                emit((x, TYPE, c), added)

    def _type_rules(self, s: Term, c: Term, added: set[Triple]) -> None:
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
