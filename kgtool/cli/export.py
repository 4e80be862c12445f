"""`kgtool export`: the graph in a standard RDF format, the same bytes every time."""

from __future__ import annotations

from typing import Annotated

import typer

from kgtool import formats
from kgtool.cli.app import INFER_HELP, ForceOption, OutputOption, graph, output_target
from kgtool.formats import Format
from kgtool.options import GraphPart, InferMode
from kgtool.vocab import INFERRED_GRAPH


def export_format(text: str | Format) -> Format:
    """An export --format value: one of the RDF syntaxes (checked here, once)."""
    return formats.parse(text, formats.RDF_FORMATS, "export format")


def export_command(
    ctx: typer.Context,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            parser=export_format,
            help=f"{formats.names(formats.RDF_FORMATS, last=' or ')}. Default: the one -o FILE's suffix "
            f"names, else {formats.TURTLE}.",
            show_default=False,
        ),
    ] = None,
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
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Export the graph in a standard RDF format; the same graph always gives the same bytes.

    Long exports show progress on stderr when it is a terminal."""
    from kgtool.rdf import export as ex
    from kgtool.rdf.atomic_write import check_output

    kg = graph(ctx)
    target, fmt = output_target(output, fmt, default=formats.TURTLE)
    ex.check_destination(fmt, infer, target)
    if target is not None:
        protected = kg.own_folders()
        check_output(target, inside=protected, force=force, what="the export")
        if infer is not InferMode.NONE and not fmt.keeps_graphs:
            check_output(ex.inferred_path(target), inside=protected, force=force, what="the export")
    result = ex.export(kg, fmt, infer, only)
    if target is None:
        typer.echo(result.body, nl=False)
        return
    for path in ex.write(result, target):
        typer.echo(f"wrote {path}")
