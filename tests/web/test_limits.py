"""The limits of a public server, on a real one started with `--timeout 1 --max-rows 5 --cors`: a runaway
query is stopped (its worker killed, the answer 503) and the server goes on answering; answers stop at
the row cap and say so; CORS headers only because `--cors` is given."""

from __future__ import annotations

import json
import socket
import threading
import time
from urllib.parse import urlencode

import pytest

from tests.web.conftest import start_server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ALL = "SELECT * WHERE { ?s ?p ?o }"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def limited():
    with start_server(
        "--timeout", "1", "--max-rows", "5", "--cors", "--workers", "2", "--infer", "none"
    ) as started:
        yield started


def rows(answer) -> list[dict]:
    assert answer.status == 200, answer.text
    return json.loads(answer.body)["results"]["bindings"]


def test_a_runaway_query_is_stopped_with_503_and_the_server_goes_on(limited):
    for _ in range(3):  # more runaways than workers: each stopped worker is replaced
        answer = limited.get("/sparql?" + urlencode({"query": RUNAWAY}))
        assert answer.status == 503
        assert answer.text == "query stopped after 1 s (the server's time limit)\n"
    assert (
        len(rows(limited.get("/sparql?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"})))) == 2
    )


def test_runaways_do_not_hold_up_the_others_past_the_limit(limited):
    results: list[int] = []

    def runaway() -> None:
        results.append(limited.get("/sparql?" + urlencode({"query": RUNAWAY})).status)

    threads = [threading.Thread(target=runaway) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    answer = limited.get("/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}))
    for thread in threads:
        thread.join()
    assert results == [503, 503]
    assert answer.status in (200, 503)  # it waited for a worker: at most the time limit
    assert limited.get("/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"})).status == 200


def test_an_answer_stops_at_the_row_cap_and_says_so(limited):
    cut = limited.get("/sparql?" + urlencode({"query": ALL}), accept="application/sparql-results+json")
    assert len(rows(cut)) == 5
    assert cut.header("x-kgtool-truncated") == "true"
    assert cut.header("x-kgtool-row-cap") == "5"
    whole = limited.get("/sparql?" + urlencode({"query": ALL + " LIMIT 5"}), accept="text/csv")
    assert whole.header("x-kgtool-truncated") is None
    assert whole.text.count("\r\n") == 6
    graph = limited.get(
        "/sparql?" + urlencode({"query": "CONSTRUCT WHERE { ?s ?p ?o }"}), accept="application/n-triples"
    )
    assert graph.header("x-kgtool-truncated") == "true"
    assert len(graph.text.splitlines()) == 5
    api = limited.get("/api/sources.csv")
    assert api.header("x-kgtool-truncated") == "true" and api.text.count("\r\n") == 6


def test_cors_only_with_the_option(limited, server):
    answer = limited.get("/sparql?" + urlencode({"query": "ASK {}"}), Origin="https://example.org")
    assert answer.header("access-control-allow-origin") == "*"
    assert "x-kgtool-truncated" in answer.header("access-control-expose-headers").lower()
    assert answer.header("access-control-allow-credentials") is None
    preflight = limited.call(
        "/sparql",
        "OPTIONS",
        {
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status == 200
    assert "POST" in preflight.header("access-control-allow-methods")
    assert server.get("/", Origin="https://example.org").header("access-control-allow-origin") is None


# Every label of the graph ten times in each of up to 10 000 rows: far more than a socket buffers.
HUGE = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?a ?b ?c ?big WHERE { { SELECT (GROUP_CONCAT(STR(?o)) AS ?g) WHERE { ?s rdfs:label ?o } } "
    "BIND(CONCAT(?g, ?g, ?g, ?g, ?g, ?g, ?g, ?g, ?g, ?g) AS ?big) ?a ?b ?c }"
)


@pytest.fixture(scope="module")
def two_seconds():
    with start_server("--timeout", "2", "--workers", "2", "--infer", "none") as started:
        yield started


def test_clients_that_never_read_lose_their_workers_at_the_time_limit(two_seconds):
    body = urlencode({"query": HUGE}).encode()
    host, port = two_seconds.url.removeprefix("http://").split(":")
    stalled = []
    for _ in range(3):  # more than the workers: without a watchdog every worker stays busy for good
        client = socket.socket()
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        client.connect((host, int(port)))
        client.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )
        stalled.append(client)
    try:
        time.sleep(3)  # past the 2 s limit, with none of the answers read
        answer = two_seconds.get("/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}))
        assert answer.status == 200, answer.text
        assert json.loads(answer.body) == {"head": {}, "boolean": True}
    finally:
        for client in stalled:
            client.close()


@pytest.fixture(scope="module")
def capped():
    with start_server(
        "--max-bytes",
        "10K",
        "--max-memory",
        "256M",
        "--max-rows",
        "100000",
        "--workers",
        "2",
        "--infer",
        "none",
    ) as started:
        yield started


def test_an_answer_stops_at_the_byte_cap_and_says_so(capped):
    cut = capped.get("/sparql?" + urlencode({"query": ALL}), accept="text/csv")
    assert cut.status == 200
    assert cut.header("x-kgtool-truncated") == "true"
    assert len(cut.body) == 10 * 1024
    small = capped.get("/sparql?" + urlencode({"query": ALL + " LIMIT 3"}), accept="text/csv")
    assert small.header("x-kgtool-truncated") is None and small.text.count("\r\n") == 4


def test_a_query_past_the_memory_cap_is_a_503_and_the_server_goes_on(capped):
    greedy = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
    for _ in range(3):  # more than the workers: each one that ran out is replaced
        answer = capped.get("/sparql?" + urlencode({"query": greedy}))
        assert answer.status == 503
        assert (
            answer.text == "query used more than 256 MiB (the server's memory limit) or crashed its worker\n"
        )
    ask = capped.get("/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}))
    assert ask.status == 200 and json.loads(ask.body)["boolean"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-bytes", "0"], "expected a size such as 64M, 512K or 2G (1 byte to 1T), got '0'"),
        (["--max-memory", "2X"], "expected a size such as 64M, 512K or 2G (1 byte to 1T), got '2X'"),
        (["--max-memory", "2048G"], "expected a size such as 64M, 512K or 2G (1 byte to 1T), got '2048G'"),
    ],
)
def test_a_bad_size_is_one_line_and_exit_2(cli, args, message):
    result = cli(["serve", *args])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"kgtool: {message}"], result.stderr
