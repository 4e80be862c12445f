"""`validate --endpoint` and `add --endpoint` on a real store: the same report as on the files (context
read from the store), and a contribution written as one named graph in one request, or not at all."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

from kgtool.vocab import CONTRIBUTIONS, PUSHED_GRAPH

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
NEW = sorted((FIXTURES / "new").glob("*.*"))
#: The small graph the new-data fixtures (good-event.ttl, …) are written against.
MINI = FIXTURES / "kg-mini"
GOOD = FIXTURES / "new" / "good-event.ttl"
#: A valid new event whose actor is a blank node.
BLANK_ACTOR = FIXTURES / "new" / "good-event-blank-actor.ttl"
BLANK_EVENT = "https://w3id.org/kgtool/iraq/event/2020-01-08-protest-at-the-embassy"


@pytest.fixture
def mini_store(store):
    """The store holding exactly the kg-mini graph."""
    store.push(MINI)
    return store


@pytest.fixture(scope="module")
def shipped_store(store_server):
    store_server.clear()
    store_server.push()
    return store_server


@pytest.mark.slow
@pytest.mark.parametrize("fixture", INVALID + NEW, ids=lambda p: p.name)
def test_validate_reports_as_on_the_files(fixture, shipped_store, cli) -> None:
    """Every invalid fixture (and the new-data ones): the JSON report is the local one, exactly."""
    local = cli(["validate", str(fixture), "-f", "json"])
    remote = cli(["validate", str(fixture), "-f", "json", *shipped_store.options()])
    assert (remote.exit_code, remote.stderr) == (local.exit_code, local.stderr)
    assert remote.stdout == local.stdout  # the JSON report is stable: compared as text


def test_validate_finds_violations_that_need_the_store(shipped_store, cli) -> None:
    """A defect that shows only with the store's triples as context (who else has this Wikidata item)."""
    expected = json.loads((FIXTURES / "invalid" / "expected.json").read_text())
    bad = FIXTURES / "invalid" / "event-without-source.ttl"
    report = json.loads(cli(["validate", str(bad), "-f", "json", *shipped_store.options()]).stdout)
    found = [[r["component"].rsplit("#", 1)[-1], r.get("path"), r["focus"]] for r in report["results"]]
    assert [f for f in found if f[0] != "UndeclaredTermComponent"] == expected[bad.name]


def test_validate_with_an_endpoint_needs_files(shipped_store, cli) -> None:
    result = cli(["validate", *shipped_store.options()])
    assert result.exit_code == 2
    assert "FILE" in result.stderr


@pytest.mark.parametrize("args", [[], ["--standalone", str(GOOD)]], ids=["no-file", "standalone"])
def test_validate_names_the_environment_when_the_endpoint_comes_from_it(cli, args) -> None:
    """With $KGTOOL_ENDPOINT exported and no --endpoint typed, the message says where the store came
    from and how to check the local files instead; with --endpoint typed, it names the option."""
    url = "http://127.0.0.1:9/query"
    from_env = cli(["validate", *args], env={"KGTOOL_ENDPOINT": url})
    assert (from_env.exit_code, from_env.stdout) == (2, "")
    assert from_env.stderr == (
        "kgtool: $KGTOOL_ENDPOINT is set, so validate checks FILEs against that store's graph (no "
        "--standalone): give FILEs, or unset KGTOOL_ENDPOINT to validate the graph folder\n"
    )
    typed = cli(["validate", *args, "--endpoint", url])
    assert (typed.exit_code, typed.stderr) == (
        2,
        "kgtool: validate --endpoint checks FILEs against the store's graph (no --standalone)\n",
    )


def test_references_resolve_against_the_store(mini_store, cli) -> None:
    """good-event.ttl names an actor and a source the graph has: valid with the store as context,
    invalid alone (as tests/test_validate.py finds on the files)."""
    assert cli(["--kg", MINI, "validate", str(GOOD), *mini_store.options()]).exit_code == 0
    assert cli(["--kg", MINI, "validate", str(GOOD), "--standalone"]).exit_code == 1


def test_add_writes_one_named_graph_that_queries_see(mini_store, cli) -> None:
    store = mini_store
    added = cli(["--kg", MINI, "add", str(GOOD), "-m", "a test event", *store.write_options()])
    assert added.exit_code == 0, added.stderr
    assert added.stdout.startswith("added 5 triple(s) (0 already present) to <" + CONTRIBUTIONS)
    graphs = store.kgtool_graphs()
    contribution = [g for g in graphs if g.startswith(CONTRIBUTIONS)]
    assert len(contribution) == 1 and PUSHED_GRAPH in graphs
    record = store.select(
        f"SELECT ?n WHERE {{ GRAPH <{contribution[0]}> {{ <{contribution[0]}> "
        "<http://rdfs.org/ns/void#triples> ?n } }"
    )
    assert record and int(record[0]["n"]) > 0  # the PROV record travels in the same graph
    seen = cli(["--kg", MINI, "sparql", "SELECT ?e WHERE { ?e kgo:date ?d }", "-f", "tsv", *store.options()])
    assert "2020-01-07-trump-worst-thing" in seen.stdout
    again = cli(["--kg", MINI, "add", str(GOOD), *store.write_options()])
    assert again.exit_code == 0
    assert "nothing to add" in again.stdout
    assert len([g for g in store.kgtool_graphs() if g.startswith(CONTRIBUTIONS)]) == 1


