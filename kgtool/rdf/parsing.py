"""The one place that reads RDF files: KG files for queries, and user files for validate/add.

Every file is parsed by pyoxigraph's parsers, whatever engine runs afterwards: they are fast, report
syntax errors with line and column, survive deeply nested input, and never fetch a JSON-LD `@context`
or `@import` (remote or local) because no document loader is installed. rdflib graphs, when a step
needs one (pyshacl, owlrl, the rdflib engine), are built from those quads (`kgtool.rdf.rdflib_bridge`);
rdflib itself never parses user input, so its default JSON-LD context fetching cannot happen. Before
parsing, `precheck` refuses what would crash or exhaust the parsers (XML entity declarations, JSON
nested too deep); a UTF-8 BOM is skipped; relative IRIs are refused (no file gets a base IRI from where
it sits on disk).
"""

from __future__ import annotations

import contextlib
import io
import mmap
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kgtool import formats
from kgtool.errors import InputError
from kgtool.formats import Format

#: Default cap on one user-supplied file (validate/add); KG files themselves are not capped.
MAX_INPUT_BYTES = 20 * 1024 * 1024

#: Deepest JSON nesting accepted in a JSON-LD file; pyoxigraph's JSON-LD parser crashes the process
#: (stack overflow, no error) somewhere below 20,000 levels, so deeper files are refused before parsing.
MAX_JSON_DEPTH = 1000

_BOM = b"\xef\xbb\xbf"

#: Files get no base IRI: a relative IRI would otherwise resolve against wherever the file happens to
#: sit on someone's disk. JSON-LD drops relative `@id`s silently when there is no base, so it is parsed
#: against this placeholder and any IRI under it is refused as relative.
_NO_BASE = "https://relative-iri.kgtool.invalid/"
RELATIVE_IRI = "relative IRI; kgtool resolves no base for RDF files: write absolute IRIs (or declare @base)"


def format_of(path: Path) -> Format:
    """The RDF syntax of a file, from its suffix."""
    found = formats.for_suffix(path.suffix)
    if found is None:
        known = ", ".join(sorted(formats.SUFFIXES))
        raise InputError(f"cannot tell the RDF format from the suffix (known: {known})", file=path)
    return found


def read_checked(path: Path, *, max_bytes: int | None = MAX_INPUT_BYTES) -> bytes:
    """Read a user file, byte for byte: it must exist, fit the size cap, be non-empty text in UTF-8
    (after a UTF-8 byte order mark, allowed and meaningless)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=path) from None
    if path.is_dir():
        raise InputError("is a folder, not an RDF file", file=path)
    if max_bytes is not None and size > max_bytes:
        raise InputError(f"file is {size} bytes, over the {max_bytes}-byte limit", file=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=path) from None
    raw = data.removeprefix(_BOM)
    if not raw.strip():
        raise InputError("file is empty", file=path)
    nul = raw.find(b"\0")
    if nul >= 0:
        line, col = _position(raw, nul)
        raise InputError("binary data (NUL byte), not an RDF text file", file=path, line=line, column=col)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(raw, exc.start)
        raise InputError("not valid UTF-8", file=path, line=line, column=col) from None
    return data


def _position(raw: bytes | mmap.mmap, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset."""
    head = raw[:offset]
    return head.count(b"\n") + 1, offset - (head.rfind(b"\n") + 1) + 1


def _syntax_error(path: Path, exc: SyntaxError) -> InputError:
    message = str(exc.msg if hasattr(exc, "msg") and exc.msg else exc)
    if "LoadDocumentCallback" in message:
        message = "JSON-LD @context or @import refers to another document; kgtool never loads it (inline it)"
    elif "No scheme found in an absolute IRI" in message:
        message = RELATIVE_IRI
    elif message.startswith("Parser error "):
        # pyoxigraph puts the position in the text too; keep only the reason after it.
        message = message.split(": ", 1)[-1]
    # Parsers quote the offending character; a raw newline there would break the one-line error.
    message = message.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return InputError(message, file=path, line=exc.lineno, column=exc.offset)


@dataclass
class ParsedFile:
    """One parsed RDF file: its quads, the prefixes it declares (Turtle/TriG only), and its text."""

    path: Path
    quads: list[ox.Quad]
    prefixes: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""  # the file's bytes after any byte order mark: positions in errors count from here
    bom: bool = False

    @property
    def sha256(self) -> str:
        """The SHA-256 of the file's bytes as read (byte order mark included)."""
        import hashlib

        return hashlib.sha256((_BOM if self.bom else b"") + self.raw).hexdigest()


