"""A query run that can be stopped: `--timeout SECONDS`.

pyoxigraph has no time limit and evaluates without holding the GIL, so no thread can stop a runaway
query; the run (`kgtool.query.runner.run` as the CLI passes it, opening the dataset included) happens
in a child process that the parent kills when the time is up. The child is forked, so nothing is
imported or pickled again and it starts with the query already parsed and checked; it opens the
dataset itself, so no store handle crosses the fork. It writes the result into a pipe that the parent
copies to its own output as it comes, and sends its notes and outcome (an exit status, or the typed
error) over a second pipe, so the parent prints the same lines and raises the same error as a run
in-process would.

Only `--timeout` pays for this (measured in docs/benchmarks.md: a few milliseconds on a cold run);
without it the query runs in the process. Needs `os.fork` (Linux, macOS, BSD).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import IO

from kgtool import errors
from kgtool.errors import ExitStatus, KgtoolError, QueryError, UsageError

_CHUNK = 1 << 16


#: A run: writes its output to a binary stream, its notes to a callable, and returns an exit status.
Work = Callable[[IO[bytes], Callable[[str], None]], ExitStatus]


def run_with_timeout(
    seconds: float, work: Work, out: IO[bytes], note: Callable[[str], None], source: str = "<query>"
) -> ExitStatus:
    """`work` in a child process, stopped after `seconds` with a QueryError naming `source` (exit 2)."""
    if not hasattr(os, "fork"):
        raise UsageError("--timeout needs a system that can fork a process (Linux, macOS)")
    data_read, data_write = os.pipe()
    control_read, control_write = os.pipe()
    out.flush()
    sys.stderr.flush()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(data_read)
        os.close(control_read)
        _child(data_write, control_write, work, source)
    os.close(data_write)
    os.close(control_write)
    try:
        outcome = _relay(pid, data_read, control_read, started + seconds, out, note)
    finally:
        os.close(data_read)
        os.close(control_read)
    if outcome is None:
        raise QueryError(f"query stopped after {seconds:g} s (--timeout {seconds:g})", file=source)
    return outcome


def _relay(
    pid: int,
    data: int,
    control: int,
    deadline: float,
    out: IO[bytes],
    note: Callable[[str], None],
) -> ExitStatus | None:
    """Copy the child's output and messages until it is done; None if the deadline passed first."""
    open_fds = {data, control}
    messages = b""
    outcome: ExitStatus | None = None
    error: KgtoolError | None = None
    while open_fds:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            _stop(pid)
            return None
        ready, _, _ = select.select(list(open_fds), [], [], remaining)
        for fd in ready:
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                open_fds.discard(fd)
            elif fd == data:
                out.write(chunk)
            else:
                messages += chunk
                *lines, messages = messages.split(b"\n")
                for line in lines:
                    kind, value = json.loads(line)
                    if kind == "note":
                        note(value)
                    elif kind == "exit":
                        outcome = ExitStatus(value)
                    else:
                        error = _error(value)
    _, status = os.waitpid(pid, 0)
    if error is not None:
        raise error
    if outcome is None:
        raise QueryError(f"the query's process ended without an answer (wait status {status})")
    return outcome


def _stop(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _child(data: int, control: int, work: Work, source: str) -> None:
    def send(kind: str, value: object) -> None:
        os.write(control, json.dumps([kind, value]).encode() + b"\n")

    code = 0
    try:
        with os.fdopen(data, "wb", buffering=_CHUNK) as sink:
            status = work(sink, lambda message: send("note", message))
        send("exit", int(status))
    except KgtoolError as exc:
        kind = type(exc).__name__ if hasattr(errors, type(exc).__name__) else "QueryError"
        send("error", [kind, exc.message, exc.file, exc.line, exc.column, int(exc.exit_status)])
    except BrokenPipeError:
        send("exit", int(ExitStatus.OK))
    except BaseException as exc:  # anything else still ends as one line in the parent
        send("error", ["QueryError", f"query failed: {exc}", source, None, None, int(ExitStatus.USAGE)])
        code = 1
    finally:
        os._exit(code)


def _error(value: list[object]) -> KgtoolError:
    kind, message, file, line, column, status = value
    cls = getattr(errors, str(kind), QueryError)
    if not (isinstance(cls, type) and issubclass(cls, KgtoolError)):
        cls = QueryError
    exc = cls(str(message), file=file, line=line, column=column)  # type: ignore[arg-type]
    exc.exit_status = ExitStatus(status)  # type: ignore[arg-type]
    return exc
