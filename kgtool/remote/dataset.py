"""kgtool's dataset on a remote store, sent with every query, so a query sees what it sees locally.

Locally the default graph of a query is the union of all graphs (asserted files, contributions, with
`--infer` the inferred graph), and the named graphs are the contributions. Stores differ: Virtuoso's
default graph is already the union of every graph it holds (its system graphs too), Oxigraph's is its
default graph only. So kgtool never relies on either: `push` puts everything in named graphs
(`vocab.PUSHED_GRAPH`, each contribution in its own), and each query carries the SPARQL 1.1 Protocol
dataset explicitly: `default-graph-uri` for every kgtool graph the store holds (under
`vocab.KGTOOL_GRAPHS` or `vocab.CONTRIBUTIONS`, found by one query per run) and `named-graph-uri` for
those other than the pushed graph (the contributions, named as locally). A query with its own FROM /
FROM NAMED gets no dataset (the protocol's dataset would override its own). A store holding no kgtool
graph (someone else's) gets no dataset either: its own default dataset answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from kgtool.vocab import CONTRIBUTIONS, KGTOOL_GRAPHS, NO_MATCH, PUSHED_GRAPH

GRAPHS_QUERY = f"""SELECT DISTINCT ?g WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(STRSTARTS(STR(?g), "{KGTOOL_GRAPHS}") || STRSTARTS(STR(?g), "{CONTRIBUTIONS}"))
}}"""


@dataclass(frozen=True)
class RemoteDataset:
    """The graphs a query's dataset is made of (empty: the store's own default dataset)."""

    graphs: tuple[str, ...] = ()

    def params(self) -> list[tuple[str, str]]:
        """The protocol's dataset parameters for these graphs."""
        default = [("default-graph-uri", g) for g in self.graphs]
        named = [("named-graph-uri", g) for g in self.graphs if g != PUSHED_GRAPH]
        # No contribution: still name one graph (which no store holds), or Virtuoso would let
        # `GRAPH ?g` see every graph it has.
        return default + (named or [("named-graph-uri", NO_MATCH)]) if default else []

    @staticmethod
    def of(found: list[str]) -> RemoteDataset:
        return RemoteDataset(tuple(sorted(set(found))))
