"""What the server publishes, loaded once at start-up, and what each worker does with a job.

`Site.load` reads the graph (asserted triples, and with inference the closure in its named graphs),
the saved queries, the JSON-LD context and the prefixes, and renders what never changes while the
server runs: the home page (events, saved queries, the timeline from `kgtool.viz`), the OpenAPI
document, the SPARQL form and service description. The web server forks its workers from a process
holding all of this (`kgtool.web.pool`); `Site.worker()` runs in each of them and gives the job
handler. A graph large enough for the on-disk index is opened by each worker itself (an open
RocksDB must not cross a fork); an in-memory one is shared by all of them, copy-on-write.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kgtool.errors import KgtoolError
from kgtool.options import InferMode
from kgtool.query.catalog import SavedQuery
from kgtool.query.engines import OxigraphEngine
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.vocab import INFERRED_GRAPH, INFERRED_OUTSIDE_GRAPH, KGO, RDF, RDF_TYPE
from kgtool.web import html
from kgtool.web.pool import MIB, Handler, Job, Reply


@dataclass(frozen=True)
class Settings:
    """The server's limits and view of the graph, checked at the command line."""

    infer: InferMode = InferMode.OWLRL
    timeout: float = 10.0  # seconds a query may run (its worker is killed then)
    max_rows: int = 10_000  # rows (or triples) an answer holds at most
    workers: int = 2
    max_memory: int = 2 * MIB * 1024  # bytes a worker may allocate beyond what it holds at start
    max_bytes: int = 64 * MIB  # bytes of one answer's body at most


@dataclass
class Site:
    kg: KnowledgeGraph
    settings: Settings
    prefixes: dict[str, str]
    queries: dict[str, SavedQuery]
    broken: list[str]
    context: dict[str, Any]
    store: ox.Store | None  # the in-memory graph; None when each worker opens the on-disk index
    pages: dict[str, bytes] = field(default_factory=dict)  # fixed pages: home, openapi, sparql form

    @classmethod
    def load(cls, kg: KnowledgeGraph, settings: Settings, note: Callable[[str], None]) -> Site:
        from kgtool.query import catalog
        from kgtool.rdf.export import load_context
        from kgtool.store import disk_index
        from kgtool.store.dataset import open_dataset

        indexed = disk_index.wants_index(kg)
        dataset = open_dataset(kg, settings.infer)
        good, bad = catalog.load_each(kg.query_dir)
        for error in bad:
            note(f"not served: {error}")
        site = cls(
            kg=kg,
            settings=settings,
            prefixes=dataset.prefixes,
            queries={q.name: q for q in good},
            broken=[str(e) for e in bad],
            context=load_context(kg),
            store=None if indexed else dataset.store,
        )
        site.pages = _fixed_pages(site, dataset.store, note)
        del dataset  # an on-disk index is closed here, before any fork; workers open it again
        return site

    def open_store(self) -> ox.Store:
        """The graph's store, in this process."""
        if self.store is not None:
            return self.store
        from kgtool.store.dataset import open_dataset

        return open_dataset(self.kg, self.settings.infer).store

    def worker(self) -> Handler:
        """Runs in a new worker: opens what it needs and returns the job handler."""
        return Worker(self, self.open_store()).handle


class Worker:
    """One worker process's view: the site, its store and an engine over it."""

    def __init__(self, site: Site, store: ox.Store) -> None:
        self.site = site
        self.store = store
        self.engine = OxigraphEngine(store)

    def handle(self, job: Job, reply: Reply) -> None:
        from kgtool.web import api, pages, sparql

        route = job.get("route")
        if route == "sparql":
            sparql.answer(self, job, reply)
        elif route == "api":
            api.answer(self, job, reply)
        elif route == "resource":
            pages.answer(self, job, reply)
        else:
            sparql.fail(reply, 404, f"no such route {route!r}")


# --- pages that never change while the server runs ----------------------------------------------------

TITLE = "US military presence in Iraq, 2011–2021"
EXAMPLE_QUERY = """SELECT ?event ?label ?date WHERE {
  ?event kgo:eventType ?type ; rdfs:label ?label ; kgo:date ?date .
}
ORDER BY STR(?date)"""


