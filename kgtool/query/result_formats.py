"""Result formats, written as the rows stream in: W3C SPARQL 1.1 results (JSON, XML, CSV, TSV),
readable tables, and RDF for graphs.

SELECT and ASK: `table` (aligned, IRIs shortened with the graph's and the query's prefixes; the default
on a terminal, where rows too wide for it become blocks of `name  value` lines; it shows one page and
says how many rows follow), `tsv` (the default when output is piped: W3C TSV keeps every term exact),
`csv`, `json`, `xml`, `md`. CONSTRUCT and DESCRIBE: `turtle` (default), `nt`, `nquads`, `trig`,
`json-ld`, `xml` (RDF/XML).

The four W3C formats are written by pyoxigraph's own serializer (`QuerySolutions.serialize`): the
engine's (`Result.native`) when it has one, else over the rows read back from TSV, so both engines
write the same bytes and memory stays flat however many rows come. One correction: pyoxigraph writes a
carriage return inside an XML literal as is, which an XML parser reads back as a line feed, so it is
written as `&#13;` here. Everything writes to a binary stream.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO

import pyoxigraph as ox

from kgtool import formats
from kgtool.errors import UsageError
from kgtool.formats import Format
from kgtool.query.result import Result, Row
from kgtool.vocab import SPARQL_RESULTS, XSD, Term

_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")}
#: Rows a table shows when no --limit says otherwise; the rest are counted, not shown.
TABLE_PAGE = 100


def choose_format(kind: str, fmt: str | None, *, tty: bool) -> Format:
    """The output format for a result kind ("select", "ask" or "graph"): the one a user asked for
    (checked here, once) or the default: Turtle for graphs, a table on a terminal, else TSV."""
    if fmt is None:
        if kind == "graph":
            return formats.TURTLE
        return formats.TABLE if tty else formats.TSV
    allowed = formats.RDF_FORMATS if kind == "graph" else formats.RESULT_FORMATS
    found = formats.find(fmt, allowed)
    if found is None:
        named = formats.find(fmt, formats.RDF_FORMATS + formats.RESULT_FORMATS)
        shown = named.name if named is not None else fmt.lower()
        what = "CONSTRUCT/DESCRIBE" if kind == "graph" else "SELECT/ASK"
        raise UsageError(
            f"format {shown!r} does not apply to {what} results; choose one of {formats.names(allowed)}"
        )
    return found


def write(
    result: Result,
    fmt: Format,
    out: IO[bytes],
    prefixes: Mapping[str, str] | None = None,
    *,
    width: int | None = None,
    page: int | None = None,
    offset: int = 0,
) -> None:
    """Write a result in a format `choose_format` returned, as its rows come.

    `width` (a terminal's columns): a table wider than that is shown as one block of lines per row.
    `page`: the rows a table shows (the rest are counted); `offset`: where those rows start in the
    whole answer, for the table's "next page" hint.
    """
    prefixes = prefixes or {}
    if result.kind == "graph":
        _rdf(result.triples, fmt, prefixes, out)
    elif result.kind == "ask":
        out.write(_boolean(bool(result.boolean), fmt))
    elif fmt.results is not None:
        _w3c(result, fmt, out)
    elif fmt is formats.TABLE:
        _table(result, prefixes, width, page, offset, out)
    else:
        _markdown(result, prefixes, out)


def render(
    result: Result,
    fmt: Format,
    prefixes: Mapping[str, str] | None = None,
    *,
    width: int | None = None,
    page: int | None = None,
) -> str:
    """The whole output of a result as text, in memory: for tests and small answers."""
    buffer = io.BytesIO()
    write(result, fmt, buffer, prefixes, width=width, page=page)
    return buffer.getvalue().decode("utf-8")


# --- ASK ---------------------------------------------------------------------------------------------


def _boolean(value: bool, fmt: Format) -> bytes:
    """The bytes pyoxigraph writes for a boolean, and a final line break."""
    text = "true" if value else "false"
    if fmt is formats.JSON:
        return b'{"head":{},"boolean":' + text.encode() + b"}\n"
    if fmt is formats.XML:
        return (
            f'<?xml version="1.0"?><sparql xmlns="{SPARQL_RESULTS}"><head></head>'
            f"<boolean>{text}</boolean></sparql>\n"
        ).encode()
    return text.encode() + b"\n"


# --- W3C SPARQL 1.1 results formats ------------------------------------------------------------------


def _w3c(result: Result, fmt: Format, out: IO[bytes]) -> None:
    results_format = fmt.results
    assert results_format is not None
    sink: IO[bytes] = _XmlCarriageReturns(out) if fmt is formats.XML else out  # type: ignore[assignment]
    if result.native is not None:
        result.native.serialize(sink, results_format)
    else:
        rows = _TsvStream(result.variables, result.row_iterator())
        reparsed = ox.parse_query_results(io.BufferedReader(rows), format=ox.QueryResultsFormat.TSV)
        assert isinstance(reparsed, ox.QuerySolutions)
        reparsed.serialize(sink, results_format)
        rows.reraise()
    if fmt in (formats.JSON, formats.XML):
        out.write(b"\n")
    out.flush()


class _XmlCarriageReturns(io.RawIOBase):
    """Writes `&#13;` for every CR: in pyoxigraph's XML results a CR only comes from literal text."""

    def __init__(self, out: IO[bytes]) -> None:
        super().__init__()
        self._out = out

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._out.write(bytes(data).replace(b"\r", b"&#13;"))
        return len(data)

    def flush(self) -> None:
        self._out.flush()


class _TsvStream(io.RawIOBase):
    """Rows as W3C TSV bytes, produced as they are read: what pyoxigraph's serializer reads back
    for an engine without one of its own. An error raised while reading the rows ends the stream and
    is raised again by `reraise` (pyoxigraph would turn it into an I/O error)."""

    def __init__(self, variables: list[str], rows: Iterator[Row]) -> None:
        super().__init__()
        self._lines = self._generate(variables, rows)
        self._pending = b""
        self._error: BaseException | None = None

    @staticmethod
    def _generate(variables: list[str], rows: Iterator[Row]) -> Iterator[bytes]:
        yield ("\t".join("?" + v for v in variables) + "\n").encode()
        for row in rows:
            yield ("\t".join("" if t is None else str(t) for t in row) + "\n").encode()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            try:
                self._pending = next(self._lines)
            except StopIteration:
                return 0
            except Exception as exc:  # kept for reraise: see the class docstring
                self._error = exc
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def reraise(self) -> None:
        if self._error is not None:
            raise self._error


# --- human formats -----------------------------------------------------------------------------------


def shorten(iri: str, prefixes: Mapping[str, str]) -> str:
    """`prefix:local` with the longest matching namespace, else `<iri>`."""
    best_name, best_ns = None, ""
    for name, ns in prefixes.items():
        if ns and len(ns) > len(best_ns) and iri.startswith(ns) and not _blank(iri[len(ns) :]):
            best_name, best_ns = name, ns
    return f"{best_name}:{iri[len(best_ns) :]}" if best_name is not None else f"<{iri}>"


def _blank(local: str) -> bool:
    return any(c.isspace() for c in local)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _cell(term: Term | None, prefixes: Mapping[str, str]) -> str:
    """A term as one line of terminal-safe text: line breaks and tabs become spaces, any other
    C0/C1 control character (an escape sequence could recolour or rewrite the screen) `\\x1b`."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        text = shorten(term.value, prefixes)
    elif isinstance(term, ox.BlankNode):
        text = "_:" + term.value
    else:
        text = " ".join(term.value.split()) if "\n" in term.value or "\t" in term.value else term.value
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _numeric(column: list[Term | None]) -> bool:
    values = [t for t in column if t is not None]
    return bool(values) and all(
        isinstance(t, ox.Literal) and not t.language and t.datatype.value in _NUMERIC for t in values
    )


def _records(headers: list[str], cells: list[list[str]], out: IO[bytes]) -> None:
    """Too wide for the terminal: one block per row, `name  value` per line (like psql's `\\x auto`)."""
    key_width = max(len(h) for h in headers)
    lines = []
    for number, row in enumerate(cells, start=1):
        lines.append(f"-[ {number} ]" + "-" * max(0, key_width - 4))
        lines.extend(f"{h.ljust(key_width)}  {v}".rstrip() for h, v in zip(headers, row, strict=True))
    out.write(("\n".join(lines) + "\n").encode("utf-8") if lines else b"")


def _table(
    result: Result,
    prefixes: Mapping[str, str],
    width: int | None,
    page: int | None,
    offset: int,
    out: IO[bytes],
) -> None:
    rows_in = result.row_iterator()
    rows: list[Row] = []
    for row in rows_in:
        rows.append(row)
        if page is not None and len(rows) >= page:
            break
    following = _count_rest(result, rows_in) if page is not None and len(rows) >= page else 0
    cells = [[_cell(t, prefixes) for t in row] for row in rows]
    headers = list(result.variables)
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    if width is not None and cells and sum(widths) + 2 * (len(widths) - 1) > width:
        _records(headers, cells, out)
    else:
        right = [_numeric([row[i] for row in rows]) for i in range(len(headers))]

        def line(values: list[str]) -> str:
            padded = [v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)]
            return "  ".join(padded).rstrip()

        lines = [line(headers), "  ".join("-" * w for w in widths)]
        lines.extend(line(r) for r in cells)
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    out.write(_footer(len(rows), following, offset).encode("utf-8"))


def _footer(shown: int, following: int, offset: int) -> str:
    """`(37 rows)`, or for a page: `(rows 1-100 of 5,184,729; --offset 100 shows the next 100)`."""
    if not following:
        return f"({shown} row{'' if shown == 1 else 's'})\n"
    first, last, total = offset + 1, offset + shown, offset + shown + following
    return (
        f"(rows {first:,}-{last:,} of {total:,}; --offset {last} shows the next {min(shown, following):,}, "
        "--format tsv all of them)\n"
    )


def _count_rest(result: Result, rows: Iterator[Row]) -> int:
    """How many rows are left, counted without keeping them (by the engine's serializer if it has one)."""
    if result.native is not None:
        counter = _LineCounter()
        result.native.serialize(counter, ox.QueryResultsFormat.TSV)  # type: ignore[arg-type]
        return counter.lines - 1  # the header line
    return sum(1 for _ in rows)


class _LineCounter:
    """A write-only sink that counts lines (one per row in TSV, which escapes line breaks)."""

    def __init__(self) -> None:
        self.lines = 0

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        return len(data)

    def flush(self) -> None:
        pass


def _markdown(result: Result, prefixes: Mapping[str, str], out: IO[bytes]) -> None:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    header = "| " + " | ".join(esc(v) for v in result.variables) + " |\n"
    header += "|" + "|".join(" --- " for _ in result.variables) + "|\n"
    out.write(header.encode("utf-8"))
    for row in result.row_iterator():
        out.write(("| " + " | ".join(esc(_cell(t, prefixes)) for t in row) + " |\n").encode("utf-8"))


# --- RDF ---------------------------------------------------------------------------------------------


def _rdf(triples: Iterable[ox.Triple], fmt: Format, prefixes: Mapping[str, str], out: IO[bytes]) -> None:
    rdf_format = fmt.rdf_format
    data: Iterable[ox.Triple] | Iterator[ox.Quad] = triples
    if rdf_format.supports_datasets:
        data = (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    with_prefixes = dict(prefixes) if fmt.prefixed else None
    sink = _LastByte(out)
    ox.serialize(data, sink, format=rdf_format, prefixes=with_prefixes)  # type: ignore[arg-type]
    if sink.last not in (b"", b"\n"):
        out.write(b"\n")
    out.flush()


class _LastByte:
    """Passes writes through and remembers the last byte, so the output can end with a line break."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self.last = b""

    def write(self, data: bytes) -> int:
        if data:
            self._out.write(data)
            self.last = bytes(data[-1:])
        return len(data)

    def flush(self) -> None:
        self._out.flush()
