"""`kgtool validate` and `kgtool add`: check new triples against the shapes, and write them if they pass."""

from __future__ import annotations

from typing import Annotated

import typer

from kgtool.cli.app import (
    ConnectTimeoutOption,
    EndpointOption,
    FilesArgument,
    InferOption,
    InputFormatOption,
    ReadTimeoutOption,
    StoreEndpointOption,
    UpdateEndpointOption,
    endpoint_from_environment,
    graph,
    remote_endpoint,
)
from kgtool.errors import ExitStatus
from kgtool.options import InferMode, ReportFormat


def validate_command(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="FILE",
            help="RDF files with the new triples (- reads standard input; give --input-format); none: "
            "check the whole graph (every data file).",
            show_default=False,
        ),
    ] = None,
    input_format: InputFormatOption = None,
    shapes: Annotated[
        str | None, typer.Option("--shapes", metavar="FILE", help="SHACL shapes (default: the graph's).")
    ] = None,
    infer: InferOption = InferMode.NONE,
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            parser=ReportFormat.parse,
            help=f"{ReportFormat.listing(last=' or ')}: a table, a stable JSON document, or the SHACL report "
            "in Turtle.",
        ),
    ] = ReportFormat.TEXT,
    standalone: Annotated[
        bool,
        typer.Option(
            "--standalone",
            help="Validate the files alone, without the graph's data (its ontology still gives the class "
            "hierarchy).",
        ),
    ] = False,
    endpoint: EndpointOption = None,
    connect_timeout: ConnectTimeoutOption = None,
    read_timeout: ReadTimeoutOption = None,
) -> int:
    """Validate new triples in the context of the graph; report only the nodes they add or touch.

    With no FILE, validate the whole graph (every data file, e.g. after editing one by hand). Also checks
    the vocabulary: an undefined kgo: term is a violation, an undeclared term from another namespace a
    warning, a JSON-LD key the context does not map an error. Exit 0 conforms, 1 violations, 2 input
    error. Each result names the file:line it comes from.
    """
    from kgtool.rdf.parsing import input_path
    from kgtool.validate import render, validate, validate_graph

    shapes_file = input_path(shapes) if shapes else None
    remote = remote_endpoint(endpoint, connect_timeout=connect_timeout, read_timeout=read_timeout)
    if remote is not None:
        from kgtool.errors import UsageError
        from kgtool.remote.context import validate_on

        if not files or standalone:
            if endpoint_from_environment(ctx):
                raise UsageError(
                    "$KGTOOL_ENDPOINT is set, so validate checks FILEs against that store's graph (no "
                    "--standalone): give FILEs, or unset KGTOOL_ENDPOINT to validate the graph folder"
                )
            raise UsageError("validate --endpoint checks FILEs against the store's graph (no --standalone)")
        paths = [input_path(f) for f in files]
        report = validate_on(remote, graph(ctx), paths, shapes=shapes_file, infer=infer, syntax=input_format)
    elif files:
        paths = [input_path(f) for f in files]
        report = validate(
            graph(ctx), paths, shapes=shapes_file, infer=infer, standalone=standalone, syntax=input_format
        )
    else:
        report = validate_graph(graph(ctx), shapes=shapes_file, infer=infer)
    typer.echo(render(report, fmt), nl=False)
    return int(ExitStatus.OK if report.conforms else ExitStatus.CHECK_FAILED)


def add_command(
    ctx: typer.Context,
    files: FilesArgument,
    input_format: InputFormatOption = None,
    message: Annotated[
        str, typer.Option("--message", "-m", metavar="TEXT", help="Why: kept in the PROV-O record.")
    ] = "",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing.")] = False,
    endpoint: EndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
    store_endpoint: StoreEndpointOption = None,
    connect_timeout: ConnectTimeoutOption = None,
    read_timeout: ReadTimeoutOption = None,
) -> int:
    """Validate new triples and, only if they conform, add them as a contribution with a PROV-O record.

    The write is atomic and locked: a crash leaves the old graph or the new one, never a mix. With
    --endpoint, the context is read from the store and the contribution with its record is written
    there as one named graph in one request (a failed request changes nothing).
    """
    from kgtool.add import add
    from kgtool.rdf.parsing import input_path
    from kgtool.validate import render

    paths = [input_path(f) for f in files]
    remote = remote_endpoint(endpoint, update_endpoint, store_endpoint, connect_timeout, read_timeout)
    if remote is not None:
        from kgtool.remote.context import add_to

        outcome = add_to(remote, graph(ctx), paths, message=message, dry_run=dry_run, syntax=input_format)
    else:
        outcome = add(graph(ctx), paths, message=message, dry_run=dry_run, syntax=input_format)
    if outcome.status == "invalid":
        typer.echo(render(outcome.report, ReportFormat.TEXT), nl=False)
    typer.echo(outcome.summary())
    return int(ExitStatus.CHECK_FAILED if outcome.status == "invalid" else ExitStatus.OK)
