"""`kgtool timeline`, `kgtool graph` and the picture half of `kgtool query NAME --view`: arguments and
writing only; the pictures are made in `kgtool.viz.pictures`. Drawing libraries (matplotlib, graphviz)
load only when one of these runs, so every other command starts without them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kgtool import formats
from kgtool.cli.app import graph, note

if TYPE_CHECKING:
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


OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the picture here (atomically; - = stdout). Default: stdout.",
    ),
]


def timeline_command(
    ctx: typer.Context,
    output: OutputOption = None,
    fmt: Annotated[str | None, _format_option(_TIMELINE, " (a self-contained page)")] = None,
) -> None:
    """Draw the timeline: every event at the precision of its date, coloured by type, presidents in
    office as bands, plans, the reported figures side by side, and numbered sources. What is not in
    the post is drawn hollow and dashed; SVG and HTML link every item to its source."""
    from kgtool.viz import output as out
    from kgtool.viz import pictures

    chosen = out.choose_format(fmt, output, _TIMELINE, formats.SVG, "timeline format")
    _emit(pictures.timeline(graph(ctx), chosen), output, chosen)


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
) -> None:
    """Draw the network of actors, the events they took part in (by date, with their roles) and the
    sources that report them, with Graphviz."""
    from kgtool.viz import output as out
    from kgtool.viz import pictures

    chosen = out.choose_format(fmt, output, _NETWORK, formats.DOT, "graph format")
    _emit(pictures.network(graph(ctx), chosen, around, depth), output, chosen)


def view(
    kg: KnowledgeGraph,
    saved: SavedQuery,
    param: list[str],
    fmt: str | None,
    output: str | None,
    infer: InferMode,
    engine: EngineName,
) -> None:
    """`kgtool query NAME --view`: the rows drawn as the query's `defaultView`."""
    from kgtool.query import params
    from kgtool.viz import pictures

    chosen = pictures.view_format(saved, fmt, output)
    values = params.parse_assignments(param)
    _emit(pictures.view(kg, saved, values, chosen, infer, engine, note), output, chosen[1])


def _emit(data: bytes, output: str | None, fmt: Format) -> None:
    """Write the picture to the -o file (and say so, as export does), or to stdout."""
    import sys

    from kgtool.errors import UsageError
    from kgtool.viz import output as out

    if out.to_stdout(output):
        if fmt is formats.PNG and sys.stdout.isatty():
            raise UsageError(
                "a PNG is binary and stdout is a terminal: write it with -o FILE.png, or pipe it"
            )
        typer.echo(data, nl=False)
        return
    assert output is not None
    path = out.save(data, output)
    typer.echo(f"wrote {path} ({fmt.name}, {len(data):,} bytes)")
