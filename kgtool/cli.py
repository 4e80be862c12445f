"""The command line: parses arguments, calls the library modules, prints. Nothing else lives here.

`main()` is the console script; `program()` runs the Typer app and is the one place where typed
errors become a one-line message on stderr and an exit status (0 ok, 1 check failed, 2 usage/input).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer
from typer._click import exceptions as click_exc

from kgtool import __version__
from kgtool.errors import ExitStatus, KgtoolError
from kgtool.typer_fast import install as _options_without_pydantic

if TYPE_CHECKING:
    from kgtool.catalog import SavedQuery
    from kgtool.kg import KnowledgeGraph

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
_options_without_pydantic()  # keeps a cold `kgtool query` fast (see kgtool/typer_fast.py)


@dataclass
class State:
    """Options shared by every command."""

    kg_dir: str | None = None


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


def state(ctx: typer.Context) -> State:
    """The shared options of the running command."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State()


def fail(message: str) -> None:
    """Print one error line on stderr (the CLI's only error format)."""
    typer.echo(f"kgtool: {message}", err=True)


# --- index ---


@app.command("index")
def index_command(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Rebuild even if the index is current.")] = False,
    show_status: Annotated[
        bool, typer.Option("--status", help="Only report whether the index matches the graph's files.")
    ] = False,
) -> None:
    """Build (or reuse) the on-disk Oxigraph index of the graph, kept in the cache by content hash."""
    from kgtool import index
    from kgtool.kg import locate

    kg = locate(state(ctx).kg_dir)
    if show_status:
        current = index.info(kg)
        label = "current" if current.exists else "missing (or stale: the graph's files changed)"
        typer.echo(f"index: {label}\npath: {current.path}\nfingerprint: {current.fingerprint}")
        if current.triples is not None:
            typer.echo(f"triples: {current.triples}\nbuild seconds: {current.seconds:.2f}")
        return
    built = index.build(kg, rebuild=rebuild)
    typer.echo(f"index: {built.path} ({built.triples} triples)")


# --- query ---

_FORMAT_HELP = (
    "SELECT/ASK: table, csv, tsv, json, xml (W3C SPARQL 1.1 results) or md; default table on a "
    "terminal (one block per row when too wide), tsv when piped. CONSTRUCT/DESCRIBE: turtle "
    "(default), nt, nquads, trig, json-ld, xml."
)
_QUERY_INFER_HELP = (
    "Inference: none, rdfs or owlrl; inferred triples go to the named graph "
    "https://w3id.org/kgtool/graph/inferred and the default graph is the union of all graphs."
)
_ENGINE_HELP = "SPARQL engine: oxigraph (default, fast) or rdflib (the reference)."
_PARAM_HELP = "A query parameter, checked against its declared type (repeatable)."

ParamOption = Annotated[
    list[str] | None, typer.Option("--param", "-p", metavar="NAME=VALUE", help=_PARAM_HELP)
]
FormatOption = Annotated[str | None, typer.Option("--format", metavar="FORMAT", help=_FORMAT_HELP)]
InferOption = Annotated[str, typer.Option("--infer", metavar="MODE", help=_QUERY_INFER_HELP)]
EngineOption = Annotated[str, typer.Option("--engine", metavar="ENGINE", help=_ENGINE_HELP)]


@app.command("queries")
def queries_command(ctx: typer.Context) -> None:
    """List the saved queries of the graph: name, title and parameters."""
    from kgtool import catalog
    from kgtool.kg import locate

    typer.echo(catalog.listing(catalog.load_all(locate(state(ctx).kg_dir).query_dir)), nl=False)


@app.command("query", add_help_option=False)
def query_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="The saved query to run.")] = None,
    param: ParamOption = None,
    fmt: FormatOption = None,
    infer: InferOption = "none",
    engine: EngineOption = "oxigraph",
    show_help: Annotated[
        bool, typer.Option("--help", "-h", help="Show this help, or with NAME that query's own help.")
    ] = False,
) -> None:
    """Run a saved query (see `kgtool queries`); `kgtool query NAME --help` describes its parameters."""
    from kgtool import catalog
    from kgtool.errors import UsageError
    from kgtool.kg import locate

    if show_help and name is None:
        typer.echo(ctx.get_help())
        return
    if name is None:
        raise UsageError("missing query NAME; `kgtool queries` lists them")
    kg = locate(state(ctx).kg_dir)
    saved = catalog.load(kg.query_dir, name)
    if show_help:
        typer.echo(catalog.help_text(saved), nl=False)
        return
    _run(kg, saved, param or [], fmt, infer, engine)


