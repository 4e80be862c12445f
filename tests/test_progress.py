"""The progress reporter: a bar redrawn on one stderr line on a terminal, nothing when stderr is piped."""

from __future__ import annotations

import io
import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

from kgtool.progress import WIDTH, Progress, silent

MINI = Path(__file__).resolve().parent / "fixtures" / "kg-mini"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_drawn_when_the_stream_is_not_a_terminal():
    stream = io.StringIO()
    with Progress(stream) as progress:
        progress.start("reading", total=10)
        progress.advance(5)
        progress.done("finished")
    assert stream.getvalue() == ""
    assert not silent().enabled


def test_a_terminal_gets_a_bar_on_one_line_then_a_clean_line():
    stream = _Terminal()
    progress = Progress(stream)
    assert progress.enabled
    progress.start("reading data/generated.nt", total=200)
    progress.advance(100)
    progress._drawn = 0  # past the redraw throttle
    progress.advance(50)
    drawn = stream.getvalue()
    assert drawn.startswith("\rreading data/generated.nt [")
    assert "[###############     ]  75%" in drawn
    assert "\n" not in drawn
    assert all(len(part) == WIDTH for part in drawn.split("\r")[1:])  # never wraps an 80-column terminal
    progress.done("indexed 1000 triples")
    assert stream.getvalue().endswith("\r" + " " * WIDTH + "\rindexed 1000 triples\n")


def test_a_step_without_total_shows_its_label_and_the_time():
    stream = _Terminal()
    with Progress(stream) as progress:
        progress.start("sorting 1,000,000 statements")
    assert stream.getvalue().startswith("\rsorting 1,000,000 statements ... 0 s")
    assert stream.getvalue().endswith("\r" + " " * WIDTH + "\r")  # leaving the block clears the line


def test_the_reader_counts_the_bytes_a_parser_reads():
    stream = _Terminal()
    progress = Progress(stream)
    progress.start("reading", total=6)
    reader = progress.reader(io.BytesIO(b"abcdef"))
    assert reader.read() == b"abcdef"
    assert progress._done == 6
    plain = io.BytesIO(b"x")
    assert silent().reader(plain) is plain  # disabled: the stream is not wrapped at all


def test_the_cli_draws_nothing_when_stderr_is_piped(cli):
    result = cli(["--kg", MINI, "export", "--only", "data", "-f", "nt"])
    assert (result.exit_code, result.stderr) == (0, "")


def _on_a_terminal(args: list[str], env_extra: dict[str, str] | None = None) -> tuple[int, bytes, str]:
    """Run kgtool with stderr on a pseudo-terminal: (exit status, stdout, what the terminal showed)."""
    main, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "KGTOOL_KG"} | (env_extra or {})
    process = subprocess.Popen(
        [sys.executable, "-m", "kgtool", *args], stdout=subprocess.PIPE, stderr=secondary, env=env
    )
    os.close(secondary)
    stdout, _ = process.communicate(timeout=120)
    seen = b""
    while select.select([main], [], [], 0.5)[0]:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    return process.returncode, stdout, seen.decode()


def test_a_real_export_on_a_terminal_shows_progress_and_clears_it(tmp_path):
    """stderr on a pseudo-terminal: the steps are drawn with carriage returns; stdout stays clean."""
    out = tmp_path / "graph.ttl"
    code, stdout, shown = _on_a_terminal(["--kg", str(MINI), "export", "-o", str(out)])
    assert code == 0
    assert stdout == f"wrote {out}\n".encode()
    assert "\rreading data/events.ttl" in shown
    assert "\rwriting turtle" in shown
    assert shown.endswith("\r" + " " * WIDTH + "\r")


def test_validate_add_and_index_show_their_steps_on_a_terminal(tmp_path):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    good = str(MINI.parent / "new" / "good-event.ttl")
    cache = {"KGTOOL_CACHE": str(tmp_path / "cache")}
    code, stdout, shown = _on_a_terminal(["--kg", str(kg), "validate", good], cache)
    assert code == 0 and stdout.startswith(b"conforms:")
    assert "\rvalidating 3 focus node(s) [" in shown
    code, _, shown = _on_a_terminal(["--kg", str(kg), "index"], cache)
    assert code == 0 and "\rindexing data/events.ttl [" in shown and "indexed " in shown
    code, stdout, shown = _on_a_terminal(
        ["--kg", str(kg), "add", good], cache | {"KGTOOL_INDEX_THRESHOLD": "0"}
    )
    assert code == 0 and stdout.startswith(b"added 5 triple(s)")
    assert "\rvalidating 3 focus node(s) [" in shown
    assert "to the index" in shown  # the next version's index, made at once
