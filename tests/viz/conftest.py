"""Fixtures of the picture tests: the shipped graph's pictures, drawn once per session, and what the
graph says they must show (read with plain SPARQL, not with kgtool.viz's own queries)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kgtool.formats import HTML, PNG, SVG
from kgtool.options import EngineName
from kgtool.query.engines import Engine, make_engine
from kgtool.store.dataset import open_dataset
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.viz import pictures

# The sources of every event and figure, and of the outside facts that date them or attribute them.
CITED_SOURCES = """
PREFIX kgo: <https://w3id.org/kgtool/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?source ?label WHERE {
  { ?item kgo:eventType ?type } UNION { ?item a kgo:Figure } UNION { ?item a kgo:Plan }
  UNION { ?item a kgo:OutsideFact ; rdf:subject ?of ; rdf:predicate ?p .
          VALUES ?p { kgo:date kgo:targetDate kgo:accordingTo } }
  ?item kgo:source ?source .
  ?source rdfs:label ?label .
}
"""


@dataclass(frozen=True)
class Drawn:
    """The shipped graph's timeline in every format."""

    svg: bytes
    png: bytes
    html: bytes


@pytest.fixture(scope="session")
def shipped_engine(shipped_kg: KnowledgeGraph) -> Engine:
    return make_engine(EngineName.OXIGRAPH, open_dataset(shipped_kg).store)


@pytest.fixture(scope="session")
def drawn(shipped_kg: KnowledgeGraph) -> Drawn:
    """The shipped timeline as SVG, PNG and HTML (drawn once: each takes a second or two)."""
    return Drawn(*(pictures.timeline(shipped_kg, fmt) for fmt in (SVG, PNG, HTML)))


@pytest.fixture(scope="session")
def cited_sources(run, shipped_kg) -> dict[str, str]:
    """{source IRI: label} of everything the timeline must footnote."""
    result = run.text(shipped_kg, CITED_SOURCES)
    found = {row[0].value: row[1].value for row in result.rows}
    assert len(found) == 6
    return found
