"""Opening the dataset a query runs on: every file of a graph folder, plus (with `--infer`) the closure
in the named graph `vocab.INFERRED_GRAPH`, and the prefixes the files declare.

Small graphs are parsed into memory; above `disk_index.threshold()` bytes the read-only on-disk index
serves them (one per graph version and inference mode, the closure built into it once, the prefixes
recorded when it was built), and its folder also keeps saved-query answers
(`kgtool.query.result_cache`). Either way each file is read at most once. Engines
(`kgtool.query.engines`) take the opened store and never open one themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgtool.options import InferMode
from kgtool.store import disk_index  # light: its heavy helpers load only when an index is opened
from kgtool.store.graph_folder import KnowledgeGraph


@dataclass
class Dataset:
    """A store to query and the prefixes the graph's files declare (to write its IRIs short)."""

    store: ox.Store
    prefixes: dict[str, str]
    results: Path | None = None  # where answers of this graph version are kept (on the index only)


def open_dataset(
    kg: KnowledgeGraph, infer: InferMode = InferMode.NONE, *, in_memory: bool = False
) -> Dataset:
    """The graph's quads (and with `infer`, their closure in INFERRED_GRAPH), ready to query; with
    `in_memory`, parsed into memory whatever the graph's size."""
    from kgtool.rdf.parsing import load_store

    if not in_memory and disk_index.wants_index(kg):
        built = disk_index.build(kg, infer=infer)
        return Dataset(disk_index.open_built(built), built.prefixes, built.path / "results")
    prefixes: dict[str, str] = {}
    store = load_store(kg.files(), prefixes)
    if infer is not InferMode.NONE:  # the reasoner loads only when inference is asked for
        from kgtool.reasoning.closure import inferred_quads

        store.extend(inferred_quads(kg, infer, store))
    return Dataset(store, prefixes)