@app.command("sparql")
def sparql_command(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(metavar="QUERY", help="The SPARQL query text.")] = None,
    file: Annotated[
        str | None,
        typer.Option("--file", "-f", metavar="FILE.rq", help="Read the query from a file (- = stdin)."),
    ] = None,
    param: ParamOption = None,
    fmt: FormatOption = None,
    infer: InferOption = "none",
    engine: EngineOption = "oxigraph",
) -> None:
    """Run an ad-hoc read-only SPARQL query, given as text or with -f FILE.rq."""
    from pathlib import Path

    from kgtool import catalog
    from kgtool.errors import InputError, UsageError
    from kgtool.kg import locate

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
    _run(locate(state(ctx).kg_dir), saved, param or [], fmt, infer, engine)


def _run(
    kg: KnowledgeGraph, saved: SavedQuery, param: list[str], fmt: str | None, infer: str, engine: str
) -> None:
    """Check options, run the query, print the result; ASK answering false exits 1."""
    from kgtool import results
    from kgtool.engine import check_engine, run_query
    from kgtool.params import parse_assignments

    check_engine(engine)
    if infer != "none":  # kgtool.infer (and the reasoner) load only when inference is asked for
        from kgtool.infer import check_mode

        check_mode(infer)
    kind = "graph" if saved.form in ("CONSTRUCT", "DESCRIBE") else saved.form.lower()
    chosen = results.choose_format(kind, fmt, tty=sys.stdout.isatty())
    result = run_query(kg, saved, parse_assignments(param), engine=engine, infer=infer)
    prefixes: dict[str, str] = {}
    if chosen in ("table", "md", "turtle", "trig", "xml", "json-ld"):
        prefixes = {**results.graph_prefixes(kg.files()), **saved.prefixes}
    width = None
    if chosen == "table" and sys.stdout.isatty():
        import shutil

        width = shutil.get_terminal_size().columns
    typer.echo(results.render(result, chosen, prefixes, width=width), nl=False)
    if result.kind == "ask" and not result.boolean:
        raise typer.Exit(int(ExitStatus.CHECK_FAILED))


# --- data ops ---

_INFER_HELP = "Inference: none, rdfs or owlrl. Inferred triples are kept apart from asserted ones."


@app.command("export")
def export_command(
    ctx: typer.Context,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help="turtle, json-ld, nt, nquads, trig or xml."),
    ] = "turtle",
    infer: Annotated[
        str,
        typer.Option(
            "--infer",
            metavar="MODE",
            help=_INFER_HELP + " Quad formats put them in the named graph "
            "https://w3id.org/kgtool/graph/inferred; triple formats write them to "
            "OUT.inferred.EXT (needs -o).",
        ),
    ] = "none",
    only: Annotated[
        str, typer.Option("--only", metavar="PART", help="Part: data, ontology, shapes or all.")
    ] = "all",
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here (atomically), not stdout."),
    ] = None,
) -> None:
    """Export the graph in a standard RDF format; the same graph always gives the same bytes."""
    from pathlib import Path

    from kgtool import export as ex
    from kgtool.infer import check_mode
    from kgtool.kg import locate

    ex.check_format(fmt)
    check_mode(infer)
    ex.check_destination(fmt, infer, output)
    result = ex.export(locate(state(ctx).kg_dir), fmt, infer, only)  # type: ignore[arg-type]
    if output is None:
        typer.echo(result.body, nl=False)
        return
    for path in ex.write(result, Path(output)):
        typer.echo(f"wrote {path}")


