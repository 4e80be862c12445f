"""One run against a remote store: the client open for the run, kgtool's dataset there found once, the
engine, and the prefixes to write IRIs short (the local graph folder's: the saved queries and the
graph they were written for come from it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kgtool.options import InferMode
from kgtool.remote.client import Client
from kgtool.remote.endpoint import Endpoint
from kgtool.remote.engine import RemoteEngine, check_no_infer
from kgtool.store.graph_folder import KnowledgeGraph


@dataclass
class Remote:
    """What a run on a remote store uses."""

    client: Client
    engine: RemoteEngine
    prefixes: dict[str, str]


@contextmanager
def open_remote(
    endpoint: Endpoint, kg: KnowledgeGraph, infer: InferMode = InferMode.NONE
) -> Iterator[Remote]:
    """The remote store, ready to query for one run; the connection closes when the run ends."""
    check_no_infer(infer)
    with Client(endpoint) as client:
        yield Remote(client, RemoteEngine(client), graph_prefixes(kg))


def graph_prefixes(kg: KnowledgeGraph) -> dict[str, str]:
    """The prefixes the local graph's files declare (scanned, not parsed)."""
    from kgtool.rdf.prefixes import of_files

    return of_files((path, None) for path in kg.files())
