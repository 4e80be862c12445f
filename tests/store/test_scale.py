"""Big graphs go through the on-disk index: same query rows and same validation results as in memory.

The graph is a small generated one (benchmarks/generate.py) plus the shipped data, so the shipped
examples and fixtures name real nodes; `$KGTOOL_INDEX_THRESHOLD` moves it above or below the index
threshold instead of generating megabytes.
"""

from __future__ import annotations

import shutil
from dataclasses import asdict
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox
import pytest

from kgtool import validate
from kgtool.options import InferMode
from kgtool.query import catalog
from kgtool.store import disk_index
from kgtool.store.dataset import open_dataset
from kgtool.store.graph_folder import KnowledgeGraph, locate
from kgtool.vocab import INFERRED_GRAPH

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ALWAYS, NEVER = "0", str(10**12)
pytestmark = pytest.mark.slow  # generated graphs, built twice (in memory and through the index)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, generator: ModuleType) -> Path:
    root = tmp_path_factory.mktemp("scale") / "kg"
    generator.generate(3000, root)
    for path in (ROOT / "data").glob("*.ttl"):
        shutil.copy(path, root / "data" / path.name)
    return root


def _rows(run: Any, kg: KnowledgeGraph, name: str, infer: str) -> list[tuple[object, ...]]:
    query = catalog.load(kg.query_dir, name)
    values = {p.name: p.example for p in query.params if p.required and p.example is not None}
    result = run.query(kg, query, values, infer=infer)
    assert not any(isinstance(term, ox.BlankNode) for row in result.all_rows() for term in row)
    return result.all_rows()


@pytest.mark.parametrize("infer", ["none", "rdfs"])
def test_every_saved_query_gives_the_same_rows_through_the_index(
    big: Path, infer: str, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    kg = locate(big)
    names = [q.name for q in catalog.load_all(kg.query_dir)]
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, NEVER)
    assert not disk_index.wants_index(kg)
    in_memory = {name: _rows(run, kg, name, infer) for name in names}
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, ALWAYS)
    assert disk_index.wants_index(kg)
    through_index = {name: _rows(run, kg, name, infer) for name in names}
    assert disk_index.status(kg, InferMode.parse(infer)).exists  # the rows above came from that index
    assert through_index == in_memory
    assert sum(len(rows) for rows in in_memory.values()) > 500  # the generated events are there
    assert in_memory["event"] and in_memory["events-by-actor"]  # the examples name real nodes


def test_the_inference_index_holds_the_same_closure_as_memory(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kg = locate(big)
    graph = ox.NamedNode(INFERRED_GRAPH)

    def inferred() -> set[ox.Triple]:
        store = open_dataset(kg, InferMode.RDFS).store
        quads = store.quads_for_pattern(None, None, None, graph)
        return {ox.Triple(q.subject, q.predicate, q.object) for q in quads}

    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, NEVER)
    expected = inferred()
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, ALWAYS)
    assert inferred() == expected and len(expected) > 1000
    plain, with_closure = disk_index.status(kg, InferMode.NONE), disk_index.status(kg, InferMode.RDFS)
    assert plain.path.parent == with_closure.path.parent


def test_a_changed_file_is_picked_up_by_both_indexes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Any, generator: ModuleType
) -> None:
    root = tmp_path / "kg"
    generator.generate(500, root)
    kg = locate(root)
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, ALWAYS)
    ask = "ASK { <https://w3id.org/kgtool/iraq/actor/new-one> a <https://w3id.org/kgtool/ontology#Actor> }"
    assert run.text(kg, ask, infer="rdfs").boolean is False
    old = {disk_index.status(kg, InferMode.NONE).path, disk_index.status(kg, InferMode.RDFS).path}
    with open(root / "data" / "generated.nt", "a", encoding="utf-8") as handle:
        handle.write(
            "<https://w3id.org/kgtool/iraq/actor/new-one> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
            " <https://w3id.org/kgtool/ontology#Person> .\n"
        )
    asserted = ask.replace("Actor", "Person")
    assert run.text(kg, asserted).boolean is True  # the plain index was rebuilt
    assert run.text(kg, ask).boolean is False  # (no inference asked for)
    assert run.text(kg, ask, infer="rdfs").boolean is True  # and the inference one, with the closure
    assert not any(path.exists() for path in old)  # the stale versions were pruned


def _new_file(tmp_path: Path, generator: ModuleType) -> Path:
    gen = generator.Generator(seed=777, tag="new")
    gen.link_to_existing()
    path = tmp_path / "generated-new.nt"
    path.write_text("".join(gen.lines(100, setup=False)))
    return path


CASES = {
    "good": [FIXTURES / "new" / "good-event.ttl"],
    "bad": [FIXTURES / "new" / "bad-event.ttl", FIXTURES / "invalid" / "response-before-cause.ttl"],
    "blank": [FIXTURES / "new" / "blank-event.ttl"],
    "label": [FIXTURES / "new" / "second-label.ttl"],
    "quote": [FIXTURES / "invalid" / "quote-text-not-selected.ttl"],
    "outside": [FIXTURES / "invalid" / "outside-fact-not-asserted.ttl"],
}


@pytest.mark.parametrize("infer", ["none", "rdfs"])
@pytest.mark.parametrize("case", [*CASES, "generated"])
def test_validation_from_the_index_neighbourhood_equals_the_whole_graph(
    big: Path,
    case: str,
    infer: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    generator: ModuleType,
) -> None:
    kg = locate(big)
    files = CASES[case] if case in CASES else [_new_file(tmp_path, generator)]
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, NEVER)
    whole = validate.validate(kg, files, infer=InferMode.parse(infer))
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, ALWAYS)
    calls: list[int] = []
    real_around = validate.around

    def spy(*args: object, **kwargs: object) -> list[object]:
        calls.append(1)
        return real_around(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validate, "around", spy)
    local = validate.validate(kg, files, infer=InferMode.parse(infer))
    assert calls == [1]  # the second run read its context from the index
    assert [asdict(r) for r in local.results] == [asdict(r) for r in whole.results]
    assert (local.conforms, local.focus_nodes, local.new_triples) == (
        whole.conforms,
        whole.focus_nodes,
        whole.new_triples,
    )
    if case in ("bad", "quote", "outside"):
        assert not whole.conforms and all(r.file and r.line for r in whole.results)
    if case == "generated":
        assert whole.conforms and whole.focus_nodes > 20


def test_an_inferred_triple_about_a_blank_node_joins_the_indexed_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    root = tmp_path / "kg"
    (root / "ontology").mkdir(parents=True)
    (root / "data").mkdir()
    ex = "http://example.org/"
    (root / "ontology" / "onto.ttl").write_text(
        f"<{ex}Person> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{ex}Actor> .\n"
    )
    (root / "data" / "people.ttl").write_text(f'[] a <{ex}Person> ; <{ex}name> "Ann" .\n')
    kg = locate(root)
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, ALWAYS)
    ask = f'ASK {{ ?x a <{ex}Actor> ; <{ex}name> "Ann" . FILTER(isBlank(?x)) }}'
    assert run.text(kg, ask, infer="rdfs").boolean is True  # same blank node id in both graphs
    assert disk_index.status(kg, InferMode.RDFS).exists
    assert run.text(kg, ask).boolean is False
