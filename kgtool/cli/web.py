"""`kgtool serve`: publish the graph on the web, read-only (the library side is `kgtool.web`).

The web stack (Starlette, uvicorn, Jinja2) is imported only when this command runs, so every other
command starts as fast as before.
"""

from __future__ import annotations

import os
import re
import socket
from typing import Annotated

import typer

from kgtool.cli.app import InferOption, graph, note
from kgtool.errors import UsageError
from kgtool.options import InferMode, port_number, row_cap, seconds, worker_count

LOOPBACK = ("127.0.0.1", "::1", "localhost")
#: The units of a size: K, M and G are KiB, MiB and GiB.
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
#: The largest --max-memory / --max-bytes (1 TiB): beyond any machine this runs on, and no overflow.
MAX_SIZE = 1 << 40


def size(value: str | int) -> int:
    """`--max-memory SIZE`, `--max-bytes SIZE`: bytes, or a whole number with K, M or G (64M), from 1
    byte to `MAX_SIZE`."""
    found = re.fullmatch(r"\s*(\d+)\s*([KMG]?)(?:i?B)?\s*", str(value), flags=re.I)
    number = int(found.group(1)) * _UNITS[found.group(2).upper()] if found else 0
    if not 1 <= number <= MAX_SIZE:
        raise UsageError(f"expected a size such as 64M, 512K or 2G (1 byte to 1T), got {value!r}")
    return number


def serve_command(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            metavar="HOST",
            help="Address to listen on; anything but loopback publishes the graph to the network.",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", metavar="N", parser=port_number, help="TCP port (0: any free port).")
    ] = 7878,
    cors: Annotated[
        bool,
        typer.Option(
            "--cors", help="Let pages of any other site query this one (Access-Control-Allow-Origin: *)."
        ),
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            parser=seconds,
            help="Stop a query after SECONDS (its worker process is killed; the answer is 503).",
        ),
    ] = 10.0,
    max_rows: Annotated[
        int,
        typer.Option(
            "--max-rows",
            metavar="N",
            parser=row_cap,
            help="At most N rows (or triples) per answer; a cut answer says X-Kgtool-Truncated: true.",
        ),
    ] = 10_000,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            metavar="N",
            parser=worker_count,
            help="Query worker processes (default: the number of CPUs, at least 2).",
        ),
    ] = None,
    max_memory: Annotated[
        int,
        typer.Option(
            "--max-memory",
            metavar="SIZE",
            parser=size,
            help="Memory a query's worker may take beyond the loaded graph (K, M, G: KiB, MiB, GiB); "
            "a query that needs more is stopped with 503.",
        ),
    ] = "2G",  # type: ignore[assignment]
    max_bytes: Annotated[
        int,
        typer.Option(
            "--max-bytes",
            metavar="SIZE",
            parser=size,
            help="At most SIZE bytes per answer (K, M, G: KiB, MiB, GiB); a cut answer says "
            "X-Kgtool-Truncated: true, or, already streaming, ends early.",
        ),
    ] = "64M",  # type: ignore[assignment]
    infer: InferOption = InferMode.OWLRL,
) -> None:
    """Publish the graph read-only on the web: a SPARQL 1.1 endpoint (/sparql), the saved queries as a
    Web API with an OpenAPI document (/api/NAME, /api/openapi.json) and a page for every resource
    (/iraq/...), HTML for people and Turtle or JSON-LD for programs. Ctrl-C stops it."""
    from kgtool.web.site import Settings, Site

    kg = graph(ctx)
    count = workers or max(2, os.cpu_count() or 2)
    settings = Settings(
        infer=infer,
        timeout=timeout,
        max_rows=max_rows,
        workers=count,
        max_memory=max_memory,
        max_bytes=max_bytes,
    )
    note(f"loading {kg.root}{' with ' + infer.value + ' inference' if infer is not InferMode.NONE else ''}")
    site = Site.load(kg, settings, note)
    serve(site, host, port, cors=cors)


def serve(site: object, host: str, port: int, *, cors: bool) -> None:
    """Fork the workers' zygote, bind the socket and run the server until it is stopped."""
    import uvicorn

    from kgtool.web.app import create_app
    from kgtool.web.pool import Zygote
    from kgtool.web.site import Site

    assert isinstance(site, Site)
    zygote = Zygote(site.worker, max_bytes=site.settings.max_bytes, max_memory=site.settings.max_memory)
    zygote.start()  # before any thread exists: the workers are forked from it
    try:
        sock = _listen(host, port)
    except UsageError:
        zygote.stop()
        raise
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/"
    if host not in LOOPBACK:
        note(f"listening on {host}: anyone who can reach this machine can query the graph")

    def ready() -> None:
        note(f"serving {site.kg.root} at {url} ({site.settings.workers} workers; Ctrl-C stops)")

    app = create_app(site, zygote, cors=cors, ready=ready)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        http="httptools",
        loop="uvloop" if _has("uvloop") else "asyncio",
        server_header=False,
        timeout_graceful_shutdown=3,
    )
    uvicorn.Server(config).run(sockets=[sock])


def _listen(host: str, port: int) -> socket.socket:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(256)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def _has(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None
