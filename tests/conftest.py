"""Shared fixtures: the shipped graph, a CLI runner that goes through kgtool's own error handling."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgtool.cli import program
from kgtool.store import graph_folder as kgmod

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


@pytest.fixture(autouse=True, scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test writes kgtool's closure or index cache into the user's home folder."""
    before = os.environ.get("KGTOOL_CACHE")
    os.environ["KGTOOL_CACHE"] = str(tmp_path_factory.mktemp("kgtool-cache"))
    yield
    if before is None:
        os.environ.pop("KGTOOL_CACHE", None)
    else:
        os.environ["KGTOOL_CACHE"] = before


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty cache folder for this test alone."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("KGTOOL_CACHE", str(cache))
    return cache
