"""Opening the dataset a query runs on: every file of a graph folder, plus (with `--infer`) the closure
in the named graph `vocab.INFERRED_GRAPH`.

Small graphs are parsed into memory; above `disk_index.threshold()` bytes the read-only on-disk index
serves them (one per graph version and inference mode, the closure built into it once). Engines
(`kgtool.query.engines`) take the opened store and never open one themselves.
"""

from __future__ import annotations

import pyoxigraph as ox

from kgtool.options import InferMode
from kgtool.store import disk_index  # light: its heavy helpers load only when an index is opened
from kgtool.store.graph_folder import KnowledgeGraph


def open_dataset(kg: KnowledgeGraph, infer: InferMode = InferMode.NONE) -> ox.Store:
    """The graph's quads (and with `infer`, their closure in INFERRED_GRAPH) in a store to query."""
    from kgtool.rdf.parsing import load_store

    if disk_index.wants_index(kg):
        return disk_index.open_store(kg, infer)
    store = load_store(kg.files())
    if infer is not InferMode.NONE:  # the reasoner loads only when inference is asked for
        from kgtool.reasoning.closure import inferred_quads

        store.extend(inferred_quads(kg, infer, store))
    return store
