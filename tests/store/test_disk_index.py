"""The on-disk index: built once per graph version, reused, rebuilt on change, crash-safe, pruned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgtool.errors import InputError
from kgtool.progress import Progress, silent
from kgtool.rdf.parsing import load_store
from kgtool.store import disk_index
from kgtool.store.graph_folder import locate

EX = "http://example.org/"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


pytestmark = pytest.mark.usefixtures("cache_dir")  # a fresh cache per test: they count index builds


@pytest.fixture
def small_kg(tmp_path: Path) -> Path:
    root = tmp_path / "kg"
    (root / "data").mkdir(parents=True)
    (root / "ontology").mkdir()
    (root / "ontology" / "onto.ttl").write_text(
        f"<{EX}Person> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{EX}Actor> .\n"
    )
    (root / "data" / "people.nt").write_text(
        "".join(f'<{EX}p{i}> <{EX}name> "Person {i}" .\n' for i in range(50))
    )
    return root


def test_build_then_reuse_then_rebuild_on_change(small_kg: Path, cache_dir: Path) -> None:
    kg = locate(small_kg)
    assert not disk_index.status(kg).exists
    built = disk_index.build(kg, progress=silent())
    assert built.exists and built.triples == 51
    assert built.path.parent.parent == cache_dir / "index"
    store = disk_index.open_store(kg)
    expected = {(q.subject, q.predicate, q.object) for q in load_store(kg.files())}
    assert {(q.subject, q.predicate, q.object) for q in store} == expected
    del store
    again = disk_index.build(kg, progress=silent())
    assert again.path == built.path and again.seconds == built.seconds  # reused, not rebuilt

    with open(small_kg / "data" / "people.nt", "a") as handle:
        handle.write(f'<{EX}p50> <{EX}name> "Person 50" .\n')
    assert not disk_index.status(kg).exists
    store = disk_index.open_store(kg)  # rebuilt automatically
    assert len(store) == 52
    versions = [p for p in built.path.parent.iterdir()]
    assert versions == [disk_index.status(kg).path]  # the old version was pruned


def test_open_store_is_read_only(small_kg: Path) -> None:
    store = disk_index.open_store(locate(small_kg))
    with pytest.raises(RuntimeError, match="read-write"):
        store.add(ox.Quad(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}b"), ox.NamedNode(f"{EX}c")))


def test_syntax_error_names_file_line_and_column(small_kg: Path) -> None:
    bad = small_kg / "data" / "zbad.ttl"
    bad.write_text(f"<{EX}a> <{EX}b> <{EX}c> .\n<{EX}a> <{EX}b> .\n")
    with pytest.raises(InputError) as info:
        disk_index.build(locate(small_kg), progress=silent())
    assert info.value.file == str(bad)
    assert info.value.line == 2
    assert not list((disk_index.status(locate(small_kg)).path.parent).glob(".build-*"))  # temp removed


def test_wants_index_only_for_big_graphs(small_kg: Path, shipped_kg) -> None:
    assert not disk_index.wants_index(locate(small_kg))
    assert not disk_index.wants_index(shipped_kg)
    big = small_kg / "data" / "big.nt"
    line = f'<{EX}x> <{EX}name> "{"y" * 100}" .\n'
    big.write_text(line * (disk_index.INDEX_THRESHOLD_BYTES // len(line) + 1))
    assert disk_index.wants_index(locate(small_kg))


def test_progress_bar_goes_to_stderr(small_kg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    disk_index.build(locate(small_kg), progress=Progress(enabled=True))
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "\rindexing data/people.nt [" in captured.err
    assert "indexed 51 triples" in captured.err


def test_cli_index_status_and_rebuild(cli, small_kg: Path) -> None:
    missing = cli(["--kg", small_kg, "index", "--status"])
    assert missing.exit_code == 1  # scripts test it: missing or stale is a failed check
    assert missing.stdout.startswith("index: missing or stale")
    built = cli(["--kg", small_kg, "index"])
    assert built.exit_code == 0, built.stderr
    assert built.stdout.strip().endswith("(51 triples)")
    status = cli(["--kg", small_kg, "index", "--status"])
    assert status.exit_code == 0
    assert status.stdout.startswith("index: current")
    assert "triples: 51" in status.stdout
    rebuilt = cli(["--kg", small_kg, "index", "--rebuild"])
    assert rebuilt.exit_code == 0 and "(51 triples)" in rebuilt.stdout
    (small_kg / "data" / "more.nt").write_text("<urn:x:a> <urn:x:p> <urn:x:b> .\n")
    stale = cli(["index", "--status", "--kg", small_kg])  # --kg after the command, too
    assert (stale.exit_code, stale.stdout.splitlines()[0]) == (
        1,
        "index: missing or stale (the graph's files changed)",
    )


def test_cli_index_bad_file_is_one_line_exit_2(cli, small_kg: Path) -> None:
    (small_kg / "data" / "bad.ttl").write_text("<a> <b> .\n")
    result = cli(["--kg", small_kg, "index"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "bad.ttl:1:" in result.stderr
    assert "Traceback" not in result.stderr


def test_neighbourhood_follows_links_and_pointers(tmp_path: Path) -> None:
    root = tmp_path / "hood"
    (root / "data").mkdir(parents=True)
    (root / "data" / "g.nt").write_text(
        "".join(
            f"<{EX}{s}> <{EX}{p}> <{EX}{o}> .\n"
            for s, p, o in [
                ("a", "to", "b"),
                ("b", "to", "c"),
                ("c", "to", "d"),
                ("d", "to", "e"),
                ("x", "points", "a"),
                ("x", "label", "xl"),
                ("y", "points", "hub"),
                ("z", "points", "hub"),
            ]
        )
    )
    store = disk_index.open_store(locate(root))
    names = {
        (q.subject.value[len(EX) :], q.object.value[len(EX) :])
        for q in disk_index.neighbourhood(
            store,
            {ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}hub")},
            hops=2,
            pointed={ox.NamedNode(f"{EX}a")},
        )
    }
    assert names == {("a", "b"), ("b", "c"), ("c", "d"), ("x", "a"), ("x", "xl")}


def _canonical(store: ox.Store) -> bytes:
    from kgtool.rdf.export import canonical_nquads

    return canonical_nquads([ox.serialize(store, format=ox.RdfFormat.N_QUADS) or b""])


ESTIMATE = (
    "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n@prefix schema: <http://schema.org/> .\n"
    "<https://w3id.org/kgtool/iraq/event/2020-01-05-parliament-vote>\n"
    '    kgo:estimate [ schema:value 5200 ; schema:unitText "troops" ] .\n'
)


@pytest.mark.parametrize("new", ["good-event.ttl", "estimate with a blank node"])
def test_add_leaves_the_next_versions_index_ready_and_equal_to_a_rebuild(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new: str
) -> None:
    """The first query after an add used to rebuild the whole index (6 s at 1M, silently)."""
    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, "0")
    root = tmp_path / "kg"
    shutil.copytree(FIXTURES / "kg-mini", root)
    (root / "ontology" / "estimates.ttl").write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\nkgo:estimate a owl:ObjectProperty .\n"
    )
    source = FIXTURES / "new" / new
    if not source.exists():
        source = tmp_path / "estimate.ttl"
        source.write_text(ESTIMATE)
    kg = locate(root)
    disk_index.build(kg, progress=silent())
    calls: list[Path] = []
    real = disk_index.add_file
    monkeypatch.setattr(disk_index, "add_file", lambda *a, **k: calls.append(a[3]) or real(*a, **k))
    result = cli(["--kg", root, "add", source])
    assert result.exit_code == 0, result.stderr
    assert len(calls) == 1  # the index context extended the index right after the write
    updated = disk_index.status(kg)
    assert updated.exists  # ready before any query
    versions = sorted(p.name for p in updated.path.parent.iterdir())
    assert versions == [updated.fingerprint]  # the old version was pruned
    incremental = disk_index.info(kg)
    store = disk_index.open_built(incremental)
    got = _canonical(store)
    del store
    rebuilt = disk_index.build(kg, rebuild=True, progress=silent())
    store = disk_index.open_built(rebuilt)
    assert got == _canonical(store)
    assert (incremental.triples, incremental.prefixes) == (rebuilt.triples, rebuilt.prefixes)


def test_a_contribution_rebinding_a_prefix_leaves_the_index_to_a_rebuild(small_kg: Path) -> None:
    kg = locate(small_kg)
    before = disk_index.build(kg, progress=silent())
    (small_kg / "data" / "people.ttl").write_text(f"@prefix ex: <{EX}> .\nex:a ex:b ex:c .\n")
    before = disk_index.build(kg, progress=silent())
    added = small_kg / "data" / "contributions" / "x.trig"
    added.parent.mkdir()
    added.write_text("@prefix ex: <http://other.example/> .\nex:a ex:b ex:c .\n")
    store = disk_index.open_built(before)
    assert disk_index.add_file(kg, before, store, added, silent()) is None
    assert not disk_index.status(kg).exists
