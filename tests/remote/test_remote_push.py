"""`kgtool push`: what lands where on a real store, blank nodes included, with the Graph Store HTTP
Protocol and with the INSERT DATA fallback."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

from kgtool.rdf.parsing import iter_quads
from kgtool.store.graph_folder import locate
from kgtool.vocab import CONTRIBUTIONS, KGTOOL_GRAPHS, PUSHED_GRAPH

SHIPPED = locate(None)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _local_graph() -> Graph:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in iter_quads(SHIPPED.files())]
    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return graph


def _store_graph(store, iri: str) -> Graph:
    """The graph as the store gives it back (Graph Store GET)."""
    answer = httpx.get(store.store_url, params={"graph": iri}, headers={"Accept": "application/n-triples"})
    answer.raise_for_status()
    graph = Graph()
    graph.parse(data=answer.text, format="nt")
    return graph


def test_push_lands_in_the_named_graph_with_blank_nodes_intact(store, cli) -> None:
    result = cli(["push", *store.write_options()])
    assert result.exit_code == 0, result.stderr
    local = _local_graph()
    assert f"pushed {len(local)} triples in 1 graph(s) with the Graph Store HTTP Protocol" in result.stdout
    assert store.kgtool_graphs() == [PUSHED_GRAPH]
    remote = _store_graph(store, PUSHED_GRAPH)
    assert isomorphic(remote, local)  # blank nodes (owl:AllDisjointClasses, sh:property) survive
    assert sum(1 for s in local.subjects(unique=True) if isinstance(s, BNode)) > 10
    assert store.select("SELECT * WHERE { GRAPH <urn:x-rdflib:default> { ?s ?p ?o } } LIMIT 1") == []


def test_oxigraph_default_graph_is_left_alone(store, cli) -> None:
    if store.kind != "oxigraph":
        pytest.skip("Virtuoso's default graph is the union of all graphs")
    assert cli(["push", *store.write_options()]).exit_code == 0
    answer = httpx.get(store.store_url, params={"default": ""}, headers={"Accept": "application/n-triples"})
    assert answer.status_code == 200 and answer.text.strip() == ""


def test_push_again_is_refused_and_replace_does_not_duplicate(store, cli) -> None:
    assert cli(["push", *store.write_options()]).exit_code == 0
    again = cli(["push", *store.write_options()])
    assert again.exit_code == 2
    assert "already holds" in again.stderr and "--replace" in again.stderr
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = store.select(count)
    replaced = cli(["push", *store.write_options(), "--replace"])
    assert replaced.exit_code == 0, replaced.stderr
    assert store.select(count) == before  # blank-node triples replaced, not added twice


def test_without_a_graph_store_blank_nodes_need_skolemize(store, cli) -> None:
    """A store with no Graph Store URL (here the real store with none configured: a URL given with
    --store-endpoint must answer, so the library is called with `store_url=None`)."""
    from dataclasses import replace

    from kgtool.errors import UsageError
    from kgtool.remote.client import Client
    from kgtool.remote.endpoint import endpoint
    from kgtool.remote.push import push

    remote = replace(endpoint(store.query_url, store.update_url), store_url=None)
    with Client(remote) as client, pytest.raises(UsageError, match="has blank nodes.*--skolemize"):
        push(client, SHIPPED)
    assert store.kgtool_graphs() == []
    with Client(remote) as client:
        done = push(client, SHIPPED, skolemize=True)
    assert done.summary().endswith("with SPARQL Update (INSERT DATA; no --store-endpoint)")
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{PUSHED_GRAPH}> {{ ?s ?p ?o }} }}")
    assert int(rows[0]["n"]) == len(_local_graph())
    blank = f"SELECT ?s WHERE {{ GRAPH <{PUSHED_GRAPH}> {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}"
    assert store.select(blank + " LIMIT 1") == []
    text = "SELECT ?e ?label WHERE { ?e a/rdfs:subClassOf* kgo:Event ; rdfs:label ?label }"
    local = cli(["sparql", text, "-f", "tsv"])
    remote = cli(["sparql", text, "-f", "tsv", *store.options()])
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())


def test_push_with_a_bad_graph_iri_is_a_usage_error(store, cli) -> None:
    result = cli(["push", *store.write_options(), "--graph", "not an iri"])
    assert result.exit_code == 2
    assert "--graph" in result.stderr


@pytest.mark.parametrize("iri", ["https://example.org/g", KGTOOL_GRAPHS, CONTRIBUTIONS + "x"])
def test_push_to_a_graph_queries_cannot_read_is_refused(store, cli, iri) -> None:
    """Queries with --endpoint read kgtool's graphs only: a push elsewhere would land unread."""
    result = cli(["push", *store.write_options(), "--graph", iri])
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr
        == f"kgtool: --graph: {iri!r} is not under {KGTOOL_GRAPHS} (queries read kgtool's graphs only)\n"
    )
    assert store.select(f"SELECT * WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} LIMIT 1") == []


