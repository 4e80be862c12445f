"""The table view of a saved query: its rows as one self-contained HTML page (inline styles, no
scripts, nothing fetched), IRIs written short with the graph's prefixes and linked."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import pyoxigraph as ox

from kgtool.query.result import Result
from kgtool.query.result_formats import shorten
from kgtool.viz.links import followable
from kgtool.viz.timeline_html import CSP

STYLE = """
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #222; margin: 1.5rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; position: sticky; top: 0; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
a { color: #1F5FA8; }
"""


def page(title: str, description: str, result: Result, prefixes: Mapping[str, str]) -> str:
    """The rows as a complete HTML document."""
    head = "".join(f"<th>{escape(v)}</th>" for v in result.variables)
    rows = result.all_rows()
    body = "\n".join("<tr>" + "".join(_cell(t, prefixes) for t in row) + "</tr>" for row in rows)
    count = len(rows)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n<p>{escape(description)}</p>\n"
        f"<p>{count} row{'s' if count != 1 else ''}</p>\n"
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</body>\n</html>\n"
    )


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return "<td></td>"
    if isinstance(term, ox.NamedNode) and followable(term.value):
        return f'<td><a href="{escape(term.value)}">{escape(shorten(term.value, prefixes))}</a></td>'
    if isinstance(term, ox.NamedNode):
        return f"<td>{escape(shorten(term.value, prefixes))}</td>"
    if isinstance(term, ox.BlankNode):
        return f"<td>_:{escape(term.value)}</td>"
    numeric = term.datatype.value.rsplit("#", 1)[-1] in ("integer", "decimal", "double", "float")
    css = ' class="number"' if numeric else ""
    return f"<td{css}>{escape(term.value)}</td>"
