"""Crash safety: a writer killed (SIGKILL) at any point leaves exactly the old or exactly the new graph."""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kgtool.errors import InputError
from kgtool.rdf import atomic_write
from kgtool.rdf.rdflib_bridge import load_rdflib
from kgtool.store import graph_folder as kgmod

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = FIXTURES / "kg-mini"
NEW = FIXTURES / "new"
RUNS = 40


def test_write_atomic_replaces_and_fsyncs_file_and_folder(tmp_path, monkeypatch):
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    target = tmp_path / "sub" / "out.ttl"
    atomic_write.write_atomic(target, b"old", make_parents=True)
    atomic_write.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.ttl"]
    assert len(synced) == 4  # file then folder, twice


def test_write_atomic_leaves_the_old_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match="cannot write: No space left on device"):
        atomic_write.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


@pytest.fixture
def umask():
    """Set the process umask for one test, then put the old one back."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_mode_open_would_give(tmp_path, umask, mask, mode):
    umask(mask)
    target = tmp_path / "out.ttl"
    atomic_write.write_atomic(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_replacing_a_file_keeps_its_mode(tmp_path, umask):
    umask(0o077)
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_export_over_a_file_and_add_write_ordinary_modes(cli, tmp_path, umask):
    umask(0o022)
    out = tmp_path / "out.ttl"
    out.write_text("old")
    out.chmod(0o644)
    assert cli(["--kg", MINI, "export", "-o", out]).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    root = tmp_path / "kg"
    shutil.copytree(MINI, root)
    result = cli(["--kg", root, "add", NEW / "good-event.ttl"])
    assert result.exit_code == 0, result.stdout + result.stderr
    [written] = (root / "data" / "contributions").iterdir()
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


WRITER = """
import sys
from pathlib import Path
from kgtool.rdf.atomic_write import write_atomic
from kgtool.store.graph_folder import graph_lock
root, body = Path(sys.argv[1]), Path(sys.argv[2]).read_bytes()
print("ready", flush=True)
with graph_lock(root):
    write_atomic(root / "data" / "contributions" / "new.trig", body, make_parents=True)
"""


def _graph_state(root: Path) -> tuple[list[str], bytes | None]:
    kg = kgmod.locate(root)
    names = [p.relative_to(root).as_posix() for p in kg.data_files()]
    new = root / "data" / "contributions" / "new.trig"
    return names, new.read_bytes() if new.exists() else None


@pytest.mark.slow
def test_writer_killed_at_random_points_leaves_old_or_new_graph(tmp_path):
    body = b"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n" + b"".join(
        b'<https://w3id.org/kgtool/iraq/actor/a%d> rdfs:label "actor %d" .\n' % (i, i) for i in range(60000)
    )
    payload = tmp_path / "payload.trig"
    payload.write_bytes(body)
    old_files = ["data/events.ttl"]
    rng = random.Random(20260105)
    outcomes = {"old": 0, "new": 0}
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # Measure one undisturbed write, then kill later runs at random points across that span.
    timed = tmp_path / "timed"
    shutil.copytree(MINI, timed)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, timed, payload], stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    proc.stdout.readline()
    start = time.monotonic()
    proc.wait(timeout=60)
    span = max(time.monotonic() - start, 0.005)
    for run in range(RUNS):
        root = tmp_path / f"kg{run}"
        shutil.copytree(MINI, root)
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, root, payload], stdout=subprocess.PIPE, env=env
        )
        assert proc.stdout is not None
        proc.stdout.readline()
        # Mostly random points across the write; the first runs kill at once, the last ones late.
        delay = 0.0 if run < 3 else span * 3 if run >= RUNS - 3 else rng.uniform(0, span * 1.3)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        names, new = _graph_state(root)
        if new is None:
            assert names == old_files, run
            outcomes["old"] += 1
        else:
            assert names == ["data/contributions/new.trig", *old_files], run
            assert new == body, f"run {run}: partial file visible"
            outcomes["new"] += 1
        # Leftover temp files are hidden from the graph (dot-names) and never half-read.
        assert all(p.name.startswith(".") for p in (root / "data" / "contributions").glob("*.tmp"))
    # Every run ended old or new (asserted above); the kills must have landed on both sides of the rename.
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes


@pytest.mark.slow
def test_add_killed_at_random_points_leaves_old_or_new_graph(tmp_path):
    """The real `kgtool add`, killed during validation or writing: the graph is unchanged or complete."""
    source = NEW / "good-event.ttl"
    env = {k: v for k, v in os.environ.items() if k != "KGTOOL_KG"}
    rng = random.Random(7)
    timed = tmp_path / "timed"
    shutil.copytree(MINI, timed)
    start = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "kgtool", "--kg", timed, "add", source],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    span = time.monotonic() - start
    complete = load_rdflib(kgmod.locate(timed).data_files())
    original = load_rdflib(kgmod.locate(MINI).data_files())
    for run in range(8):
        root = tmp_path / f"kg{run}"
        shutil.copytree(MINI, root)
        proc = subprocess.Popen(
            [sys.executable, "-m", "kgtool", "--kg", root, "add", source], env=env, stdout=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(span * 0.5, span * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        now = load_rdflib(kgmod.locate(root).data_files())
        # Contributions carry a fresh PROV record (time, names) each time: compare the other triples.
        assert isomorphic(now, original) or isomorphic(
            _without_provenance(now), _without_provenance(complete)
        ), run


def _without_provenance(graph: Graph) -> Graph:
    kept = Graph()
    for s, p, o in graph:
        if "/contribution/" not in str(s):
            kept.add((s, p, o))
    return kept


def test_unwritable_destinations_are_one_line_exit_2(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = cli(["--kg", MINI, "export", "-o", blocker / "out.ttl"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"kgtool: {blocker / 'out.ttl'}: folder {blocker} is not a folder; "
        "kgtool creates no folders for output\n"
    )


def test_a_missing_folder_is_refused_not_created(cli, tmp_path):
    out = tmp_path / "no" / "such" / "x.ttl"
    result = cli(["--kg", MINI, "export", "-o", out])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"kgtool: {out}: folder {out.parent} does not exist; kgtool creates no folders for output\n"
    )
    assert not (tmp_path / "no").exists()
    with pytest.raises(InputError, match="cannot write: No such file or directory"):
        atomic_write.write_atomic(out, b"x")
    assert not (tmp_path / "no").exists()


def test_the_next_add_removes_temp_files_a_killed_writer_left(cli, tmp_path):
    root = tmp_path / "kg"
    shutil.copytree(MINI, root)
    stale = root / "data" / "contributions" / ".20200101T000000Z-x.trig.abc123.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"@prefix half")
    assert kgmod.locate(root).data_files() == [root.resolve() / "data" / "events.ttl"]
    result = cli(["--kg", root, "add", NEW / "good-event.ttl"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert not stale.exists()
    assert [p.suffix for p in (root / "data" / "contributions").iterdir()] == [".trig"]