@app.command("validate")
def validate_command(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[FILE...]",
            help="RDF files with the new triples; none: check the whole graph (every data file).",
            show_default=False,
        ),
    ] = None,
    shapes: Annotated[
        str | None, typer.Option("--shapes", metavar="FILE", help="SHACL shapes (default: the graph's).")
    ] = None,
    infer: Annotated[str, typer.Option("--infer", metavar="MODE", help=_INFER_HELP)] = "none",
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="FORMAT", help="text (a table), json, or turtle (the SHACL report)."
        ),
    ] = "text",
    standalone: Annotated[
        bool,
        typer.Option(
            "--standalone",
            help="Validate the files alone, without the graph's data (its ontology still gives the class "
            "hierarchy).",
        ),
    ] = False,
) -> int:
    """Validate new triples in the context of the graph; report only the nodes they add or touch.

    With no FILE, validate the whole graph (every data file, e.g. after editing one by hand). Also checks
    the vocabulary: an undefined kgo: term is a violation, an undeclared term from another namespace a
    warning, a JSON-LD key the context does not map an error. Exit 0 conforms, 1 violations, 2 input
    error. Each result names the file:line it comes from.
    """
    from pathlib import Path

    from kgtool.kg import locate
    from kgtool.validate import check_format, render, validate, validate_graph

    check_format(fmt)
    kg = locate(state(ctx).kg_dir)
    shapes_file = Path(shapes) if shapes else None
    if files:
        paths = [Path(f) for f in files]
        report = validate(kg, paths, shapes=shapes_file, infer=infer, standalone=standalone)
    else:
        report = validate_graph(kg, shapes=shapes_file, infer=infer)
    typer.echo(render(report, fmt), nl=False)
    return int(ExitStatus.OK if report.conforms else ExitStatus.CHECK_FAILED)


@app.command("add")
def add_command(
    ctx: typer.Context,
    files: Annotated[list[str], typer.Argument(metavar="FILE...", help="RDF files with the new triples.")],
    message: Annotated[str, typer.Option("--message", "-m", help="Why: kept in the PROV-O record.")] = "",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing.")] = False,
) -> int:
    """Validate new triples and, only if they conform, add them as a contribution with a PROV-O record.

    The write is atomic and locked: a crash leaves the old graph or the new one, never a mix.
    """
    from pathlib import Path

    from kgtool.add import add
    from kgtool.kg import locate
    from kgtool.validate import render

    outcome = add(locate(state(ctx).kg_dir), [Path(f) for f in files], message=message, dry_run=dry_run)
    if outcome.status == "invalid":
        typer.echo(render(outcome.report, "text"), nl=False)
    typer.echo(outcome.summary())
    return int(ExitStatus.CHECK_FAILED if outcome.status == "invalid" else ExitStatus.OK)


@app.command("init")
def init_command(
    directory: Annotated[str, typer.Argument(metavar="DIR", help="A new (or empty) folder.")],
) -> None:
    """Copy the shipped graph to DIR, to extend it with `kgtool --kg DIR add`.

    Always the shipped graph, whatever --kg or $KGTOOL_KG select."""
    from pathlib import Path

    from kgtool.add import init_graph

    copied = init_graph(Path(directory))
    typer.echo(f"copied {', '.join(p.name + '/' for p in copied)} to {directory}")


@app.command("stats")
def stats_command(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")] = "text",
) -> None:
    """Triples, instances per class, sources, events per year and facts without a source."""
    from kgtool.kg import locate
    from kgtool.stats import check_format, compute, render

    check_format(fmt)
    typer.echo(render(compute(locate(state(ctx).kg_dir)), fmt), nl=False)


def program(argv: list[str] | None = None) -> int:
    """Run the app and map every error a user can cause to one stderr line and an exit status."""
    try:
        result = app(args=argv, prog_name="kgtool", standalone_mode=False)
    except KgtoolError as exc:
        fail(str(exc))
        return int(exc.exit_status)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except click_exc.NoArgsIsHelpError as exc:
        typer.echo(exc.format_message(), err=True)
        return int(ExitStatus.USAGE)
    except typer.Abort:
        fail("aborted")
        return int(ExitStatus.USAGE)
    except click_exc.ClickException as exc:
        fail(exc.format_message())
        return int(ExitStatus.USAGE)
    except BrokenPipeError:
        return int(ExitStatus.OK)
    except OSError as exc:  # the system refused: unwritable cache or output folder, disk full, …
        where = f"{exc.filename}: " if exc.filename else ""
        fail(f"{where}{exc.strerror or exc}")
        return int(ExitStatus.USAGE)
    except KeyboardInterrupt:
        fail("interrupted")
        return 130
    return int(result) if isinstance(result, int) else int(ExitStatus.OK)


def main() -> None:
    """Console-script entry point."""
    sys.exit(program(sys.argv[1:]))