def parse_file(
    path: Path,
    *,
    max_bytes: int | None = MAX_INPUT_BYTES,
) -> ParsedFile:
    """Parse one RDF file; any problem becomes an InputError naming file, line and column."""
    syntax = format_of(path)
    data = read_checked(path, max_bytes=max_bytes)
    raw = data.removeprefix(_BOM)
    precheck(path, raw, syntax)
    base = _NO_BASE if syntax is formats.JSON_LD else None
    parser = ox.parse(raw, format=syntax.rdf_format, base_iri=base, rename_blank_nodes=True)
    try:
        quads = list(parser)
    except SyntaxError as exc:
        error = _syntax_error(path, exc)
        if error.line is None and error.message == RELATIVE_IRI:
            error.line, error.column = _relative_position(raw, str(exc))
        elif error.line is None:
            error.line, error.column = _json_key_position(raw, ("@import", "@context"))
        raise error from None
    except MemoryError as exc:
        raise _memory_error(path, exc) from None
    except (ValueError, OSError) as exc:
        raise InputError(str(exc), file=path) from None
    if base == _NO_BASE:
        _reject_placeholder_base(path, raw, quads)
    _reject_ill_typed(path, raw, quads)
    _reject_triple_terms(path, raw, quads)
    prefixes = dict(parser.prefixes) if syntax in (formats.TURTLE, formats.TRIG) else {}
    return ParsedFile(path=path, quads=quads, prefixes=prefixes, raw=raw, bom=len(raw) < len(data))


def _memory_error(path: Path, exc: MemoryError) -> InputError:
    """pyoxigraph caps one token (a literal, an IRI) at 16 MiB and raises MemoryError past it."""
    return InputError(f"too large to parse: {exc or 'out of memory'}", file=path)


@contextlib.contextmanager
def parse_errors(path: Path) -> Iterator[None]:
    """Inside the block, a parser's SyntaxError or MemoryError becomes an InputError naming `path`."""
    try:
        yield
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from None
    except MemoryError as exc:
        raise _memory_error(path, exc) from None


def precheck(path: Path, data: bytes | mmap.mmap, syntax: Format) -> None:
    """Refuse what would blow up the parser before it runs: XML entity declarations, deep JSON-LD."""
    if syntax is formats.RDF_XML:
        found = _XML_DTD.search(data)
        if found is not None:
            line, col = _position(data, found.start())
            raise InputError(
                "RDF/XML with a DTD (<!DOCTYPE [...]> or <!ENTITY>) is refused: entity expansion can "
                "exhaust memory; expand the entities or convert the file to Turtle",
                file=path,
                line=line,
                column=col,
            )
    elif syntax is formats.JSON_LD:
        offset = _too_deep(data, MAX_JSON_DEPTH)
        if offset is not None:
            line, col = _position(data, offset)
            raise InputError(
                f"JSON nested deeper than {MAX_JSON_DEPTH} levels; kgtool refuses such files",
                file=path,
                line=line,
                column=col,
            )


_XML_DTD = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[")
# A whole JSON string (escapes included) or one bracket; strings are skipped in one regex step.
_JSON_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|"|[\[\]{}]')


def _too_deep(data: bytes | mmap.mmap, limit: int) -> int | None:
    """Byte offset of the first bracket nested deeper than `limit`, skipping strings; linear time."""
    depth = 0
    for token in _JSON_TOKEN.finditer(data):
        first = token.group()[:1]
        if first in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return token.start()
        elif first in (b"]", b"}"):
            depth -= 1
        elif len(token.group()) == 1:
            return None  # an unterminated string: the parser will report it
    return None


def _relative_position(raw: bytes, message: str) -> tuple[int | None, int | None]:
    """Where RDF/XML wrote the relative IRI its parser names (`error while parsing IRI 'a': ...`)."""
    found = re.search(r"IRI '([^']*)'", message)
    if found is None:
        return None, None
    for quoted in (f'"{found.group(1)}"', f"'{found.group(1)}'"):
        offset = raw.find(quoted.encode())
        if offset >= 0:
            return _position(raw, offset)
    return None, None


def _relative_iri(quad: ox.Quad) -> str | None:
    for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
        if isinstance(term, ox.NamedNode) and term.value.startswith(_NO_BASE):
            return term.value[len(_NO_BASE) :]
        if isinstance(term, ox.Literal) and term.datatype.value.startswith(_NO_BASE):
            return term.datatype.value[len(_NO_BASE) :]
    return None


def _reject_placeholder_base(path: Path, raw: bytes, quads: Iterable[ox.Quad]) -> None:
    """JSON-LD parsed against the placeholder base: any IRI under it was written relative."""
    for quad in quads:
        rel = _relative_iri(quad)
        if rel is not None:
            offset = raw.find(f'"{rel}"'.encode())
            line, col = _position(raw, offset) if offset >= 0 else (None, None)
            raise InputError(RELATIVE_IRI, file=path, line=line, column=col)


def _json_key_position(raw: bytes, keys: tuple[str, ...]) -> tuple[int | None, int | None]:
    """Line and column of the first of `keys` written as a JSON key (for context-loading errors)."""
    for key in keys:
        offset = raw.find(f'"{key}"'.encode())
        if offset >= 0:
            return _position(raw, offset)
    return None, None


def _reject_triple_terms(path: Path, raw: bytes, quads: list[ox.Quad]) -> None:
    """RDF-star / RDF 1.2 triple terms parse, but rdflib (pyshacl, owlrl) cannot hold them: refuse early."""
    if any(isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple) for q in quads):
        offset = raw.find(b"<<")
        line, col = _position(raw, offset) if offset >= 0 else (None, None)
        raise InputError(
            "RDF-star triple terms are not supported; use an n-ary node instead",
            file=path,
            line=line,
            column=col,
        )


