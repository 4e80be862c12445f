"""The fast reasoner equals owlrl (the reference) under `infer.comparable`; caching and incremental use."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from kgtool import infer
from kgtool.errors import UsageError
from kgtool.kg import KnowledgeGraph, locate
from kgtool.loader import parse_file, quads_to_rdflib, to_rdflib_term

ROOT = Path(__file__).resolve().parent.parent
RULES = Path(__file__).resolve().parent / "fixtures" / "infer" / "rules.ttl"
EX = "http://example.org/"


@pytest.fixture(autouse=True)
def _cache(cache_dir: Path) -> Path:
    return cache_dir


def _generate(triples: int, out: Path) -> KnowledgeGraph:
    spec = importlib.util.spec_from_file_location("kg_generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(triples, out)
    return locate(out)


def _assert_equal_to_owlrl(files: list[Path], mode: infer.Mode) -> int:
    """Run both reasoners on the same parsed quads; their normalised closures must be the same set."""
    quads = [q for f in files for q in parse_file(f, max_bytes=None).quads]
    graph = quads_to_rdflib(quads)
    reference = infer.comparable(infer.owlrl_closure(graph, mode), graph, mode)
    fast = infer.fast_closure([(q.subject, q.predicate, q.object) for q in quads], mode)
    ours = infer.comparable([tuple(to_rdflib_term(t) for t in triple) for triple in fast], graph, mode)
    assert ours == reference, (sorted(reference - ours, key=str)[:5], sorted(ours - reference, key=str)[:5])
    return len(ours)


@pytest.mark.parametrize("mode", ["rdfs", "owlrl"])
def test_equals_owlrl_on_every_rule_family(mode: infer.Mode) -> None:
    assert _assert_equal_to_owlrl([RULES], mode) > 20


@pytest.mark.parametrize("mode", ["rdfs", "owlrl"])
def test_equals_owlrl_on_the_shipped_graph(mode: infer.Mode, shipped_kg: KnowledgeGraph) -> None:
    assert _assert_equal_to_owlrl(shipped_kg.files("all"), mode) > 0


@pytest.mark.parametrize("mode", ["rdfs", "owlrl"])
def test_equals_owlrl_on_a_generated_graph(mode: infer.Mode, tmp_path: Path) -> None:
    kg = _generate(3000, tmp_path / "gen")
    assert _assert_equal_to_owlrl(kg.files("all"), mode) > 1000


def _fast(mode: infer.Mode) -> set[tuple[str, str, str]]:
    quads = parse_file(RULES).quads
    added = infer.fast_closure([(q.subject, q.predicate, q.object) for q in quads], mode)
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
    added = _fast("owlrl")
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
    added = _fast("rdfs")
    assert _t("v1", "a", "schema:Event") in added
    assert _t("v1", "a", "Situation") in added
    assert _t("trump", "actorIn", "v1") not in added
    assert _t("v1", "subEventOf", "e3") not in added


def test_check_mode_refuses_unknown_modes() -> None:
    with pytest.raises(UsageError, match="unknown inference mode 'owl'"):
        infer.check_mode("owl")


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
    first = infer.inferred_quads(kg, "owlrl")
    graph = ox.NamedNode(infer.INFERRED_GRAPH)
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
    assert [e.endswith(("-owlrl-closure.nt", "-owlrl-outside.nt", "-owlrl-schema.nt")) for e in entries] == [
        True,
        True,
        True,
    ]
    assert set(infer.inferred_quads(kg, "owlrl")) == set(first)  # from the cache
    data.write_text(f"<{EX}m> a <{EX}Vote> .\n")
    second = infer.inferred_quads(kg, "owlrl")
    assert (
        ox.Quad(
            ox.NamedNode(f"{EX}m"),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(f"{EX}Event"),
            graph,
        )
        in second
    )
    assert len(list((_cache / "closure").iterdir())) == 6  # closure, outside part, schema: two versions
    assert infer.inferred_quads(kg, "none") == []


@pytest.mark.parametrize("mode", ["rdfs", "owlrl"])
def test_closure_of_new_is_what_the_new_triples_add(mode: infer.Mode, tmp_path: Path) -> None:
    kg = _generate(2000, tmp_path / "gen")
    base = infer._kg_triples(kg)
    new_ttl = """
        @prefix kgo: <https://w3id.org/kgtool/ontology#> .
        <https://w3id.org/kgtool/iraq/event/new> a kgo:Withdrawal ;
            kgo:place <https://w3id.org/kgtool/iraq/place/gen-place-000000> ;
            kgo:hasParticipation <https://w3id.org/kgtool/iraq/participation/new> .
        <https://w3id.org/kgtool/iraq/participation/new> kgo:agent <https://w3id.org/kgtool/iraq/actor/x> .
        <https://w3id.org/kgtool/iraq/place/new>
            kgo:containedIn <https://w3id.org/kgtool/iraq/place/gen-place-000000> .
    """
    new = [(t.subject, t.predicate, t.object) for t in ox.parse(new_ttl, format=ox.RdfFormat.TURTLE)]
    expected = infer.fast_closure(base + new, mode) - infer.fast_closure(base, mode) - set(new) - set(base)
    assert infer.closure_of_new(kg, new, mode, context=base) == expected
    without_context = infer.closure_of_new(kg, new, mode)
    withdrawal = ox.NamedNode("https://w3id.org/kgtool/iraq/event/new")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert (withdrawal, rdf_type, ox.NamedNode("http://schema.org/Event")) in without_context
    assert without_context <= expected | infer.fast_closure(base, mode) | set(base)
    if mode == "owlrl":  # the transitive place hierarchy needs the graph's containedIn triples as context
        country = [
            o
            for s, p, o in base
            if s == ox.NamedNode("https://w3id.org/kgtool/iraq/place/gen-place-000000")
            and p.value.endswith("containedIn")
        ][0]
        new_place = ox.NamedNode("https://w3id.org/kgtool/iraq/place/new")
        contained = ox.NamedNode("https://w3id.org/kgtool/ontology#containedIn")
        assert (new_place, contained, country) in expected
        assert (
            withdrawal,
            ox.NamedNode("https://w3id.org/kgtool/ontology#participant"),
            ox.NamedNode("https://w3id.org/kgtool/iraq/actor/x"),
        ) in without_context


def test_inferred_triples_about_blank_nodes_join_the_queried_store(tmp_path, monkeypatch, cli):
    """Blank node ids change per parse: the closure used by a query must speak of the store's own."""
    monkeypatch.setenv("KGTOOL_CACHE", str(tmp_path / "cache"))
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


def test_what_follows_from_outside_facts_keeps_its_own_named_graph(shipped_kg):
    """The schema.org view of an event: its post date in the inferred graph, the brief's day in the
    inferred-outside graph, so a reader can still tell which statements come from outside the post."""
    from kgtool.infer import INFERRED_GRAPH, INFERRED_OUTSIDE_GRAPH, inferred_quads

    quads = inferred_quads(shipped_kg, "owlrl")
    vote = "https://w3id.org/kgtool/iraq/event/2020-01-05-parliament-vote"
    start = "http://schema.org/startDate"
    dates = {
        (q.graph_name.value, q.object.value)
        for q in quads
        if q.subject.value == vote and q.predicate.value == start
    }
    assert dates == {(INFERRED_GRAPH, "2020-01"), (INFERRED_OUTSIDE_GRAPH, "2020-01-05")}
    end = "https://w3id.org/kgtool/iraq/event/2021-12-09-end-of-us-combat-mission-in-iraq"
    end_graphs = {q.graph_name.value for q in quads if q.subject.value == end}
    assert end_graphs == {INFERRED_OUTSIDE_GRAPH}
    assert {q.graph_name.value for q in quads} == {INFERRED_GRAPH, INFERRED_OUTSIDE_GRAPH}
