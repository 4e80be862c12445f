"""`kgtool push`: upload the graph folder (ontology, shapes, data, and each contribution as its own
named graph) to a remote store, where `--endpoint` queries then find it (`kgtool.remote.dataset`).

Each graph goes in one SPARQL 1.1 Graph Store HTTP Protocol request, always with an explicit `?graph=`
target (Oxigraph's PUT with no target clears every graph), as N-Triples: blank nodes keep their
identity within the request, and no Turtle escape can be misread (Virtuoso keeps the backslash of
`ev:x\\/y`). The body is written to a temporary file first, so the request carries its length and the
progress bar counts bytes sent. Without a Graph Store (no URL, 405/501 there, or a 404 at a guessed
URL) the triples go in `INSERT DATA { GRAPH <g> { … } }` batches instead; blank nodes cannot cross
batches (and Virtuoso refuses them in INSERT DATA), so that path refuses a graph with blank nodes
unless `--skolemize` writes them as IRIs under `SKOLEM_BASE`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.progress import Progress
from kgtool.remote.client import Client
from kgtool.remote.endpoint import Endpoint
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.vocab import PUSHED_GRAPH

#: Where `--skolemize` puts blank nodes (RDF 1.1 §3.5 Skolem IRIs).
SKOLEM_BASE = "https://w3id.org/kgtool/.well-known/genid/"
#: Triples per INSERT DATA request on the fallback path (Virtuoso 7.2 refuses an update whose SQL
#: translation passes 10,000 lines: SP031 at 5,000 triples; 500 pass).
BATCH = 500
NTRIPLES = "application/n-triples"
#: Graph Store answers meaning "no Graph Store here": fall back to SPARQL Update. They count only from
#: a URL derived from the query URL (a guess); from --store-endpoint any of them is an error (a mistyped
#: URL: Oxigraph answers an unknown path 404, Virtuoso 405 or 501).
NO_GRAPH_STORE = (404, 405, 501)
_CHUNK = 1 << 16


@dataclass
class Pushed:
    """What `push` did: triples per graph, and how they were sent."""

    graphs: dict[str, int] = field(default_factory=dict)
    method: str = "the Graph Store HTTP Protocol"
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        total = sum(self.graphs.values())
        return f"pushed {total} triples in {len(self.graphs)} graph(s) with {self.method}"


def push(
    client: Client,
    kg: KnowledgeGraph,
    *,
    graph: str = PUSHED_GRAPH,
    replace: bool = False,
    skolemize: bool = False,
    progress: Progress | None = None,
) -> Pushed:
    """Upload the graph folder to the store behind `client`; refuses to overwrite kgtool graphs there
    unless `replace` (then each graph is replaced whole)."""
    progress = progress if progress is not None else Progress()
    with tempfile.TemporaryDirectory(prefix="kgtool-push-") as scratch, progress:
        progress.start("preparing the graph")
        bodies = _write_bodies(kg, graph, Path(scratch))
        if not replace:
            _refuse_existing(client, [b.graph for b in bodies])
        outcome = Pushed()
        use_store = client.endpoint.store_url is not None
        for body in bodies:
            if use_store:
                use_store = _put(client, body, progress)
                if not use_store:
                    outcome.method = "SPARQL Update (INSERT DATA; the store has no Graph Store endpoint)"
            if not use_store:
                _insert(client, body, replace, skolemize, progress)
            outcome.graphs[body.graph] = body.triples
        if not use_store and client.endpoint.store_url is None:
            outcome.method = "SPARQL Update (INSERT DATA; no --store-endpoint)"
        progress.done()
    return outcome


@dataclass
class _Body:
    """One graph's triples as an N-Triples file."""

    graph: str
    path: Path
    triples: int = 0
    blank: bool = False


def _write_bodies(kg: KnowledgeGraph, target: str, scratch: Path) -> list[_Body]:
    """Sort the graph's quads into their graphs, each an N-Triples file: the default graph of an
    ordinary file goes to `target`, that of a contribution (its PROV record) to the contribution's own
    graph, and any named graph to itself."""
    from kgtool.rdf.parsing import iter_quads

    bodies: dict[str, _Body] = {}
    handles: dict[str, IO[str]] = {}
    contributions = kg.data_dir / "contributions"
    try:
        for path in kg.files():
            own = _own_graph(path) if contributions in path.parents else None
            for quad in iter_quads([path]):
                name = quad.graph_name
                graph = name.value if isinstance(name, ox.NamedNode) else own or target
                if graph not in bodies:
                    bodies[graph] = _Body(graph, scratch / f"{len(bodies)}.nt")
                    handles[graph] = bodies[graph].path.open("w", encoding="utf-8")
                body = bodies[graph]
                handles[graph].write(f"{quad.subject} {quad.predicate} {quad.object} .\n")
                body.triples += 1
                body.blank = body.blank or _has_blank(quad)
    finally:
        for handle in handles.values():
            handle.close()
    return sorted(bodies.values(), key=lambda b: (b.graph != target, b.graph))


