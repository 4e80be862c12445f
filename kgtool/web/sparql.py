"""The SPARQL 1.1 Protocol, worker side: one query, its result format chosen by `Accept`, its answer
capped and written.

The query goes through the same checks as `kgtool sparql` (`kgtool.query.prepared.prepare`: nesting
depth, the read-only guard) and knows the graph's prefixes. Statuses: 200 with the result; 400 for a
syntax error or a refused query (SERVICE, a FROM of a graph that is not kgtool's), the one-line
message as the body; 403 for SPARQL Update; 406 when no format the query's kind has is acceptable;
500 when evaluation fails. `default-graph-uri` / `named-graph-uri` replace the query's FROM / FROM
NAMED; without them the default graph is the union of every graph (as in the CLI).

The cap (`max_rows`): at most that many rows (or triples) are read from the engine, one more tells
whether the answer goes on; the head is sent once that is known, with `X-Kgtool-Row-Cap` and, when the
answer was cut, `X-Kgtool-Truncated: true`. Then the rows are written as they serialize.
"""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgtool import formats
from kgtool.errors import QueryError, RefusedQuery
from kgtool.formats import Format
from kgtool.query.engines import GraphSelection, OxigraphEngine
from kgtool.query.prepared import prepare
from kgtool.query.result import Result
from kgtool.query.result_formats import write
from kgtool.web.negotiation import Offer, choose

if TYPE_CHECKING:
    from kgtool.web.pool import Job, Reply
    from kgtool.web.site import Worker

#: SELECT and ASK: the four W3C results formats; JSON when anything goes.
RESULT_OFFERS = tuple(
    Offer((f.media_type, *f.media_aliases), f) for f in (formats.JSON, formats.XML, formats.CSV, formats.TSV)
)
#: CONSTRUCT and DESCRIBE: every RDF syntax; Turtle when anything goes.
GRAPH_OFFERS = tuple(
    Offer((f.media_type, *f.media_aliases), f)
    for f in (
        formats.TURTLE,
        formats.N_TRIPLES,
        formats.RDF_XML,
        formats.JSON_LD,
        formats.TRIG,
        formats.N_QUADS,
    )
)
TEXT = "text/plain; charset=utf-8"
TRUNCATED = "X-Kgtool-Truncated"
ROW_CAP = "X-Kgtool-Row-Cap"


def offers(kind: str) -> tuple[Offer[Format], ...]:
    """The formats a result of this kind ("select", "ask", "graph") can be sent in."""
    return GRAPH_OFFERS if kind == "graph" else RESULT_OFFERS


def content_type(fmt: Format) -> str:
    return f"{fmt.media_type}; charset=utf-8" if fmt.media_type.startswith("text/") else fmt.media_type


def fail(reply: Reply, status: int, message: str, headers: list[tuple[str, str]] | None = None) -> None:
    """An error answer: one line of text."""
    reply.head(status, [("Content-Type", TEXT), *(headers or [])])
    reply.write(message.encode("utf-8") + b"\n")


def answer(worker: Worker, job: Job, reply: Reply) -> None:
    """Run the job's query and answer it."""
    try:
        query = prepare(job["query"], "query").for_run(worker.site.prefixes)
    except RefusedQuery as exc:
        fail(reply, 403 if exc.what == "update" else 400, str(exc))
        return
    except QueryError as exc:
        fail(reply, 400, str(exc))
        return
    chosen = choose(job.get("accept"), offers(query.kind))
    if chosen is None:
        names = ", ".join(o.media_types[0] for o in offers(query.kind))
        fail(reply, 406, f"no acceptable format for the {query.form or 'SELECT'} result; it comes as {names}")
        return
    graphs = None
    if job.get("default") or job.get("named"):
        graphs = GraphSelection(
            tuple(ox.NamedNode(iri) for iri in job.get("default", [])),
            tuple(ox.NamedNode(iri) for iri in job.get("named", [])),
        )
    engine = OxigraphEngine(worker.store, graphs) if graphs is not None else worker.engine
    try:
        result = engine.execute(query, {})
    except QueryError as exc:
        fail(reply, 400, str(exc))
        return
    shown = {**worker.site.prefixes, **query.prefixes} if chosen.value.prefixed else None
    send(reply, result, chosen.value, worker.site.settings.max_rows, [("Vary", "Accept")], shown)


def limited(result: Result, count: int) -> tuple[Result, bool]:
    """The first `count` rows (or triples) of a result, read from the engine, and whether more follow."""
    if result.kind == "select":
        rows = list(islice(result.row_iterator(), count + 1))
        return Result("select", result.variables, rows=rows[:count]), len(rows) > count
    if result.kind == "graph":
        triples = list(islice(iter(result.triples), count + 1))
        return Result("graph", triples=triples[:count]), len(triples) > count
    return result, False


def send(
    reply: Reply,
    result: Result,
    fmt: Format,
    max_rows: int,
    headers: list[tuple[str, str]],
    prefixes: dict[str, str] | None = None,
) -> None:
    """Cap the result, send the head, then write the rows as they serialize."""
    try:
        result, cut = limited(result, max_rows)
    except QueryError as exc:
        fail(reply, 500, str(exc))
        return
    extra = [(ROW_CAP, str(max_rows))] + ([(TRUNCATED, "true")] if cut else [])
    reply.head(200, [("Content-Type", content_type(fmt)), *headers, *extra])
    write(result, fmt, reply, prefixes)  # type: ignore[arg-type]
