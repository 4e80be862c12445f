"""`kgtool queries`, `kgtool query NAME` and `kgtool sparql`: list, describe and run queries.

The one path of a query run: the catalog prepares the query (tokenized, checked for depth and
read-only once), the options are checked here, and `kgtool.query.runner.run` opens the dataset, binds
the parameters, executes and writes the result to stdout as it streams; with `--timeout`,
`kgtool.query.worker` runs it in a child process that can be stopped.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Annotated

import typer

from kgtool.cli.app import (
    ConnectTimeoutOption,
    EndpointOption,
    EngineOption,
    ForceOption,
    LimitOption,
    OffsetOption,
    PageOption,
    ParamOption,
    QueryFormatOption,
    QueryInferOption,
    ReadTimeoutOption,
    TimeoutOption,
    graph,
    note,
    remote_endpoint,
)
from kgtool.errors import ExitStatus
from kgtool.options import EngineName, InferMode

if TYPE_CHECKING:
    from kgtool.query.catalog import SavedQuery
    from kgtool.remote.endpoint import Endpoint
    from kgtool.store.graph_folder import KnowledgeGraph


def queries_command(ctx: typer.Context) -> None:
    """List the saved queries of the graph: name, title and parameters.

    A file that does not load (a malformed header, a refused query) is reported on stderr, one line
    each, and every other query is still listed; the exit status is then 2."""
    from kgtool.query import catalog

    good, bad = catalog.load_each(graph(ctx).query_dir)
    typer.echo(catalog.listing(good), nl=False)
    for error in bad:
        note(str(error))
    if bad:
        raise typer.Exit(int(ExitStatus.USAGE))


def query_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="The saved query to run.")] = None,
    param: ParamOption = None,
    fmt: QueryFormatOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = None,
    page: PageOption = None,
    timeout: TimeoutOption = None,
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
    endpoint: EndpointOption = None,
    connect_timeout: ConnectTimeoutOption = None,
    read_timeout: ReadTimeoutOption = None,
    force: ForceOption = False,
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
    remote = remote_endpoint(endpoint, connect_timeout=connect_timeout, read_timeout=read_timeout)
    if view:
        from kgtool.cli import viz

        if remote is not None:
            raise UsageError("--view draws from the graph folder's files; it does not take --endpoint")

        viz.view(kg, saved, param or [], fmt, output, infer, engine, force, (limit, offset, page), timeout)
        return
    if output is not None:
        raise UsageError("-o/--output writes the picture of --view; to save rows, redirect stdout")
    _run(kg, saved, param or [], fmt, (limit, offset, page), timeout, infer, engine, remote, keep_answer=True)


def sparql_command(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(metavar="QUERY", help="The SPARQL query text.")] = None,
    file: Annotated[
        str | None,
        typer.Option("--file", metavar="FILE.rq", help="Read the query from a file (- = stdin)."),
    ] = None,
    param: ParamOption = None,
    fmt: QueryFormatOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = None,
    page: PageOption = None,
    timeout: TimeoutOption = None,
    infer: QueryInferOption = InferMode.NONE,
    engine: EngineOption = EngineName.OXIGRAPH,
    endpoint: EndpointOption = None,
    connect_timeout: ConnectTimeoutOption = None,
    read_timeout: ReadTimeoutOption = None,
) -> None:
    """Run an ad-hoc read-only SPARQL query, given as text or with --file FILE.rq.

    The graph's own prefixes (kgo:, ev:, actor:, ... the ones results are shortened with) need no
    PREFIX line; a prefix the query declares wins."""
    from kgtool.errors import UsageError
    from kgtool.query import catalog

    if (text is None) == (file is None):
        raise UsageError("give the query as QUERY text or with --file FILE.rq (one of them)")
    saved = catalog.read_argument(file) if file is not None else catalog.parse(text or "", name="query")
    remote = remote_endpoint(endpoint, connect_timeout=connect_timeout, read_timeout=read_timeout)
    _run(graph(ctx), saved, param or [], fmt, (limit, offset, page), timeout, infer, engine, remote)


def _run(
    kg: KnowledgeGraph,
    saved: SavedQuery,
    param: list[str],
    fmt: str | None,
    paging: tuple[int | None, int | None, int | None],
    timeout: float | None,
    infer: InferMode,
    engine: EngineName,
    remote: Endpoint | None,
    *,
    keep_answer: bool = False,
) -> None:
    """Check the options, run the query, let its result stream to stdout; ASK answering false exits 1."""
    from kgtool import formats
    from kgtool.query import params, runner
    from kgtool.query.result_formats import choose_format

    chosen = choose_format(saved.prepared.kind, fmt, tty=sys.stdout.isatty())
    values = params.parse_assignments(param)
    part, page = runner.paging(saved.pagination, *paging)
    width = None
    if chosen is formats.TABLE and sys.stdout.isatty():
        import shutil

        width = shutil.get_terminal_size().columns
    options = runner.Options(chosen, infer, engine, part, page, width, keep_answer, remote)
    out = _stdout()
    if timeout is None:
        status = runner.run(kg, saved, values, options, out, note)
    else:
        from kgtool.query.worker import run_with_timeout

        def work(sink: IO[bytes], note: Callable[[str], None]) -> ExitStatus:
            return runner.run(kg, saved, values, options, sink, note)

        status = run_with_timeout(timeout, work, out, note, saved.source)
    out.flush()
    if status is not ExitStatus.OK:
        raise typer.Exit(int(status))


def _stdout() -> IO[bytes]:
    """Standard output as bytes (results are written by serializers that write bytes)."""
    sys.stdout.flush()
    return sys.stdout.buffer
