"""The typer adapter that keeps pydantic off the start-up path: it covers every kgtool option, and the
CLI gives the same answers and the same errors without it (typer's own coercion, the fallback)."""

from __future__ import annotations

import enum
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.main import get_command

from kgtool.cli import app
from kgtool.cli import fast_coercion as fc
from kgtool.errors import UsageError
from kgtool.options import InferMode

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "query-kg"

RUNS = [
    ["query", "timeline", "--engine", "rdflib", "--infer", "rdfs", "--format", "csv"],
    ["sparql", "ASK { ?s ?p ?o }", "--engine", "oxigraph", "--format", "json"],
    ["query", "timeline", "--engine", "jena"],
    ["query", "timeline", "--infer", "owl"],
    ["export", "--only", "everything"],
    ["export", "--format", "TTL", "--only", "ontology"],
    ["stats", "--format", "json"],
    ["validate", "--format", "xml", "x.ttl"],
    ["timeline", "--format", "pdf"],
    ["graph", "--depth", "two"],
    ["graph", "--depth", "2"],
    ["query", "timeline", "--view", "--format", "dot"],
]

PROGRAM = """
import json, sys
if sys.argv[1] == "fallback":  # as if typer's internals had moved: typer's own coercion runs
    import typer._coercion
    del typer._coercion.RuntimeParam
from kgtool.cli import program
from kgtool.cli.fast_coercion import install
assert install() is (sys.argv[1] == "adapter")
from typer.testing import CliRunner
outcomes = []
for args in json.loads(sys.argv[2]):
    with CliRunner().isolation() as (out, err, _):
        code = program(args)
        outcomes.append([code, out.getvalue().decode(), err.getvalue().decode()])
print(json.dumps({"outcomes": outcomes, "pydantic": "pydantic" in sys.modules}))
"""


def _run(mode: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "KGTOOL_KG"}
    env["KGTOOL_KG"] = str(MINI)
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, mode, json.dumps(RUNS)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.slow
def test_the_fallback_gives_the_same_answers_and_errors_only_slower():
    fast, fallback = _run("adapter"), _run("fallback")
    assert fast["pydantic"] is False and fallback["pydantic"] is True  # each path really ran
    assert fast["outcomes"] == fallback["outcomes"]
    codes = [code for code, _, _ in fast["outcomes"]]
    assert codes == [0, 0, 2, 2, 2, 0, 0, 2, 2, 2, 2, 2]
    assert fast["outcomes"][2][2] == "kgtool: unknown engine 'jena'; choose one of oxigraph, rdflib\n"


def test_every_option_of_every_command_is_coerced_without_pydantic():
    assert fc.install() is True  # idempotent: kgtool.cli installed it already
    command = get_command(app)
    params = [p for sub in command.commands.values() for p in sub.params] + command.params  # type: ignore[attr-defined]
    assert params
    for param in params:
        assert isinstance(param.get_runtime_param(), fc._Direct), param.name


def test_install_does_nothing_when_typer_internals_moved(monkeypatch):
    monkeypatch.setattr(fc, "core", SimpleNamespace())
    assert fc.install() is False


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


def test_converter_covers_parsers_enums_scalars_and_lists():
    parse, many = fc.converter(InferMode, InferMode.parse)
    assert (parse("rdfs"), many) == (InferMode.RDFS, False)
    with pytest.raises(UsageError, match="unknown inference mode 'x'"):
        parse("x")  # a parser's own error reaches the CLI edge unchanged
    convert, _ = fc.converter(Colour | None)
    assert convert("blue") is Colour.BLUE
    with pytest.raises(ValueError, match="'green' is not one of 'red', 'blue'."):
        convert("green")
    assert fc.converter(list[str] | None) == (str, True)
    assert fc.converter(int)[0]("7") == 7
    assert fc.converter(bool)[0]("yes") is True
    assert fc.converter(Path) is None  # anything else stays with typer
