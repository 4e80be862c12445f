"""The command line: parses arguments, calls the library, prints. Nothing else lives here.

Every command and the module that holds it, in the order `kgtool --help` lists them: `index`, `init`,
`stats` (kgtool/cli/graph.py), `queries`, `query`, `sparql` (query.py), `export` (export.py),
`validate`, `add` (validate.py), `timeline`, `graph` (viz.py, the pictures; `query --view` too),
`serve` (web.py, the graph on the web), `push` (remote.py; `--endpoint` on the others).
Option values are parsed into typed values (`kgtool.options`, `kgtool.formats`) as the arguments are
read, so the library never checks them again.

`main()` is the console script; `program()` runs the Typer app and is the one place where typed
errors become a one-line message on stderr and an exit status (0 ok, 1 check failed, 2 usage/input).
"""

from __future__ import annotations

import sys

import typer
from typer._click import exceptions as click_exc

from kgtool.cli import export, graph, query, remote, validate, viz, web
from kgtool.cli.app import app
from kgtool.cli.app import note as fail
from kgtool.errors import ExitStatus, KgtoolError

app.command("index")(graph.index_command)
app.command("queries")(query.queries_command)
app.command("query", add_help_option=False)(query.query_command)
app.command("sparql")(query.sparql_command)
app.command("export")(export.export_command)
app.command("validate")(validate.validate_command)
app.command("add")(validate.add_command)
app.command("init")(graph.init_command)
app.command("stats")(graph.stats_command)
app.command("timeline")(viz.timeline_command)
app.command("graph")(viz.graph_command)
app.command("serve")(web.serve_command)
app.command("push")(remote.push_command)


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
