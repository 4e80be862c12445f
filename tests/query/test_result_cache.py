"""Saved-query answers kept per graph version on the on-disk index: the same bytes, every page, and a
whole-graph listing computed on an in-memory copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kgtool.store import dataset as dataset_module
from kgtool.store import disk_index

KG = Path(__file__).resolve().parents[1] / "fixtures" / "query-kg"


@pytest.fixture
def indexed(tmp_path, cache_dir, monkeypatch) -> Path:
    """A copy of the query fixture graph, served from the on-disk index."""
    kg = tmp_path / "kg"
    shutil.copytree(KG, kg)
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, "0")
    return kg


def answers(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("index/*/*/results/*.tsv"))


@pytest.mark.parametrize("fmt", ["tsv", "csv", "json", "xml", "table", "md"])
def test_a_kept_answer_prints_the_same_bytes(cli, indexed, cache_dir, fmt, monkeypatch):
    first = cli(["--kg", indexed, "query", "timeline", "-f", fmt])
    assert first.exit_code == 0, first.stderr
    assert len(answers(cache_dir)) == 1
    again = cli(["--kg", indexed, "query", "timeline", "-f", fmt])
    assert again.stdout == first.stdout
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, str(10**12))  # the same graph parsed into memory
    assert cli(["--kg", indexed, "query", "timeline", "-f", fmt]).stdout == first.stdout


def test_pages_and_slices_are_read_from_the_kept_answer(cli, indexed, cache_dir):
    every = cli(["--kg", indexed, "query", "timeline", "-f", "csv"]).stdout.splitlines()
    assert len(answers(cache_dir)) == 1
    (kept,) = answers(cache_dir)
    stamp = kept.stat().st_mtime_ns
    part = cli(["--kg", indexed, "query", "timeline", "-f", "csv", "--offset", "1", "--limit", "1"])
    assert part.stdout.splitlines() == [every[0], every[2]]
    page = cli(["--kg", indexed, "query", "timeline", "-f", "csv", "--limit", "2", "--page", "2"])
    assert page.stdout.splitlines() == [every[0], every[3]]
    assert answers(cache_dir) == [kept] and kept.stat().st_mtime_ns == stamp


def test_a_listing_is_computed_in_memory_and_a_lookup_on_the_index(cli, indexed, cache_dir, monkeypatch):
    opened: list[bool] = []
    real = dataset_module.open_dataset

    def spy(kg, infer=dataset_module.InferMode.NONE, *, in_memory=False):
        opened.append(in_memory)
        return real(kg, infer, in_memory=in_memory)

    monkeypatch.setattr(dataset_module, "open_dataset", spy)
    assert cli(["--kg", indexed, "query", "timeline"]).exit_code == 0
    assert opened == [False, True]  # the index, then an in-memory copy to compute the listing
    opened.clear()
    assert cli(["--kg", indexed, "query", "timeline"]).exit_code == 0
    assert opened == [False]  # kept: nothing computed
    opened.clear()
    trump = cli(["--kg", indexed, "query", "events-by-actor", "-p", "actor=Donald Trump", "-f", "csv"])
    assert trump.stdout.count("\n") == 2
    assert opened == [False]
    assert len(answers(cache_dir)) == 2


def test_a_changed_graph_gets_new_answers(cli, indexed, cache_dir):
    before = cli(["--kg", indexed, "query", "timeline", "-f", "csv"]).stdout
    with (indexed / "data" / "events.ttl").open("a", encoding="utf-8") as data:
        data.write(
            'event:2021-12-09-end a kgo:Event ; rdfs:label "End of the combat mission"@en ;\n'
            '    schema:startDate "2021-12-09"^^xsd:date ; kgo:involves actor:donald-trump .\n'
        )
    after = cli(["--kg", indexed, "query", "timeline", "-f", "csv"]).stdout
    assert after.count("\n") == before.count("\n") + 1
    assert len(answers(cache_dir)) == 1  # the old graph version's index and answers are gone


def test_a_damaged_answer_is_computed_again(cli, indexed, cache_dir):
    good = cli(["--kg", indexed, "query", "timeline", "-f", "csv"]).stdout
    (kept,) = answers(cache_dir)
    kept.write_text("?a\t?b\n<broken\n", encoding="utf-8")
    broken = cli(["--kg", indexed, "query", "timeline", "-f", "csv"])
    assert broken.exit_code == 2
    assert "stored answer unreadable" in broken.stderr
    assert cli(["--kg", indexed, "query", "timeline", "-f", "csv"]).stdout == good


def test_ad_hoc_queries_are_not_kept(cli, indexed, cache_dir):
    result = cli(["--kg", indexed, "sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "-f", "csv"])
    assert result.exit_code == 0
    assert answers(cache_dir) == []


def test_the_inference_mode_is_part_of_the_key(tmp_path, shipped_kg):
    """The docstring's promise: one answer per mode, even were two modes to share a results folder."""
    from kgtool.options import EngineName, InferMode
    from kgtool.query.engines import make_engine
    from kgtool.query.prepared import prepare
    from kgtool.query.result_cache import fetch

    engine = make_engine(EngineName.OXIGRAPH, dataset_module.open_dataset(shipped_kg).store)
    query = prepare("SELECT ?s WHERE { ?s <https://w3id.org/kgtool/ontology#eventType> ?t } LIMIT 2", "<q>")
    for mode in (InferMode.NONE, InferMode.RDFS, InferMode.NONE):
        assert len(list(fetch(tmp_path, query, {}, engine, infer=mode).row_iterator())) == 2
    assert len(list(tmp_path.glob("*.tsv"))) == 2
