"""The dataset a query runs on: each graph file read once, the prefixes it declares read with it, the
same whether the graph is loaded into memory or served by the on-disk index."""

from __future__ import annotations

import builtins
import io

import pytest

from kgtool.options import InferMode
from kgtool.rdf import prefixes
from kgtool.store import disk_index
from kgtool.store.dataset import open_dataset
from kgtool.store.graph_folder import locate

EX = "http://example.org/"


def test_a_query_dataset_reads_each_file_once_prefixes_included(shipped_kg, monkeypatch):
    expected = prefixes.of_files((path, None) for path in shipped_kg.files())
    opened: list[str] = []
    real_open = io.open

    def counting_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)
    dataset = open_dataset(shipped_kg)
    monkeypatch.undo()
    graph_files = [str(path) for path in shipped_kg.files()]
    assert sorted(name for name in opened if name in graph_files) == sorted(graph_files)
    assert dataset.prefixes == expected
    assert dataset.prefixes["kgo"] == "https://w3id.org/kgtool/ontology#"


@pytest.mark.parametrize("infer", [InferMode.NONE, InferMode.RDFS], ids=str)
def test_the_index_serves_the_same_quads_and_prefixes_as_memory(tmp_path, monkeypatch, cache_dir, infer):
    root = tmp_path / "kg"
    (root / "ontology").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "ontology" / "onto.ttl").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"@prefix ex: <{EX}> .\nex:Person rdfs:subClassOf ex:Actor .\n"
    )
    (root / "data" / "people.trig").write_text(
        f"PREFIX p: <{EX}people/>\n<{EX}g> {{ p:ann a <{EX}Person> }}\n"
    )
    (root / "data" / "more.nt").write_text(f'<{EX}people/bob> <{EX}name> "Bob" .\n')
    kg = locate(root)
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, str(10**12))
    memory = open_dataset(kg, infer)
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, "0")
    indexed = open_dataset(kg, infer)
    assert disk_index.status(kg, infer).exists  # the second one came from the index
    assert set(indexed.store) == set(memory.store)
    expected = {"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "ex": EX, "p": EX + "people/"}
    assert indexed.prefixes == memory.prefixes == expected
