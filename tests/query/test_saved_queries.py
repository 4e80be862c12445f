"""Every saved query of the shipped graph gives exactly its golden rows, on both engines.

The cases are in tests/golden/cases.json (query, params as a user types them); the expected rows are
the W3C TSV file tests/golden/<case>.tsv (or `true`/`false` for ASK), compared as multisets of rows.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgtool.options import InferMode
from kgtool.query import catalog
from kgtool.query.engines import Engine, OxigraphEngine, RdflibEngine
from kgtool.query.lookup import bind_all
from kgtool.query.result import Result
from kgtool.store.dataset import open_dataset
from kgtool.store.graph_folder import KnowledgeGraph

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CASES_FILE = GOLDEN / "cases.json"
CASES: list[dict] = json.loads(CASES_FILE.read_text(encoding="utf-8")) if CASES_FILE.is_file() else []
ENGINES = ("oxigraph", "rdflib")


@pytest.fixture(scope="module")
def engines(shipped_kg: KnowledgeGraph) -> dict[str, Engine]:
    store = open_dataset(shipped_kg).store
    return {"oxigraph": OxigraphEngine(store), "rdflib": RdflibEngine(store)}


def run_case(kg: KnowledgeGraph, engine: Engine, case: dict) -> Result:
    query = catalog.load(kg.query_dir, case["query"])
    bindings = bind_all(engine, query.params, case.get("params", {}), query.prefixes)
    return engine.execute(query.prepared, bindings)


def expected(case: dict) -> tuple[list[str], Counter] | bool:
    text = (GOLDEN / f"{case['case']}.tsv").read_text(encoding="utf-8")
    if text.strip() in ("true", "false"):
        return text.strip() == "true"
    parsed = ox.parse_query_results(text.encode(), format=ox.QueryResultsFormat.TSV)
    variables = [v.value for v in parsed.variables]
    return variables, Counter(tuple(solution[v] for v in variables) for solution in parsed)


def test_golden_cases_exist():
    assert CASES, f"{CASES_FILE} is missing or empty"
    names = [case["case"] for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    for case in CASES:
        assert (GOLDEN / f"{case['case']}.tsv").is_file(), f"no golden file for {case['case']}"


def test_every_saved_query_has_a_case(shipped_kg: KnowledgeGraph):
    saved = set(catalog.names(shipped_kg.query_dir))
    assert saved, "the shipped graph has no saved queries"
    covered = {case["query"] for case in CASES}
    assert saved - covered == set(), f"saved queries without a golden case: {sorted(saved - covered)}"
    assert covered - saved == set(), f"golden cases for queries that do not exist: {sorted(covered - saved)}"


def test_every_saved_query_parses_with_a_title(shipped_kg: KnowledgeGraph):
    for query in catalog.load_all(shipped_kg.query_dir):
        assert query.title, f"{query.path}: no summary/title in the header"
        assert query.form in ("SELECT", "ASK"), f"{query.path}: saved queries are SELECT or ASK"


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_case_gives_the_golden_rows(shipped_kg, engines, case, engine_name):
    result = run_case(shipped_kg, engines[engine_name], case)
    want = expected(case)
    if isinstance(want, bool):
        assert result.kind == "ask"
        assert result.boolean is want
        return
    variables, rows = want
    assert result.kind == "select"
    assert sorted(result.variables) == sorted(variables)
    order = [result.variables.index(v) for v in variables]
    got = Counter(tuple(row[i] for i in order) for row in result.all_rows())
    missing, extra = rows - got, got - rows
    assert not missing and not extra, f"missing rows: {list(missing)}\nunexpected rows: {list(extra)}"


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_inference_adds_no_duplicate_rows(shipped_kg: KnowledgeGraph, case: dict) -> None:
    """Inferred types and super-properties must not repeat a row (queries walk the hierarchy too)."""
    store = open_dataset(shipped_kg, InferMode.OWLRL).store
    result = run_case(shipped_kg, OxigraphEngine(store), case)
    if result.kind == "select":
        repeated = [row for row, n in Counter(result.all_rows()).items() if n > 1]
        assert repeated == []
