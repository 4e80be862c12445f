"""The web server's own process: routes, request checks and answers; every query runs in a worker.

Routes (all read-only; GET also answers HEAD):
- `/` the home page (events, saved queries, timeline); `/static/kgtool.css` its stylesheet.
- `/sparql` the SPARQL 1.1 Protocol: GET `?query=`, POST form, POST `application/sparql-query`;
  a bare GET gives the query form (to a browser) or the service description (Turtle).
- `/api/openapi.json` the OpenAPI document; `/api/NAME[.SUFFIX]` a saved query (`kgtool.web.api`).
- `/iraq/PATH[.html|.ttl|.jsonld]` the graph's resources (`kgtool.web.pages`).

Checked here, before a worker sees anything: the method and Content-Type (update: 403; another
type: 415), the size of the body (at most `MAX_BODY`: 413) and of the query string (414), UTF-8, one
`query`, absolute IRIs in `default-graph-uri`/`named-graph-uri`, and resource paths (only segments
under `/iraq/`: `..`, `.`, empty segments, encoded slashes or backslashes are 404). Every answer
carries `Content-Security-Policy`, `X-Content-Type-Options: nosniff` and `Referrer-Policy`; CORS
headers only with `--cors` (`Access-Control-Allow-Origin: *`, never credentials).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl

import anyio
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kgtool.web.html import CSP, stylesheet
from kgtool.web.negotiation import Offer, choose
from kgtool.web.pool import MIB, Answer, Cut, Job, Overdue, WorkerLost, WorkerPool, Zygote
from kgtool.web.site import Site
from kgtool.web.sparql import ROW_CAP, TRUNCATED

#: The largest request body read (a query of a megabyte is already absurd; Oxigraph allows 128 MiB).
MAX_BODY = 1 << 20
#: The longest query string read (a GET query).
MAX_QUERY_STRING = 64 * 1024
#: What a response holds in memory before it starts streaming: a small answer goes out whole.
_WHOLE = 1 << 16
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9._~!$&'()*+,;=:@%-]+$")
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


def create_app(
    site: Site, zygote: Zygote, *, cors: bool, ready: Callable[[], None] = lambda: None
) -> ASGIApp:
    """The ASGI application; its lifespan starts the workers (from `zygote`) and stops them."""
    settings = site.settings
    pool = WorkerPool(zygote, settings.workers, settings.timeout)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        ready()
        try:
            yield
        finally:
            await pool.close()
            zygote.stop()

    async def dispatch(job: Job) -> Response:
        try:
            return await respond(await pool.run(job))
        except Overdue as exc:
            if exc.busy:
                message = f"every worker was busy for {settings.timeout:g} s; try again"
                return text(503, message, {"Retry-After": "1"})
            return text(503, f"query stopped after {settings.timeout:g} s (the server's time limit)")
        except WorkerLost:
            return text(503, memory_message(settings.max_memory))

    async def home(request: Request) -> Response:
        return Response(site.pages["home"], media_type="text/html; charset=utf-8")

    async def css(request: Request) -> Response:
        return Response(stylesheet(), media_type="text/css; charset=utf-8")

    async def openapi(request: Request) -> Response:
        return Response(site.pages["openapi"], media_type="application/json")

    async def sparql(request: Request) -> Response:
        params = query_string(request)
        if isinstance(params, Response):
            return params
        direct = None
        if request.method == "POST":
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if media == "application/sparql-update":
                return text(403, "SPARQL Update is refused: this endpoint is read-only")
            if media not in ("application/x-www-form-urlencoded", "application/sparql-query"):
                return text(
                    415, "POST a form (application/x-www-form-urlencoded) or application/sparql-query"
                )
            body = await read_body(request)
            if isinstance(body, Response):
                return body
            try:
                decoded = body.decode("utf-8")
            except UnicodeDecodeError:
                return text(400, "the request body is not UTF-8")
            if media == "application/sparql-query":
                direct = decoded
            else:
                params += parse_qsl(decoded, keep_blank_values=True)
        if any(name in ("update", "using-graph-uri", "using-named-graph-uri") for name, _ in params):
            return text(403, "SPARQL Update is refused: this endpoint is read-only")
        queries = [value for name, value in params if name == "query"] + (
            [direct] if direct is not None else []
        )
        if not queries:
            if request.method == "POST":
                return text(400, "no query: send `query` in the form, or the query as the body")
            return describe_service(request)
        if len(queries) > 1:
            return text(400, "one query per request, please")
        graphs: dict[str, list[str]] = {"default": [], "named": []}
        for name, value in params:
            key = {"default-graph-uri": "default", "named-graph-uri": "named"}.get(name)
            if key is not None:
                try:
                    graphs[key].append(ox.NamedNode(value).value)
                except ValueError:
                    return text(400, f"{name} {value!r} is not an absolute IRI")
        accept = request.headers.get("accept")
        return await dispatch({"route": "sparql", "query": queries[0], "accept": accept, **graphs})

    def describe_service(request: Request) -> Response:
        offers = (Offer(("text/turtle",), "service"), Offer(("text/html", "application/xhtml+xml"), "sparql"))
        chosen = choose(request.headers.get("accept"), offers)
        if chosen is None:
            return text(406, "the service description is in text/turtle; the query form in text/html")
        media = "text/turtle; charset=utf-8" if chosen.value == "service" else "text/html; charset=utf-8"
        return Response(site.pages[chosen.value], media_type=media, headers={"Vary": "Accept"})

    async def api(request: Request) -> Response:
        params = query_string(request)
        if isinstance(params, Response):
            return params
        name = request.path_params["name"]
        job = {"route": "api", "name": name, "params": params, "accept": request.headers.get("accept")}
        return await dispatch(job)

    async def resource(request: Request) -> Response:
        raw = request.scope.get("raw_path") or request.url.path.encode()
        path = resource_path(raw)
        if path is None:
            return text(404, "not a resource of this graph")
        stem, dot, suffix = path.rpartition(".")
        variant = None
        if dot and suffix in ("html", "ttl", "jsonld") and "/" not in suffix:
            path, variant = stem, suffix
        job = {"route": "resource", "path": path, "variant": variant, "accept": request.headers.get("accept")}
        return await dispatch(job)

    routes = [
        Route("/", home),
        Route("/static/kgtool.css", css),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/api/openapi.json", openapi),
        Route("/api/{name}", api),
        Route("/iraq/{path:path}", resource),
    ]
    app: ASGIApp = SecurityHeaders(Starlette(routes=routes, lifespan=lifespan))
    if cors:
        from starlette.middleware.cors import CORSMiddleware

        app = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "HEAD"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=[ROW_CAP, TRUNCATED, "Link", "X-Kgtool-Note"],
            max_age=600,
        )
    return app


def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error (or a short note) as one line of plain text."""
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def query_string(request: Request) -> list[tuple[str, str]] | Response:
    """The request's query parameters, in order; a Response when they cannot be read."""
    raw: bytes = request.scope.get("query_string", b"")
    if len(raw) > MAX_QUERY_STRING:
        return text(414, f"the query string is longer than {MAX_QUERY_STRING // 1024} KiB; POST the query")
    try:
        return parse_qsl(raw.decode("ascii"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return text(400, "the query string is not percent-encoded UTF-8")


async def read_body(request: Request) -> bytes | Response:
    """The request body, or a 413 as soon as it grows past MAX_BODY."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return text(413, f"the request body is larger than {MAX_BODY // 1024} KiB")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return text(413, f"the request body is larger than {MAX_BODY // 1024} KiB")
    return bytes(body)


def resource_path(raw: bytes) -> str | None:
    """The path under /iraq/ of a resource request, or None for anything that could leave the graph."""
    text = raw.decode("ascii", "replace")
    if not text.startswith("/iraq/") or "?" in text:
        return None
    rest = text[len("/iraq/") :]
    lowered = rest.lower()
    if "%2f" in lowered or "%5c" in lowered or "%2e" in lowered or "\\" in rest:
        return None
    segments = rest.split("/")
    if any(s in ("", ".", "..") or not _SAFE_SEGMENT.match(s) or "%" in s for s in segments):
        return None
    return rest


def memory_message(max_memory: int) -> str:
    """The 503 of a query whose worker ended without answering: past the memory cap, as a rule."""
    return f"query used more than {max_memory / MIB:g} MiB (the server's memory limit) or crashed its worker"


async def respond(answer: Answer) -> Response:
    """A worker's answer as a response: whole when it is small, else streamed as it comes. Cut at
    the byte cap while still whole, it says so (X-Kgtool-Truncated); streamed, the stream just ends."""
    headers = answer.headers
    media = next((v for k, v in headers if k.lower() == "content-type"), None)
    others = [(k, v) for k, v in headers if k.lower() != "content-type"]
    held: list[bytes] = []
    size = 0
    body = answer.body
    whole = True
    try:
        async for chunk in body:
            held.append(chunk)
            size += len(chunk)
            if size > _WHOLE:
                whole = False
                break
    except Cut:
        others = [(k, v) for k, v in others if k.lower() != TRUNCATED.lower()] + [(TRUNCATED, "true")]
    if whole:
        response = Response(b"".join(held), status_code=answer.status, media_type=media)
        response.raw_headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in others]
        return response

    async def rest() -> AsyncIterator[bytes]:
        for chunk in held:
            yield chunk
        async for chunk in body:
            yield chunk

    streamed = _Streamed(rest(), answer.deadline, status_code=answer.status, media_type=media)
    streamed.raw_headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in others]
    return streamed


class _Streamed(StreamingResponse):
    """A streamed answer that ends at its deadline whatever the client does: one that stops reading
    would otherwise hold the response open forever. Cut (the deadline passed, or the worker was
    stopped mid-answer), the connection closes without the body's end, which tells the client."""

    def __init__(self, content: AsyncIterator[bytes], deadline: float, **options: Any) -> None:
        super().__init__(content, **options)
        self.deadline = deadline

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with anyio.CancelScope(deadline=self.deadline):  # anyio's clock is the event loop's
            try:
                await super().__call__(scope, receive, send)
            except (Overdue, WorkerLost, Cut):
                return


class SecurityHeaders:
    """Adds the headers every answer carries (see the module's docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
