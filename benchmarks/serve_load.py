"""A bounded load test of `kgtool serve` next to Oxigraph's own server on the same store, same client.

Both servers hold the same quads (the graph, and with inference its closure in named graphs): kgtool
serve over the graph folder, `oxigraph serve-read-only --union-default-graph` (PyPI `oxigraph`) over a
store loaded from kgtool's dataset dumped as N-Quads. Each is sent `--requests` POSTs of the saved
query (`application/sparql-query`, Accept JSON) from `--concurrency` client threads, each with its
own keep-alive connection, after `--warmup` requests not counted, in `--rounds` rounds that alternate
between the servers (the machine's other load falls on both alike). Only loopback targets; every request
has a timeout; the run stops by itself. Printed: requests, errors (non-2xx or exceptions), req/s and
p50/p90/p99/max latency per server, the ratio of the p50s, and the machine.

Then the time limit, on kgtool serve alone (`--runaway-timeout`, 2 s by default): a runaway query
(a COUNT over a four-way cross join) is POSTed 3 times; printed: how long each took to come back 503
(limit + killing the worker), and the latency of the saved query sent right after each, while the
zygote forks the replacement worker.

Usage: python benchmarks/serve_load.py [--requests 2000] [--concurrency 8] [--query timeline]
       [--infer owlrl|rdfs|none] [--kg DIR] [--workers N] [--runaway-timeout SECONDS]
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 30.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@dataclass
class Run:
    server: str
    seconds: float
    latencies: list[float]
    errors: int

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def loopback(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, parts.port)):
        raise SystemExit(f"refusing to load {url}: not a loopback address")
    return host, int(parts.port or 80), parts.path


def post(connection: http.client.HTTPConnection, path: str, body: bytes) -> bytes:
    status, data = send(connection, path, body)
    if not 200 <= status < 300:
        raise RuntimeError(f"HTTP {status}: {data[:200]!r}")
    return data


def send(connection: http.client.HTTPConnection, path: str, body: bytes) -> tuple[int, bytes]:
    connection.request(
        "POST",
        path,
        body=body,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    answer = connection.getresponse()
    return answer.status, answer.read()


def load(name: str, url: str, query: str, requests: int, concurrency: int, warmup: int) -> Run:
    host, port, path = loopback(url)
    body = query.encode("utf-8")
    local = threading.local()
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]

    def one(_: int) -> float | None:
        if not hasattr(local, "connection"):
            local.connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        started = time.perf_counter()
        try:
            post(local.connection, path, body)
        except Exception:
            local.connection.close()
            local.connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
            with lock:
                errors[0] += 1
            return None
        return time.perf_counter() - started

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(warmup)))
        errors[0] = 0
        started = time.perf_counter()
        for took in pool.map(one, range(requests)):
            if took is not None:
                latencies.append(took)
        seconds = time.perf_counter() - started
    return Run(name, seconds, latencies, errors[0])


def runaways(url: str, query: str, times: int = 3) -> list[tuple[int, float, float]]:
    """Each runaway's status and seconds to its answer, then the saved query's latency just after."""
    host, port, path = loopback(url)
    found = []
    for _ in range(times):
        started = time.perf_counter()
        status, _ = send(http.client.HTTPConnection(host, port, timeout=TIMEOUT), path, RUNAWAY.encode())
        stopped = time.perf_counter() - started
        started = time.perf_counter()
        post(http.client.HTTPConnection(host, port, timeout=TIMEOUT), path, query.encode())
        found.append((status, stopped, time.perf_counter() - started))
    return found


def wait_for_line(process: subprocess.Popen[str], pattern: str, seconds: float = 120) -> str:
    """The first match of `pattern` on the process's stderr (it must print within `seconds`)."""
    assert process.stderr is not None
    deadline = time.monotonic() + seconds
    seen = []
    for line in process.stderr:
        seen.append(line)
        found = re.search(pattern, line)
        if found:
            threading.Thread(target=lambda: [None for _ in process.stderr], daemon=True).start()  # type: ignore[union-attr]
            return found.group(1)
        if time.monotonic() > deadline:
            break
    raise SystemExit(f"server did not start: {''.join(seen)}")


