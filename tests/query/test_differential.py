"""Differential test: every saved query gives the same rows on pyoxigraph (default) and rdflib (reference).

Rows are compared exactly (same terms, same lexical forms), in order when the query has ORDER BY and
as multisets otherwise; only blank-node labels are normalised, since each engine names the blank
nodes it creates. Run on the shipped graph (with and without OWL-RL inference) and on a small
generated graph in the same vocabulary.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox
import pytest

from kgtool.options import EngineName, InferMode
from kgtool.query import catalog
from kgtool.query.engines import Engine, make_engine
from kgtool.query.lookup import bind_all
from kgtool.query.result import Result
from kgtool.store.dataset import open_dataset
from kgtool.store.graph_folder import KnowledgeGraph, locate

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = locate(None)
NAMES = catalog.names(SHIPPED.query_dir)


@pytest.fixture(scope="module")
def generated_kg(tmp_path_factory: pytest.TempPathFactory, generator: ModuleType) -> KnowledgeGraph:
    out = tmp_path_factory.mktemp("generated")
    generator.generate(1500, out)
    return locate(out)


def _values(query: catalog.SavedQuery) -> dict[str, str]:
    """Example values for required parameters without a default (as a user would type them)."""
    return {p.name: p.example for p in query.params if p.required and p.default is None and p.example}


def _normal(term: Any) -> Any:
    return "_:b" if isinstance(term, ox.BlankNode) else term


def _rows(result: Result, ordered: bool) -> Any:
    if result.kind == "ask":
        return result.boolean
    if result.kind == "graph":
        return Counter((_normal(t.subject), t.predicate, _normal(t.object)) for t in result.all_triples())
    rows = [tuple(_normal(term) for term in row) for row in result.all_rows()]
    return rows if ordered else Counter(rows)


def _compare(run: Any, kg: KnowledgeGraph, name: str, infer: str) -> int:
    query = catalog.load(kg.query_dir, name)
    ordered = re.search(r"\bORDER\s+BY\b", query.text, re.IGNORECASE) is not None
    fast = run.query(kg, query, _values(query), engine="oxigraph", infer=infer)
    reference = run.query(kg, query, _values(query), engine="rdflib", infer=infer)
    assert fast.kind == reference.kind
    assert fast.variables == reference.variables
    assert _rows(fast, ordered) == _rows(reference, ordered)
    return len(fast.all_rows()) + len(fast.all_triples())


def test_the_graph_ships_saved_queries() -> None:
    assert len(NAMES) >= 3, NAMES


@pytest.mark.parametrize("name", NAMES)
def test_same_rows_on_the_shipped_graph(name: str, run) -> None:
    _compare(run, SHIPPED, name, "none")


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_same_rows_on_the_shipped_graph_with_owlrl_inference(name: str, run) -> None:
    _compare(run, SHIPPED, name, "owlrl")


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_same_rows_on_a_generated_graph(name: str, generated_kg: KnowledgeGraph, run) -> None:
    _compare(run, generated_kg, name, "none")


@pytest.mark.slow
def test_most_queries_return_rows_on_the_shipped_graph(run) -> None:
    """Guard against a vacuous differential: equal empty answers prove little."""
    answered = [name for name in NAMES if _compare(run, SHIPPED, name, "none") > 0]
    assert len(answered) >= len(NAMES) * 0.8, sorted(set(NAMES) - set(answered))


CASES = json.loads((ROOT / "tests" / "golden" / "cases.json").read_text())


@pytest.fixture(scope="module")
def inferred_engines() -> dict[str, Engine]:
    store = open_dataset(SHIPPED, InferMode.OWLRL).store
    return {name.value: make_engine(name, store) for name in EngineName}


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_golden_cases_agree_with_owlrl_inference(case: dict[str, Any], inferred_engines: dict) -> None:
    """Every golden case (its parameters as a user types them), on the inferred dataset."""
    query = catalog.load(SHIPPED.query_dir, case["query"])
    ordered = re.search(r"\bORDER\s+BY\b", query.text, re.IGNORECASE) is not None
    results = {}
    for name, engine in inferred_engines.items():
        bindings = bind_all(engine, query.params, case["params"], query.prefixes)
        results[name] = engine.execute(query.prepared, bindings)
    fast, reference = results["oxigraph"], results["rdflib"]
    assert fast.variables == reference.variables
    assert _rows(fast, ordered) == _rows(reference, ordered)
