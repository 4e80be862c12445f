"""The Typer app, its root options (--kg, --version) and what every command shares: the graph folder
the user chose (`--kg DIR` before the command or after it), help that names values rather than Python
types, and the typed options (help generated from `kgtool.options` and `kgtool.formats`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup, TyperOption

from kgtool import __version__, formats
from kgtool.cli.fast_coercion import install as _options_without_pydantic
from kgtool.cli.plain_help import install as _help_without_types
from kgtool.formats import Format
from kgtool.options import MAX_SECONDS, EngineName, InferMode, page_number, row_count, seconds
from kgtool.vocab import INFERRED_GRAPH

if TYPE_CHECKING:
    from pathlib import Path

    from kgtool.remote.endpoint import Endpoint
    from kgtool.store.graph_folder import KnowledgeGraph

HELP = """\
Query, export, validate and extend the sourced knowledge graph of the US military presence in Iraq
(2011-2021).

Exit status: 0 success; 1 a check failed (ASK answered false, data does not conform to the shapes);
2 usage or input error (unknown query, bad parameter, SPARQL syntax error, unreadable or malformed
file, refused query). Errors are one line on stderr: file:line:column: message.
"""

KG_HELP = (
    "Graph folder laid out like the shipped one (ontology/, data/, queries/). "
    "Default: $KGTOOL_KG, else the graph shipped with kgtool."
)
#: Commands that never read a graph folder, so take no --kg after their name (`init` copies the shipped one).
WITHOUT_GRAPH = {"init"}


@dataclass
class State:
    """Options shared by every command."""

    kg_dir: str | None = None


def _kg_after_command(ctx: typer.Context, param: object, value: str | None) -> None:
    """`kgtool stats --kg DIR`: the graph option given after the command wins over one before it."""
    if value is None:
        return
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    root.obj.kg_dir = value


class _Commands(TyperGroup):
    """kgtool's command group: each command that works on a graph also takes `--kg DIR` after its name,
    commands added by any module included (the option is added as the command is looked up)."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None or cmd_name in WITHOUT_GRAPH:
            return command
        if not any("--kg" in getattr(p, "opts", ()) for p in command.params):
            root_kg = next(p for p in self.params if p.name == "kg")
            option = TyperOption(
                param_decls=["--kg", "kg_after_command"],
                type_descriptor=root_kg.type_descriptor,  # type: ignore[attr-defined]
                metavar="DIR",
                expose_value=False,
                callback=_kg_after_command,
                help=KG_HELP,
            )
            # before a command's own --help option (`query` has one), so help lists it last
            at = next((i for i, p in enumerate(command.params) if "--help" in getattr(p, "opts", ())), None)
            command.params.insert(len(command.params) if at is None else at, option)
        return command


app = typer.Typer(
    cls=_Commands,
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
_options_without_pydantic()  # keeps a cold `kgtool query` fast (see kgtool/cli/fast_coercion.py)
_help_without_types()  # `FILE...`, never `FILE... <list[str]>` (see kgtool/cli/plain_help.py)


def note(message: str) -> None:
    """One line on stderr, `kgtool: message`: the CLI's only way of telling the user something."""
    from kgtool.errors import one_line

    typer.echo(f"kgtool: {one_line(message)}", err=True)


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
            help=KG_HELP + " Also accepted after the command.",
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
        help=f"Stop the query after SECONDS, at most {MAX_SECONDS} (one line on stderr, exit status 2); "
        "the query then runs in a child process, which costs a few milliseconds.",
    ),
]


OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write here, not to stdout (- is stdout). A file is replaced atomically; a device or FIFO is "
        "written in place. The folder must exist.",
    ),
]


ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Write into the graph's own ontology/, data/ or queries/ folder all the same."
    ),
]