def wait_for_port(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=4, help="alternate the servers this many times")
    parser.add_argument("--query", default="timeline", help="a saved query of the graph")
    parser.add_argument("--infer", default="owlrl", choices=["none", "rdfs", "owlrl"])
    parser.add_argument("--kg", type=Path, default=ROOT)
    parser.add_argument("--workers", type=int, default=None, help="kgtool serve --workers")
    parser.add_argument("--runaway-timeout", type=float, default=2.0, help="kgtool serve --timeout")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    import pyoxigraph as ox

    from kgtool import __version__
    from kgtool.options import InferMode
    from kgtool.query import catalog
    from kgtool.store.dataset import open_dataset
    from kgtool.store.graph_folder import locate

    kg = locate(str(args.kg))
    query = catalog.load(kg.query_dir, args.query).text
    bin_dir = Path(sys.executable).parent
    kgtool = shutil.which("kgtool", path=str(bin_dir)) or "kgtool"
    oxigraph = shutil.which("oxigraph", path=str(bin_dir)) or shutil.which("oxigraph")
    if oxigraph is None:
        raise SystemExit("the oxigraph server is not installed (pip install oxigraph)")

    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "graph.nq"
        dataset = open_dataset(kg, InferMode.parse(args.infer))
        ox.serialize(dataset.store, str(dump), format=ox.RdfFormat.N_QUADS)
        store = Path(tmp) / "store"
        subprocess.run([oxigraph, "load", "-l", str(store), "-f", str(dump)], check=True, capture_output=True)
        ox_port = free_port()
        servers = {
            "kgtool serve": subprocess.Popen(
                [kgtool, "--kg", str(kg.root), "serve", "--port", "0", "--infer", args.infer]
                + ["--timeout", str(args.runaway_timeout)]
                + (["--workers", str(args.workers)] if args.workers else []),
                stderr=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                text=True,
            ),
            "oxigraph serve-read-only": subprocess.Popen(
                [
                    oxigraph,
                    "serve-read-only",
                    "-l",
                    str(store),
                    "-b",
                    f"127.0.0.1:{ox_port}",
                    "--union-default-graph",
                ],
                stderr=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            ),
        }
        try:
            kg_url = wait_for_line(servers["kgtool serve"], r"serving .* at (http://\S+?)/? \(") + "/sparql"
            wait_for_port(ox_port)
            urls = {"kgtool serve": kg_url, "oxigraph serve-read-only": f"http://127.0.0.1:{ox_port}/query"}
            answers = {}
            for name, url in urls.items():  # the same rows from both, before timing anything
                host, port, path = loopback(url)
                answers[name] = json.loads(
                    post(http.client.HTTPConnection(host, port, timeout=TIMEOUT), path, query.encode())
                )
            first, second = (
                sorted(json.dumps(b, sort_keys=True) for b in a["results"]["bindings"])
                for a in answers.values()
            )
            if first != second:
                raise SystemExit("the two servers answer with different rows")
            # In rounds that alternate between the servers, so a change in the shared machine's load
            # falls on both alike; the warm-up runs before each server's first round only.
            runs = {name: Run(name, 0.0, [], 0) for name in urls}
            for round_ in range(args.rounds):
                share = args.requests // args.rounds + (round_ < args.requests % args.rounds)
                for name, url in urls.items():
                    part = load(name, url, query, share, args.concurrency, args.warmup if round_ == 0 else 0)
                    runs[name].seconds += part.seconds
                    runs[name].latencies += part.latencies
                    runs[name].errors += part.errors
            stops = runaways(kg_url, query)
        finally:
            for process in servers.values():
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()

    print(
        f"{args.requests} POSTs of the saved query '{args.query}' ({len(first)} rows, JSON), "
        f"{args.concurrency} clients, in {args.rounds} alternating rounds, {args.warmup} warm-up requests "
        f"not counted; --infer {args.infer}"
    )
    print("| server | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs.values():
        rate = len(run.latencies) / run.seconds
        shown = " | ".join(f"{run.percentile(p):.1f}" for p in (50, 90, 99))
        print(
            f"| {run.server} | {len(run.latencies) + run.errors} | {run.errors} | {rate:.0f} | {shown} "
            f"| {max(run.latencies) * 1000:.1f} |"
        )
    ours, theirs = runs.values()
    print(f"p50 ratio kgtool/oxigraph: {ours.percentile(50) / theirs.percentile(50):.2f}")
    version = subprocess.run([oxigraph, "--version"], capture_output=True, text=True).stdout.strip()
    print(
        f"kgtool {__version__}, {version}, pyoxigraph {ox.__version__}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}; client: Python http.client, "
        "one keep-alive connection per thread"
    )
    for status, stopped, after in stops:
        print(
            f"runaway query, --timeout {args.runaway_timeout:g}: HTTP {status} after "
            f"{stopped * 1000:.0f} ms; the saved query right after: {after * 1000:.1f} ms"
        )
    if any(run.errors for run in runs.values()) or any(status != 503 for status, _, _ in stops):
        raise SystemExit("errors during the load test")


if __name__ == "__main__":
    main()
