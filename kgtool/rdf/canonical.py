"""Canonical blank node labels at a bounded cost: the same graph gets the same labels in every run, in
every process, whatever labels the parser gave.

General canonicalisation (rdflib's RGDA1, RDFC-1.0, pyoxigraph's `Dataset.canonicalize`) is exponential
in the worst case, and the worst case is ordinary data: an RDF list of 1,000 equal items, or a few KB of
nested lists (measured in docs/benchmarks.md). But nearly every blank node is part of a *tree*: the
`[ ... ]` and `( ... )` of Turtle, JSON-LD's nested objects. A tree node is named by what it holds and
where it hangs:

- its *content hash*, bottom-up: the sorted (predicate, object, graph) of its statements, a tree child
  counted by its own content hash;
- its *label*, top-down: the hash of its parent's label (or IRI), the predicate and graph that hold it,
  and its content hash. Siblings that still tie hold identical subtrees under the same parent, so which
  of them gets which label changes nothing in the output (swapping them is an automorphism); they are
  told apart by a counter.

That is linear in the size of the trees. Only blank nodes that are not tree nodes (the *residual*: used
as a graph name, pointed at from two places, or on a cycle) need a general search: colour refinement over
the residual, then individualisation of one node of the first tied colour class at a time, keeping the
branch whose relabelled statements sort first (a residual node's content counts its tree children and
the tree nodes pointing at it). Residual nodes whose statements are identical (twins) are
interchangeable and never branched on. The search counts its steps and gives up past `MAX_STEPS` with
a one-line error (`TooSymmetric`) instead of running for hours.

Labels are `c` + 16 hex digits of a BLAKE2b hash (`c...x2` for tied tree siblings), so a blank node's
label changes only when its own subtree or its place changes, not when unrelated data is added.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgtool.errors import InputError

#: The residual search gives up after this many node updates (about a second of work).
MAX_STEPS = 2_000_000
_RESIDUAL = "\x00R"  # a residual node, while residual labels are not known yet
_DIGITS = 16


class TooSymmetric(InputError):
    """The graph's shared or cyclic blank nodes are too symmetric to label within `MAX_STEPS`."""


