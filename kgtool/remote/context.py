"""validate and add against a remote store: `RemoteContext` is the `GraphContext` (kgtool.store.context)
that reads the existing graph from the store, and `RemoteContributions` writes an added contribution
there.

The context is what the on-disk index gives locally: the new triples' nodes, what they point to `hops`
links deep, and what points at the changed subjects, here one CONSTRUCT per batch of nodes (blank
nodes of the store are followed inside the query, where their labels hold); whether a triple is there
already is answered from those triples when its subject was fetched whole, else by a one-row SELECT
(portable where ASK is not: Virtuoso answers ASK with a row). The contribution and its PROV record go
to the store as one named graph in one request (a Graph Store PUT of N-Triples, else one INSERT DATA),
so a refused or failed request leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgtool.formats import Format
from kgtool.options import InferMode
from kgtool.rdf.parsing import ParsedFile
from kgtool.remote.client import Client
from kgtool.remote.endpoint import Endpoint
from kgtool.remote.engine import RemoteEngine
from kgtool.store.context import Node
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.vocab import CONTRIBUTIONS, RDF_TYPE, Term

if TYPE_CHECKING:
    from kgtool.add import AddOutcome
    from kgtool.validate import Report

#: Nodes per CONSTRUCT (keeps each query text well under what servers accept).
NODES_PER_QUERY = 200


class RemoteContext:
    """The graph on a remote store, as validate and add read it."""

    whole = False

    def __init__(self, client: Client, kg: KnowledgeGraph) -> None:
        self.client = client
        self.kg = kg
        self.engine = RemoteEngine(client)
        self._complete: set[ox.NamedNode] = set()  # subjects whose every triple is in _triples
        self._triples: set[tuple[object, object, object]] = set()

    def neighbourhood(self, nodes: set[Node], pointed: set[Node], hops: int) -> list[ox.Quad]:
        start = sorted(n for n in nodes if isinstance(n, ox.NamedNode))  # the new files' blank nodes
        targets = sorted(n for n in pointed if isinstance(n, ox.NamedNode))  # are not on the store
        found: dict[ox.Quad, None] = {}
        for i in range(0, max(len(start), len(targets)), NODES_PER_QUERY):
            chunk, pointing = start[i : i + NODES_PER_QUERY], targets[i : i + NODES_PER_QUERY]
            shared = [n for n in chunk if n not in pointed]
            query = neighbourhood_query(chunk, pointing, hops, shared)
            for triple in self.engine.triples(query) if query is not None else ():
                found[ox.Quad(triple.subject, triple.predicate, triple.object)] = None
                self._triples.add((triple.subject, triple.predicate, triple.object))
            self._complete.update(chunk)
        return list(found)

    def contains(self, subject: Node | None, predicate: ox.NamedNode, obj: Term | None) -> bool:
        if isinstance(subject, ox.NamedNode) and subject in self._complete:
            return any(
                p == predicate and (obj is None or o == obj) for s, p, o in self._triples if s == subject
            )
        if isinstance(subject, ox.BlankNode) or isinstance(obj, ox.BlankNode):
            return False  # a blank node of a file is never the store's
        pattern = f"{subject or '?s'} {predicate} {obj if obj is not None else '?o'}"
        return bool(self.engine.select(f"SELECT (1 AS ?found) WHERE {{ {pattern} }} LIMIT 1"))

    def prefixes(self) -> dict[str, str]:
        from kgtool.remote.session import graph_prefixes

        return graph_prefixes(self.kg)

    def added(self, path: Path) -> None:
        return None  # nothing kept locally


def neighbourhood_query(
    nodes: Sequence[ox.NamedNode],
    pointed: Sequence[ox.NamedNode],
    hops: int,
    shared: Sequence[ox.NamedNode] = (),
) -> str | None:
    """One CONSTRUCT of what `nodes` (and the subjects of triples pointing at `pointed`) say, and what
    they point to, `hops` links deep, plus the triples pointing at `pointed`: the remote form of
    `disk_index.neighbourhood`; plus the triples other than rdf:type pointing at `shared` (the new
    triples' objects: a constraint may ask who else points there, as "no two actors share a Wikidata
    item" does; rdf:type is left out, as a class has every instance pointing at it). None when there
    is nothing to ask."""
    start_values = " ".join(str(n) for n in nodes)
    pointed_values = " ".join(str(n) for n in pointed)
    shared_values = " ".join(str(n) for n in shared)
    # Each branch binds its own variables and fills only its own template triple (no BIND: Virtuoso
    # 7.2 drops most rows of a BIND that renames a variable across the branches of a UNION).
    # A branch with no values is left out: Virtuoso plans `VALUES ?n0 { }` as a scan of the store.
    branches, template = [], []
    if pointed:
        branches.append(f"{{ VALUES ?t {{ {pointed_values} }} ?x ?q ?t }}")
        template.append("?x ?q ?t .")
    if shared:
        branches.append(f"{{ VALUES ?u {{ {shared_values} }} ?y ?r ?u FILTER(?r != <{RDF_TYPE}>) }}")
        template.append("?y ?r ?u .")
    starts = [f"VALUES ?n0 {{ {start_values} }}"] if nodes else []
    starts += [f"VALUES ?t0 {{ {pointed_values} }} ?n0 ?q0 ?t0 ."] if pointed else []
    for start in starts:
        for depth in range(hops + 1):
            path = " ".join(f"?n{k} ?l{k + 1} ?n{k + 1} ." for k in range(depth))
            branches.append(f"{{ {start} {path} ?n{depth} ?p{depth} ?o{depth} }}")
    if starts:
        template += [f"?n{depth} ?p{depth} ?o{depth} ." for depth in range(hops + 1)]
    if not branches:
        return None
    where = "\n  UNION ".join(branches)
    return f"CONSTRUCT {{ {' '.join(template)} }} WHERE {{\n  {where}\n}}"


class RemoteContributions:
    """Writes an added contribution (triples + PROV record) to the store as one named graph, in one
    request."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def write(
        self, name: str, triples: list[ox.Triple], stamp: datetime, files: list[ParsedFile], message: str
    ) -> str:
        from kgtool.add import contribution_quads
        from kgtool.remote.push import NO_GRAPH_STORE, NTRIPLES, no_graph_store, update

        graph = CONTRIBUTIONS + name
        quads = contribution_quads(triples, name, stamp, files, message)
        body = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
        endpoint = self.client.endpoint
        if endpoint.store_url is not None:
            response = self.client.open(
                "PUT",
                endpoint.store_url,
                what="Graph Store PUT",
                params=[("graph", graph)],
                content=body.encode(),
                headers={"Content-Type": NTRIPLES},
                ok_statuses=no_graph_store(endpoint),
            )
            response.close()
            if response.status_code not in NO_GRAPH_STORE:
                return f"<{graph}> on {endpoint.shown()}"
        update(self.client, f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")
        return f"<{graph}> on {endpoint.shown()}"


def validate_on(
    endpoint: Endpoint,
    kg: KnowledgeGraph,
    files: Sequence[Path],
    *,
    shapes: Path | None = None,
    infer: InferMode = InferMode.NONE,
    syntax: Format | None = None,
) -> Report:
    """`validate --endpoint`: the files checked against the graph folder's shapes (or `shapes`) in the
    context of the store's graph."""
    from kgtool.validate import read_graph, validate

    with Client(endpoint) as client:
        graph = read_graph(kg, context=RemoteContext(client, kg), shapes=shapes is None)
        return validate(kg, files, shapes=shapes, infer=infer, graph=graph, syntax=syntax)


def add_to(
    endpoint: Endpoint,
    kg: KnowledgeGraph,
    files: Sequence[Path],
    *,
    message: str = "",
    dry_run: bool = False,
    syntax: Format | None = None,
) -> AddOutcome:
    """`add --endpoint`: validate against the store's graph, then write the contribution there."""
    from kgtool.add import add

    with Client(endpoint) as client:
        context = RemoteContext(client, kg)
        return add(
            kg,
            files,
            message=message,
            dry_run=dry_run,
            syntax=syntax,
            context=context,
            target=RemoteContributions(client),
        )
