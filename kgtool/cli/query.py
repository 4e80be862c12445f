"""`kgtool queries`, `kgtool query NAME` and `kgtool sparql`: list, describe and run queries.

The one path of a query run: the catalog prepares the query (tokenized and checked read-only once),
`params.bind` turns the `-p` values into checked RDF terms (the one place parameters are bound), the
dataset is opened, the chosen engine executes, `result_formats` prints.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from kgtool.cli.app import EngineOption, ParamOption, QueryFormatOption, QueryInferOption, graph
from kgtool.errors import ExitStatus
from kgtool.options import EngineName, InferMode

if TYPE_CHECKING:
    from kgtool.query.catalog import SavedQuery
    from kgtool.store.graph_folder import KnowledgeGraph


def queries_command(ctx: typer.Context) -> None:
    """List the saved queries of the graph: name, title and parameters."""
    from kgtool.query import catalog

    typer.echo(catalog.listing(catalog.load_all(graph(ctx).query_dir)), nl=False)


def query_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="The saved query to run.")] = None,
    param: ParamOption = None,
    fmt: QueryFormatOption = None,
    infer: QueryInferOption = InferMode.NONE,
    engine: EngineOption = EngineName.OXIGRAPH,
    show_help: Annotated[
        bool, typer.Option("--help", "-h", help="Show this help, or with NAME that query's own help.")
    ] = False,
    view: Annotated[
        bool,
        typer.Option(
            "--view",
            help="Draw the rows as the query's `#+ defaultView:` (timeline, bar, graph; table if none) "
            "instead of printing them; --format then names the picture format (svg, png, html, dot).",
        ),
    ] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="With --view: write the picture here (- = stdout)."
        ),
    ] = None,
) -> None:
    """Run a saved query (see `kgtool queries`); `kgtool query NAME --help` describes its parameters."""
    from kgtool.errors import UsageError
    from kgtool.query import catalog

    if show_help and name is None:
        typer.echo(ctx.get_help())
        return
    if name is None:
        raise UsageError("missing query NAME; `kgtool queries` lists them")
    kg = graph(ctx)
    saved = catalog.load(kg.query_dir, name)
    if show_help:
        typer.echo(catalog.help_text(saved), nl=False)
        return
    if view:
        from kgtool.cli import viz

        viz.view(kg, saved, param or [], fmt, output, infer, engine)
        return
    if output is not None:
        raise UsageError("-o/--output writes the picture of --view; to save rows, redirect stdout")
    _run(kg, saved, param or [], fmt, infer, engine)


def sparql_command(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(metavar="QUERY", help="The SPARQL query text.")] = None,
    file: Annotated[
        str | None,
        typer.Option("--file", "-f", metavar="FILE.rq", help="Read the query from a file (- = stdin)."),
    ] = None,
    param: ParamOption = None,
    fmt: QueryFormatOption = None,
    infer: QueryInferOption = InferMode.NONE,
    engine: EngineOption = EngineName.OXIGRAPH,
) -> None:
    """Run an ad-hoc read-only SPARQL query, given as text or with -f FILE.rq."""
    from pathlib import Path

    from kgtool.errors import InputError, UsageError
    from kgtool.query import catalog

    if (text is None) == (file is None):
        raise UsageError("give the query as QUERY text or with -f FILE.rq (one of them)")
    if file == "-":
        saved = catalog.parse(sys.stdin.read(), name="stdin")
    elif file is not None:
        path = Path(file)
        if not path.is_file():
            problem = "is a folder, not a query file" if path.is_dir() else "no such query file"
            raise InputError(problem, file=path)
        saved = catalog.read(path)
    else:
        saved = catalog.parse(text or "", name="query")
    _run(graph(ctx), saved, param or [], fmt, infer, engine)


def _run(
    kg: KnowledgeGraph,
    saved: SavedQuery,
    param: list[str],
    fmt: str | None,
    infer: InferMode,
    engine: EngineName,
) -> None:
    """Bind the parameters, run the query, print the result; ASK answering false exits 1."""
    from kgtool import formats
    from kgtool.query import params
    from kgtool.query import result_formats as results
    from kgtool.query.engines import make_engine
    from kgtool.store.dataset import open_dataset

    chosen = results.choose_format(saved.prepared.kind, fmt, tty=sys.stdout.isatty())
    bindings = params.bind(saved.params, params.parse_assignments(param), saved.prefixes)
    dataset = open_dataset(kg, infer)
    result = make_engine(engine, dataset.store).execute(saved.prepared, bindings)
    prefixes = {**dataset.prefixes, **saved.prefixes} if chosen.prefixed else {}
    width = None
    if chosen is formats.TABLE and sys.stdout.isatty():
        import shutil

        width = shutil.get_terminal_size().columns
    typer.echo(results.render(result, chosen, prefixes, width=width), nl=False)
    if result.kind == "ask" and not result.boolean:
        raise typer.Exit(int(ExitStatus.CHECK_FAILED))
