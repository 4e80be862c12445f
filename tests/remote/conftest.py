"""The real store the remote tests run against, and helpers to reset it.

Oxigraph's server (PyPI `oxigraph`, a test extra) by default: `.ci/run` starts one on 127.0.0.1 with a
temporary store and exports its URL as $KGTOOL_TEST_OXIGRAPH; without it (a developer's `make test`)
the session starts its own the same way and stops it at the end. `make test-virtuoso` sets
$KGTOOL_TEST_STORE=virtuoso and $KGTOOL_TEST_VIRTUOSO to a private Virtuoso it started. In CI
($CI=true) a store that cannot be had is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from kgtool.vocab import CONTRIBUTIONS, KGTOOL_GRAPHS
from tests.conftest import require_tool, run_cli


@dataclass(frozen=True)
class StoreUnderTest:
    """A running store: its kind and its query, update and Graph Store URLs."""

    kind: str
    query_url: str
    update_url: str
    store_url: str

    def options(self) -> list[str]:
        """The kgtool options that point a command at it (queries need only --endpoint)."""
        return ["--endpoint", self.query_url]

    def write_options(self) -> list[str]:
        return [*self.options(), "--update-endpoint", self.update_url, "--store-endpoint", self.store_url]

    def select(self, query: str) -> list[dict[str, str]]:
        """Rows of a SELECT sent straight to the store (not through kgtool), values as text."""
        response = httpx.post(
            self.query_url,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        response.raise_for_status()
        rows = response.json()["results"]["bindings"]
        return [{k: v["value"] for k, v in row.items()} for row in rows]

    def update(self, text: str) -> None:
        httpx.post(self.update_url, data={"update": text}, timeout=60).raise_for_status()

    def kgtool_graphs(self) -> list[str]:
        rows = self.select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{KGTOOL_GRAPHS}") || STRSTARTS(STR(?g), "{CONTRIBUTIONS}")) }}'
        )
        return sorted(row["g"] for row in rows)

    def clear(self) -> None:
        """Drop kgtool's graphs (never CLEAR ALL: Virtuoso keeps its own system graphs there)."""
        for graph in self.kgtool_graphs():
            self.update(f"DROP SILENT GRAPH <{graph}>")

    def push(self, kg: Path | None = None) -> None:
        """Push a graph folder (default the shipped one) through kgtool, replacing what is there."""
        args = ([] if kg is None else ["--kg", str(kg)]) + ["push", *self.write_options(), "--replace"]
        result = run_cli(args)
        assert result.exit_code == 0, result.stderr


def _unavailable(reason: str) -> None:
    """No store to test against: a skip on a developer's machine, a failure in CI (.ci/run)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs a real store for the remote tests: {reason}")
    require_tool(False, f"no SPARQL store for the remote tests: {reason}")


def _wait_for(url: str, seconds: float = 30.0, process: subprocess.Popen | None = None) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            answer = httpx.get(url, params={"query": "ASK {}"}, timeout=2)
            if answer.status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def store_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreUnderTest]:
    """The store for this session (see the module docstring)."""
    if os.environ.get("KGTOOL_TEST_STORE") == "virtuoso":
        base = os.environ.get("KGTOOL_TEST_VIRTUOSO", "").rstrip("/")
        if not base or not _wait_for(base + "/sparql", 5):
            _unavailable(f"no Virtuoso answering at $KGTOOL_TEST_VIRTUOSO ({base!r})")
        yield StoreUnderTest("virtuoso", base + "/sparql", base + "/sparql", base + "/sparql-graph-crud")
        return
    base = os.environ.get("KGTOOL_TEST_OXIGRAPH", "").rstrip("/")
    if base:
        if not _wait_for(base + "/query", 10):
            _unavailable(f"no Oxigraph server answering at $KGTOOL_TEST_OXIGRAPH ({base})")
        yield _oxigraph(base)
        return
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(binary).is_file():
        _unavailable("the Oxigraph server is not installed (pip install '.[test]')")
    base = f"http://127.0.0.1:{_free_port()}"
    location = tmp_path_factory.mktemp("oxigraph-store")
    command = [binary, "serve", "--location", str(location), "--bind", base.removeprefix("http://")]
    log = (location.parent / "oxigraph.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        if not _wait_for(base + "/query", 30, process):
            _unavailable(f"`{' '.join(command)}` did not answer; see {log.name}")
        yield _oxigraph(base)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _oxigraph(base: str) -> StoreUnderTest:
    return StoreUnderTest("oxigraph", base + "/query", base + "/update", base + "/store")


@pytest.fixture
def store(store_server: StoreUnderTest) -> StoreUnderTest:
    """The store with no kgtool graph on it."""
    store_server.clear()
    return store_server


@pytest.fixture
def pushed(store: StoreUnderTest) -> StoreUnderTest:
    """The store holding exactly the shipped graph, pushed by kgtool."""
    store.push()
    return store


@pytest.fixture
def http_double() -> Iterator[Callable[..., str]]:
    """`http_double(Handler, server_class=ThreadingHTTPServer)` serves a stdlib test double on a free
    loopback port in a thread and gives its base URL; every double is shut down after the test."""
    started: list[ThreadingHTTPServer] = []

    def start(
        handler: type[BaseHTTPRequestHandler], server_class: type[ThreadingHTTPServer] = ThreadingHTTPServer
    ) -> str:
        httpd = server_class(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        started.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()
