"""The command line: parses arguments, calls the library modules, prints. Nothing else lives here.

`main()` is the console script; `program()` runs the Typer app and is the one place where typed
errors become a one-line message on stderr and an exit status (0 ok, 1 check failed, 2 usage/input).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Annotated

import typer
from typer._click import exceptions as click_exc

from kgtool import __version__
from kgtool.errors import ExitStatus, KgtoolError

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
    except KeyboardInterrupt:
        fail("interrupted")
        return 130
    return int(result) if isinstance(result, int) else int(ExitStatus.OK)


def main() -> None:
    """Console-script entry point."""
    sys.exit(program(sys.argv[1:]))
