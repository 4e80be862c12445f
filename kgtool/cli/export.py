"""`kgtool export`: the graph in a standard RDF format, the same bytes every time."""

from __future__ import annotations

from typing import Annotated

import typer

from kgtool import formats
from kgtool.cli.app import INFER_HELP, graph
from kgtool.formats import Format
from kgtool.options import GraphPart, InferMode
from kgtool.vocab import INFERRED_GRAPH


def export_format(text: str | Format) -> Format:
    """An export --format value: one of the RDF syntaxes (checked here, once)."""
    return formats.parse(text, formats.RDF_FORMATS, "export format")


def export_command(
    ctx: typer.Context,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            parser=export_format,
            help=f"{formats.names(formats.RDF_FORMATS, last=' or ')}.",
        ),
    ] = formats.TURTLE,
    infer: Annotated[
        InferMode,
        typer.Option(
            "--infer",
            metavar="MODE",
            parser=InferMode.parse,
            help=f"{INFER_HELP} Quad formats put them in the named graph {INFERRED_GRAPH}; triple formats "
            "write them to OUT.inferred.EXT (needs -o).",
        ),
    ] = InferMode.NONE,
    only: Annotated[
        GraphPart,
        typer.Option(
            "--only", metavar="PART", parser=GraphPart.parse, help=f"Part: {GraphPart.listing(last=' or ')}."
        ),
    ] = GraphPart.ALL,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here (atomically), not stdout."),
    ] = None,
) -> None:
    """Export the graph in a standard RDF format; the same graph always gives the same bytes."""
    from pathlib import Path

    from kgtool.rdf import export as ex

    ex.check_destination(fmt, infer, output)
    result = ex.export(graph(ctx), fmt, infer, only)
    if output is None:
        typer.echo(result.body, nl=False)
        return
    for path in ex.write(result, Path(output)):
        typer.echo(f"wrote {path}")
