"""`kgtool stats`: exact counts on the mini graph, unsourced facts listed, stable JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kgtool.rdf.parsing import load_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "kg-mini"
KGO = "https://w3id.org/kgtool/ontology#"
SOURCE = "https://w3id.org/kgtool/iraq/source/"


def test_json_counts_are_exact(cli):
    result = cli(["--kg", MINI, "stats", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "triples": {"ontology": 27, "shapes": 36, "data": 29, "total": 92},
        "instances_per_class": {KGO + "Event": 3, KGO + "Person": 2, KGO + "Source": 2, KGO + "Actor": 1},
        "sources": {SOURCE + "compilation-post": 2, SOURCE + "dw-2020-01-05": 1},
        "events_per_year": {"2011": 1, "2014": 1, "2020": 1},
        "facts_without_source": [],
    }


def test_text_output_has_every_section(cli):
    result = cli(["--kg", MINI, "stats"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:5] == ["triples:", "  ontology  27", "  shapes    36", "  data      29", "  total     92"]
    assert "events per year:" in lines
    assert lines[lines.index("events per year:") + 1 :] == [
        "  2011  1",
        "  2014  1",
        "  2020  1",
        "facts without a source: 0",
    ]


def test_unsourced_and_undated_events_are_reported(cli, tmp_path):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    (kg / "data" / "extra.ttl").write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "<https://w3id.org/kgtool/iraq/event/undated> a kgo:Event .\n"
    )
    stats = json.loads(cli(["--kg", kg, "stats", "--format", "json"]).stdout)
    assert stats["facts_without_source"] == ["https://w3id.org/kgtool/iraq/event/undated"]
    assert stats["events_per_year"] == {"2011": 1, "2014": 1, "2020": 1, "unknown": 1}
    assert stats["instances_per_class"][KGO + "Event"] == 4


def test_shipped_graph_totals_add_up(cli, shipped_kg):
    stats = json.loads(cli(["stats", "--format", "json"]).stdout)
    parts = stats["triples"]
    assert parts["total"] == parts["ontology"] + parts["shapes"] + parts["data"]
    assert parts["data"] == len(load_store(shipped_kg.data_files()))


def test_bad_format_is_exit_2(cli):
    result = cli(["--kg", MINI, "stats", "--format", "yaml"])
    assert (result.exit_code, result.stderr) == (
        2,
        "kgtool: unknown stats format 'yaml'; choose one of text, json\n",
    )


def test_text_writes_iris_with_the_graph_prefixes(cli):
    lines = cli(["stats"]).stdout.splitlines()
    assert "  kgo:Person               8" in lines
    assert not any("https://w3id.org/kgtool/iraq/source/" in line for line in lines)


def test_the_post_is_cited_by_the_quotes_that_stand_in_it(cli, shipped_kg):
    from kgtool.rdf.parsing import load_store as load

    store = load(shipped_kg.files())
    located = store.query(
        "SELECT (COUNT(DISTINCT ?q) AS ?n) WHERE { ?q <https://w3id.org/kgtool/ontology#inPostAt>/"
        "<http://www.w3.org/ns/oa#hasSource> <https://w3id.org/kgtool/iraq/source/compilation-post> }"
    )
    quotes = int(next(iter(located))[0].value)  # type: ignore[arg-type,index]
    assert quotes >= 6
    stats = json.loads(cli(["stats", "--format", "json"]).stdout)
    cited = stats["sources"][SOURCE + "compilation-post"]
    direct = store.query(
        "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#subPropertyOf>* "
        "<https://w3id.org/kgtool/ontology#source> . ?f ?p <https://w3id.org/kgtool/iraq/source/compilation-post> }"  # noqa: E501
    )
    assert cited == int(next(iter(direct))[0].value) + quotes  # type: ignore[arg-type,index]


def test_the_index_gives_the_same_numbers_as_memory(cli, tmp_path, cache_dir, monkeypatch):
    from kgtool.store import disk_index

    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, str(10**12))
    in_memory = cli(["--kg", kg, "stats", "--format", "json"]).stdout
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, "0")
    indexed = cli(["--kg", kg, "stats", "--format", "json"]).stdout
    assert list(cache_dir.glob("index/*/*/store"))
    assert indexed == in_memory
