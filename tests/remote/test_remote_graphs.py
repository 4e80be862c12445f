"""Where pushed triples land on the store, and what a query sees of them there (kgtool.remote.dataset)."""

from __future__ import annotations

from pathlib import Path


def test_union_of_graphs_and_named_graphs_as_locally(store, kg_copy, cli) -> None:
    """A contribution is its own named graph on the store: the default graph of a query is still the
    union (its triples are found without GRAPH), and GRAPH ?g sees the contributions only, as locally.
    (One documented difference: on the store a contribution's PROV record is in its graph too, as
    `add --endpoint` writes it in one request.)"""
    new = Path(kg_copy) / "new-actor.ttl"
    new.write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/kgtool/iraq/actor/test-person> a kgo:Person ; rdfs:label "Test Person"@en .\n',
        encoding="utf-8",
    )
    added = cli(["--kg", kg_copy, "add", str(new), "-m", "a test person"])
    assert added.exit_code == 0, added.stderr
    store.push(Path(kg_copy))
    for text in (
        "SELECT ?label WHERE { actor:test-person rdfs:label ?label }",
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT ?g WHERE { GRAPH ?g { actor:test-person a kgo:Person } }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    ):
        local = cli(["--kg", kg_copy, "sparql", text, "-f", "tsv"])
        remote = cli(["--kg", kg_copy, "sparql", text, "-f", "tsv", *store.options()])
        assert remote.exit_code == 0, remote.stderr
        assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines()), text
