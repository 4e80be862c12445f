"""Saved queries as a Web API, as grlc serves a query repository: `/api/NAME?param=value`.

Parameters are checked exactly as `kgtool query NAME -p param=value` checks them (`params.bind`, names
looked up through the engine by `lookup.bind_all`): a bad value is a 400 whose one line names the
parameter. The format: a suffix, as grlc has it (`/api/timeline.csv`; `.json`, `.xml`, `.tsv` for rows,
`.ttl`, `.nt`, `.nq`, `.trig`, `.jsonld`, `.rdf` for graphs, `.html` for a table), else `Accept`
(a browser gets the table). A query whose header says `pagination: N` takes `page` (from 1) and
answers with a `Link` header (`first`, `prev`, `next`: `next` only when another row follows; there is
no `last`, since counting the rows would run the query to its end). What the CLI would note on stderr
(a name that matched nothing) comes back in `X-Kgtool-Note` headers. The server's row cap holds too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

import pyoxigraph as ox

from kgtool import formats
from kgtool.errors import QueryError, UsageError
from kgtool.formats import Format
from kgtool.query.catalog import SavedQuery
from kgtool.query.lookup import bind_all
from kgtool.query.result_formats import shorten
from kgtool.query.slicing import Slice
from kgtool.web import html
from kgtool.web.negotiation import Offer, choose
from kgtool.web.resource import Link, href
from kgtool.web.sparql import ROW_CAP, TRUNCATED, fail, limited, offers, send

if TYPE_CHECKING:
    from kgtool.query.result import Result
    from kgtool.web.pool import Job, Reply
    from kgtool.web.site import Worker

#: `/api/NAME.SUFFIX` forces a format, as in grlc.
RESULT_SUFFIXES: dict[str, Format] = {
    "json": formats.JSON,
    "xml": formats.XML,
    "csv": formats.CSV,
    "tsv": formats.TSV,
}
GRAPH_SUFFIXES: dict[str, Format] = {
    "ttl": formats.TURTLE,
    "nt": formats.N_TRIPLES,
    "nq": formats.N_QUADS,
    "trig": formats.TRIG,
    "jsonld": formats.JSON_LD,
    "rdf": formats.RDF_XML,
}
HTML = "html"
PAGE = "page"


def suffixes(kind: str) -> list[str]:
    """The suffixes a query of this kind answers to, its default format's first."""
    return [*(GRAPH_SUFFIXES if kind == "graph" else RESULT_SUFFIXES), HTML]


def find(worker: Worker, name: str) -> tuple[SavedQuery, str | None] | None:
    """The saved query a path names, and the suffix it asks for (None: by Accept)."""
    queries = worker.site.queries
    if name in queries:
        return queries[name], None
    stem, dot, ext = name.rpartition(".")
    if dot and stem in queries and ext in suffixes(queries[stem].prepared.kind):
        return queries[stem], ext
    return None


def answer(worker: Worker, job: Job, reply: Reply) -> None:
    found = find(worker, job["name"])
    if found is None:
        fail(reply, 404, f"no saved query {job['name']!r}; /api/openapi.json lists them")
        return
    saved, ext = found
    kind = saved.prepared.kind
    fmt: Format | str | None
    if ext is not None:
        fmt = HTML if ext == HTML else {**RESULT_SUFFIXES, **GRAPH_SUFFIXES}[ext]
    else:
        candidates: tuple[Offer[Format | str], ...] = (*offers(kind), Offer(("text/html",), HTML))
        chosen = choose(job.get("accept"), candidates)
        if chosen is None:
            fail(
                reply,
                406,
                f"no acceptable format; /api/{saved.name}.{suffixes(kind)[0]} and the like force one",
            )
            return
        fmt = chosen.value
    values: dict[str, str] = {}
    for key, value in job["params"]:
        if key in values:
            fail(reply, 400, f"parameter {key!r} given twice")
            return
        values[key] = value
    try:
        page = _page(saved, values)
        notes: list[str] = []
        known = {**worker.site.prefixes, **saved.prefixes}
        bindings = bind_all(worker.engine, saved.params, values, known, notes.append)
        size = saved.pagination
        part = Slice((page - 1) * size, size + 1) if page is not None and size else None
        result = worker.engine.execute(saved.prepared.for_run(worker.site.prefixes, part), bindings)
    except (UsageError, QueryError) as exc:
        fail(reply, 400, exc.message)
        return
    headers = [("Vary", "Accept")] + [("X-Kgtool-Note", _header_text(n)) for n in notes]
    if page is not None and saved.pagination and kind == "select":
        try:
            result, more = limited(result, saved.pagination)
        except QueryError as exc:
            fail(reply, 500, str(exc))
            return
        headers.append(("Link", _links(f"/api/{saved.name}", values, page, more)))
    if fmt == HTML:
        _table(worker, reply, saved, result, headers, notes, f"/api/{saved.name}", values)
        return
    assert isinstance(fmt, Format)
    if (kind == "graph") != (fmt.kind in (formats.Kind.TRIPLES, formats.Kind.QUADS)):
        fail(reply, 404, f"/api/{saved.name} gives {'RDF' if kind == 'graph' else 'rows'}, not {fmt.name}")
        return
    shown = known if fmt.prefixed else None
    send(reply, result, fmt, worker.site.settings.max_rows, headers, shown)


