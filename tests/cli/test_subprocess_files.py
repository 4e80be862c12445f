"""The file interface through the installed `kgtool` script as a real process: standard input, the
graph option after the command, index --status's exit status, -o's suffix, and /dev/full."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

from tests.cli.test_subprocess import kgtool_script

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = FIXTURES / "kg-mini"
GOOD = FIXTURES / "new" / "good-event.ttl"


def run(args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "KGTOOL_KG"}
    env["KGTOOL_CACHE"] = str(cwd / "cache")
    return subprocess.run(
        [kgtool_script(), *args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_validate_reads_standard_input_with_kg_after_the_command(tmp_path):
    result = run(
        ["validate", "-", "--input-format", "ttl", "--kg", str(MINI), "-f", "json"],
        tmp_path,
        GOOD.read_text(),
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["files"], document["newTriples"], document["conforms"]) == (["<stdin>"], 5, True)


def test_index_status_exits_1_until_the_index_is_built(tmp_path):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    assert run(["index", "--status", "--kg", str(kg)], tmp_path).returncode == 1
    assert run(["index", "--kg", str(kg)], tmp_path).returncode == 0
    assert run(["index", "--status", "--kg", str(kg)], tmp_path).returncode == 0
    (kg / "data" / "more.nt").write_text("<urn:x:a> <urn:x:p> <urn:x:b> .\n")
    stale = run(["index", "--status", "--kg", str(kg)], tmp_path)
    assert (stale.returncode, stale.stdout.splitlines()[0]) == (
        1,
        "index: missing or stale (the graph's files changed)",
    )


def test_export_picks_json_ld_from_the_suffix_and_keeps_dev_full_a_device(tmp_path):
    out = tmp_path / "graph.jsonld"
    result = run(["export", "--kg", str(MINI), "-o", str(out)], tmp_path)
    assert (result.returncode, result.stdout) == (0, f"wrote {out}\n")
    assert "@context" in json.loads(out.read_text())
    full = run(["export", "--kg", str(MINI), "-o", "/dev/full"], tmp_path)
    assert (full.returncode, full.stderr) == (2, "kgtool: /dev/full: cannot write: No space left on device\n")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
