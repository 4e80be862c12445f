"""Canonical blank node labels: the same graph gets the same labels however its blank nodes were named
and its statements ordered; different graphs get different statements; the cases that made rdflib's
and pyoxigraph's canonicalisers run for minutes finish, and a truly pathological residual is refused
with one line."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kgtool.rdf.canonical import TooSymmetric, canonical_labels, relabel

EX = "http://example.org/"
PREFIX = f"@prefix ex: <{EX}> .\n"


def _canonical(quads: list[ox.Quad]) -> list[str]:
    return sorted(str(q) for q in relabel(quads, canonical_labels(quads)))


def _parse(text: str) -> list[ox.Quad]:
    return list(ox.parse(text.encode(), format=ox.RdfFormat.TRIG, rename_blank_nodes=True))


def _renamed(quads: list[ox.Quad], rng: random.Random) -> list[ox.Quad]:
    """The same dataset with fresh blank node names and the statements shuffled."""
    names: dict[str, ox.BlankNode] = {}

    def term(t):
        if isinstance(t, ox.BlankNode):
            return names.setdefault(t.value, ox.BlankNode(f"n{rng.randrange(10**9)}x{len(names)}"))
        return t

    renamed = [ox.Quad(term(q.subject), q.predicate, term(q.object), term(q.graph_name)) for q in quads]
    rng.shuffle(renamed)
    return renamed


def _random_graph(rng: random.Random, blanks: int, statements: int, graphs: bool) -> list[ox.Quad]:
    nodes = [ox.BlankNode(f"b{i}") for i in range(blanks)] + [ox.NamedNode(EX + n) for n in "ab"]
    predicates = [ox.NamedNode(EX + p) for p in ("p", "q")]
    objects = nodes + [ox.Literal("x"), ox.Literal("y")]
    quads = set()
    for _ in range(statements):
        graph = rng.choice([ox.DefaultGraph(), ox.DefaultGraph(), nodes[0]]) if graphs else ox.DefaultGraph()
        quads.add(ox.Quad(rng.choice(nodes), rng.choice(predicates), rng.choice(objects), graph))
    return list(quads)


def _benchmark_cases() -> dict[str, str]:
    """The cases of benchmarks/canonical.py (the one list of them), each ran for minutes, or never
    finished, with rdflib's to_canonical_graph or pyoxigraph's RDFC-1.0: see docs/benchmarks.md."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "canonical.py"
    spec = importlib.util.spec_from_file_location("kgtool_benchmark_canonical", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.CASES)


PATHOLOGICAL = _benchmark_cases()


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_the_cases_that_blew_up_are_labelled_the_same_every_time(name):
    rng = random.Random(name)
    quads = _parse(PREFIX + PATHOLOGICAL[name])
    first = _canonical(quads)
    assert first == _canonical(_renamed(quads, rng)) == _canonical(_parse(PREFIX + PATHOLOGICAL[name]))
    assert len(first) == len(quads)
    labels = canonical_labels(quads)
    assert len(set(labels.values())) == len(labels)  # distinct nodes keep distinct labels


@pytest.mark.parametrize("seed", range(40))
def test_random_graphs_get_labels_independent_of_names_and_order(seed):
    rng = random.Random(seed)
    quads = _random_graph(
        rng, blanks=rng.randrange(1, 9), statements=rng.randrange(1, 25), graphs=seed % 3 == 0
    )
    expected = _canonical(quads)
    for _ in range(3):
        assert _canonical(_renamed(quads, rng)) == expected


def _as_rdflib(quads: list[ox.Quad]) -> Graph:
    return Graph().parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nt")


def test_canonical_forms_are_equal_exactly_when_the_graphs_are_isomorphic():
    rng = random.Random(7)
    graphs = [_random_graph(rng, blanks=3, statements=4, graphs=False) for _ in range(150)]
    forms = [_canonical(g) for g in graphs]
    checked = 0
    for i in range(len(graphs)):
        for j in range(i + 1, len(graphs)):
            same_form = forms[i] == forms[j]
            if same_form or (len(graphs[i]) == len(graphs[j]) and rng.random() < 0.05):
                assert same_form == isomorphic(_as_rdflib(graphs[i]), _as_rdflib(graphs[j])), (i, j)
                checked += 1
    assert checked > 50


@pytest.mark.parametrize(
    "text",
    [
        # shared nodes with subtrees, twins, rings, blank graph names: the residual search
        "ex:a ex:p _:x . ex:b ex:p _:x . _:x ex:q [ ex:r 1 ] .",
        "".join(f"ex:a ex:p _:x{i} . ex:b ex:p _:x{i} . _:x{i} ex:q ( 1 2 ) .\n" for i in range(10)),
        "".join(f"_:r{i} ex:next _:r{(i + 1) % 50} .\n" for i in range(50)),
        "".join(
            f"_:r{i} ex:next _:r{(i + 1) % 20} .\n_:s{i} ex:next _:s{(i + 1) % 20} .\n" for i in range(20)
        ),
        "_:g { ex:a ex:b ex:c } _:h { ex:a ex:b ex:c } ex:x ex:y _:g .",
    ],
)
def test_shared_and_cyclic_blank_nodes(text):
    quads = _parse(PREFIX + text)
    assert _canonical(quads) == _canonical(_renamed(quads, random.Random(1)))


def test_two_rings_are_not_one_ring():
    two = _parse(
        PREFIX
        + "".join(f"_:r{i} ex:n _:r{(i + 1) % 4} .\n_:s{i} ex:n _:s{(i + 1) % 4} .\n" for i in range(4))
    )
    one = _parse(PREFIX + "".join(f"_:r{i} ex:n _:r{(i + 1) % 8} .\n" for i in range(8)))
    assert _canonical(two) != _canonical(one)


def test_a_huge_symmetric_residual_is_refused_in_one_line():
    ring = _parse(PREFIX + "".join(f"_:r{i} ex:next _:r{(i + 1) % 3000} .\n" for i in range(3000)))
    with pytest.raises(TooSymmetric) as info:
        canonical_labels(ring, max_steps=200_000)
    assert str(info.value) == (
        "3000 shared or cyclic blank nodes are too symmetric to label canonically within 200,000 steps; "
        "give them IRIs and export again"
    )


def test_a_label_depends_only_on_its_own_subtree_and_place():
    """Adding unrelated data leaves the other blank nodes' labels alone (diffs stay small)."""
    before = _canonical(_parse(PREFIX + "ex:s ex:p [ ex:q 1 ] ."))
    after = _canonical(_parse(PREFIX + "ex:s ex:p [ ex:q 1 ] . ex:t ex:p [ ex:q 2 ] ."))
    assert set(before) <= set(after)
