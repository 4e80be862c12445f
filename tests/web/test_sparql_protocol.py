"""The SPARQL 1.1 Protocol of `kgtool serve`, with SPARQLWrapper as the client against the real server."""

from __future__ import annotations

import csv
import io
import json
import socket
from urllib.parse import quote, urlencode

import pytest
import rdflib
from rdflib.compare import isomorphic
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kgtool.vocab import INFERRED_GRAPH

PREFIXES = (
    "PREFIX kgo: <https://w3id.org/kgtool/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)
EVENTS = (
    PREFIXES + "SELECT ?event ?label WHERE { ?event kgo:eventType ?type ; rdfs:label ?label } ORDER BY ?event"
)
LABELS = (
    PREFIXES
    + "CONSTRUCT { ?event rdfs:label ?label } WHERE { ?event kgo:eventType ?type ; rdfs:label ?label }"
)


def client(server, query: str, fmt: str = JSON) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(server.url + "/sparql")
    wrapper.setQuery(query)
    wrapper.setReturnFormat(fmt)
    wrapper.setTimeout(60)
    return wrapper


@pytest.fixture(scope="module")
def local_events(run, shipped_kg) -> list[tuple[str, str]]:
    """The rows of EVENTS as the CLI's engine gives them (the server infers with owlrl by default)."""
    rows = run.text(shipped_kg, EVENTS, infer="owlrl").all_rows()
    assert len(rows) >= 11
    return [(row[0].value, row[1].value) for row in rows]


def bindings(document: dict) -> list[tuple[str, str]]:
    return [(b["event"]["value"], b["label"]["value"]) for b in document["results"]["bindings"]]


@pytest.mark.parametrize("method", ["GET", "POST form", "POST direct"])
def test_select_by_each_method_gives_the_local_rows(server, local_events, method):
    wrapper = client(server, EVENTS)
    if method != "GET":
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED if method == "POST form" else POSTDIRECTLY)
    answer = wrapper.query()
    assert answer.response.headers["Content-Type"] == "application/sparql-results+json"
    assert bindings(answer.convert()) == local_events


def test_select_in_xml_csv_and_tsv(server, local_events):
    document = client(server, EVENTS, XML).query().convert()
    results = document.getElementsByTagName("result")
    assert [r.getElementsByTagName("uri")[0].firstChild.data for r in results] == [e for e, _ in local_events]
    rows = list(csv.reader(io.StringIO(client(server, EVENTS, CSV).query().convert().decode("utf-8"))))
    assert rows[0] == ["event", "label"] and [tuple(r) for r in rows[1:]] == local_events
    tsv = client(server, EVENTS, TSV).query().convert().decode("utf-8").splitlines()
    assert tsv[0] == "?event\t?label"
    assert tsv[1] == f'<{local_events[0][0]}>\t"{local_events[0][1]}"@en'


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
        ("text/*", "text/csv; charset=utf-8"),
        ("text/tab-separated-values, */*;q=0.5", "text/tab-separated-values; charset=utf-8"),
        ("application/json", "application/sparql-results+json"),
        (None, "application/sparql-results+json"),
    ],
)
def test_accept_with_q_values_picks_the_format(server, accept, expected):
    answer = server.get("/sparql?" + urlencode({"query": EVENTS}), accept=accept)
    assert answer.status == 200
    assert answer.header("content-type") == expected
    assert answer.header("vary") == "Accept"


def test_nothing_acceptable_is_406(server):
    answer = server.get("/sparql?" + urlencode({"query": EVENTS}), accept="image/png, text/turtle")
    assert answer.status == 406
    assert answer.text.startswith("no acceptable format for the SELECT result; it comes as ")
    assert "application/sparql-results+json" in answer.text


@pytest.fixture(scope="module")
def local_labels(run, shipped_kg) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in run.text(shipped_kg, LABELS).all_triples():
        graph.add(
            (
                rdflib.URIRef(triple.subject.value),
                rdflib.RDFS.label,
                rdflib.Literal(triple.object.value, lang="en"),
            )
        )
    assert len(graph) == 11
    return graph


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
        ("application/trig", "trig"),
        ("application/n-quads", "nquads"),
    ],
)
def test_construct_in_every_rdf_format_is_the_same_graph(server, local_labels, accept, rdflib_format):
    answer = server.get("/sparql?" + urlencode({"query": LABELS}), accept=accept)
    assert answer.status == 200, answer.text
    assert answer.header("content-type").split(";")[0] == accept
    if rdflib_format in ("trig", "nquads"):
        dataset = rdflib.Dataset()
        dataset.parse(data=answer.body, format=rdflib_format)
        graph = rdflib.Graph()
        for s, p, o, _ in dataset.quads():
            graph.add((s, p, o))
    else:
        graph = rdflib.Graph().parse(data=answer.body, format=rdflib_format)
    assert isomorphic(graph, local_labels)


def test_construct_through_sparqlwrapper(server, local_labels):
    turtle = client(server, LABELS, TURTLE).query().convert()
    assert isomorphic(rdflib.Graph().parse(data=turtle, format="turtle"), local_labels)
    for fmt in (RDFXML, JSONLD):
        converted = client(server, LABELS, fmt).query().convert()
        graph = rdflib.Graph()
        for triple in converted.triples((None, None, None)):
            graph.add(triple)
        assert isomorphic(graph, local_labels)


