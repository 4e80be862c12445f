"""Credentials, timeouts and misbehaving servers: one line on stderr, exit 2, never a secret.

The servers here are a throwaway stdlib http.server in a thread (a test double for error paths only:
the protocol itself is tested against the real Oxigraph server in the other modules)."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SECRET = "s3cret-token-value"
PASSWORD = "pa55-word-value"
EMPTY = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
ONE_ROW = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"urn:x"}}]}}'
JSON = "application/sparql-results+json"

Behaviour = Callable[[BaseHTTPRequestHandler], None]


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str, **headers: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)


class _QuietServer(ThreadingHTTPServer):
    """A client that gave up (timeout tests) is no error of the double's."""

    def handle_error(self, request: object, client_address: object) -> None:
        return None


@pytest.fixture
def server(http_double) -> Iterator[Callable[[Behaviour], str]]:
    """`server(behaviour)` starts a double answering every request with `behaviour`; gives its URL."""

    def start(behaviour: Behaviour) -> str:
        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("latin-1")
                behaviour(self)

            do_GET = do_POST = do_PUT = _answer

            def log_message(self, *args: object) -> None:
                return None

        return http_double(Handler, _QuietServer) + "/sparql"

    yield start


def _one_line_exit_2(result, *expected: str) -> None:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("kgtool: "), result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


