"""Locating a graph folder and listing its files."""

from __future__ import annotations

import pytest

from kgtool.errors import InputError, UsageError
from kgtool.options import GraphPart
from kgtool.store import graph_folder as kgmod


def test_locate_prefers_flag_then_env(tmp_path, monkeypatch):
    (tmp_path / "a" / "data").mkdir(parents=True)
    (tmp_path / "b" / "data").mkdir(parents=True)
    monkeypatch.setenv(kgmod.ENV_VAR, str(tmp_path / "b"))
    assert kgmod.locate(tmp_path / "a").root == (tmp_path / "a").resolve()
    assert kgmod.locate(None).root == (tmp_path / "b").resolve()


def test_locate_rejects_folder_without_graph(tmp_path):
    with pytest.raises(UsageError, match="not a knowledge graph folder"):
        kgmod.locate(tmp_path)


def test_files_are_split_by_part_and_fingerprint_tracks_content(tmp_path):
    (tmp_path / "ontology").mkdir()
    (tmp_path / "data" / "sub").mkdir(parents=True)
    (tmp_path / "ontology" / "onto.ttl").write_text("")
    (tmp_path / "ontology" / "shapes.ttl").write_text("")
    (tmp_path / "ontology" / "context.jsonld").write_text("{}")
    (tmp_path / "data" / "b.ttl").write_text("")
    (tmp_path / "data" / "sub" / "a.trig").write_text("")
    (tmp_path / "data" / "notes.txt").write_text("")
    graph = kgmod.locate(tmp_path)
    assert [p.name for p in graph.ontology_files()] == ["onto.ttl"]
    assert [p.name for p in graph.shapes_files()] == ["shapes.ttl"]
    assert [p.relative_to(graph.data_dir).as_posix() for p in graph.data_files()] == ["b.ttl", "sub/a.trig"]
    before = graph.fingerprint()
    (tmp_path / "data" / "b.ttl").write_text("# changed\n")
    assert graph.fingerprint() != before
    assert graph.fingerprint(GraphPart.ONTOLOGY) == kgmod.locate(tmp_path).fingerprint(GraphPart.ONTOLOGY)


@pytest.mark.parametrize("packaged", [True, False], ids=["installed-wheel", "source-checkout"])
def test_the_default_graph_is_the_read_only_shipped_one(tmp_path, monkeypatch, packaged):
    monkeypatch.delenv(kgmod.ENV_VAR, raising=False)
    monkeypatch.setattr(kgmod, "shipped_root", lambda: (tmp_path, packaged))
    assert kgmod.locate(None) == kgmod.KnowledgeGraph(root=tmp_path, shipped=True)
    (tmp_path / "data").mkdir()
    assert kgmod.locate(tmp_path) == kgmod.KnowledgeGraph(root=tmp_path.resolve(), shipped=False)
    monkeypatch.setenv(kgmod.ENV_VAR, str(tmp_path))
    assert kgmod.locate(None) == kgmod.KnowledgeGraph(root=tmp_path.resolve(), shipped=False)


@pytest.mark.parametrize("kind", ["dangling", "looping"])
def test_a_data_link_to_nothing_is_one_error_naming_it(cli, kg_copy, kind):
    """A link that reads as no file used to be left out of the graph without a word."""
    link = kg_copy / "data" / "more" / f"{kind}.ttl"
    link.parent.mkdir()
    link.symlink_to(kg_copy / "data" / "gone.ttl" if kind == "dangling" else link)
    with pytest.raises(InputError, match="is a symbolic link to nothing"):
        kgmod.KnowledgeGraph(kg_copy).data_files()
    for command in (["stats"], ["validate"], ["query", "timeline"]):
        result = cli(["--kg", kg_copy, *command])
        assert (result.exit_code, result.stdout) == (2, ""), command
        assert result.stderr == (
            f"kgtool: {link}: is a symbolic link to nothing (dangling or looping); the graph cannot read "
            "it: fix or remove the link\n"
        ), command