def _own_graph(path: Path) -> str | None:
    """The named graph a contribution file holds (its one graph), else None."""
    from kgtool.rdf.parsing import iter_quads

    names = {q.graph_name.value for q in iter_quads([path]) if isinstance(q.graph_name, ox.NamedNode)}
    return names.pop() if len(names) == 1 else None


def _has_blank(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


def _refuse_existing(client: Client, graphs: list[str]) -> None:
    from kgtool.remote.dataset import RemoteDataset
    from kgtool.remote.engine import RemoteEngine

    values = " ".join(f"<{g}>" for g in graphs)
    query = f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    rows = RemoteEngine(client, RemoteDataset()).select(query)
    there = sorted(row[0].value for row in rows if row[0] is not None)
    if there:
        raise UsageError(
            f"the store already holds kgtool's graph(s) {', '.join(f'<{g}>' for g in there)}; "
            "give --replace to replace them"
        )


def no_graph_store(endpoint: Endpoint) -> tuple[int, ...]:
    """The Graph Store statuses on which a write falls back to INSERT DATA (see NO_GRAPH_STORE)."""
    return () if endpoint.store_given else NO_GRAPH_STORE


def _put(client: Client, body: _Body, progress: Progress) -> bool:
    """PUT one graph to the Graph Store; False when the store has none (the caller falls back)."""
    url = client.endpoint.store_url
    assert url is not None
    size = body.path.stat().st_size
    progress.start(f"pushing <{body.graph}>", total=size)
    headers = {"Content-Type": NTRIPLES, "Content-Length": str(size)}
    response = client.open(
        "PUT",
        url,
        what="Graph Store PUT",
        params=[("graph", body.graph)],
        content=_chunks(body.path, progress),
        headers=headers,
        ok_statuses=no_graph_store(client.endpoint),
    )
    response.close()
    return response.status_code not in NO_GRAPH_STORE


def _chunks(path: Path, progress: Progress) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            progress.advance(len(chunk))
            yield chunk


def _insert(client: Client, body: _Body, replace: bool, skolemize: bool, progress: Progress) -> None:
    """The graph in INSERT DATA batches (after DROP SILENT GRAPH when replacing)."""
    if body.blank and not skolemize:
        raise UsageError(
            f"<{body.graph}> has blank nodes, which INSERT DATA cannot keep across requests (and "
            "Virtuoso refuses): give --store-endpoint (the store's Graph Store URL), or --skolemize to "
            f"write them as IRIs under {SKOLEM_BASE}"
        )
    progress.start(f"inserting <{body.graph}>", total=body.triples)
    if replace:
        update(client, f"DROP SILENT GRAPH <{body.graph}>")
    with body.path.open(encoding="utf-8") as lines:
        for batch in _batches(lines, BATCH):
            text = "".join(_skolemized(line) for line in batch) if skolemize else "".join(batch)
            update(client, f"INSERT DATA {{ GRAPH <{body.graph}> {{\n{text}}} }}")
            progress.advance(len(batch))


def update(client: Client, text: str) -> None:
    """Send one SPARQL update (form POST to the update URL); any 2xx is success (Oxigraph answers
    204, Virtuoso 200 with a results document)."""
    url = client.endpoint.update_url
    with client.request("POST", url, what="SPARQL update", form=[("update", text)]):
        pass


def _batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _skolemized(line: str) -> str:
    """An N-Triples line with its blank nodes (`_:x` as subject or object) as Skolem IRIs."""
    terms = [t for t in ox.parse(line, format=ox.RdfFormat.N_TRIPLES)][0]
    s, p, o = terms.subject, terms.predicate, terms.object
    if isinstance(s, ox.BlankNode):
        s = ox.NamedNode(SKOLEM_BASE + s.value)
    if isinstance(o, ox.BlankNode):
        o = ox.NamedNode(SKOLEM_BASE + o.value)
    return f"{s} {p} {o} .\n"
