"""Fixtures of the web tests: real `kgtool serve` servers, as subprocesses.

`server` is the one `.ci/run` starts (its URL in KGTOOL_TEST_SERVE): the shipped graph with the default
settings. Without the variable a session fixture starts the same server itself; under CI=true the
variable must be there (a missing server fails the tests, never skips them). Tests that need other
settings or another graph (a short time limit, a small row cap, --cors, a graph with hostile literals)
start their own server with `start_server`.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

#: The base of the graph's own IRIs and where the server serves them.
BASE = "https://w3id.org/kgtool/iraq/"
READY = re.compile(r"serving .* at (http://\S+?)/? \(")


def kgtool_script() -> str:
    found = shutil.which("kgtool", path=str(Path(sys.executable).parent)) or shutil.which("kgtool")
    if found is None:
        pytest.fail("the kgtool console script is not installed (pip install -e '.[test]')")
    return found


@dataclass
class Server:
    """A running `kgtool serve`: its base URL (no trailing slash) and what it wrote on stderr."""

    url: str
    log: list[str] = field(default_factory=list)

    def get(self, path: str, accept: str | None = None, **headers: str) -> Response:
        return request(self.url + path, accept=accept, headers=headers)

    def post(self, path: str, body: bytes, content_type: str, accept: str | None = None) -> Response:
        return request(self.url + path, accept=accept, data=body, headers={"Content-Type": content_type})

    def call(self, path: str, method: str, headers: dict[str, str]) -> Response:
        return request(self.url + path, method=method, headers=headers)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def request(
    url: str,
    *,
    accept: str | None = None,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> Response:
    """One HTTP request; any status comes back as a Response (redirects are not followed)."""
    sent = {k.replace("_", "-"): v for k, v in (headers or {}).items()}
    if accept is not None:
        sent["Accept"] = accept
    req = urllib.request.Request(url, data=data, headers=sent, method=method)
    try:
        with _OPENER.open(req, timeout=60) as answer:
            return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as exc:
        return Response(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())


@contextmanager
def start_server(*args: str, kg: Path | None = None) -> Iterator[Server]:
    """`kgtool [--kg KG] serve --port 0 ARGS...` until the block ends; its URL once it is ready."""
    command = [kgtool_script(), *(["--kg", str(kg)] if kg else []), "serve", "--port", "0", *args]
    env = {k: v for k, v in os.environ.items() if k != "KGTOOL_KG"}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    lines: queue.Queue[str | None] = queue.Queue()
    log: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        url = None
        while url is None:
            try:
                line = lines.get(timeout=120)
            except queue.Empty:
                pytest.fail(f"kgtool serve did not start within 120 s: {''.join(log)}")
            if line is None:
                pytest.fail(f"kgtool serve exited ({process.wait()}): {''.join(log)}")
            found = READY.search(line)
            url = found.group(1) if found else None
        yield Server(url, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """The server of the shipped graph: KGTOOL_TEST_SERVE (started by .ci/run), else one of our own."""
    url = os.environ.get("KGTOOL_TEST_SERVE")
    if url:
        found = request(url.rstrip("/") + "/")
        assert found.status == 200, f"KGTOOL_TEST_SERVE={url} answers {found.status}"
        yield Server(url.rstrip("/"))
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but KGTOOL_TEST_SERVE is not set: .ci/run must start kgtool serve")
    with start_server() as started:
        yield started


def iri_path(iri: str) -> str:
    """The local path of one of the graph's IRIs: BASE + x is /iraq/x."""
    assert iri.startswith(BASE)
    return "/iraq/" + iri[len(BASE) :]
