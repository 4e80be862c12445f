"""`kgtool add` / `kgtool init`: only conforming triples land, as one contribution file with a PROV-O
record; duplicates, dry runs and invalid input write nothing; concurrent adds both land."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from kgtool.add import add
from kgtool.errors import UsageError
from kgtool.rdf.rdflib_bridge import load_rdflib
from kgtool.store import graph_folder as kgmod

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "kg-mini"
NEW = FIXTURES / "new"
PROV = Namespace("http://www.w3.org/ns/prov#")
KGO = Namespace("https://w3id.org/kgtool/ontology#")
SCHEMA = Namespace("http://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    dest = tmp_path / "kg"
    shutil.copytree(MINI, dest)
    return dest


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, except the (empty) writer lock file."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".kgtool.lock"
    }


def _contributions(root: Path) -> list[Path]:
    return sorted((root / "data" / "contributions").glob("*.trig"))


def test_add_writes_one_contribution_with_its_provenance(cli, mini):
    source = NEW / "good-event.ttl"
    result = cli(["--kg", mini, "add", source, "-m", "Trump, 7 January 2020"])
    assert result.exit_code == 0, result.stderr
    (written,) = _contributions(mini)
    assert result.stdout == f"added 5 triple(s) (0 already present) to {written}\n"
    assert written.name.endswith("-trump-7-january-2020.trig")
    dataset = Dataset()
    dataset.parse(written, format="trig")
    graph_iri = URIRef("https://w3id.org/kgtool/iraq/contribution/" + written.stem)
    assert isomorphic(dataset.graph(graph_iri), load_rdflib([source]))
    record = dataset.default_graph
    assert (graph_iri, RDF.type, PROV.Entity) in record
    (when,) = record.objects(graph_iri, PROV.generatedAtTime)
    assert when.datatype == XSD.dateTime
    activity = record.value(graph_iri, PROV.wasGeneratedBy)
    assert record.value(activity, RDFS.comment) == Literal("Trump, 7 January 2020")
    assert record.value(graph_iri, VOID.triples) == Literal(5)
    (used,) = record.objects(activity, PROV.used)
    assert record.value(used, SCHEMA.name) == Literal("good-event.ttl")
    assert record.value(used, SCHEMA.sha256) == Literal(hashlib.sha256(source.read_bytes()).hexdigest())
    # The graph now holds the new triples.
    merged = load_rdflib(kgmod.locate(mini).data_files())
    for triple in load_rdflib([source]):
        assert triple in merged


def test_adding_triples_already_present_writes_nothing(cli, mini):
    assert cli(["--kg", mini, "add", NEW / "good-event.ttl"]).exit_code == 0
    before = _tree(mini)
    result = cli(["--kg", mini, "add", NEW / "good-event.ttl"])
    assert result.exit_code == 0
    assert result.stdout == "nothing to add: all 5 triple(s) are already in the graph; nothing written\n"
    assert _tree(mini) == before


def test_only_the_missing_triples_of_a_file_are_added(cli, mini, tmp_path):
    partly = tmp_path / "partly.ttl"
    partly.write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/kgtool/iraq/actor/donald-trump> rdfs:label "Donald Trump" .\n'
        '<https://w3id.org/kgtool/iraq/actor/donald-trump> rdfs:comment "45th US president" .\n'
    )
    result = cli(["--kg", mini, "add", partly])
    assert result.exit_code == 0, result.stdout
    (written,) = _contributions(mini)
    assert result.stdout == f"added 1 triple(s) (1 already present) to {written}\n"
    dataset = Dataset()
    dataset.parse(written, format="trig")
    graph = dataset.graph(URIRef("https://w3id.org/kgtool/iraq/contribution/" + written.stem))
    assert set(graph) == {
        (
            URIRef("https://w3id.org/kgtool/iraq/actor/donald-trump"),
            RDFS.comment,
            Literal("45th US president"),
        )
    }


def test_dry_run_validates_and_writes_nothing(cli, mini):
    before = _tree(mini)
    result = cli(["--kg", mini, "add", "--dry-run", NEW / "good-event.ttl"])
    assert result.exit_code == 0
    assert result.stdout == "dry run: would add 5 new triple(s) (0 already present); nothing written\n"
    assert _tree(mini) == before


def test_non_conforming_triples_are_not_added(cli, mini):
    before = _tree(mini)
    result = cli(["--kg", mini, "add", NEW / "bad-event.ttl"])
    assert result.exit_code == 1
    assert result.stdout.startswith("does not conform: 3 result(s)")
    assert result.stdout.endswith(
        "not added: the new triples do not conform to the shapes; nothing written\n"
    )
    assert _tree(mini) == before


@pytest.mark.parametrize("packaged", [True, False], ids=["installed-wheel", "source-checkout"])
def test_the_shipped_graph_is_read_only(cli, monkeypatch, tmp_path, packaged):
    """The default graph (no --kg, no $KGTOOL_KG) is never written, installed or in a checkout."""
    shutil.copytree(MINI, tmp_path / "_kg")
    monkeypatch.setattr(kgmod, "shipped_root", lambda: (tmp_path / "_kg", packaged))
    monkeypatch.delenv("KGTOOL_KG", raising=False)
    before = _tree(tmp_path)
    result = cli(["add", NEW / "good-event.ttl"])
    assert result.exit_code == 2
    assert result.stderr == (
        "kgtool: the shipped graph is read-only; copy it with `kgtool init DIR` "
        "and add to it with `kgtool --kg DIR add`\n"
    )
    assert _tree(tmp_path) == before
    with pytest.raises(UsageError):
        add(kgmod.KnowledgeGraph(tmp_path / "_kg", shipped=True), [NEW / "good-event.ttl"])


def test_init_copies_the_shipped_graph_and_refuses_a_non_empty_folder(cli, monkeypatch, tmp_path):
    monkeypatch.setattr(kgmod, "shipped_root", lambda: (MINI, True))
    dest = tmp_path / "mine"
    result = cli(["init", dest])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"copied ontology/, data/ to {dest}\n"
    assert _tree(dest) == _tree(MINI)
    assert cli(["--kg", dest, "add", NEW / "good-event.ttl"]).exit_code == 0
    result = cli(["init", dest])
    assert result.exit_code == 2
    assert result.stderr == f"kgtool: {dest}: folder exists and is not empty; give a new or empty folder\n"


def test_init_copies_the_shipped_graph_whatever_kg_or_the_environment_select(cli, monkeypatch, tmp_path):
    monkeypatch.setattr(kgmod, "shipped_root", lambda: (MINI, True))
    mine = tmp_path / "mine"
    assert cli(["init", mine]).exit_code == 0
    assert cli(["--kg", mine, "add", NEW / "good-event.ttl"]).exit_code == 0
    for args, env in [(["--kg", mine], None), ([], {"KGTOOL_KG": str(mine)})]:
        dest = tmp_path / f"copy-{len(args)}"
        result = cli([*args, "init", dest], env=env)
        assert (result.exit_code, result.stderr) == (0, "")
        assert _tree(dest) == _tree(MINI)


def test_init_onto_a_file_says_it_is_a_file(cli, monkeypatch, tmp_path):
    monkeypatch.setattr(kgmod, "shipped_root", lambda: (MINI, True))
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    result = cli(["init", blocker])
    assert result.exit_code == 2
    assert result.stderr == f"kgtool: {blocker}: is a file, not a folder; give a new or empty folder\n"
    assert blocker.read_text() == "a file, not a folder"


def _spawn_add(kg: Path, source: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "KGTOOL_KG"}
    return subprocess.Popen(
        [sys.executable, "-m", "kgtool", "--kg", str(kg), "add", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def test_two_adds_at_once_both_land(mini, tmp_path):
    second = tmp_path / "biden.ttl"
    second.write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/kgtool/iraq/actor/joe-biden> a kgo:Person ; rdfs:label "Joe Biden" .\n'
    )
    procs = [_spawn_add(mini, NEW / "good-event.ttl"), _spawn_add(mini, second)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert len(_contributions(mini)) == 2
    merged = load_rdflib(kgmod.locate(mini).data_files())
    for triple in load_rdflib([NEW / "good-event.ttl", second]):
        assert triple in merged


def test_add_into_a_copy_of_the_shipped_graph(cli, kg_copy, shipped_kg):
    graph = load_rdflib(shipped_kg.data_files())
    event = sorted(set(graph.subjects(KGO.source, None)))
    assert event, "the shipped graph cites sources with kgo:source"
    known = Graph()
    for triple in graph.triples((event[0], None, None)):
        known.add(triple)
    path = kg_copy / "known.nt"
    path.write_text(known.serialize(format="nt"))
    result = cli(["--kg", kg_copy, "add", path])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("nothing to add: all ")
    note = kg_copy / "note.nt"
    note.write_text(f'<{event[0]}> <http://www.w3.org/2000/01/rdf-schema#comment> "checked again" .\n')
    result = cli(["--kg", kg_copy, "add", note, "-m", "a note"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("added 1 triple(s) (0 already present) to ")
    assert (event[0], RDFS.comment, Literal("checked again")) in load_rdflib(
        kgmod.locate(kg_copy).data_files()
    )


def test_a_file_with_blank_nodes_added_twice_lands_once(cli, mini, tmp_path):
    (mini / "ontology" / "estimates.ttl").write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "kgo:estimate a owl:ObjectProperty .\n"
    )
    estimate = tmp_path / "estimate.ttl"
    estimate.write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "@prefix schema: <http://schema.org/> .\n"
        "<https://w3id.org/kgtool/iraq/event/2020-01-05-parliament-vote>\n"
        '    kgo:estimate [ schema:value 5200 ; schema:unitText "troops" ] .\n'
    )
    first = cli(["--kg", mini, "add", estimate])
    assert first.exit_code == 0
    assert first.stdout.startswith("added 3 triple(s) (0 already present) to ")
    before = _tree(mini)
    second = cli(["--kg", mini, "add", estimate])
    assert second.exit_code == 0
    assert second.stdout == "nothing to add: all 3 triple(s) are already in the graph; nothing written\n"
    assert _tree(mini) == before


def test_init_into_an_unwritable_place_is_one_line_exit_2(cli, monkeypatch, tmp_path):
    monkeypatch.setattr(kgmod, "shipped_root", lambda: (MINI, True))
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    result = cli(["init", blocker / "kg"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"kgtool: {blocker / 'kg'}: folder {blocker} is not a folder; "
        "kgtool creates no folders but DIR itself\n"
    )


def test_named_graphs_of_the_input_are_merged_and_the_summary_says_so(cli, tmp_path):
    mini = tmp_path / "kg"
    shutil.copytree(MINI, mini)
    source = tmp_path / "graphs.trig"
    source.write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix ev: <https://w3id.org/kgtool/iraq/event/> .\n"
        'ev:2020-01-07-x a kgo:Event ; rdfs:label "X" .\n'
        '<urn:g2> { ev:2020-01-07-x kgo:date "2020-01-07"^^xsd:date . }\n'
        "<urn:g1> { ev:2020-01-07-x kgo:actor <https://w3id.org/kgtool/iraq/actor/donald-trump> ;\n"
        "    kgo:source <https://w3id.org/kgtool/iraq/source/dw-2020-01-05> . }\n"
    )
    note = "; the input's named graph(s) <urn:g1>, <urn:g2> {} merged into the contribution's one graph\n"
    dry = cli(["--kg", mini, "add", "--dry-run", source])
    assert (dry.exit_code, dry.stderr) == (0, "")
    head = "dry run: would add 5 new triple(s) (0 already present); nothing written"
    assert dry.stdout == head + note.format("would be")
    result = cli(["--kg", mini, "add", source])
    assert (result.exit_code, result.stderr) == (0, "")
    (written,) = (mini / "data" / "contributions").glob("*.trig")
    assert result.stdout == f"added 5 triple(s) (0 already present) to {written}" + note.format("were")
    dataset = Dataset()
    dataset.parse(written, format="trig")
    graph = URIRef("https://w3id.org/kgtool/iraq/contribution/" + written.stem)
    assert len(dataset.graph(graph)) == 5
    assert {g for _, _, _, g in dataset.quads()} == {graph, dataset.default_graph.identifier}


def test_an_input_without_named_graphs_gets_no_note(cli, tmp_path):
    mini = tmp_path / "kg"
    shutil.copytree(MINI, mini)
    result = cli(["--kg", mini, "add", "--dry-run", NEW / "good-event.ttl"])
    assert result.stdout == "dry run: would add 5 new triple(s) (0 already present); nothing written\n"


def test_add_reads_every_file_once(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The input is read once (parsed, hashed for the PROV record), and so is each file of the graph
    (parsed once for validation and for telling which triples are already there)."""
    import builtins
    import io

    opened: list[str] = []
    real_open = io.open

    def counting_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)
    kg = kgmod.locate(mini)
    source = NEW / "good-event.ttl"
    read = [str(source)] + [str(path) for path in kg.files()]
    outcome = add(kg, [source], message="once")
    monkeypatch.undo()
    assert outcome.status == "added"
    assert sorted(name for name in opened if name in read) == sorted(read), opened


