"""A few runs of the installed `kgtool` script as a real process, from an unrelated folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "query-kg"


def kgtool_script() -> str:
    found = shutil.which("kgtool", path=str(Path(sys.executable).parent)) or shutil.which("kgtool")
    if found is None:
        pytest.fail("the kgtool console script is not installed (pip install -e '.[test]')")
    return found


def run(args: list[str], cwd: Path, env_kg: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "KGTOOL_KG"}
    if env_kg is not None:
        env["KGTOOL_KG"] = env_kg
    return subprocess.run(
        [kgtool_script(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_queries_from_an_unrelated_folder(tmp_path):
    result = run(["--kg", str(MINI), "queries"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split() == ["NAME", "TITLE", "PARAMETERS"]
    assert any(line.startswith("timeline ") for line in result.stdout.splitlines())


def test_query_json_parses_back(tmp_path):
    result = run(["query", "timeline", "--format", "json"], cwd=tmp_path, env_kg=str(MINI))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["head"]["vars"] == ["date", "event", "label", "actor"]
    assert [b["date"]["value"] for b in document["results"]["bindings"]] == [
        "2011-12-18",
        "2020-01-05",
        "2020-01-06",
    ]


def test_error_is_one_line_exit_2(tmp_path):
    result = run(["--kg", str(MINI), "query", "timline"], cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "kgtool: unknown query 'timline'; did you mean timeline? (run `kgtool queries` to list them)\n"
    )


def test_ask_false_exits_1(tmp_path):
    result = run(["--kg", str(MINI), "query", "has-troops", "-p", "min=999999"], cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (1, "false\n", "")


def test_shipped_graph_lists_its_queries(tmp_path):
    result = run(["queries"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["NAME", "TITLE", "PARAMETERS"]
    listed = {line.split()[0] for line in lines[1:]}
    required = {"timeline", "events-by-actor", "quotes", "troop-figures", "sources", "presidents", "causes"}
    assert required | {"audit-unsourced"} <= listed


def test_shipped_audit_is_empty_and_timeline_runs(tmp_path):
    audit = run(["query", "audit-unsourced", "--format", "csv"], cwd=tmp_path)
    assert audit.returncode == 0, audit.stderr
    assert len(audit.stdout.splitlines()) == 1  # the header only: every fact has a source
    timeline = run(["query", "timeline", "--format", "tsv"], cwd=tmp_path)
    assert timeline.returncode == 0, timeline.stderr
    assert len(timeline.stdout.splitlines()) > 10


#: Never imported by a cold `kgtool query`: the reasoning and validation stack, the drawing
#: libraries of `kgtool timeline` / `graph` / `query --view` (kgtool.viz loads them only there), the
#: web stack of `kgtool serve`, and the remote-store client (kgtool.remote, httpx: only with --endpoint).
HEAVY = (
    "rdflib", "pyshacl", "owlrl", "rich", "yaml", "pydantic",
    "matplotlib", "numpy", "PIL", "graphviz", "playwright", "kgtool.viz",
    "starlette", "uvicorn", "jinja2", "markupsafe", "anyio", "httptools", "uvloop", "kgtool.web",
    "kgtool.remote", "httpx",
)  # fmt: skip


def test_cold_query_path_imports_no_heavy_modules(tmp_path):
    code = (
        "import sys\n"
        f"HEAVY = {HEAVY!r}\n"
        "from kgtool.cli import program\n"
        "code = program(['query', 'timeline', '--format', 'tsv'])\n"
        "heavy = sorted(m for m in HEAVY if m in sys.modules)\n"
        "print(code, heavy, file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "KGTOOL_KG"}
    env["KGTOOL_KG"] = str(MINI)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stderr.strip().splitlines()[-1] == "0 []"


def test_a_query_that_would_crash_the_engine_is_one_line_exit_2(tmp_path):
    deep = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000
    unions = "SELECT * WHERE { " + " UNION ".join("{ ?s ?p ?o }" for _ in range(20_000)) + " }"
    for text in (deep, unions):
        query = tmp_path / "deep.rq"
        query.write_text(text, encoding="utf-8")
        result = run(["--kg", str(MINI), "sparql", "--file", str(query)], cwd=tmp_path)
        assert result.returncode == 2, result.stderr  # not -11 (SIGSEGV)
        assert len(result.stderr.splitlines()) == 1
        assert "could crash the SPARQL engine" in result.stderr


def test_timeout_stops_the_query_process(tmp_path):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    result = run(["sparql", "--timeout", "1", runaway], cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "kgtool: <query>: query stopped after 1 s (--timeout 1)\n"


def test_a_closed_pipe_ends_a_streaming_answer_quietly(tmp_path):
    script = kgtool_script()
    command = f"{script} sparql --format csv 'SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f }}' | head -n 3"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.splitlines()[0] == "a,b,c,d,e,f"
    assert len(result.stdout.splitlines()) == 3
    assert "Traceback" not in result.stderr