def _hash(parts: Iterable[str]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\x1f")
    return digest.hexdigest()


@dataclass
class _Blank:
    """The statements that name one blank node."""

    out: list[tuple[str, str | None, str, str | None, str]] = field(
        default_factory=list
    )  # p, o id, o, g id, g
    into: list[tuple[str | None, str, str, str | None, str]] = field(
        default_factory=list
    )  # s id, s, p, g id, g
    holds: list[tuple[str | None, str, str, str | None, str]] = field(
        default_factory=list
    )  # as graph: s, p, o


def _term(term: object) -> tuple[str | None, str]:
    """(blank node id or None, N-Triples text) of a term."""
    if isinstance(term, ox.BlankNode):
        return term.value, ""
    return None, str(term)


def canonical_labels(quads: Sequence[ox.Quad], *, max_steps: int = MAX_STEPS) -> dict[str, str]:
    """Blank node id -> canonical label, for every blank node of `quads` (quads without blank nodes may
    be left out: they change no label)."""
    return _Canonicaliser(quads, max_steps).labels()


def relabel(quads: Iterable[ox.Quad], labels: dict[str, str]) -> list[ox.Quad]:
    """`quads` with their blank nodes renamed by `labels`."""

    def term(t: object) -> object:
        return ox.BlankNode(labels[t.value]) if isinstance(t, ox.BlankNode) else t

    return [
        ox.Quad(term(q.subject), q.predicate, term(q.object), term(q.graph_name))  # type: ignore[arg-type]
        for q in quads
    ]


class _Orbits:
    """Union-find over blank node ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)

    def same(self, a: str, b: str) -> bool:
        return self.find(a) == self.find(b)


class _Canonicaliser:
    def __init__(self, quads: Sequence[ox.Quad], max_steps: int) -> None:
        self.max_steps = max_steps
        self.steps = 0
        self.nodes: dict[str, _Blank] = defaultdict(_Blank)
        for q in quads:
            s_id, s = _term(q.subject)
            o_id, o = _term(q.object)
            g_id, g = _term(q.graph_name)
            p = str(q.predicate)
            if s_id is not None:
                self.nodes[s_id].out.append((p, o_id, o, g_id, g))
            if o_id is not None:
                self.nodes[o_id].into.append((s_id, s, p, g_id, g))
            if g_id is not None:
                self.nodes[g_id].holds.append((s_id, s, p, o_id, o))
        self.residual = self._residual()
        self.attached = self._attached()
        self.content: dict[str, str] = {}

    # --- which nodes are tree nodes -------------------------------------------------------------

    def _residual(self) -> set[str]:
        """Blank nodes that are not tree nodes: graph names, nodes pointed at twice, and cycles."""
        residual = {b for b, n in self.nodes.items() if n.holds or len(n.into) > 1}
        parent = {b: n.into[0][0] for b, n in self.nodes.items() if b not in residual and n.into}
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for start in parent:
            path: list[str] = []
            node: str | None = start
            while node is not None and node in parent and state.get(node) is None:
                state[node] = 1
                path.append(node)
                node = parent[node]
            if node is not None and state.get(node) == 1:  # came back onto the path: a cycle
                residual.update(path[path.index(node) :])
            for visited in path:
                state[visited] = 2
        return residual

    def _attached(self) -> set[str]:
        """Tree nodes joined to a residual node through blank nodes: their content or label depends on
        the residual labels, so the search recomputes them per branch (the other trees are labelled once)."""
        seen = set(self.residual)
        frontier = list(self.residual)
        while frontier:
            n = self.nodes[frontier.pop()]
            linked: list[str | None] = []
            for _, o_id, _, g_id, _ in n.out:
                linked += (o_id, g_id)
            for s_id, _, _, g_id, _ in n.into:
                linked += (s_id, g_id)
            for s_id, _, _, o_id, _ in n.holds:
                linked += (s_id, o_id)
            for other in linked:
                if other is not None and other not in seen:
                    seen.add(other)
                    frontier.append(other)
        return seen - self.residual

    # --- tree nodes: content bottom-up, labels top-down -----------------------------------------

    def _key(self, blank: str | None, text: str, residual_labels: dict[str, str] | None) -> str:
        """How a term counts in a hash: its text, a tree node's content, a residual node's label."""
        if blank is None:
            return text
        if blank in self.residual:
            return residual_labels.get(blank, _RESIDUAL) if residual_labels is not None else _RESIDUAL
        return "t" + self.content[blank]

    def _contents(self, residual_labels: dict[str, str] | None, nodes: Iterable[str]) -> None:
        """Content hashes of the tree nodes among `nodes` (and their subtrees), children before parents
        (no recursion: lists are deep)."""
        for root in nodes:
            self.content.pop(root, None)
        for root in nodes:
            if root in self.residual or root in self.content:
                continue
            stack = [(root, False)]
            while stack:
                node, expanded = stack.pop()
                if node in self.content:
                    continue
                children = [o for _, o, _, _, _ in self.nodes[node].out if o is not None]
                pending = [c for c in children if c not in self.residual and c not in self.content]
                if not expanded and pending:
                    stack.append((node, True))
                    stack.extend((c, False) for c in pending)
                    continue
                items = sorted(
                    f"{p} {self._key(o_id, o, residual_labels)} {self._key(g_id, g, residual_labels)}"
                    for p, o_id, o, g_id, g in self.nodes[node].out
                )
                self.content[node] = _hash(items)

    def _tree_labels(self, residual_labels: dict[str, str], nodes: Iterable[str]) -> dict[str, str]:
        """Labels of the tree nodes among `nodes`, from their parent's label (or IRI) down; tied siblings
        numbered."""
        labels = dict(residual_labels)
        groups: dict[str, list[str]] = defaultdict(list)
        ready: list[str] = []  # tree nodes whose parent has its label (or is not a blank node)
        children: dict[str, list[str]] = defaultdict(list)
        for b in nodes:
            n = self.nodes[b]
            if b in self.residual:
                continue
            parent = n.into[0][0] if n.into else None
            if parent is None or parent in self.residual:
                ready.append(b)
            else:
                children[parent].append(b)
        while ready:
            groups.clear()
            for b in ready:
                n = self.nodes[b]
                if n.into:
                    s_id, s, p, g_id, g = n.into[0]
                    where = [labels[s_id] if s_id is not None else s, p, self._key(g_id, g, labels)]
                else:
                    where = ["root"]
                groups[_hash([*where, self.content[b]])[:_DIGITS]].append(b)
            following: list[str] = []
            for base, members in groups.items():
                for index, b in enumerate(sorted(members)):
                    labels[b] = f"c{base}" if len(members) == 1 else f"c{base}x{index + 1}"
                    following.extend(children.get(b, ()))
            ready = following
        return labels

    # --- the residual: refinement and a bounded search ------------------------------------------

    def _initial_colours(self) -> dict[str, str]:
        colours = {}
        for x in sorted(self.residual):
            n = self.nodes[x]
            items = sorted(
                [
                    f"o {p} {self._key(o_id, o, None)} {self._key(g_id, g, None)}"
                    for p, o_id, o, g_id, g in n.out
                ]
                + [
                    f"i {self._key(s_id, s, None)} {p} {self._key(g_id, g, None)}"
                    for s_id, s, p, g_id, g in n.into
                ]
                + [
                    f"g {self._key(s_id, s, None)} {p} {self._key(o_id, o, None)}"
                    for s_id, s, p, o_id, o in n.holds
                ]
            )
            colours[x] = _hash(items)
        return colours

    def _edges(self) -> dict[str, list[tuple[str, str]]]:
        """Residual node -> (role and predicate, residual neighbour) of the statements joining them."""
        edges: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for x in self.residual:
            n = self.nodes[x]
            for p, o_id, _, g_id, _ in n.out:
                if o_id in self.residual:
                    edges[x].append((f"o {p}", o_id))
                if g_id in self.residual:
                    edges[x].append((f"og {p}", g_id))
            for s_id, _, p, g_id, _ in n.into:
                if s_id in self.residual:
                    edges[x].append((f"i {p}", s_id))
                if g_id in self.residual:
                    edges[x].append((f"ig {p}", g_id))
            for s_id, _, p, o_id, _ in n.holds:
                for role, other in (("gs", s_id), ("go", o_id)):
                    if other in self.residual:
                        edges[x].append((f"{role} {p}", other))
        return edges

    def _refine(self, colours: dict[str, str], edges: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
        """Colour refinement: each node's colour takes in its neighbours' until no class splits."""
        classes = len(set(colours.values()))
        while True:
            self._count(len(colours) + sum(len(e) for e in edges.values()))
            colours = {
                x: _hash([c, *sorted(f"{role} {colours[y]}" for role, y in edges.get(x, ()))])
                for x, c in colours.items()
            }
            now = len(set(colours.values()))
            if now == classes:
                return colours
            classes = now

    def _count(self, steps: int) -> None:
        self.steps += steps
        if self.steps > self.max_steps:
            raise TooSymmetric(
                f"{len(self.residual)} shared or cyclic blank nodes are too symmetric to label "
                f"canonically within {self.max_steps:,} steps; give them IRIs and export again"
            )

    def _certificate(self, colours: dict[str, str]) -> tuple[list[str], dict[str, str]]:
        """The statements of the residual nodes, relabelled (sorted), that a discrete colouring gives, and
        the labels of the residual and attached nodes. A tree node's label hashes its content and place,
        so these statements fix the attached trees too."""
        residual_labels = {x: f"c{c[:_DIGITS]}" for x, c in colours.items()}
        self._contents(residual_labels, self.attached)
        labels = self._tree_labels(residual_labels, self.attached | self.residual)
        self._count(len(self.attached) + sum(len(self.nodes[x].out) for x in self.residual))

        def name(blank: str | None, text: str) -> str:
            return labels[blank] if blank is not None else text

        lines = []
        for x in self.residual:
            n = self.nodes[x]
            lines += [f"{labels[x]} {p} {name(o_id, o)} {name(g_id, g)}" for p, o_id, o, g_id, g in n.out]
            lines += [f"{name(s_id, s)} {p} {labels[x]} {name(g_id, g)}" for s_id, s, p, g_id, g in n.into]
            lines += [f"{name(s_id, s)} {p} {name(o_id, o)} {labels[x]}" for s_id, s, p, o_id, o in n.holds]
        return sorted(lines), labels

    def _twins(self, members: list[str]) -> bool:
        """True when the members' statements are identical but for the node itself: interchangeable."""

        def shape(x: str) -> tuple[list[str], ...]:
            def key(blank: str | None, text: str) -> str:
                if blank is None:
                    return text
                if blank == x:
                    return "\x00self"
                return blank if blank in self.residual else "t" + self.content[blank]

            n = self.nodes[x]
            return (
                sorted(f"{p} {key(o_id, o)} {key(g_id, g)}" for p, o_id, o, g_id, g in n.out),
                sorted(f"{key(s_id, s)} {p} {key(g_id, g)}" for s_id, s, p, g_id, g in n.into),
                sorted(f"{key(s_id, s)} {p} {key(o_id, o)}" for s_id, s, p, o_id, o in n.holds),
            )

        first = shape(members[0])
        return all(shape(m) == first for m in members[1:])

    def _search(
        self, colours: dict[str, str], edges: dict[str, list[tuple[str, str]]]
    ) -> tuple[list[str], dict[str, str]]:
        colours = self._refine(colours, edges)
        classes: dict[str, list[str]] = defaultdict(list)
        for x, c in colours.items():
            classes[c].append(x)
        tied = sorted((len(m), c) for c, m in classes.items() if len(m) > 1)
        if not tied:
            return self._certificate(colours)
        members = sorted(classes[tied[0][1]])
        candidates = members[:1] if self._twins(members) else members
        best: tuple[list[str], dict[str, str]] | None = None
        orbits = _Orbits()  # nodes an automorphism found below this point maps onto each other
        explored: list[str] = []
        for v in candidates:
            if any(orbits.same(v, u) for u in explored):
                continue  # an automorphism fixing the path so far maps v onto a node already tried
            found = self._search({**colours, v: _hash([colours[v], "*"])}, edges)
            explored.append(v)
            if best is None or found[0] < best[0]:
                best = found
            elif found[0] == best[0]:  # two labellings, one relabelled graph: an automorphism
                node_of = {best[1][x]: x for x in self.residual}
                for y in self.residual:
                    orbits.union(node_of[found[1][y]], y)
        assert best is not None
        return best

    def labels(self) -> dict[str, str]:
        free = [b for b in self.nodes if b not in self.residual and b not in self.attached]
        self._contents(None, self.nodes)  # the residual's colours count tree nodes by content
        labels = self._tree_labels({}, free)
        if self.residual:
            _, found = self._search(self._initial_colours(), self._edges())
            labels.update(found)
        return labels
