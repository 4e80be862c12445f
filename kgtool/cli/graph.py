"""`kgtool init`, `kgtool stats` and `kgtool index`: start a graph folder, count what it holds, and
build its on-disk index."""

from __future__ import annotations

from typing import Annotated

import typer

from kgtool.cli.app import (
    ConnectTimeoutOption,
    EndpointOption,
    ReadTimeoutOption,
    graph,
    remote_endpoint,
)
from kgtool.errors import ExitStatus
from kgtool.options import StatsFormat


def init_command(
    directory: Annotated[str, typer.Argument(metavar="DIR", help="A new (or empty) folder.")],
) -> None:
    """Copy the shipped graph to DIR, to extend it with `kgtool --kg DIR add`.

    Always the shipped graph, whatever --kg or $KGTOOL_KG select."""
    from pathlib import Path

    from kgtool.add import init_graph

    copied = init_graph(Path(directory))
    typer.echo(f"copied {', '.join(p.name + '/' for p in copied)} to {directory}")


def stats_command(
    ctx: typer.Context,
    fmt: Annotated[
        StatsFormat,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            parser=StatsFormat.parse,
            help=f"{StatsFormat.listing(last=' or ')}.",
        ),
    ] = StatsFormat.TEXT,
    endpoint: EndpointOption = None,
    connect_timeout: ConnectTimeoutOption = None,
    read_timeout: ReadTimeoutOption = None,
) -> None:
    """Triples, instances per class, sources, events per year and facts without a source."""
    from kgtool.stats import compute, render

    remote = remote_endpoint(endpoint, connect_timeout=connect_timeout, read_timeout=read_timeout)
    typer.echo(render(compute(graph(ctx), remote), fmt), nl=False)


def index_command(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Rebuild even if the index is current.")] = False,
    show_status: Annotated[
        bool,
        typer.Option(
            "--status",
            help="Only report whether the index matches the graph's files: exit 0 when it does, 1 when it "
            "is missing or stale (the graph's files changed since it was built).",
        ),
    ] = False,
) -> int:
    """Build (or reuse) the on-disk Oxigraph index of the graph, kept in the cache by content hash.

    With --status, build nothing: exit 0 if the index is current, 1 if it is missing or stale."""
    from kgtool.store import disk_index

    kg = graph(ctx)
    if show_status:
        current = disk_index.info(kg)
        label = "current" if current.exists else "missing or stale (the graph's files changed)"
        typer.echo(f"index: {label}\npath: {current.path}\nfingerprint: {current.fingerprint}")
        if current.triples is not None:
            typer.echo(f"triples: {current.triples}\nbuild seconds: {current.seconds:.2f}")
        return int(ExitStatus.OK if current.exists else ExitStatus.CHECK_FAILED)
    built = disk_index.build(kg, rebuild=rebuild)
    typer.echo(f"index: {built.path} ({built.triples} triples)")
    return int(ExitStatus.OK)