def test_ask(server):
    assert client(server, "ASK { ?e kgo:eventType ?t }").query().convert() == {"head": {}, "boolean": True}
    assert client(server, "ASK { ?e kgo:eventType kgo:Nothing }").query().convert()["boolean"] is False


def test_the_dataset_of_the_request_replaces_the_default_graph(server, run, shipped_kg):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = run.text(shipped_kg, count, infer="owlrl").all_rows()[0][0].value
    inferred = (
        run.text(
            shipped_kg,
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}",
            infer="owlrl",
        )
        .all_rows()[0][0]
        .value
    )
    assert int(inferred) > 0 and int(union) > int(inferred)

    def counted(query: str, **graphs: str) -> str:
        params = [("query", query), *((k.replace("_", "-"), v) for k, v in graphs.items())]
        answer = server.get("/sparql?" + urlencode(params), accept="application/sparql-results+json")
        assert answer.status == 200, answer.text
        return json.loads(answer.body)["results"]["bindings"][0]["n"]["value"]

    assert counted(count) == union  # no dataset: the union of every graph
    assert counted(count, default_graph_uri=INFERRED_GRAPH) == inferred
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert counted(named, default_graph_uri=INFERRED_GRAPH) == "0"  # no named graph given: none
    assert counted(named, named_graph_uri=INFERRED_GRAPH) == inferred
    bad = server.get("/sparql?" + urlencode({"query": count, "default-graph-uri": "not an iri"}))
    assert bad.status == 400 and "not an absolute IRI" in bad.text


def test_updates_are_refused_with_403(server):
    insert = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    assert server.get("/sparql?" + urlencode({"update": insert})).status == 403
    assert (
        server.post(
            "/sparql", urlencode({"update": insert}).encode(), "application/x-www-form-urlencoded"
        ).status
        == 403
    )
    assert server.post("/sparql", insert.encode(), "application/sparql-update").status == 403
    as_query = server.get("/sparql?" + urlencode({"query": insert}))
    assert as_query.status == 403
    assert as_query.text == "query:1:1: SPARQL Update (INSERT) is refused: kgtool queries are read-only\n"
    wrapper = SPARQLWrapper(server.url + "/sparql", updateEndpoint=server.url + "/sparql")
    wrapper.setQuery(insert)
    wrapper.setMethod(POST)
    with pytest.raises(Exception, match="403"):
        wrapper.query()
    count = client(server, "ASK { <http://example.org/a> ?p ?o }").query().convert()
    assert count["boolean"] is False


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { sErViCe <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_with_400_as_the_cli_refuses_it(server, query):
    wrapper = client(server, query)
    with pytest.raises(
        QueryBadFormed, match="SERVICE is refused: kgtool never sends queries to remote endpoints"
    ):
        wrapper.query()


def test_a_syntax_error_is_400_with_the_one_line_message(server):
    answer = server.get("/sparql?query=" + quote("SELECT ?s WHERE {\n  ?s ?p\n}"))
    assert answer.status == 400
    assert answer.header("content-type") == "text/plain; charset=utf-8"
    assert answer.text.count("\n") == 1
    assert answer.text.startswith("query:3:1: SPARQL syntax error:")


def test_requests_the_protocol_does_not_allow(server):
    assert server.post("/sparql", b"SELECT * {}", "text/plain").status == 415
    assert _declared_too_big(server).startswith(b"HTTP/1.1 413 ")
    assert server.post("/sparql", b"\xff\xfe", "application/sparql-query").status == 400
    two = server.get("/sparql?" + urlencode([("query", "ASK {}"), ("query", "ASK {}")]))
    assert two.status == 400
    assert server.post("/sparql", b"", "application/x-www-form-urlencoded").status == 400


def _declared_too_big(server) -> bytes:
    """The status line of a POST declaring a 2 MiB body: answered before the body is read."""
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 2097152\r\n\r\nSELECT * WHERE { ?s ?p ?o }"
        )
        return conn.recv(4096).split(b"\r\n", 1)[0] + b" "


def test_a_bare_get_describes_the_service(server):
    description = server.get("/sparql", accept="text/turtle")
    assert description.status == 200
    graph = rdflib.Graph().parse(data=description.body, format="turtle", publicID=server.url + "/sparql")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.endpoint, rdflib.URIRef(server.url + "/sparql")) in graph
    form = server.get("/sparql", accept="text/html")
    assert form.status == 200 and '<form method="get" action="/sparql">' in form.text


def test_every_answer_carries_the_safety_headers_and_no_cors(server):
    answer = server.get("/sparql?" + urlencode({"query": "ASK {}"}), Origin="http://example.org")
    assert answer.header("x-content-type-options") == "nosniff"
    assert "default-src 'none'" in answer.header("content-security-policy")
    assert answer.header("access-control-allow-origin") is None
    preflight = server.call(
        "/sparql",
        "OPTIONS",
        headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 405 and preflight.header("access-control-allow-origin") is None
