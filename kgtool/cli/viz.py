"""`kgtool timeline`, `kgtool graph` and the picture half of `kgtool query NAME --view`: arguments and
writing only; the pictures are made in `kgtool.viz.pictures`. Drawing libraries (matplotlib, graphviz)
load only when one of these runs, so every other command starts without them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kgtool import formats
from kgtool.cli.app import ForceOption, OutputOption, graph, note, output_target

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import IO

    from kgtool.formats import Format
    from kgtool.options import EngineName, InferMode
    from kgtool.query.catalog import SavedQuery
    from kgtool.store.graph_folder import KnowledgeGraph

_TIMELINE = formats.TIMELINE_FORMATS
_NETWORK = formats.NETWORK_FORMATS


def _format_option(allowed: tuple[Format, ...], note: str) -> object:
    """The --format option of a picture command: its formats, and the -o suffix as the default."""
    suffixes = ", ".join(s for f in allowed for s in f.suffixes[:1])
    return typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help=f"{formats.names(allowed, last=' or ')}{note}; default: from the -o suffix ({suffixes}), "
        f"else {allowed[0]}.",
    )


def _depth(text: str | int) -> int:
    """A --depth value: a whole number of links, 0 or more (checked here, once)."""
    from kgtool.errors import UsageError

    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--depth must be a whole number of links, got {text!r}") from None
    if value < 0:
        raise UsageError(f"--depth must be 0 or more, got {value}")
    return value


def timeline_command(
    ctx: typer.Context,
    output: OutputOption = None,
    fmt: Annotated[str | None, _format_option(_TIMELINE, " (a self-contained page)")] = None,
    force: ForceOption = False,
) -> None:
    """Draw the timeline: every event at the precision of its date, coloured by type, presidents in
    office as bands, plans, the reported figures side by side, and numbered sources. What is not in
    the post is drawn hollow and dashed; SVG and HTML link every item to its source."""
    from kgtool.viz import pictures

    kg = graph(ctx)
    target, chosen = _target(output, fmt, _TIMELINE, "timeline format", kg, force)
    _emit(pictures.timeline(kg, chosen), target, chosen)


def graph_command(
    ctx: typer.Context,
    output: OutputOption = None,
    fmt: Annotated[str | None, _format_option(_NETWORK, " (SVG and PNG drawn by Graphviz's dot)")] = None,
    around: Annotated[
        str | None,
        typer.Option(
            "--around",
            metavar="IRI",
            help="Only the part around this actor, event or source: a prefixed name "
            "(ev:2020-01-05-parliament-vote) or a full IRI.",
        ),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option(
            "--depth",
            metavar="N",
            parser=_depth,
            help="With --around: how many links away to go (default 1).",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Draw the network of actors, the events they took part in (by date, with their roles) and the
    sources that report them, with Graphviz."""
    from kgtool.viz import pictures

    kg = graph(ctx)
    target, chosen = _target(output, fmt, _NETWORK, "graph format", kg, force)
    _emit(pictures.network(kg, chosen, around, depth), target, chosen)


def view(
    kg: KnowledgeGraph,
    saved: SavedQuery,
    param: list[str],
    fmt: str | None,
    output: str | None,
    infer: InferMode,
    engine: EngineName,
    force: bool = False,
    paging: tuple[int | None, int | None, int | None] = (None, None, None),
    timeout: float | None = None,
) -> None:
    """`kgtool query NAME --view`: the rows drawn as the query's `defaultView`; --limit, --offset and
    --page choose the rows as for a plain run (without them every row is drawn, paginated or not), and
    --timeout stops the query and the drawing in a child process, as `kgtool.query.worker` does."""
    import io

    from kgtool.errors import ExitStatus
    from kgtool.options import View
    from kgtool.query import params, runner
    from kgtool.query.slicing import Slice
    from kgtool.viz import pictures, views

    kind = saved.view or View.TABLE
    target, chosen = _target(output, fmt, views.FORMATS[kind], f"{kind} view format", kg, force)
    values = params.parse_assignments(param)
    part, page = (
        runner.paging(saved.pagination, *paging) if any(v is not None for v in paging) else (None, None)
    )
    if page is not None:
        part = Slice((page.number - 1) * page.size, page.size)

    def draw(sink: IO[bytes], tell: Callable[[str], None]) -> ExitStatus:
        sink.write(pictures.view(kg, saved, values, (kind, chosen), infer, engine, tell, part))
        return ExitStatus.OK

    drawn = io.BytesIO()
    if timeout is None:
        draw(drawn, note)
    else:
        from kgtool.query.worker import run_with_timeout

        run_with_timeout(timeout, draw, drawn, note, saved.source)
    _emit(drawn.getvalue(), target, chosen)


def _target(
    output: str | None,
    fmt: str | None,
    allowed: tuple[Format, ...],
    what: str,
    kg: KnowledgeGraph,
    force: bool,
) -> tuple[Path | None, Format]:
    """Where the picture goes and in which format (the file interface every command shares: --format
    wins, else the -o suffix, else the first of `allowed`); the folder is checked before any drawing,
    and, as for export, the graph's own folders are refused unless `force`."""
    from kgtool.rdf.atomic_write import check_output

    chosen = formats.parse(fmt, allowed, what) if fmt is not None else None
    target, picked = output_target(output, chosen, default=allowed[0], among=allowed, what=what)
    if target is not None:
        check_output(target, inside=kg.own_folders(), force=force, what="the picture")
    return target, picked


def _emit(data: bytes, target: Path | None, fmt: Format) -> None:
    """Write the picture to the -o file (and say so, as export does), or to stdout."""
    import sys

    from kgtool.errors import UsageError
    from kgtool.rdf.atomic_write import write_output

    if target is None:
        if fmt is formats.PNG and sys.stdout.isatty():
            raise UsageError(
                "a PNG is binary and stdout is a terminal: write it with -o FILE.png, or pipe it"
            )
        typer.echo(data, nl=False)
        return
    write_output(target, data)
    typer.echo(f"wrote {target} ({fmt.name}, {len(data):,} bytes)")