@dataclass
class EventRow:
    link: Any
    when: str
    date_in_post: bool


def events(store: ox.Store) -> list[EventRow]:
    """Every event with its most precise date (and whether the post gives that date), by date."""
    from kgtool.viz import dates
    from kgtool.web.resource import _Reader

    read = _Reader(store)
    rows = []
    seen = set()
    for quad in store.quads_for_pattern(None, ox.NamedNode(KGO + "eventType"), None, ox.DefaultGraph()):
        event = quad.subject
        if event in seen:
            continue
        seen.add(event)
        found = [d for d in read.objects(event, KGO + "date") if isinstance(d, ox.Literal)]
        best = max(found, key=lambda d: (len(d.value), d.value), default=None)
        span = dates.parse(best.value, best.datatype.value) if best is not None else None
        outside = best is not None and any(
            ox.NamedNode(KGO + "OutsideFact") in read.objects(fact, RDF_TYPE)
            and best in read.objects(fact, RDF + "object")
            and ox.NamedNode(KGO + "date") in read.objects(fact, RDF + "predicate")
            for fact in read.subjects(RDF + "subject", event)
        )
        rows.append(
            (
                span.iso() if span else "",
                EventRow(read.link(event), span.text() if span else "no date", not outside),
            )
        )
    return [row for _, row in sorted(rows, key=lambda r: (r[0], r[1].link.text))]


def _fixed_pages(site: Site, store: ox.Store, note: Callable[[str], None]) -> dict[str, bytes]:
    from kgtool.web import api, openapi

    timeline = ""
    try:
        from kgtool.viz.timeline_html import timeline_fragment

        timeline = timeline_fragment(OxigraphEngine(store))
    except (KgtoolError, ValueError, RuntimeError) as exc:
        note(f"the home page has no timeline: {exc}")
    queries = []
    for saved in site.queries.values():
        example = "&".join(f"{p.name}={_quote(p.example_value())}" for p in saved.params if p.required)
        queries.append(
            {
                "name": saved.name,
                "title": saved.title,
                "params": [
                    {"name": p.name, "type": p.describe_type(), "required": p.required} for p in saved.params
                ],
                "suffixes": api.suffixes(saved.prepared.kind),
                "example": f"?{example}" if example else "",
            }
        )
    settings = site.settings
    document = openapi.document(
        list(site.queries.values()), timeout=settings.timeout, max_rows=settings.max_rows
    )
    graphs = [INFERRED_GRAPH, INFERRED_OUTSIDE_GRAPH] if settings.infer is not InferMode.NONE else []
    return {
        "home": html.render(
            "home.html",
            title=TITLE,
            events=events(store),
            queries=queries,
            broken=site.broken,
            timeline=timeline,
        ),
        "openapi": json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8") + b"\n",
        "sparql": html.render(
            "sparql.html",
            title="SPARQL endpoint",
            graphs=graphs,
            timeout=f"{settings.timeout:g}",
            max_rows=settings.max_rows,
            example=EXAMPLE_QUERY,
        ),
        "service": _service_description(),
    }


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def _service_description() -> bytes:
    """The endpoint's SPARQL 1.1 Service Description in Turtle (what a bare GET /sparql gives a program)."""
    from kgtool.web.sparql import GRAPH_OFFERS, RESULT_OFFERS

    formats = " ,\n        ".join(
        f"<{_W3C_FORMATS[o.value.media_type]}>"
        for o in (*RESULT_OFFERS, *GRAPH_OFFERS)
        if o.value.media_type in _W3C_FORMATS
    )
    return (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\n"
        "[] a sd:Service ;\n"
        "    sd:endpoint <sparql> ;\n"
        "    sd:supportedLanguage sd:SPARQL11Query ;\n"
        "    sd:feature sd:UnionDefaultGraph ;\n"
        f"    sd:resultFormat {formats} .\n"
    ).encode()


#: Media type -> the W3C's IRI for the format (https://www.w3.org/ns/formats/).
_W3C_FORMATS = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
    "application/trig": "http://www.w3.org/ns/formats/TriG",
    "application/n-quads": "http://www.w3.org/ns/formats/N-Quads",
}
