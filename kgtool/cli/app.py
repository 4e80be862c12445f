"""The Typer app, its root options (--kg, --version) and what every command shares: the graph folder
the user chose and the typed options (help generated from `kgtool.options` and `kgtool.formats`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from kgtool import __version__, formats
from kgtool.cli.fast_coercion import install as _options_without_pydantic
from kgtool.options import EngineName, InferMode, page_number, row_count, seconds
from kgtool.vocab import INFERRED_GRAPH

if TYPE_CHECKING:
    from kgtool.store.graph_folder import KnowledgeGraph

HELP = """\
Query, export, validate and extend the sourced knowledge graph of the US military presence in Iraq
(2011-2021).

Exit status: 0 success; 1 a check failed (ASK answered false, data does not conform to the shapes);
2 usage or input error (unknown query, bad parameter, SPARQL syntax error, unreadable or malformed
file, refused query). Errors are one line on stderr: file:line:column: message.
"""

app = typer.Typer(
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
_options_without_pydantic()  # keeps a cold `kgtool query` fast (see kgtool/cli/fast_coercion.py)


@dataclass
class State:
    """Options shared by every command."""

    kg_dir: str | None = None


def note(message: str) -> None:
    """One line on stderr, `kgtool: message`: the CLI's only way of telling the user something."""
    typer.echo(f"kgtool: {message}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kgtool {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    kg: Annotated[
        str | None,
        typer.Option(
            "--kg",
            envvar="KGTOOL_KG",
            metavar="DIR",
            help="Graph folder laid out like the shipped one (ontology/, data/, queries/). "
            "Default: the graph shipped with kgtool.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    ctx.obj = State(kg_dir=kg)


def graph(ctx: typer.Context) -> KnowledgeGraph:
    """The graph folder the running command works on (--kg, $KGTOOL_KG or the shipped one)."""
    from kgtool.store.graph_folder import locate

    obj = ctx.find_root().obj
    return locate(obj.kg_dir if isinstance(obj, State) else None)


# --- options shared by several commands; each value is parsed and checked here, once ---

INFER_HELP = (
    f"Inference: {InferMode.listing(last=' or ')}. Inferred triples are kept apart from asserted ones."
)

EngineOption = Annotated[
    EngineName,
    typer.Option(
        "--engine",
        metavar="ENGINE",
        parser=EngineName.parse,
        help=f"SPARQL engine: {EngineName.listing(last=' or ')} ({EngineName.OXIGRAPH} is the fast one, "
        f"{EngineName.RDFLIB} the reference).",
    ),
]
QueryInferOption = Annotated[
    InferMode,
    typer.Option(
        "--infer",
        metavar="MODE",
        parser=InferMode.parse,
        help=f"Inference: {InferMode.listing(last=' or ')}; inferred triples go to the named graph "
        f"{INFERRED_GRAPH} and the default graph is the union of all graphs.",
    ),
]
InferOption = Annotated[
    InferMode, typer.Option("--infer", metavar="MODE", parser=InferMode.parse, help=INFER_HELP)
]
ParamOption = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        "-p",
        metavar="NAME=VALUE",
        help="A query parameter, checked against its declared type (repeatable).",
    ),
]
QueryFormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help=f"SELECT/ASK: {formats.names(formats.RESULT_FORMATS, last=' or ')} (W3C SPARQL 1.1 results, "
        f"or a table or Markdown for people); default {formats.TABLE} on a terminal (one block per row "
        f"when too wide), {formats.TSV} when piped. CONSTRUCT/DESCRIBE: "
        f"{formats.names(formats.RDF_FORMATS, last=' or ')}; default {formats.TURTLE}.",
    ),
]
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        metavar="N",
        parser=row_count,
        help="At most N rows (the query's own LIMIT and OFFSET still hold: the rows are taken within them).",
    ),
]
OffsetOption = Annotated[
    int | None,
    typer.Option("--offset", metavar="N", parser=row_count, help="Skip the first N rows."),
]
PageOption = Annotated[
    int | None,
    typer.Option(
        "--page",
        metavar="K",
        parser=page_number,
        help="Page K of the answer: of the query's `#+ pagination: N` rows per page (grlc's paging; a "
        "query with it shows page 1 by default), or of --limit N rows.",
    ),
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        parser=seconds,
        help="Stop the query after SECONDS (one line on stderr, exit status 2); the query then runs in a "
        "child process, which costs a few milliseconds.",
    ),
]
FilesArgument = Annotated[
    list[str], typer.Argument(metavar="FILE...", help="RDF files with the new triples.")
]
