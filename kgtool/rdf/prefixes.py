"""The prefixes a graph's Turtle and TriG files declare, found by one scanner: what query output, export
and validation reports write IRIs short with.

A declaration is `@prefix name: <iri>` or `PREFIX name: <iri>` at the start of a line; the first
declaration of a name in the graph wins. Files are scanned while they are read for another purpose
(`ScanningReader` wraps the stream a parser or the index bulk load reads, `scan` takes bytes already
read), so no command reads a graph file a second time for its prefixes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

from kgtool import formats
from kgtool.rdf.parsing import WatchedReader

_DECLARATION = re.compile(
    r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.\-]*)?:\s*<([^>\s]*)>", re.IGNORECASE | re.MULTILINE
)


def declares_prefixes(path: Path) -> bool:
    """True for the syntaxes that declare prefixes (Turtle, TriG)."""
    return formats.for_suffix(path.suffix) in (formats.TURTLE, formats.TRIG)


def scan(data: bytes | str, into: dict[str, str] | None = None) -> dict[str, str]:
    """The declarations in a file's text, added to `into` where it does not name them yet."""
    found = {} if into is None else into
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    for name, iri in _DECLARATION.findall(text):
        found.setdefault(name, iri)
    return found


def of_files(files: Iterable[tuple[Path, bytes | None]]) -> dict[str, str]:
    """The declarations of a graph's files, in order; a file given without its bytes is read here (for a
    command that does not otherwise read it)."""
    found: dict[str, str] = {}
    for path, data in files:
        if declares_prefixes(path):
            scan(data if data is not None else path.read_bytes(), found)
    return found


def namespaces(prefixes: Mapping[str, str]) -> dict[str, str]:
    """Named prefixes of absolute namespace IRIs (ending in / or #), sorted: what an export declares."""
    kept = {n: ns for n, ns in prefixes.items() if n and "://" in ns and ns.endswith(("/", "#"))}
    return dict(sorted(kept.items()))


class ScanningReader(WatchedReader):
    """A read-only stream that scans the lines passing through it for prefix declarations."""

    def __init__(self, handle: IO[bytes], into: dict[str, str]) -> None:
        super().__init__(handle)
        self._found, self._tail = into, b""

    def watch(self, data: bytes) -> None:
        lines, _, self._tail = (self._tail + data).rpartition(b"\n") if data else (self._tail, b"", b"")
        if b"prefix" in lines.lower():  # cheap test first: most chunks declare nothing
            scan(lines, self._found)
