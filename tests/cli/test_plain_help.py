"""Help names values, never Python types; the graph option works before and after the command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.main import get_command

from kgtool.cli import app
from kgtool.cli.app import WITHOUT_GRAPH

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "kg-mini"
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
#: What typer 0.29 printed before: `FILE... <list[str]>`, `{FILE...}...`, `--message <str>`.
PYTHON_TYPE = re.compile(r"<(str|int|float|bool|path|list\[[^\]]*\]|[a-z_]+\|[a-z_|]+)>|\{[A-Z]")


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_help_shows_no_python_types(cli, name):
    result = cli([name, "--help"] if name else ["--help"])
    assert result.exit_code == 0, result.stderr
    assert PYTHON_TYPE.search(result.stdout) is None, result.stdout


def test_list_arguments_read_as_click_writes_them(cli):
    add = cli(["add", "--help"]).stdout
    assert add.startswith("Usage: kgtool add [OPTIONS] FILE...\n")
    assert "\n  FILE...  RDF files with the new triples" in add
    assert "-m, --message TEXT" in add
    validate = cli(["validate", "--help"]).stdout
    assert validate.startswith("Usage: kgtool validate [OPTIONS] [FILE]...\n")
    assert cli(["init", "--help"]).stdout.startswith("Usage: kgtool init [OPTIONS] DIR\n")


@pytest.mark.parametrize("name", [c for c in COMMANDS if c not in WITHOUT_GRAPH])
def test_every_graph_command_takes_kg_after_its_name(cli, name):
    assert "--kg DIR" in cli([name, "--help"]).stdout


def test_init_takes_no_kg_it_always_copies_the_shipped_graph(cli):
    options = cli(["init", "--help"]).stdout.split("Options:")[1]
    assert "--kg" not in options


@pytest.mark.parametrize(
    "command", [["stats"], ["queries"], ["export", "--only", "data", "-f", "nt"], ["index", "--status"]]
)
def test_kg_after_the_command_is_the_same_as_before_it(cli, command, cache_dir):
    before = cli(["--kg", MINI, *command])
    after = cli([*command, "--kg", MINI])
    assert (after.exit_code, after.stdout, after.stderr) == (before.exit_code, before.stdout, before.stderr)
    assert before.stdout


def test_kg_after_the_command_wins_over_the_environment_and_the_root_option(cli, tmp_path):
    missing = tmp_path / "missing"
    result = cli(["--kg", missing, "stats", "--kg", MINI], env={"KGTOOL_KG": str(missing)})
    assert (result.exit_code, result.stdout) == (0, cli(["--kg", MINI, "stats"]).stdout)
    wrong = cli(["stats", "--kg", missing])
    assert wrong.stderr == f"kgtool: {missing}: knowledge graph folder not found: {missing}\n"


def test_kg_after_validate_files(cli):
    result = cli(["validate", str(MINI.parent / "new" / "good-event.ttl"), "--kg", MINI, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert '"conforms": true' in result.stdout
