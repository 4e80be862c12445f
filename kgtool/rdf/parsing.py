"""The one place that reads RDF files: KG files for queries, and user files for validate/add.

Every file is parsed by pyoxigraph's parsers, whatever engine runs afterwards: they are fast, report
syntax errors with line and column, survive deeply nested input, and never fetch a JSON-LD `@context`
or `@import` (remote or local) because no document loader is installed. rdflib graphs, when a step
needs one (pyshacl, owlrl, the rdflib engine), are built from those quads (`kgtool.rdf.rdflib_bridge`);
rdflib itself never parses user input, so its default JSON-LD context fetching cannot happen. Before
parsing, `precheck` refuses what would crash or exhaust the parsers (XML entity declarations, JSON
nested too deep); a UTF-8 BOM is skipped; relative IRIs are refused (no file gets a base IRI from where
it sits on disk). A user's FILE argument may be `-` (standard input, with an explicit format) and is
never a URL: kgtool reads only local files.
"""

from __future__ import annotations

import contextlib
import io
import mmap
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kgtool import formats
from kgtool.errors import InputError, UsageError, one_line
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


#: The FILE argument that means standard input.
STDIN = Path("-")
#: How standard input is named in messages (`<stdin>:3:7: ...`).
STDIN_NAME = "<stdin>"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def input_path(text: str) -> Path:
    """A FILE argument as a path (checked once, at the CLI edge): `-` is standard input; a URL is
    refused, since kgtool reads only local files (a Path would also fold `http://` into `http:/`)."""
    if _URL.match(text):
        raise UsageError(
            f"{text}: kgtool reads only local files, never a URL; download it first (e.g. curl -o FILE URL)"
        )
    return Path(text)


def shown(path: Path) -> str:
    """A path as messages name it (`<stdin>` for `-`)."""
    return STDIN_NAME if path == STDIN else str(path)


def format_of(path: Path, syntax: Format | None = None) -> Format:
    """The RDF syntax of a file: `syntax` when the user gave one, else from the file's suffix."""
    if syntax is not None:
        return syntax
    if path == STDIN:
        raise UsageError(
            f"reading standard input (-) needs --input-format ({formats.names(formats.RDF_FORMATS)})"
        )
    if path.is_dir():
        raise InputError("is a folder, not an RDF file", file=path)
    found = formats.for_suffix(path.suffix)
    if found is None:
        raise InputError(
            f"cannot tell the RDF format from the suffix (known: {formats.suffix_listing()}); "
            "give --input-format",
            file=path,
        )
    return found


def _read_stdin(max_bytes: int | None) -> bytes:
    """Standard input's bytes, at most `max_bytes` (one more is read to tell it went over)."""
    stream = sys.stdin.buffer
    data = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(f"input is over the {max_bytes}-byte limit", file=STDIN_NAME)
    return data


def read_checked(path: Path, *, max_bytes: int | None = MAX_INPUT_BYTES) -> bytes:
    """Read a user file (or standard input for `-`), byte for byte: it must exist, fit the size cap, be
    non-empty text in UTF-8 (after a UTF-8 byte order mark, allowed and meaningless)."""
    if path == STDIN:
        return _text_checked(STDIN_NAME, _read_stdin(max_bytes))
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
    return _text_checked(path, data)


def _text_checked(path: Path | str, data: bytes) -> bytes:
    """`data` if it is non-empty UTF-8 text without NUL bytes; an InputError at the offending byte."""
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


def _syntax_error(path: Path | str, exc: SyntaxError) -> InputError:
    message = str(exc.msg if hasattr(exc, "msg") and exc.msg else exc)
    if "LoadDocumentCallback" in message:
        message = "JSON-LD @context or @import refers to another document; kgtool never loads it (inline it)"
    elif "No scheme found in an absolute IRI" in message:
        message = RELATIVE_IRI
    elif message.startswith("Parser error "):
        # pyoxigraph puts the position in the text too; keep only the reason after it.
        message = message.split(": ", 1)[-1]
    # Parsers quote the offending character or IRI; a line break there would break the one-line error.
    return InputError(one_line(message), file=path, line=exc.lineno, column=exc.offset)


@dataclass
class ParsedFile:
    """One parsed RDF file: its quads, the prefixes it declares (Turtle/TriG only), and its text."""

    path: Path
    quads: list[ox.Quad]
    syntax: Format
    prefixes: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""  # the file's bytes after any byte order mark: positions in errors count from here
    bom: bool = False

    @property
    def sha256(self) -> str:
        """The SHA-256 of the file's bytes as read (byte order mark included)."""
        import hashlib

        return hashlib.sha256((_BOM if self.bom else b"") + self.raw).hexdigest()

    @property
    def name(self) -> str:
        """The file as messages name it (`<stdin>` for standard input)."""
        return shown(self.path)


