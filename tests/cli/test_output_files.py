"""`-o FILE` as export writes it: the format from the suffix unless -f, `-o -` is stdout, a regular file
replaced atomically, a device, FIFO or /dev/stdout written in place (never replaced by a regular file),
the graph's own folders refused unless --force, a missing folder refused, never created."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgtool import formats
from kgtool.rdf.rdflib_bridge import load_rdflib
from kgtool.store import graph_folder as kgmod

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "kg-mini"


def _exported(cli, *args: object) -> str:
    result = cli(["--kg", MINI, "export", "--only", "data", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("suffix", sorted(formats.SUFFIXES))
def test_the_suffix_of_o_picks_the_format(cli, tmp_path, suffix):
    fmt = formats.SUFFIXES[suffix]
    out = tmp_path / f"graph{suffix}"
    assert _exported(cli, "-o", out) == f"wrote {out}\n"
    assert out.read_bytes().decode() == _exported(cli, "-f", fmt.name)
    parsed = ox.parse(path=out, format=fmt.rdf_format)
    assert len(list(parsed)) == len(load_rdflib(kgmod.locate(MINI).data_files()))


def test_f_wins_over_the_suffix(cli, tmp_path):
    out = tmp_path / "graph.ttl"
    _exported(cli, "-f", "nt", "-o", out)
    assert out.read_text() == _exported(cli, "-f", "nt")


def test_an_unknown_suffix_without_f_is_refused(cli, tmp_path):
    out = tmp_path / "graph.txt"
    result = cli(["--kg", MINI, "export", "-o", out])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"kgtool: {out}: cannot tell the format from the suffix (known: .ttl/")
    assert result.stderr.endswith("; give --format\n")
    assert not out.exists()
    assert _exported(cli, "-f", "turtle", "-o", out) == f"wrote {out}\n"


def test_o_dash_is_stdout_and_creates_no_file(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _exported(cli, "-o", "-") == _exported(cli)
    assert _exported(cli, "-o", "-", "-f", "json-ld") == _exported(cli, "-f", "json-ld")
    assert list(tmp_path.iterdir()) == []


def test_dev_full_is_one_line_and_stays_a_device(cli):
    """As root, the old writer renamed a temp file over /dev/full: the device became a regular file."""
    result = cli(["--kg", MINI, "export", "-o", "/dev/full"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "kgtool: /dev/full: cannot write: No space left on device\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert not [p for p in Path("/dev").glob(".full.*")]


def test_dev_null_is_written_in_place(cli):
    assert _exported(cli, "-f", "nt", "-o", "/dev/null") == "wrote /dev/null\n"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_is_written_in_place(cli, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert _exported(cli, "-f", "nt", "-o", fifo) == f"wrote {fifo}\n"
    reader.join(timeout=30)
    assert received == [_exported(cli, "-f", "nt").encode()]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_dev_stdout_in_a_real_process_goes_to_its_stdout(tmp_path):
    """Through a pipe and redirected to a file: /dev/stdout is stdout, never renamed over, and never
    opened again (a second open of the redirected file would write over the first bytes)."""
    command = [sys.executable, "-m", "kgtool", "--kg", str(MINI), "export", "--only", "data", "-f", "nt"]
    expected = subprocess.run(command, capture_output=True, check=True).stdout
    piped = subprocess.run([*command, "-o", "/dev/stdout"], capture_output=True, check=True)
    assert piped.stdout == expected  # it is stdout: no "wrote" line in the data
    out = tmp_path / "redirected.nt"
    with out.open("wb") as handle:
        subprocess.run([*command, "-o", "/dev/stdout"], stdout=handle, check=True)
    assert out.read_bytes() == expected
    assert Path("/dev/stdout").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["redirected.nt"]


def test_a_symlink_stays_a_symlink_and_its_target_is_replaced(cli, tmp_path):
    target = tmp_path / "real.ttl"
    target.write_text("old")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    _exported(cli, "-o", link)
    assert link.is_symlink()
    assert target.read_text() == _exported(cli)


def test_a_regular_file_is_replaced_atomically(cli, tmp_path, monkeypatch):
    out = tmp_path / "graph.ttl"
    out.write_text("old")
    inode = out.stat().st_ino
    _exported(cli, "-o", out)
    assert out.stat().st_ino != inode  # a new file renamed over the old one, not rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_a_missing_folder_is_refused_with_one_line(cli, tmp_path):
    out = tmp_path / "nonexistent" / "dir" / "x.ttl"
    result = cli(["--kg", MINI, "export", "-o", out])
    assert result.exit_code == 2
    assert result.stderr == (
        f"kgtool: {out}: folder {out.parent} does not exist; kgtool creates no folders for output\n"
    )
    assert not (tmp_path / "nonexistent").exists()


def test_a_folder_is_refused(cli, tmp_path):
    result = cli(["--kg", MINI, "export", "-o", tmp_path])
    assert (result.exit_code, result.stderr) == (2, f"kgtool: {tmp_path}: is a folder; give a file name\n")


@pytest.mark.parametrize("where", ["data/events.ttl", "data/new.nt", "ontology/kgtool.ttl", "queries/x.ttl"])
def test_writing_into_the_graphs_own_folders_is_refused_unless_forced(cli, tmp_path, where):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    (kg / "queries").mkdir(exist_ok=True)
    target = kg / where
    before = target.read_bytes() if target.exists() else None
    result = cli(["--kg", kg, "export", "-o", target])
    assert (result.exit_code, result.stdout) == (2, "")
    folder = where.split("/")[0]
    assert result.stderr == (
        f"kgtool: {target}: is inside the graph's {folder}/ folder, which the graph reads: the next run "
        "would read the export back as part of the graph; write elsewhere, or give --force to overwrite "
        "it anyway\n"
    )
    assert (target.read_bytes() if target.exists() else None) == before
    forced = cli(["--kg", kg, "export", "--only", "data", "-o", target, "--force"])
    assert forced.exit_code == 0, forced.stderr
    assert target.exists()


def test_a_symlink_into_the_graph_is_refused_too(cli, tmp_path):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    sneaky = tmp_path / "out.ttl"
    sneaky.symlink_to(kg / "data" / "events.ttl")
    result = cli(["--kg", kg, "export", "-o", sneaky])
    assert result.exit_code == 2
    assert "is inside the graph's data/ folder" in result.stderr


def test_the_inferred_side_file_is_checked_before_any_work(cli, tmp_path):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    result = cli(["--kg", kg, "export", "--infer", "rdfs", "-o", kg / "data" / "all.ttl"])
    assert result.exit_code == 2
    assert not (kg / "data" / "all.ttl").exists() and not (kg / "data" / "all.inferred.ttl").exists()
