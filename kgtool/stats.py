"""Summary numbers of a graph: triples per part, instances per class, sources, events per year, and the
facts (events, figures, quotes, claims) that cite no source.

Computed with SPARQL on the dataset queries run on (`kgtool.store.dataset.open_dataset`: the on-disk
index above its size threshold, so a big graph is not parsed again), plus the small ontology and shapes
files parsed on their own to tell the parts apart. A source is cited by a fact through kgo:source or a
sub-property, or, for a quote, through where it stands in the source (kgo:inPostAt/oa:hasSource: the
compilation post's quotes). The text output writes IRIs with the graph's prefixes; JSON keeps them whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kgtool.options import GraphPart, StatsFormat
from kgtool.rdf.parsing import load_store
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.vocab import KGO, RDFS

if TYPE_CHECKING:
    from kgtool.remote.endpoint import Endpoint

FACT_CLASSES = ("Event", "Figure", "Quote", "Claim")
OA = "http://www.w3.org/ns/oa#"

_PREFIXES = f"""
PREFIX kgo: <{KGO}>
PREFIX rdfs: <{RDFS}>
PREFIX oa: <{OA}>
"""
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
_CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
_SOURCES = (
    _PREFIXES
    + """
SELECT ?source (COUNT(DISTINCT ?fact) AS ?n) WHERE {
  ?source a/rdfs:subClassOf* kgo:Source .
  OPTIONAL {
    { ?p rdfs:subPropertyOf* kgo:source . ?fact ?p ?source . }
    UNION
    { ?fact kgo:inPostAt/oa:hasSource ?source . }
  }
} GROUP BY ?source"""
)
_EVENTS_PER_YEAR = (
    _PREFIXES
    + """
SELECT ?year (COUNT(DISTINCT ?event) AS ?n) WHERE {
  { SELECT ?event (MIN(SUBSTR(STR(?date), 1, 4)) AS ?y) WHERE {
      ?event a/rdfs:subClassOf* kgo:Event .
      OPTIONAL { ?event kgo:date ?date }
    } GROUP BY ?event }
  BIND(COALESCE(?y, "unknown") AS ?year)
} GROUP BY ?year"""
)
_KINDS = " ".join(f"kgo:{c}" for c in FACT_CLASSES)
_UNSOURCED = (
    _PREFIXES
    + "SELECT DISTINCT ?fact WHERE {\n"
    + f"  VALUES ?kind {{ {_KINDS} }}\n"
    + """  ?fact a/rdfs:subClassOf* ?kind .
  MINUS { ?p rdfs:subPropertyOf* kgo:source . ?fact ?p ?anything . }
}"""  # MINUS, not FILTER NOT EXISTS: one pass instead of a path per fact (0.92 s -> 0.03 s at 300k)
)


@dataclass
class Stats:
    """The numbers `kgtool stats` prints."""

    triples: dict[str, int]
    instances_per_class: dict[str, int]
    sources: dict[str, int]
    events_per_year: dict[str, int]
    facts_without_source: list[str]
    prefixes: dict[str, str] = field(default_factory=dict, repr=False)  # to write IRIs short


def _blank(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


def _rows(store: ox.Store, query: str) -> list[list[str]]:
    answer = store.query(query, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QuerySolutions)
    return [[term.value if term is not None else "" for term in row] for row in answer]


def compute(kg: KnowledgeGraph, endpoint: Endpoint | None = None) -> Stats:
    """Count what is in the graph (asserted triples only; no inference), from the dataset queries use,
    or with `endpoint` from the remote store queries with --endpoint use (kgtool's graphs there).

    The ontology and shapes files are parsed on their own to count them; the data are what the dataset
    holds besides them (a triple written both in the ontology and the data counts as ontology)."""
    schema = {part: load_store(kg.files(part)) for part in (GraphPart.ONTOLOGY, GraphPart.SHAPES)}
    not_data = set(schema[GraphPart.ONTOLOGY]) | set(schema[GraphPart.SHAPES])
    if endpoint is not None:
        from kgtool.remote.session import open_remote

        with open_remote(endpoint, kg) as remote:

            def remote_rows(query: str) -> list[list[str]]:
                return [
                    [t.value if t is not None else "" for t in row] for row in remote.engine.select(query)
                ]

            # what `push` sent holds the ontology and shapes files whole
            data = int(remote_rows(_COUNT)[0][0]) - len(not_data)
            return _stats(schema, data, remote_rows, remote.prefixes)
    from kgtool.store.dataset import open_dataset

    dataset = open_dataset(kg)
    store = dataset.store
    # A blank node belongs to the file that writes it (every parse names it anew): such a triple is
    # in the dataset once for its file, however it is named there.
    data = len(store) - sum(1 for quad in not_data if _blank(quad) or quad in store)
    return _stats(schema, data, lambda query: _rows(store, query), dataset.prefixes)


def _stats(
    schema: dict[GraphPart, ox.Store],
    data: int,
    rows: Callable[[str], list[list[str]]],
    prefixes: dict[str, str],
) -> Stats:
    triples = {part.value: len(part_store) for part, part_store in schema.items()}
    triples["data"] = data
    triples["total"] = sum(triples.values())
    classes = {c: int(n) for c, n in rows(_CLASSES)}
    for part_store in schema.values():
        for c, n in _rows(part_store, _CLASSES):
            classes[c] = classes.get(c, 0) - int(n)
    classes = {c: n for c, n in classes.items() if n > 0}
    return Stats(
        triples=triples,
        instances_per_class=dict(sorted(classes.items(), key=lambda item: (-item[1], item[0]))),
        sources={s: int(n) for s, n in sorted(rows(_SOURCES))},
        events_per_year={y: int(n) for y, n in sorted(rows(_EVENTS_PER_YEAR))},
        facts_without_source=sorted(row[0] for row in rows(_UNSOURCED)),
        prefixes=prefixes,
    )


def render(stats: Stats, fmt: StatsFormat) -> str:
    """Stats as readable text (IRIs with the graph's prefixes) or a stable JSON document (IRIs whole)."""
    if fmt is StatsFormat.JSON:
        document = asdict(stats)
        del document["prefixes"]
        return json.dumps(document, indent=2, sort_keys=True) + "\n"
    from kgtool.query.result_formats import shorten

    out: list[str] = []

    def short(key: str) -> str:
        return shorten(key, stats.prefixes) if "://" in key else key

    def section(title: str, items: dict[str, Any]) -> None:
        out.append(f"{title}:")
        names = {short(k): v for k, v in items.items()}
        width = max((len(k) for k in names), default=0)
        out.extend(f"  {k.ljust(width)}  {v}" for k, v in names.items())
        if not items:
            out.append("  (none)")

    section("triples", stats.triples)
    section("instances per class", stats.instances_per_class)
    section(
        "facts citing each source (kgo:source and its sub-properties; quotes by kgo:inPostAt)", stats.sources
    )
    section("events per year", stats.events_per_year)
    out.append(f"facts without a source: {len(stats.facts_without_source)}")
    out.extend(f"  {short(fact)}" for fact in stats.facts_without_source)
    return "\n".join(out) + "\n"