def _wants(expected: str) -> Behaviour:
    def behaviour(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("Authorization") == expected:
            _send(handler, 200, ONE_ROW, JSON)
        else:
            _send(handler, 401, b"who are you?", "text/plain", WWW_Authenticate='Bearer realm="kg"')

    return behaviour


QUERY = ["sparql", "SELECT ?s WHERE { ?s ?p ?o }", "-f", "tsv"]


def test_bearer_token_from_the_environment(server, cli) -> None:
    url = server(_wants(f"Bearer {SECRET}"))
    ok = cli([*QUERY, "--endpoint", url], env={"KGTOOL_ENDPOINT_TOKEN": SECRET})
    assert (ok.exit_code, ok.stdout) == (0, "?s\n<urn:x>\n"), ok.stderr
    refused = cli([*QUERY, "--endpoint", url])
    _one_line_exit_2(refused, "HTTP 401", "$KGTOOL_ENDPOINT_TOKEN", "query at " + url)
    wrong = cli([*QUERY, "--endpoint", url], env={"KGTOOL_ENDPOINT_TOKEN": SECRET + "-wrong"})
    _one_line_exit_2(wrong, "HTTP 401")
    assert SECRET not in wrong.stderr + wrong.stdout


def test_basic_auth_from_the_environment(server, cli) -> None:
    expected = "Basic " + base64.b64encode(f"analyst:{PASSWORD}".encode()).decode()
    url = server(_wants(expected))
    env = {"KGTOOL_ENDPOINT_USER": "analyst", "KGTOOL_ENDPOINT_PASSWORD": PASSWORD}
    ok = cli([*QUERY, "--endpoint", url], env=env)
    assert ok.exit_code == 0, ok.stderr
    half = cli([*QUERY, "--endpoint", url], env={"KGTOOL_ENDPOINT_USER": "analyst"})
    _one_line_exit_2(half, "KGTOOL_ENDPOINT_PASSWORD")


def test_the_endpoint_from_the_environment(server, cli) -> None:
    url = server(lambda h: _send(h, 200, ONE_ROW, JSON))
    result = cli(QUERY, env={"KGTOOL_ENDPOINT": url})
    assert (result.exit_code, result.stdout) == (0, "?s\n<urn:x>\n"), result.stderr


def test_secrets_never_in_help_or_messages(server, cli) -> None:
    env = {"KGTOOL_ENDPOINT_TOKEN": SECRET, "KGTOOL_ENDPOINT_PASSWORD": PASSWORD}
    for command in (["--help"], ["query", "--help"], ["push", "--help"], ["add", "--help"]):
        shown = cli(command, env=env)
        assert SECRET not in shown.stdout and PASSWORD not in shown.stdout
    url = server(lambda h: _send(h, 500, f"failed for token {SECRET}".encode(), "text/plain"))
    failed = cli([*QUERY, "--endpoint", url], env={"KGTOOL_ENDPOINT_TOKEN": SECRET})
    _one_line_exit_2(failed, "HTTP 500", "***")
    assert SECRET not in failed.stderr


def test_userinfo_in_a_url_is_redacted(cli) -> None:
    result = cli([*QUERY, "--endpoint", f"http://analyst:{PASSWORD}@127.0.0.1:9/query"])
    _one_line_exit_2(result, "http://***@127.0.0.1:9/query", "cannot reach")
    assert PASSWORD not in result.stderr


def test_unreachable_server(cli) -> None:
    _one_line_exit_2(cli([*QUERY, "--endpoint", "http://127.0.0.1:9/query"]), "cannot reach the server")


def test_not_an_http_url(cli) -> None:
    _one_line_exit_2(cli([*QUERY, "--endpoint", "ftp://example.org/sparql"]), "not an http(s) URL")


def test_slow_server_times_out(server, cli) -> None:
    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(3)
        _send(handler, 200, ONE_ROW, JSON)

    url = server(slow)
    result = cli([*QUERY, "--endpoint", url, "--read-timeout", "0.5"])
    _one_line_exit_2(result, "no answer for 0.5 s")
    env_timeout = cli([*QUERY, "--endpoint", url], env={"KGTOOL_READ_TIMEOUT": "0.5"})
    _one_line_exit_2(env_timeout, "no answer for 0.5 s")


@pytest.mark.parametrize(
    ("behaviour", "says"),
    [
        (lambda h: _send(h, 503, b"overloaded, come back later", "text/plain"), "HTTP 503: overloaded"),
        (lambda h: _send(h, 403, b"The server is read-only", "text/plain"), "HTTP 403"),
        (lambda h: _send(h, 200, b"<html><body>Log in</body></html>", "text/html"), "answered text/html"),
        (lambda h: _send(h, 200, b"hello", "text/plain"), "is this a SPARQL 1.1 endpoint?"),
        (lambda h: _send(h, 200, b"{not json", JSON), "not valid SPARQL results"),
        (lambda h: _send(h, 200, EMPTY, JSON, X_SQL_State="S1TAT"), "partial answer (x-sql-state: S1TAT)"),
        (lambda h: _send(h, 200, ONE_ROW, JSON, X_SPARQL_MaxRows="10000"), "partial answer"),
        (
            lambda h: _send(h, 200, ONE_ROW[:-3] + b"The SPARQL operation has been cancelled", JSON),
            "not valid SPARQL results",
        ),
    ],
    ids=["5xx", "403", "html-page", "plain-200", "broken-json", "virtuoso-timeout", "virtuoso-maxrows",
         "oxigraph-cancelled"],
)  # fmt: skip
def test_misbehaving_servers(server, cli, behaviour, says) -> None:
    url = server(behaviour)
    for fmt in ("tsv", "table"):
        result = cli(["sparql", "SELECT ?s WHERE { ?s ?p ?o }", "-f", fmt, "--endpoint", url])
        _one_line_exit_2(result, says)


def test_push_to_a_refusing_server(server, cli) -> None:
    url = server(
        lambda h: _send(h, 200, EMPTY, JSON) if h.command == "POST" else _send(h, 401, b"", "text/plain")
    )
    result = cli(["push", "--endpoint", url, "--store-endpoint", url.replace("/sparql", "/store")])
    _one_line_exit_2(result, "Graph Store PUT", "HTTP 401")


def test_digest_auth_on_virtuoso_auth_route(store_server, cli) -> None:
    """Virtuoso's `/sparql-auth` wants HTTP Digest: $KGTOOL_ENDPOINT_AUTH=digest (make test-virtuoso)."""
    if store_server.kind != "virtuoso":
        pytest.skip("Virtuoso's -auth routes only")
    url = store_server.query_url + "-auth"
    env = {"KGTOOL_ENDPOINT_USER": "dba", "KGTOOL_ENDPOINT_PASSWORD": "dba", "KGTOOL_ENDPOINT_AUTH": "digest"}
    ok = cli(["sparql", "ASK { ?s ?p ?o }", "--endpoint", url], env=env)
    assert ok.exit_code in (0, 1), ok.stderr
    refused = cli(["sparql", "ASK { ?s ?p ?o }", "--endpoint", url])
    _one_line_exit_2(refused, "HTTP 401")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KGTOOL_ENDPOINT_TOKEN", "s3cr3t-token\r"),
        ("KGTOOL_ENDPOINT_TOKEN", "s3cr3t-t\u00e9ken"),
        ("KGTOOL_ENDPOINT_TOKEN", "s3cr3t\ntoken"),
        ("KGTOOL_ENDPOINT_PASSWORD", "s3cr3t-pa\u00dfword"),
    ],
    ids=["carriage-return", "accent", "line-feed", "password-eszett"],
)
def test_a_credential_that_cannot_be_a_header_is_refused_unshown(server, cli, variable, value) -> None:
    """httpx would quote the header value (`\\r` escaped) in its error, past the masking: the value is
    checked where it is read, and the message names the variable only."""
    url = server(lambda h: _send(h, 200, ONE_ROW, JSON))
    env = {variable: value}
    if variable == "KGTOOL_ENDPOINT_PASSWORD":
        env["KGTOOL_ENDPOINT_USER"] = "analyst"
    result = cli([*QUERY, "--endpoint", url], env=env)
    _one_line_exit_2(result, f"${variable} holds a character that is not printable ASCII")
    shown = result.stdout + result.stderr
    assert "s3cr3t" not in shown and value not in shown and repr(value)[1:-1] not in shown


