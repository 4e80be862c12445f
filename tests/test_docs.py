"""docs/cli.md is generated from the commands' --help: it must match what the CLI prints now."""

from __future__ import annotations

from pathlib import Path

from cogapp import Cog

CLI_DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def test_cli_reference_is_current(capsys):
    status = Cog().main(["cog", "--check", "--diff", str(CLI_DOC)])
    output = capsys.readouterr().out
    assert status == 0, f"docs/cli.md is out of date: run `cog -r docs/cli.md`\n{output}"


def test_cli_reference_covers_every_command():
    from typer.main import get_command

    from kgtool.cli import app

    text = CLI_DOC.read_text(encoding="utf-8")
    for name in get_command(app).commands:  # type: ignore[attr-defined]
        assert f"## kgtool {name}\n" in text