def test_add_keeps_blank_nodes_of_the_file(mini_store, cli) -> None:
    """A valid file whose actor is a blank node: added (exit 0), and the event with its blank actor is
    on the store as in the file (isomorphic), inside the contribution's graph."""
    store = mini_store
    added = cli(["--kg", MINI, "add", str(BLANK_ACTOR), *store.write_options()])
    assert added.exit_code == 0, added.stderr
    (contribution,) = [g for g in store.kgtool_graphs() if g.startswith(CONTRIBUTIONS)]
    answer = httpx.post(
        store.query_url,
        data={
            "query": f"CONSTRUCT {{ ?e ?p ?o . ?o ?q ?v }} WHERE {{ GRAPH <{contribution}> {{ "
            f"?e ?p ?o FILTER(?e = <{BLANK_EVENT}>) OPTIONAL {{ ?o ?q ?v FILTER(isBlank(?o)) }} }} }}"
        },
        headers={"Accept": "application/n-triples"},
        timeout=60,
    )
    answer.raise_for_status()
    on_store = Graph().parse(data=answer.text, format="nt")
    in_file = Graph().parse(BLANK_ACTOR, format="turtle")
    assert len(in_file) == 7 and any(isinstance(o, BNode) for o in on_store.objects())
    assert isomorphic(on_store, in_file), on_store.serialize(format="nt")


def test_add_of_invalid_data_writes_nothing(store, cli) -> None:
    store.push()
    bad = FIXTURES / "invalid" / "event-without-source.ttl"
    result = cli(["add", str(bad), *store.write_options()])
    assert result.exit_code == 1
    assert "nothing written" in result.stdout
    assert store.kgtool_graphs() == [PUSHED_GRAPH]


def _cutting_proxy(upstream: str, no_graph_store: bool) -> type[BaseHTTPRequestHandler]:
    """A proxy in front of the real store: queries pass through whole; a write (PUT to the Graph Store,
    POST to the update URL) reaches the store with only half its body, then both connections are cut,
    as when a network drops mid-request. With `no_graph_store` a PUT is answered 405, so the write
    goes as INSERT DATA instead. A test double for the failure only: the store is the real one."""
    target = urlsplit(upstream)

    class Proxy(BaseHTTPRequestHandler):
        def _relay(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = urlsplit(self.path).path
            if self.command == "PUT" and no_graph_store:
                self.send_response(405)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.command == "PUT" or path.endswith("/update"):
                self._cut(body)
            else:
                answer = httpx.request(
                    self.command,
                    upstream + self.path,
                    content=body,
                    headers={
                        k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")
                    },
                    timeout=60,
                )
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("content-type", "text/plain"))
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

        def _cut(self, body: bytes) -> None:
            head = f"{self.command} {self.path} HTTP/1.1\r\nHost: {target.netloc}\r\n"
            for name in ("Content-Type", "Content-Length"):
                head += f"{name}: {self.headers.get(name)}\r\n"
            with socket.create_connection((target.hostname, target.port), timeout=10) as raw:
                raw.sendall(head.encode() + b"\r\n" + body[: len(body) // 2])
            self.close_connection = True  # no answer: the client sees the connection drop

        do_GET = do_POST = do_PUT = _relay

        def log_message(self, *args: object) -> None:
            return None

    return Proxy


@pytest.fixture
def cutting_proxy(store_server, http_double) -> Iterator[Callable[[bool], str]]:
    """`cutting_proxy(no_graph_store)` starts a proxy to the real store; gives its base URL."""
    upstream = store_server.query_url.rsplit("/", 1)[0]

    def start(no_graph_store: bool) -> str:
        return http_double(_cutting_proxy(upstream, no_graph_store))

    yield start


@pytest.mark.parametrize("no_graph_store", [False, True], ids=["graph-store-put", "insert-data"])
def test_a_write_cut_off_midway_leaves_the_store_unchanged(
    mini_store, cli, cutting_proxy, no_graph_store
) -> None:
    """The write reaches the real store but breaks off part-way: the store keeps exactly what it had,
    and kgtool says so in one line (exit 2)."""
    store = mini_store
    if store.kind != "oxigraph":
        pytest.skip("the proxy speaks Oxigraph's /query, /update and /store layout")
    everything = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"
    before = store.select(everything)
    proxy = cutting_proxy(no_graph_store)
    # the Graph Store URL derived from /query (proxy/store): only a guessed URL may fall back to INSERT DATA
    args = ["--endpoint", proxy + "/query", "--update-endpoint", proxy + "/update"]
    result = cli(["--kg", MINI, "add", str(GOOD), *args])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("kgtool: "), result.stderr
    what = "SPARQL update" if no_graph_store else "Graph Store PUT"
    assert what in result.stderr and "the exchange failed" in result.stderr, result.stderr
    assert "added" not in result.stdout
    assert store.select(everything) == before
    assert store.kgtool_graphs() == [PUSHED_GRAPH]


class _Refusing(BaseHTTPRequestHandler):
    """A store front that refuses every write (a test double for the error path only)."""

    def _refuse(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(403)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"The server is read-only")

    do_PUT = do_POST = _refuse

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def refusing(http_double) -> str:
    return http_double(_Refusing)


def test_a_refused_write_is_one_line(mini_store, cli, refusing) -> None:
    """A store front that answers 403 to writes: the store's own explanation, on one line, exit 2."""
    store = mini_store
    args = [
        *store.options(),
        "--store-endpoint",
        refusing + "/store",
        "--update-endpoint",
        refusing + "/update",
    ]
    result = cli(["--kg", MINI, "add", str(GOOD), *args])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "HTTP 403" in result.stderr and "read-only" in result.stderr
