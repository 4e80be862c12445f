"""Where pictures go, by the file interface every command shares: --format wins, else the -o suffix,
else the command's default; `-o -` is stdout, a file is replaced atomically, and a FIFO is written in
place, never replaced."""

from __future__ import annotations

import os
import threading

import pytest

from kgtool import formats
from kgtool.cli.viz import _target
from kgtool.errors import UsageError

ALLOWED = (formats.SVG, formats.PNG, formats.HTML)


@pytest.mark.parametrize(
    ("fmt", "output", "expected"),
    [
        (None, "x.png", formats.PNG),
        (None, "x.HTM", formats.HTML),
        (None, None, formats.SVG),
        (None, "-", formats.SVG),
        ("png", "x.svg", formats.PNG),  # --format wins over the suffix
    ],
)
def test_the_format_comes_from_format_then_suffix_then_default(
    fmt, output, expected, tmp_path, monkeypatch, shipped_kg
):
    monkeypatch.chdir(tmp_path)
    assert _target(output, fmt, ALLOWED, "timeline format", shipped_kg, False)[1] is expected


def test_an_unknown_suffix_names_what_works(tmp_path, shipped_kg):
    with pytest.raises(UsageError, match=r"timeline format .*known: \.svg, \.png, \.html, \.htm"):
        _target(str(tmp_path / "x.jpg"), None, ALLOWED, "timeline format", shipped_kg, False)


def test_a_missing_folder_is_refused_before_drawing(cli, tmp_path):
    result = cli(["timeline", "-o", tmp_path / "nowhere" / "t.svg"])
    assert result.exit_code == 2 and "kgtool creates no folders" in result.stderr


def test_dash_is_stdout(cli):
    result = cli(["graph", "-o", "-"])
    assert result.exit_code == 0 and result.stdout.startswith("digraph kgtool {")


def test_a_file_is_written_and_reported(cli, tmp_path):
    target = tmp_path / "net.dot"
    target.write_text("old")
    result = cli(["graph", "-o", target])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"wrote {target} (dot, ")
    assert target.read_text().startswith("digraph kgtool {")
    assert [p.name for p in tmp_path.iterdir()] == ["net.dot"]  # no temp file left behind


def test_a_fifo_is_written_in_place(cli, tmp_path):
    fifo = tmp_path / "pipe.dot"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = cli(["graph", "-o", fifo, "--format", "dot"])
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert fifo.is_fifo() and received[0].startswith(b"digraph kgtool {")


def test_a_folder_is_refused(cli, tmp_path):
    result = cli(["graph", "-o", tmp_path, "--format", "dot"])
    assert result.exit_code == 2 and "is a folder" in result.stderr


# Each picture command, pointed at a file the graph reads itself from: refused before drawing, the
# file untouched, exactly as `kgtool export` refuses it; --force writes it all the same.
@pytest.mark.parametrize(
    ("where", "command"),
    [
        ("data/events.ttl", ["timeline", "--format", "svg"]),
        ("ontology/kgtool.ttl", ["graph", "--format", "dot"]),
        ("queries/timeline.rq", ["query", "timeline", "--view", "--format", "html"]),
    ],
    ids=["timeline", "graph", "query-view"],
)
def test_a_picture_into_the_graphs_own_folders_is_refused_unless_forced(cli, kg_copy, where, command):
    target = kg_copy / where
    before = target.read_bytes()
    result = cli(["--kg", kg_copy, *command, "-o", target])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"kgtool: {target}: is inside the graph's {where.split('/')[0]}/ folder, which the graph reads: "
        "the next run would read the picture back as part of the graph; write elsewhere, or give --force "
        "to overwrite it anyway\n"
    )
    assert target.read_bytes() == before
    forced = cli(["--kg", kg_copy, *command, "-o", target, "--force"])
    assert forced.exit_code == 0, forced.stderr
    assert target.read_bytes() != before
