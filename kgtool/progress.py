"""Progress of long work on stderr: one line redrawn in place on a terminal, nothing at all otherwise
(piped, redirected, under tests), so scripts and logs never see it.

The one reporter for every long step (index build, export, big validate and add, and later remote
loads): library code takes a `Progress` (or makes the default one, which watches `sys.stderr`) and
says what it does; the reporter decides whether anything is drawn.

    with Progress() as progress:
        progress.start("reading data/generated.nt", total=size)   # a bar: [#####     ] 50%
        source = progress.reader(handle)                          # advances as a parser reads
        progress.start("sorting 1,000,000 statements")            # no total: label and elapsed time
    # leaving the block clears the line (also on an error), so the error line stands alone

Redraws are throttled (at most five a second), so a reporter costs nothing measurable.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import IO

WIDTH = 79  # the line never wraps on an 80-column terminal
BAR = 20


class Progress:
    """A one-line progress display on `stream` (default stderr), drawn only when it is a terminal
    (or when `enabled` says so)."""

    def __init__(self, stream: IO[str] | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self._label = ""
        self._total: int | None = None
        self._done = 0
        self._started = time.monotonic()
        self._drawn = 0.0
        self._dirty = False

    def start(self, label: str, total: int | None = None) -> None:
        """Begin a step: with `total`, a bar of `advance`d units; without, the label and elapsed time."""
        self._label, self._total, self._done = label, total, 0
        self._started = time.monotonic()
        self._draw(force=True)

    def advance(self, amount: int) -> None:
        """`amount` more units of the current step are done."""
        self._done += amount
        self._draw()

    def reader(self, handle: IO[bytes]) -> IO[bytes]:
        """`handle`, advancing this step by every byte a parser reads from it (itself when disabled)."""
        if not self.enabled:
            return handle
        from kgtool.rdf.parsing import WatchedReader

        progress = self

        class _Counting(WatchedReader):
            def watch(self, data: bytes) -> None:
                progress.advance(len(data))

        return _Counting(handle)  # type: ignore[return-value]

    def done(self, message: str | None = None) -> None:
        """Clear the line; with `message`, leave it on a line of its own (`indexed 1000000 triples`)."""
        if not self.enabled:
            return
        if self._dirty or message:
            self.stream.write("\r" + " " * WIDTH + "\r" + (f"{message}\n" if message else ""))
            self.stream.flush()
        self._dirty = False

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn < 0.2:
            return
        self._drawn = now
        elapsed = f"{now - self._started:.0f} s"
        if self._total:
            pct = min(100, 100 * self._done // self._total)
            bar = "#" * (pct * BAR // 100)
            tail = f" [{bar:<{BAR}}] {pct:3d}% {elapsed}"
        else:
            tail = f" ... {elapsed}"
        label = self._label[: WIDTH - len(tail)]
        self.stream.write(f"\r{label + tail:<{WIDTH}}")
        self.stream.flush()
        self._dirty = True

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.done()


def silent() -> Progress:
    """A reporter that never draws."""
    return Progress(enabled=False)