def test_a_contributions_symlink_leaving_the_graph_is_refused(cli, mini, tmp_path):
    """The graph never reads through it: add said "added", the next add duplicated the triples."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (mini / "data" / "contributions").symlink_to(elsewhere)
    before = _tree(mini)
    result = cli(["--kg", mini, "add", NEW / "good-event.ttl"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"kgtool: {mini.resolve() / 'data' / 'contributions'}: data/contributions leads to {elsewhere}, "
        "outside the graph's data folder, which the graph never reads; make data/contributions a plain "
        "folder\n"
    )
    assert list(elsewhere.iterdir()) == []
    assert _tree(mini) == before


def test_a_missing_contributions_folder_is_created(cli, mini):
    assert not (mini / "data" / "contributions").exists()
    result = cli(["--kg", mini, "add", NEW / "good-event.ttl"])
    assert result.exit_code == 0, result.stderr
    assert len(_contributions(mini)) == 1


def test_init_creates_only_the_folder_itself(cli, tmp_path):
    dest = tmp_path / "missing" / "parent" / "kg"
    result = cli(["init", dest])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"kgtool: {dest}: folder {dest.parent} does not exist; kgtool creates no folders but DIR itself\n"
    )
    assert not (tmp_path / "missing").exists()


def test_on_an_indexed_graph_add_reads_no_data_file(mini, monkeypatch, cache_dir):
    """Which triples are present comes from the index: at 1M triples, loading data/ took 8.6 s, 684 MB."""
    from kgtool.rdf import parsing
    from kgtool.store import disk_index

    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, "0")
    kg = kgmod.locate(mini)
    disk_index.build(kg)
    parsed: list[Path] = []
    real = parsing.parse_file

    def spy(path, **kwargs):
        parsed.append(Path(path))
        return real(path, **kwargs)

    monkeypatch.setattr("kgtool.validate.parse_file", spy)
    partly = NEW / "good-event.ttl"
    assert add(kg, [partly], message="indexed").status == "added"
    assert not any(path in kg.data_files() for path in parsed), parsed
    assert add(kg, [partly], message="again").status == "nothing-new"  # present: told by the index