def test_a_secret_quoted_escaped_by_httpx_is_masked() -> None:
    """Masking catches a secret in the form httpx quotes a header value (bytes repr, `\\r`) too."""
    from kgtool.remote.client import Client
    from kgtool.remote.endpoint import Credentials, Endpoint

    url = "http://127.0.0.1:9/q"
    with Client(Endpoint(url, url, None, credentials=Credentials("tok\r"))) as client:
        text = str(client.error("query", url, "Illegal header value b'Bearer tok\\r'"))
    assert text == "query at http://127.0.0.1:9/q: Illegal header value b'Bearer ***'"


@pytest.mark.parametrize("url", ["http://[::1/query", "http://127.0.0.1:99999/query", "http://h:port/q"])
def test_an_unparsable_endpoint_url_is_one_line(cli, url) -> None:
    _one_line_exit_2(cli([*QUERY, "--endpoint", url]), "--endpoint: not a valid URL")
    _one_line_exit_2(
        cli(["push", "--endpoint", "http://127.0.0.1:9/query", "--store-endpoint", url]),
        "--store-endpoint: not a valid URL",
    )


def _no_graph_store(handler: BaseHTTPRequestHandler) -> None:
    """A store whose guessed Graph Store URL does not exist: 404 to PUT, empty answers otherwise."""
    if handler.command == "PUT":
        _send(handler, 404, b"not found", "text/plain")
    elif "update=" in handler.body:  # type: ignore[attr-defined]
        _send(handler, 204, b"", "text/plain")
    else:
        _send(handler, 200, EMPTY, JSON)


def test_a_404_at_a_guessed_graph_store_falls_back_to_insert_data(server, cli) -> None:
    """`…/sparql` guesses `…/sparql-graph-crud`: a 404 there means no Graph Store, so INSERT DATA;
    the same URL given with --store-endpoint is a mistake: one line naming it and the status."""
    url = server(_no_graph_store)
    guessed = cli(["push", "--endpoint", url, "--skolemize"])
    assert guessed.exit_code == 0, guessed.stderr
    assert "with SPARQL Update (INSERT DATA; the store has no Graph Store endpoint)" in guessed.stdout
    given = cli(["push", "--endpoint", url, "--skolemize", "--store-endpoint", url + "-graph-crud"])
    _one_line_exit_2(given, f"Graph Store PUT at {url}-graph-crud: HTTP 404: no such endpoint")


def test_a_dripping_server_is_stopped_by_the_request_timeout(server, cli) -> None:
    """A byte every 0.2 s never trips the 1 s read timeout; $KGTOOL_REQUEST_TIMEOUT bounds the whole
    request, answer included."""

    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", JSON)
        handler.end_headers()
        for byte in ONE_ROW * 100:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.2)

    url = server(drip)  # the whole answer would take minutes: only the deadline can end it as asserted
    env = {"KGTOOL_REQUEST_TIMEOUT": "1.5", "KGTOOL_READ_TIMEOUT": "1"}
    result = cli([*QUERY, "--endpoint", url], env=env)
    _one_line_exit_2(result, "no complete answer within 1.5 s ($KGTOOL_REQUEST_TIMEOUT)")
    bad = cli([*QUERY, "--endpoint", url], env={"KGTOOL_REQUEST_TIMEOUT": "soon"})
    _one_line_exit_2(bad, "$KGTOOL_REQUEST_TIMEOUT must be a positive number of seconds")
