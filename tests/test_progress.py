"""The progress reporter: a bar redrawn on one stderr line on a terminal, nothing when stderr is piped."""

from __future__ import annotations

import io
import os
import pty
import select
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


def test_a_real_export_on_a_terminal_shows_progress_and_clears_it(tmp_path):
    """stderr on a pseudo-terminal: the steps are drawn with carriage returns; stdout stays clean."""
    main, secondary = pty.openpty()
    out = tmp_path / "graph.ttl"
    env = {k: v for k, v in os.environ.items() if k != "KGTOOL_KG"}
    process = subprocess.Popen(
        [sys.executable, "-m", "kgtool", "--kg", str(MINI), "export", "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=secondary,
        env=env,
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
    assert process.returncode == 0
    assert stdout == f"wrote {out}\n".encode()
    text = seen.decode()
    assert "\rreading data/events.ttl" in text
    assert "\rwriting turtle" in text
    assert text.endswith("\r" + " " * WIDTH + "\r")
