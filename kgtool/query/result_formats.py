"""Result formats: W3C SPARQL 1.1 results (JSON, XML, CSV, TSV), readable tables, and RDF for graphs.

SELECT and ASK: `table` (aligned, IRIs shortened with the graph's and the query's prefixes; the default
on a terminal, where rows too wide for it become blocks of `name  value` lines), `tsv` (the default
when output is piped: W3C TSV keeps every term exact), `csv`, `json`, `xml`, `md`.
CONSTRUCT and DESCRIBE: `turtle` (default), `nt`, `nquads`, `trig`, `json-ld`, `xml` (RDF/XML).
Every writer takes the engine-neutral `Result`, so both engines print identically.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from kgtool import formats
from kgtool.errors import UsageError
from kgtool.formats import Format
from kgtool.query.engines import Result
from kgtool.vocab import SPARQL_RESULTS, XSD, XSD_STRING, Term

_PREFIX_LINE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.\-]*)?:\s*<([^>\s]*)>", re.I | re.M)
_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")}
_BARE = {
    XSD + "integer": re.compile(r"^[+-]?[0-9]+$"),
    XSD + "decimal": re.compile(r"^[+-]?[0-9]*\.[0-9]+$"),
    XSD + "double": re.compile(r"^[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+$"),
    XSD + "boolean": re.compile(r"^(?:true|false)$"),
}


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


def render(
    result: Result, fmt: Format, prefixes: Mapping[str, str] | None = None, *, width: int | None = None
) -> str:
    """The whole output text of a result in a format `choose_format` returned.

    `width` (a terminal's columns): a table wider than that is shown as one block of lines per row.
    """
    prefixes = prefixes or {}
    if result.kind == "graph":
        return _rdf(result.triples, fmt, prefixes)
    if result.kind == "ask":
        return _boolean(bool(result.boolean), fmt)
    if fmt is formats.TABLE:
        return _table(result, prefixes, width)
    writer = {"md": _markdown, "csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml}[fmt.name]
    return writer(result, prefixes)


# --- ASK ---------------------------------------------------------------------------------------------


def _boolean(value: bool, fmt: Format) -> str:
    text = "true" if value else "false"
    if fmt is formats.JSON:
        return '{"head":{},"boolean":' + text + "}\n"
    if fmt is formats.XML:
        return (
            f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS}">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        )
    return text + "\n"


# --- W3C SPARQL 1.1 results formats ------------------------------------------------------------------


def _tsv(result: Result, prefixes: Mapping[str, str]) -> str:
    lines = ["\t".join("?" + v for v in result.variables)]
    lines.extend("\t".join("" if t is None else _tsv_term(t) for t in row) for row in result.rows)
    return "\n".join(lines) + "\n"


def _tsv_term(term: Term) -> str:
    if isinstance(term, ox.Literal) and not term.language:
        pattern = _BARE.get(term.datatype.value)
        if pattern is not None and pattern.match(term.value):
            return term.value
    return str(term)


def _csv(result: Result, prefixes: Mapping[str, str]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else _plain(t) for t in row])
    return buffer.getvalue()


def _plain(term: Term) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value


def _json(result: Result, prefixes: Mapping[str, str]) -> str:
    import json

    bindings = []
    for row in result.rows:
        bindings.append(
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        )
    document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml(result: Result, prefixes: Mapping[str, str]) -> str:
    from xml.sax.saxutils import escape, quoteattr

    parts = [f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS}">\n<head>']
    parts.extend(f"<variable name={quoteattr(v)}/>" for v in result.variables)
    parts.append("</head>\n<results>\n")
    for row in result.rows:
        parts.append("<result>")
        for var, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            if isinstance(term, ox.NamedNode):
                value = f"<uri>{escape(term.value)}</uri>"
            elif isinstance(term, ox.BlankNode):
                value = f"<bnode>{escape(term.value)}</bnode>"
            elif term.language:
                value = f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
            elif term.datatype.value != XSD_STRING:
                value = (
                    f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
                )
            else:
                value = f"<literal>{_xml_text(term.value)}</literal>"
            parts.append(f"<binding name={quoteattr(var)}>{value}</binding>")
        parts.append("</result>\n")
    parts.append("</results>\n</sparql>\n")
    return "".join(parts)


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text, {"\r": "&#13;"})


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


def _records(headers: list[str], cells: list[list[str]]) -> str:
    """Too wide for the terminal: one block per row, `name  value` per line (like psql's `\\x auto`)."""
    key_width = max(len(h) for h in headers)
    out = []
    for number, row in enumerate(cells, start=1):
        out.append(f"-[ {number} ]" + "-" * max(0, key_width - 4))
        out.extend(f"{h.ljust(key_width)}  {v}".rstrip() for h, v in zip(headers, row, strict=True))
    count = len(cells)
    out.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(out) + "\n"


def _table(result: Result, prefixes: Mapping[str, str], width: int | None = None) -> str:
    cells = [[_cell(t, prefixes) for t in row] for row in result.rows]
    headers = list(result.variables)
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    if width is not None and cells and sum(widths) + 2 * (len(widths) - 1) > width:
        return _records(headers, cells)
    right = [_numeric([row[i] for row in result.rows]) for i in range(len(headers))]

    def line(values: list[str]) -> str:
        padded = [v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)]
        return "  ".join(padded).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells)
    count = len(result.rows)
    out.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(out) + "\n"


def _markdown(result: Result, prefixes: Mapping[str, str]) -> str:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    out = ["| " + " | ".join(esc(v) for v in result.variables) + " |"]
    out.append("|" + "|".join(" --- " for _ in result.variables) + "|")
    for row in result.rows:
        out.append("| " + " | ".join(esc(_cell(t, prefixes)) for t in row) + " |")
    return "\n".join(out) + "\n"


# --- RDF ---------------------------------------------------------------------------------------------


def _rdf(triples: list[ox.Triple], fmt: Format, prefixes: Mapping[str, str]) -> str:
    rdf_format = fmt.rdf_format
    data: list[ox.Triple] | list[ox.Quad] = triples
    if rdf_format.supports_datasets:
        data = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    with_prefixes = dict(prefixes) if fmt.prefixed else None
    output = ox.serialize(data, format=rdf_format, prefixes=with_prefixes)
    text = output.decode("utf-8") if output else ""
    return text if text.endswith("\n") or not text else text + "\n"
