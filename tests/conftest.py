"""Shared fixtures: the shipped graph, a CLI runner that goes through kgtool's own error handling."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgtool import kg as kgmod
from kgtool.cli import program

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(args: list[str], env: dict[str, str] | None = None, input: str | None = None) -> CliResult:
    """Run kgtool in-process through typer's CliRunner isolation and kgtool's own `program()` edge."""
    runner = CliRunner()
    with runner.isolation(input=input, env=env) as streams:
        code = program([str(a) for a in args])
        out, err = streams[0], streams[1]
        return CliResult(code, out.getvalue().decode(), err.getvalue().decode())


@pytest.fixture
def cli():
    """`cli(["query", "timeline"])` -> CliResult(exit_code, stdout, stderr)."""
    return run_cli


@pytest.fixture(scope="session")
def shipped_kg() -> kgmod.KnowledgeGraph:
    """The graph shipped with kgtool (the checkout's ontology/, data/, queries/)."""
    return kgmod.locate(None)


@pytest.fixture
def kg_copy(tmp_path: Path, shipped_kg: kgmod.KnowledgeGraph) -> Path:
    """A writable copy of the shipped graph, for commands that change it."""
    dest = tmp_path / "kg"
    for part in ("ontology", "data", "queries"):
        src = shipped_kg.root / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
    return dest