def test_push_to_another_kgtool_graph_is_read_by_queries(store, cli) -> None:
    graph = KGTOOL_GRAPHS + "iraq-copy"
    assert cli(["push", *store.write_options(), "--graph", graph]).exit_code == 0
    assert store.kgtool_graphs() == [graph]
    text = "SELECT ?e WHERE { ?e a/rdfs:subClassOf* kgo:Event } ORDER BY ?e"
    local = cli(["sparql", text, "-f", "tsv"])
    remote = cli(["sparql", text, "-f", "tsv", *store.options()])
    assert remote.exit_code == 0 and remote.stdout == local.stdout and local.stdout.count("\n") > 5


def test_push_shows_progress_on_a_terminal(store) -> None:
    """The bar (drawn only on a terminal, here forced on) names each graph as it is sent."""
    import io

    from kgtool.progress import Progress
    from kgtool.remote.client import Client
    from kgtool.remote.endpoint import endpoint
    from kgtool.remote.push import push

    shown = io.StringIO()
    remote = endpoint(store.query_url, store.update_url, store.store_url)
    with Client(remote) as client:
        outcome = push(client, SHIPPED, progress=Progress(shown, enabled=True))
    assert outcome.graphs == {PUSHED_GRAPH: len(_local_graph())}
    assert f"pushing <{PUSHED_GRAPH}>" in shown.getvalue()


@pytest.mark.parametrize(
    ("query_url", "update_url", "store_url"),
    [
        ("http://h:7878/query/", "http://h:7878/update", "http://h:7878/store"),
        ("http://h:7878/db/query?key=k", "http://h:7878/db/update?key=k", "http://h:7878/db/store?key=k"),
        ("http://h:8890/sparql/", "http://h:8890/sparql/", "http://h:8890/sparql-graph-crud"),
        ("http://h/other/", "http://h/other/", None),
    ],
)
def test_default_urls_follow_the_query_path(query_url, update_url, store_url) -> None:
    """A trailing slash (or a query string) on --endpoint leaves the derived URLs right."""
    from kgtool.remote.endpoint import endpoint

    derived = endpoint(query_url)
    assert (derived.update_url, derived.store_url, derived.store_given) == (update_url, store_url, False)
    assert endpoint(query_url, store_url="http://h/gs").store_given


@pytest.mark.parametrize("command", ["push", "add"])
def test_a_mistyped_store_endpoint_is_an_error_not_a_fallback(store, cli, command) -> None:
    """A Graph Store URL the user gave that answers 404 is a mistake to report (URL and status), not a
    store without a Graph Store to route around with INSERT DATA."""
    mistyped = store.store_url.rsplit("/", 1)[0] + "/graph-store"
    args = [*store.options(), "--update-endpoint", store.update_url, "--store-endpoint", mistyped]
    if command == "add":
        store.push(FIXTURES / "kg-mini")
        args = ["--kg", FIXTURES / "kg-mini", "add", FIXTURES / "new" / "good-event.ttl", *args]
    else:
        args = ["push", *args]
    result = cli(args)
    assert (result.exit_code, result.stdout) == (2, ""), result.stderr
    assert result.stderr.count("\n") == 1
    assert re.match(
        rf"kgtool: Graph Store PUT at {re.escape(mistyped)}: HTTP (404|405|501)\b", result.stderr
    ), result.stderr
    assert store.kgtool_graphs() == ([] if command == "push" else [PUSHED_GRAPH])
