"""The closure of a graph: cached per graph version and mode, and about the queried store's own blank
nodes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from kgtool.options import InferMode
from kgtool.reasoning import closure
from kgtool.store.graph_folder import locate
from kgtool.vocab import INFERRED_GRAPH, INFERRED_OUTSIDE_GRAPH

EX = "http://example.org/"


def test_inferred_quads_are_cached_and_follow_file_changes(tmp_path: Path, cache_dir: Path) -> None:
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
    entries = sorted(p.name for p in (cache_dir / "closure").iterdir())
    assert [e.endswith(("-owlrl-closure.nt", "-owlrl-outside.nt")) for e in entries] == [True, True]
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
    assert len(list((cache_dir / "closure").iterdir())) == 4  # closure and its outside part: two versions
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


def test_what_follows_from_outside_facts_keeps_its_own_named_graph(shipped_kg):
    """The schema.org view of an event: its post date in the inferred graph, the brief's day in the
    inferred-outside graph, so a reader can still tell which statements come from outside the post."""
    quads = closure.inferred_quads(shipped_kg, InferMode.OWLRL)
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