def parse_file(
    path: Path,
    *,
    max_bytes: int | None = MAX_INPUT_BYTES,
    syntax: Format | None = None,
) -> ParsedFile:
    """Parse one RDF file (`-`: standard input), in `syntax` or the one its suffix names; any problem
    becomes an InputError naming file, line and column."""
    syntax = format_of(path, syntax)
    data = read_checked(path, max_bytes=max_bytes)
    name: Path | str = shown(path)
    raw = data.removeprefix(_BOM)
    precheck(name, raw, syntax)
    base = _NO_BASE if syntax is formats.JSON_LD else None
    parser = ox.parse(raw, format=syntax.rdf_format, base_iri=base, rename_blank_nodes=True)
    try:
        quads = list(parser)
    except SyntaxError as exc:
        error = _syntax_error(name, exc)
        if error.line is None and error.message == RELATIVE_IRI:
            error.line, error.column = _relative_position(raw, str(exc))
        elif error.line is None:
            error.line, error.column = _json_key_position(raw, ("@import", "@context"))
        raise error from None
    except MemoryError as exc:
        raise _memory_error(name, exc) from None
    except (ValueError, OSError) as exc:
        raise InputError(one_line(str(exc)), file=name) from None
    if base == _NO_BASE:
        _reject_placeholder_base(name, raw, quads)
    _reject_ill_typed(name, raw, quads)
    _reject_triple_terms(name, raw, quads)
    prefixes = dict(parser.prefixes) if syntax in (formats.TURTLE, formats.TRIG) else {}
    return ParsedFile(
        path=path, quads=quads, syntax=syntax, prefixes=prefixes, raw=raw, bom=len(raw) < len(data)
    )


def _memory_error(path: Path | str, exc: MemoryError) -> InputError:
    """pyoxigraph caps one token (a literal, an IRI) at 16 MiB and raises MemoryError past it."""
    return InputError(f"too large to parse: {exc or 'out of memory'}", file=path)


@contextlib.contextmanager
def parse_errors(path: Path | str) -> Iterator[None]:
    """Inside the block, a parser's SyntaxError or MemoryError becomes an InputError naming `path`."""
    try:
        yield
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from None
    except MemoryError as exc:
        raise _memory_error(path, exc) from None


def precheck(path: Path | str, data: bytes | mmap.mmap, syntax: Format) -> None:
    """Refuse what would blow up (or fool) the parser before it runs: XML entity declarations, deep
    JSON-LD, and JSON-LD cut short (pyoxigraph's streaming JSON-LD parser returns the triples it read
    so far from some truncated documents without a word)."""
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
        shape = _json_shape(data, MAX_JSON_DEPTH)
        if shape.too_deep is not None:
            line, col = _position(data, shape.too_deep)
            raise InputError(
                f"JSON nested deeper than {MAX_JSON_DEPTH} levels; kgtool refuses such files",
                file=path,
                line=line,
                column=col,
            )
        # A string left open across a line break is a syntax error the parser locates; one left open
        # on the last line, or brackets still open at the end, mean the file was cut short.
        cut_in_string = shape.open_string is not None and b"\n" not in data[shape.open_string :]
        if cut_in_string or (shape.open_string is None and shape.still_open):
            end = len(data.rstrip()) if isinstance(data, bytes) else len(data)
            line, col = _position(data, end)
            what = "inside a string" if cut_in_string else f"with {shape.still_open} bracket(s) unclosed"
            raise InputError(
                f"truncated JSON: the file ends {what} (was it cut short?)",
                file=path,
                line=line,
                column=col,
            )


_XML_DTD = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[")
# A whole JSON string (escapes included) or one bracket; strings are skipped in one regex step.
_JSON_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|"|[\[\]{}]')


@dataclass(frozen=True)
class _JsonShape:
    too_deep: int | None  # offset of the first bracket nested deeper than the limit
    open_string: int | None  # offset of a string that never ends
    still_open: int  # brackets still open at the end of the file


def _json_shape(data: bytes | mmap.mmap, limit: int) -> _JsonShape:
    """How a JSON text nests, skipping strings, in linear time: too deep, or cut short."""
    depth = 0
    for token in _JSON_TOKEN.finditer(data):
        first = token.group()[:1]
        if first in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return _JsonShape(token.start(), None, depth)
        elif first in (b"]", b"}"):
            depth -= 1
        elif len(token.group()) == 1:
            return _JsonShape(None, token.start(), depth)  # a string that never ends
    return _JsonShape(None, None, max(depth, 0))


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


def _reject_placeholder_base(path: Path | str, raw: bytes, quads: Iterable[ox.Quad]) -> None:
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


def _reject_triple_terms(path: Path | str, raw: bytes, quads: list[ox.Quad]) -> None:
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


def _reject_ill_typed(path: Path | str, raw: bytes, quads: list[ox.Quad]) -> None:
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
