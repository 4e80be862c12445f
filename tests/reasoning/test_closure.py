"""The fast reasoner equals owlrl (the reference) under `closure.comparable`; caching and incremental use."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from kgtool.options import InferMode
from kgtool.rdf.parsing import parse_file
from kgtool.rdf.rdflib_bridge import quads_to_rdflib, to_rdflib_term
from kgtool.reasoning import closure
from kgtool.store.graph_folder import KnowledgeGraph, locate

ROOT = Path(__file__).resolve().parents[2]
RULES = Path(__file__).resolve().parents[1] / "fixtures" / "infer" / "rules.ttl"
EX = "http://example.org/"


@pytest.fixture(autouse=True)
def _cache(cache_dir: Path) -> Path:
    return cache_dir


def _assert_equal_to_owlrl(files: list[Path], mode: InferMode) -> int:
    """Run both reasoners on the same parsed quads; their normalised closures must be the same set."""
    quads = [q for f in files for q in parse_file(f, max_bytes=None).quads]
    graph = quads_to_rdflib(quads)
    reference = closure.comparable(closure.owlrl_closure(graph, mode), graph, mode)
    fast = closure.fast_closure([(q.subject, q.predicate, q.object) for q in quads], mode)
    ours = closure.comparable([tuple(to_rdflib_term(t) for t in triple) for triple in fast], graph, mode)
    assert ours == reference, (sorted(reference - ours, key=str)[:5], sorted(ours - reference, key=str)[:5])
    return len(ours)


@pytest.mark.parametrize("mode", [InferMode.RDFS, InferMode.OWLRL], ids=str)
def test_equals_owlrl_on_every_rule_family(mode: InferMode) -> None:
    assert _assert_equal_to_owlrl([RULES], mode) > 20


@pytest.mark.parametrize("mode", [InferMode.RDFS, InferMode.OWLRL], ids=str)
def test_equals_owlrl_on_the_shipped_graph(mode: InferMode, shipped_kg: KnowledgeGraph) -> None:
    assert _assert_equal_to_owlrl(shipped_kg.files(), mode) > 0


@pytest.mark.parametrize("mode", [InferMode.RDFS, InferMode.OWLRL], ids=str)
def test_equals_owlrl_on_a_generated_graph(mode: InferMode, tmp_path: Path, generator: ModuleType) -> None:
    generator.generate(3000, tmp_path / "gen")
    kg = locate(tmp_path / "gen")
    assert _assert_equal_to_owlrl(kg.files(), mode) > 1000


def _fast(mode: InferMode) -> set[tuple[str, str, str]]:
    quads = parse_file(RULES).quads
    added = closure.fast_closure([(q.subject, q.predicate, q.object) for q in quads], mode)
    return {(str(s), str(p), str(o)) for s, p, o in added}


def _t(s: str, p: str, o: str) -> tuple[str, str, str]:
    def term(x: str) -> str:
        if x == "a":
            return "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
        if x.startswith(("owl:", "rdfs:", "schema:")):
            prefix, local = x.split(":")
            ns = {
                "owl": "http://www.w3.org/2002/07/owl#",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                "schema": "http://schema.org/",
            }[prefix]
            return f"<{ns}{local}>"
        return f"<{EX}{x}>"

    return term(s), term(p), term(o)


def test_owlrl_rules_give_the_expected_triples() -> None:
    added = _fast(InferMode.OWLRL)
    expected = {
        _t("v1", "a", "schema:Event"),  # subClassOf, transitively
        _t("v1", "a", "Happening"),  # equivalentClass
        _t("v1", "a", "Situation"),  # domain of a super-property
        _t("trump", "a", "Actor"),  # range
        _t("trump", "actorIn", "v1"),  # inverseOf
        _t("v1", "subEventOf", "e3"),  # TransitiveProperty
        _t("e3", "hasSubEvent", "v1"),  # inverse of the transitive closure
        _t("biden", "related", "trump"),  # SymmetricProperty
        _t("x", "a", "Republican"),  # hasValue
        _t("trump", "a", "Voter"),  # someValuesFrom
        _t("trump", "a", "VotingPerson"),  # intersectionOf
        _t("trump", "a", "VoteOrPerson"),  # unionOf
        _t("h1", "a", "Big"),  # allValuesFrom
        _t("v1", "participant", "pelosi"),  # propertyChainAxiom
        _t("melania", "owl:sameAs", "mrs-trump"),  # FunctionalProperty
        _t("f", "owl:sameAs", "g"),  # InverseFunctionalProperty
        _t("q", "likes", "s"),  # sameAs replication
        _t("Vote", "rdfs:subClassOf", "Occurrence"),  # schema closure
    }
    assert expected <= added
    assert _t("v1", "involves", "trump") in added
    assert not any(s == o and "sameAs" in p for s, p, o in added)  # no reflexive noise


def test_rdfs_mode_ignores_owl_axioms() -> None:
    added = _fast(InferMode.RDFS)
    assert _t("v1", "a", "schema:Event") in added
    assert _t("v1", "a", "Situation") in added
    assert _t("trump", "actorIn", "v1") not in added
    assert _t("v1", "subEventOf", "e3") not in added


def test_inferred_quads_are_cached_and_follow_file_changes(tmp_path: Path, _cache: Path) -> None:
    kg_dir = tmp_path / "kg"
    (kg_dir / "data").mkdir(parents=True)
    (kg_dir / "ontology").mkdir()
    # A schema without blank nodes: only closures free of blank nodes are cached (their ids are per parse).
    (kg_dir / "ontology" / "rules.ttl").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"<{EX}Person> rdfs:subClassOf <{EX}Actor> .\n<{EX}Vote> rdfs:subClassOf <{EX}Event> .\n"
    )
    data = kg_dir / "data" / "more.ttl"
    data.write_text(f"<{EX}m> a <{EX}Person> .\n")
    kg = locate(kg_dir)
    first = closure.inferred_quads(kg, InferMode.OWLRL)
    graph = ox.NamedNode(closure.INFERRED_GRAPH)
    assert all(q.graph_name == graph for q in first)
    assert (
        ox.Quad(
            ox.NamedNode(f"{EX}m"),
            ox.NamedNode(str(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))),
            ox.NamedNode(f"{EX}Actor"),
            graph,
        )
        in first
    )
    entries = sorted(p.name for p in (_cache / "closure").iterdir())
    assert [e.endswith("-owlrl-closure.nt") for e in entries] == [True]
    assert set(closure.inferred_quads(kg, InferMode.OWLRL)) == set(first)  # from the cache
    data.write_text(f"<{EX}m> a <{EX}Vote> .\n")
    second = closure.inferred_quads(kg, InferMode.OWLRL)
    assert (
        ox.Quad(
            ox.NamedNode(f"{EX}m"),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(f"{EX}Event"),
            graph,
        )
        in second
    )
    assert len(list((_cache / "closure").iterdir())) == 2
    assert closure.inferred_quads(kg, InferMode.NONE) == []


def test_inferred_triples_about_blank_nodes_join_the_queried_store(tmp_path, cli):
    """Blank node ids change per parse: the closure used by a query must speak of the store's own."""
    (tmp_path / "kg" / "ontology").mkdir(parents=True)
    (tmp_path / "kg" / "data").mkdir()
    (tmp_path / "kg" / "ontology" / "onto.ttl").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<http://example.org/A> rdfs:subClassOf <http://example.org/B> .\n"
    )
    (tmp_path / "kg" / "data" / "d.ttl").write_text(
        '[] a <http://example.org/A> ; <http://example.org/name> "anonymous" .\n'
    )
    query = "SELECT ?name WHERE { ?x a <http://example.org/B> ; <http://example.org/name> ?name }"
    for _ in range(2):  # the second run would read a cache, if one had been written
        result = cli(["--kg", tmp_path / "kg", "sparql", query, "--infer", "rdfs", "--format", "csv"])
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines() == ["name", "anonymous"]
