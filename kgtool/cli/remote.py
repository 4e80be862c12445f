"""`kgtool push`: upload the graph folder to a remote SPARQL store (the rest of the remote support is
`--endpoint` on query, sparql, stats, validate and add)."""

from __future__ import annotations

from typing import Annotated

import typer

from kgtool.cli.app import (
    ConnectTimeoutOption,
    ReadTimeoutOption,
    StoreEndpointOption,
    UpdateEndpointOption,
    graph,
    note,
    remote_endpoint,
)
from kgtool.vocab import KGTOOL_GRAPHS, PUSHED_GRAPH


def push_command(
    ctx: typer.Context,
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            envvar="KGTOOL_ENDPOINT",
            metavar="URL",
            help="The store's SPARQL query URL (Oxigraph http://HOST:7878/query, Virtuoso "
            "http://HOST:8890/sparql); credentials from $KGTOOL_ENDPOINT_TOKEN or "
            "$KGTOOL_ENDPOINT_USER/$KGTOOL_ENDPOINT_PASSWORD.",
            show_default=False,
        ),
    ],
    graph_iri: Annotated[
        str,
        typer.Option(
            "--graph",
            metavar="IRI",
            help="The named graph for the ontology, shapes and data files (contributions keep their own "
            "graphs); an IRI under https://w3id.org/kgtool/graph/, the graphs queries with --endpoint "
            "read.",
        ),
    ] = PUSHED_GRAPH,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace kgtool's graphs already on the store (else refused)."),
    ] = False,
    skolemize: Annotated[
        bool,
        typer.Option(
            "--skolemize",
            help="Without a Graph Store, send blank nodes as Skolem IRIs (…/.well-known/genid/…) in "
            "INSERT DATA (otherwise refused there).",
        ),
    ] = False,
    update_endpoint: UpdateEndpointOption = None,
    store_endpoint: StoreEndpointOption = None,
    connect_timeout: ConnectTimeoutOption = None,
    read_timeout: ReadTimeoutOption = None,
) -> None:
    """Upload the graph (ontology, shapes, data; each contribution as its own named graph) to a SPARQL
    store, with the Graph Store HTTP Protocol, or INSERT DATA batches where the store has none.

    Afterwards every command takes --endpoint URL (or $KGTOOL_ENDPOINT) and gives the same answers as
    on the files. Progress shows on a terminal."""
    from kgtool.remote.client import Client
    from kgtool.remote.push import push

    remote = remote_endpoint(endpoint, update_endpoint, store_endpoint, connect_timeout, read_timeout)
    assert remote is not None
    _check_iri(graph_iri)
    with Client(remote) as client:
        outcome = push(client, graph(ctx), graph=graph_iri, replace=replace, skolemize=skolemize)
    for message in outcome.notes:
        note(message)
    typer.echo(outcome.summary())


def _check_iri(iri: str) -> None:
    import pyoxigraph as ox

    from kgtool.errors import UsageError

    try:
        ox.NamedNode(iri)
    except ValueError:
        raise UsageError(f"--graph: not an absolute IRI: {iri!r}") from None
    if ":" not in iri:
        raise UsageError(f"--graph: not an absolute IRI: {iri!r}")
    if not iri.startswith(KGTOOL_GRAPHS) or iri == KGTOOL_GRAPHS:
        # queries with --endpoint read only kgtool's graphs: a graph elsewhere would be pushed unread
        raise UsageError(f"--graph: {iri!r} is not under {KGTOOL_GRAPHS} (queries read kgtool's graphs only)")
