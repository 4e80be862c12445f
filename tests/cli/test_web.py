"""`kgtool serve` at the command-line edge: bad option values and a port already taken are one line
on stderr and exit 2, before anything is served (the server itself is tested in tests/web)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from test_subprocess import run

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "query-kg"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "65536"], "expected a port number (0-65535), got '65536'"),
        (["--port", "http"], "expected a port number (0-65535), got 'http'"),
        (["--timeout", "0"], "expected a positive number of seconds, got '0'"),
        (["--max-rows", "0"], "expected a number of rows (1, 2, ...), got '0'"),
        (["--workers", "0"], "expected a number of workers (1, 2, ...), got '0'"),
    ],
)
def test_a_bad_option_value_is_one_line_and_exit_2(cli, args, message):
    result = cli(["--kg", str(MINI), "serve", *args])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert result.stdout == ""


def test_a_port_already_taken_is_one_line_and_exit_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = run(["--kg", str(MINI), "serve", "--port", str(port), "--infer", "none"], cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-1].startswith(f"kgtool: cannot listen on 127.0.0.1:{port}: ")
    assert "Traceback" not in done.stderr