def output_target(
    output: str | None,
    fmt: Format | None,
    *,
    default: Format,
    among: tuple[Format, ...] | None = None,
    what: str = "format",
) -> tuple[Path | None, Format]:
    """Where `-o` writes (None: stdout, also for `-o -` and `-o /dev/stdout`) and in which format: `-f`
    when given, else the one the file's suffix names (among `among`, or the RDF syntaxes), else `default`
    for stdout and for devices and FIFOs; a file with an unknown suffix and no `-f` is an error."""
    from pathlib import Path

    from kgtool.errors import UsageError
    from kgtool.rdf.atomic_write import is_standard_output, replaced_atomically

    target = None if output in (None, "-") or is_standard_output(Path(output)) else Path(output)
    if fmt is not None:
        return target, fmt
    if target is None or target.is_dir() or not replaced_atomically(target):
        return target, default
    if among is None:
        found, known = formats.for_suffix(target.suffix), formats.suffix_listing()
    else:
        found = formats.among_by_suffix(target.suffix, among)
        known = ", ".join(suffix for f in among for suffix in f.suffixes)
    if found is None:
        raise UsageError(
            f"cannot tell the {what} from the suffix (known: {known}); give --format", file=target
        )
    return target, found


def input_format(text: str | Format) -> Format:
    """An --input-format value: one of the RDF syntaxes (checked here, once)."""
    return formats.parse(text, formats.RDF_FORMATS, "input format")


FilesArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="FILE",
        help="RDF files with the new triples (- reads standard input; give --input-format). The format "
        f"comes from the suffix: {formats.suffix_listing()}.",
        show_default=False,
    ),
]
InputFormatOption = Annotated[
    Format | None,
    typer.Option(
        "--input-format",
        "-i",
        metavar="FORMAT",
        parser=input_format,
        help=f"Read every FILE as {formats.names(formats.RDF_FORMATS, last=' or ')}, whatever its suffix "
        "(needed for standard input).",
    ),
]


# --- a remote SPARQL store instead of the graph folder's files (kgtool.remote, loaded only then) ---

ENDPOINT_HELP = (
    "Run on this SPARQL 1.1 Protocol endpoint (e.g. Oxigraph's http://HOST:7878/query, Virtuoso's "
    "http://HOST:8890/sparql) instead of the graph folder's files; see `kgtool push`. Credentials come "
    "from the environment only: $KGTOOL_ENDPOINT_TOKEN (bearer) or $KGTOOL_ENDPOINT_USER and "
    "$KGTOOL_ENDPOINT_PASSWORD (basic; $KGTOOL_ENDPOINT_AUTH=digest for digest)."
)
EndpointOption = Annotated[
    str | None, typer.Option("--endpoint", envvar="KGTOOL_ENDPOINT", metavar="URL", help=ENDPOINT_HELP)
]
UpdateEndpointOption = Annotated[
    str | None,
    typer.Option(
        "--update-endpoint",
        metavar="URL",
        help="Where SPARQL updates go, when not the --endpoint URL (default: …/update for a …/query URL).",
    ),
]
StoreEndpointOption = Annotated[
    str | None,
    typer.Option(
        "--store-endpoint",
        metavar="URL",
        help="The store's Graph Store HTTP Protocol URL (default: …/store for a …/query URL, as Oxigraph; "
        "…/sparql-graph-crud for a …/sparql URL, as Virtuoso).",
    ),
]
ConnectTimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--connect-timeout",
        envvar="KGTOOL_CONNECT_TIMEOUT",
        metavar="SECONDS",
        parser=seconds,
        help="Give up connecting to the endpoint after SECONDS (default 10).",
    ),
]
ReadTimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--read-timeout",
        envvar="KGTOOL_READ_TIMEOUT",
        metavar="SECONDS",
        parser=seconds,
        help="Give up when the endpoint sends nothing for SECONDS (default 60).",
    ),
]


def endpoint_from_environment(ctx: typer.Context) -> bool:
    """Whether --endpoint's value came from $KGTOOL_ENDPOINT: a user who typed no --endpoint must be
    told why kgtool talks to a store."""
    source = ctx.get_parameter_source("endpoint")  # click's enum, or the copy typer vendors: by name
    return source is not None and source.name == "ENVIRONMENT"


def remote_endpoint(
    url: str | None,
    update_url: str | None = None,
    store_url: str | None = None,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
) -> Endpoint | None:
    """The endpoint the options name (None: work on the graph folder's files); checked here, once."""
    from kgtool.errors import UsageError

    if not url:
        if update_url or store_url:
            raise UsageError("--update-endpoint and --store-endpoint go with --endpoint URL")
        return None
    from kgtool.remote.endpoint import endpoint

    return endpoint(url, update_url, store_url, connect_timeout, read_timeout)
