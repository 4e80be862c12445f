"""Summary numbers of a graph: triples per part, instances per class, sources, events per year, and the
facts (events, figures, quotes, claims) that cite no source. Computed with SPARQL on an Oxigraph store.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

import pyoxigraph as ox

from kgtool.options import GraphPart, StatsFormat
from kgtool.rdf.parsing import load_store
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.vocab import KGO, RDFS

FACT_CLASSES = ("Event", "Figure", "Quote", "Claim")

_PREFIXES = f"""
PREFIX kgo: <{KGO}>
PREFIX rdfs: <{RDFS}>
"""
_CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
_SOURCES = (
    _PREFIXES
    + """
SELECT ?source (COUNT(DISTINCT ?fact) AS ?n) WHERE {
  ?source a/rdfs:subClassOf* kgo:Source .
  OPTIONAL { ?p rdfs:subPropertyOf* kgo:source . ?fact ?p ?source . }
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
  FILTER NOT EXISTS { ?p rdfs:subPropertyOf* kgo:source . ?fact ?p ?anything . }
}"""
)


@dataclass
class Stats:
    """The numbers `kgtool stats` prints."""

    triples: dict[str, int]
    instances_per_class: dict[str, int]
    sources: dict[str, int]
    events_per_year: dict[str, int]
    facts_without_source: list[str]


def _rows(store: ox.Store, query: str) -> list[list[str]]:
    answer = store.query(query, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QuerySolutions)
    return [[term.value if term is not None else "" for term in row] for row in answer]


def compute(kg: KnowledgeGraph) -> Stats:
    """Count what is in the graph (asserted triples only; no inference). Each file is read once."""
    stores = {
        part: load_store(kg.files(part)) for part in (GraphPart.ONTOLOGY, GraphPart.SHAPES, GraphPart.DATA)
    }
    triples = {part.value: len(store) for part, store in stores.items()}
    triples["total"] = sum(triples.values())
    data = stores[GraphPart.DATA]
    with_schema = ox.Store()
    with_schema.extend(stores[GraphPart.ONTOLOGY])
    with_schema.extend(data)
    classes = {c: int(n) for c, n in _rows(data, _CLASSES)}
    return Stats(
        triples=triples,
        instances_per_class=dict(sorted(classes.items(), key=lambda item: (-item[1], item[0]))),
        sources={s: int(n) for s, n in sorted(_rows(with_schema, _SOURCES))},
        events_per_year={y: int(n) for y, n in sorted(_rows(with_schema, _EVENTS_PER_YEAR))},
        facts_without_source=sorted(row[0] for row in _rows(with_schema, _UNSOURCED)),
    )


def render(stats: Stats, fmt: StatsFormat) -> str:
    """Stats as readable text or a stable JSON document."""
    if fmt is StatsFormat.JSON:
        return json.dumps(asdict(stats), indent=2, sort_keys=True) + "\n"
    out: list[str] = []

    def section(title: str, items: dict[str, Any]) -> None:
        out.append(f"{title}:")
        width = max((len(k) for k in items), default=0)
        out.extend(f"  {k.ljust(width)}  {v}" for k, v in items.items())
        if not items:
            out.append("  (none)")

    section("triples", stats.triples)
    section("instances per class", stats.instances_per_class)
    section("facts citing each source (kgo:source and its sub-properties)", stats.sources)
    section("events per year", stats.events_per_year)
    out.append(f"facts without a source: {len(stats.facts_without_source)}")
    out.extend(f"  {fact}" for fact in stats.facts_without_source)
    return "\n".join(out) + "\n"
