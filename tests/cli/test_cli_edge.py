"""The CLI edge: usage errors are one stderr line with exit 2, never a traceback."""

from __future__ import annotations


def test_no_arguments_prints_usage_and_exits_2(cli):
    result = cli([])
    assert result.exit_code == 2
    assert "Usage: kgtool" in result.stderr


def test_unknown_option_is_one_line_exit_2(cli):
    result = cli(["--bogus"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "kgtool: No such option: --bogus"
    assert "Traceback" not in result.stderr


def test_missing_kg_folder_names_it(cli, tmp_path):
    missing = tmp_path / "nope"
    result = cli(["--kg", str(missing), "--version"])
    assert result.exit_code == 0  # --version is eager and needs no graph
    result = cli(["--kg", str(missing), "--help"])
    assert result.exit_code == 0
    for command in (["queries"], ["stats"], ["export"]):  # commands that need the graph name it
        result = cli(["--kg", str(missing), *command])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == f"kgtool: {missing}: knowledge graph folder not found: {missing}\n"


def test_version(cli):
    result = cli(["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("kgtool ")


def test_a_refusal_from_the_system_is_one_line_not_a_traceback(cli, tmp_path, monkeypatch):
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("")
    monkeypatch.setenv("KGTOOL_CACHE", str(blocker / "sub"))  # the index cannot be written under a file
    result = cli(["index"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kgtool: {blocker / 'sub'}")
    assert result.stderr.rstrip().endswith("Not a directory")
    assert len(result.stderr.splitlines()) == 1