def _page(saved: SavedQuery, values: dict[str, str]) -> int | None:
    """The page asked for (1 by default) of a paginated query; `page` is then not a parameter."""
    if not saved.pagination or any(p.name == PAGE for p in saved.params):
        return None
    text = values.pop(PAGE, "1")
    if not text.isdigit() or int(text) < 1:
        raise UsageError(f"parameter 'page' expects a page number from 1, got {text!r}")
    return int(text)


def _links(path: str, values: dict[str, str], page: int, more: bool) -> str:
    def url(number: int) -> str:
        return f"<{quote(path)}?{urlencode({**values, PAGE: number})}>"

    links = [f'{url(1)}; rel="first"']
    if page > 1:
        links.append(f'{url(page - 1)}; rel="prev"')
    if more:
        links.append(f'{url(page + 1)}; rel="next"')
    return ", ".join(links)


def _header_text(note: str) -> str:
    """A note as a header value: one line of printable ASCII (other characters as \\u escapes)."""
    text = " ".join(note.split())
    return text.encode("ascii", "backslashreplace").decode("ascii")


def _table(
    worker: Worker,
    reply: Reply,
    saved: SavedQuery,
    result: Result,
    headers: list[tuple[str, str]],
    notes: list[str],
    path: str,
    values: dict[str, str],
) -> None:
    max_rows = worker.site.settings.max_rows
    try:
        result, cut = limited(result, max_rows)
    except QueryError as exc:
        fail(reply, 500, str(exc))
        return
    prefixes = {**worker.site.prefixes, **saved.prefixes}
    variables: list[str] = result.variables
    rows: list[list[Link | None]] = []
    if result.kind == "select":
        rows = [[_cell(t, prefixes) for t in row] for row in result.row_iterator()]
    elif result.kind == "graph":
        variables = ["subject", "predicate", "object"]
        rows = [
            [_cell(t.subject, prefixes), _cell(t.predicate, prefixes), _cell(t.object, prefixes)]
            for t in result.triples
        ]
    query = f"?{urlencode(values)}" if values else ""
    by_suffix = {**RESULT_SUFFIXES, **GRAPH_SUFFIXES}
    alternates = [
        {"name": ext, "href": f"{path}.{ext}{query}", "media_type": by_suffix[ext].media_type}
        for ext in suffixes(saved.prepared.kind)[:-1]
    ]
    page = html.render(
        "results.html",
        title=saved.title or saved.name,
        description=saved.description,
        notes=notes,
        variables=variables,
        rows=rows,
        boolean=result.boolean if result.kind == "ask" else None,
        truncated=cut,
        alternates=alternates,
    )
    extra = [(ROW_CAP, str(max_rows))] + ([(TRUNCATED, "true")] if cut else [])
    reply.head(200, [("Content-Type", "text/html; charset=utf-8"), *headers, *extra])
    reply.write(page)


def _cell(term: object, prefixes: dict[str, str]) -> Link | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Link(shorten(term.value, prefixes), href(term.value), term.value)
    if isinstance(term, ox.BlankNode):
        return Link("_:" + term.value)
    return Link(getattr(term, "value", str(term)))