def _reject_ill_typed(path: Path, raw: bytes, quads: list[ox.Quad]) -> None:
    """pyoxigraph accepts `"2020-13-45"^^xsd:date`; refuse it, pointing at where it was written."""
    from kgtool.rdf.literal_checks import first_ill_typed, short_datatype

    bad = first_ill_typed(quads)
    if bad is None:
        return
    offset = raw.find(f'"{bad.value}'.encode())
    line, col = _position(raw, offset) if offset >= 0 else (None, None)
    raise InputError(
        f'ill-typed literal "{bad.value}" is not a valid {short_datatype(bad)}',
        file=path,
        line=line,
        column=col,
    )


@contextlib.contextmanager
def open_kg_file(path: Path) -> Iterator[IO[bytes]]:
    """Open a KG file for streaming: prechecked (see `precheck`), positioned after any UTF-8 BOM."""
    syntax = format_of(path)
    try:
        with open(path, "rb") as handle:
            if syntax in (formats.RDF_XML, formats.JSON_LD) and os.fstat(handle.fileno()).st_size:
                with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                    precheck(path, mapped, syntax)
            if handle.read(len(_BOM)) != _BOM:
                handle.seek(0)
            yield handle
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None


class WatchedReader(io.RawIOBase):
    """A read-only stream over `handle` that shows each chunk a parser reads to `watch` (scanning for
    prefixes, drawing a progress bar) without reading the file again."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._handle.read(len(buffer))
        buffer[: len(data)] = data
        self.watch(data)
        return len(data)

    def watch(self, data: bytes) -> None:
        """Called with every chunk read; `b""` at the end of the file."""
        raise NotImplementedError


def iter_quads(files: Sequence[Path], prefixes: dict[str, str] | None = None) -> Iterator[ox.Quad]:
    """Stream the quads of KG files (no size cap); syntax errors name the file, line and column. With
    `prefixes`, the files' prefix declarations are collected into it as they are read."""
    from kgtool.rdf.prefixes import ScanningReader, declares_prefixes

    for path in files:
        syntax = format_of(path)
        json_ld = syntax is formats.JSON_LD
        with open_kg_file(path) as handle, parse_errors(path):
            source: IO[bytes] = handle
            if prefixes is not None and declares_prefixes(path):
                source = ScanningReader(handle, prefixes)  # type: ignore[assignment]
            # Blank node labels are local to a file: rename them so `_:b1` in two files stays two.
            parser = ox.parse(
                source,
                format=syntax.rdf_format,
                base_iri=_NO_BASE if json_ld else None,
                rename_blank_nodes=True,
            )
            for quad in parser:
                if json_ld and _relative_iri(quad) is not None:
                    _reject_placeholder_base(path, path.read_bytes(), [quad])
                yield quad


def load_store(files: Sequence[Path], prefixes: dict[str, str] | None = None) -> ox.Store:
    """Load KG files into an in-memory Oxigraph store (collecting their prefixes into `prefixes` if
    given); syntax errors name the file."""
    store = ox.Store()
    store.extend(iter_quads(files, prefixes))
    return store
