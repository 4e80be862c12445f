"""A saved query's rows drawn the way its header asks (`#+ defaultView: timeline|graph|table|bar`, after
the Wikidata Query Service's `#defaultView:`): `kgtool query NAME --view -o FILE`.

What each view needs (`NEEDS`, also printed when the rows lack it):
- timeline: a date column (`?date`, else the first column of xsd:date, xsd:gYearMonth or xsd:gYear
  values) and a label column (`?label`, else the first column of text). Optional: `?type`/`?types`
  (colour; several separated by ", "), `?source`/`?sources` (footnotes; IRIs, or names separated by
  " | "), `?inPost`/`?dateInPost` (false: the date is drawn as outside the post), `?postDate` (the
  post's own date, drawn beside a more precise one). The first IRI column names the item (its link).
- bar: a label column (`?label`, else the first column of text) and a number column (`?value`,
  `?count`, else the first numeric column). Optional: `?source`/`?sources`.
- graph: two or more IRI columns; each row links the first to every other. Node names come from
  `?<column>Label` (`?label` for the first column), a link's name from `?relation`, `?role` or
  `?property`.
- table: any columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.formats import HTML, NETWORK_FORMATS, TIMELINE_FORMATS, Format
from kgtool.options import View
from kgtool.query.result import Result
from kgtool.query.result_formats import shorten
from kgtool.viz import dates
from kgtool.viz.model import Dated, Edge, Event, Kind, Network, Node, Source, Timeline
from kgtool.viz.palette import TypePalette

NEEDS = {
    View.TIMELINE: "a date column (?date, or xsd:date/gYearMonth/gYear values) and a label column "
    "(?label, or text)",
    View.BAR: "a label column (?label, or text) and a number column (?value, ?count, or numbers)",
    View.GRAPH: "two IRI columns (each row links the first to the others)",
    View.TABLE: "any columns",
}
#: The formats each view writes; the first is the default on stdout.
FORMATS: dict[View, tuple[Format, ...]] = {
    View.TIMELINE: TIMELINE_FORMATS,
    View.BAR: TIMELINE_FORMATS,
    View.GRAPH: NETWORK_FORMATS,
    View.TABLE: (HTML,),
}

_NUMERIC = {
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
    "unsignedShort", "unsignedByte",
}  # fmt: skip


class Columns:
    """The columns of a result and what their values are."""

    def __init__(self, result: Result) -> None:
        self.names = list(result.variables)
        self.rows = result.all_rows()
        self._values = {
            name: [row[i] for row in self.rows if row[i] is not None] for i, name in enumerate(self.names)
        }

    def first(self, *names: str) -> str | None:
        """The first of `names` that is a column."""
        return next((n for n in names if n in self.names), None)

    def where(self, test: object, exclude: tuple[str | None, ...] = ()) -> str | None:
        """The first column (not excluded) whose every value passes `test`, and that has a value."""
        for name in self.names:
            values = self._values[name]
            if name not in exclude and values and all(test(v) for v in values):  # type: ignore[operator]
                return name
        return None

    def iris(self) -> list[str]:
        """The columns whose every value is an IRI, in order."""
        return [n for n in self.names if self._all(n, _is_iri)]

    def _all(self, name: str, test: object) -> bool:
        values = self._values[name]
        return bool(values) and all(test(v) for v in values)  # type: ignore[operator]

    def listing(self) -> str:
        return ", ".join(f"?{n}" for n in self.names) or "none"


def _is_iri(term: object) -> bool:
    return isinstance(term, ox.NamedNode)


def _is_date(term: object) -> bool:
    return isinstance(term, ox.Literal) and term.datatype.value in dates.DATE_TYPES


def _is_text(term: object) -> bool:
    return isinstance(term, ox.Literal) and (
        term.language is not None or term.datatype.value.endswith("#string")
    )


def _is_number(term: object) -> bool:
    return isinstance(term, ox.Literal) and term.datatype.value.rsplit("#", 1)[-1] in _NUMERIC


def lacking(name: str, view: View, columns: Columns) -> UsageError:
    """The one-line error for rows that lack what a view needs."""
    return UsageError(
        f"query {name!r} cannot be shown as a {view} view: it needs {NEEDS[view]}; its columns are "
        f"{columns.listing()}"
    )


def _term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | None, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


# --- timeline ------------------------------------------------------------------------------------------


def timeline(
    name: str, title: str, result: Result, prefixes: Mapping[str, str]
) -> tuple[Timeline, TypePalette]:
    """Rows with a date and a label as a timeline (one item per label and link, all its dates)."""
    columns = Columns(result)
    date_col = columns.first("date") or columns.where(_is_date)
    label_col = columns.first("label") or columns.where(_is_text, exclude=(date_col,))
    if date_col is None or label_col is None:
        raise lacking(name, View.TIMELINE, columns)
    at = {n: i for i, n in enumerate(columns.names)}
    type_col = columns.first("type", "types")
    source_col = columns.first("source", "sources")
    in_post_col = columns.first("inPost", "dateInPost")
    post_col = columns.first("postDate")
    link_col = next((n for n in columns.iris() if n not in (date_col, label_col, type_col, source_col)), None)
    palette = TypePalette()
    items: dict[tuple[str, str], _Item] = {}
    for row in columns.rows:
        label = _term_text(row[at[label_col]], prefixes)
        link_term = row[at[link_col]] if link_col else None
        link = link_term.value if isinstance(link_term, ox.NamedNode) else ""
        item = items.setdefault((label, link), _Item())
        in_post = True
        if in_post_col is not None and isinstance(flag := row[at[in_post_col]], ox.Literal):
            in_post = flag.value not in ("false", "0")
        for col, post in ((date_col, in_post), (post_col, True)):
            term = row[at[col]] if col else None
            span = dates.parse(term.value, term.datatype.value) if isinstance(term, ox.Literal) else None
            if span is not None and (span not in item.dates or not post):
                item.dates[span] = Dated(span, in_post=post)
        if type_col and (term := row[at[type_col]]) is not None:
            for kind in _split(_term_text(term, prefixes), ","):
                item.kinds.setdefault(kind, Kind(kind, kind))
        if source_col and (term := row[at[source_col]]) is not None:
            for source in _sources(term, prefixes):
                item.sources.setdefault(source.key, source)
    events: list[Event] = []
    undated: list[Event] = []
    for (label, link), item in items.items():
        event = Event(
            iri=link,
            label=label or link,
            dates=tuple(sorted(item.dates.values(), key=lambda d: (d.span.start, d.span.days))),
            kinds=tuple(item.kinds.values()),
            kind_labels=tuple(item.kinds),
            sources=tuple(item.sources.values()),
        )
        for found_kind in event.kinds:
            palette.colour(found_kind)
        (events if event.dates else undated).append(event)
    events.sort(key=lambda e: (e.key_date().span.start, e.key_date().span.days, e.label))
    subtitle = (
        f"{len(events) + len(undated)} items from the saved query {name}, drawn by kgtool query --view."
    )
    return Timeline(title=title, events=events, undated=undated, subtitle=subtitle), palette


@dataclass
class _Item:
    """What the rows say about one item: its dates, colour classes and sources."""

    dates: dict[dates.Span, Dated] = field(default_factory=dict)
    kinds: dict[str, Kind] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)


def _split(text: str, sep: str) -> list[str]:
    return [part.strip() for part in text.split(sep) if part.strip()]


def _sources(term: ox.NamedNode | ox.BlankNode | ox.Literal, prefixes: Mapping[str, str]) -> list[Source]:
    if isinstance(term, ox.NamedNode):
        return [Source(term.value, shorten(term.value, prefixes))]
    return [Source("", name) for name in _split(_term_text(term, prefixes), "|")]


# --- bar chart -----------------------------------------------------------------------------------------


def bars(name: str, result: Result, prefixes: Mapping[str, str]) -> list[tuple[str, float, list[Source]]]:
    """Rows with a label and a number as (label, number, sources), in the query's order."""
    columns = Columns(result)
    number_col = columns.first("value", "count") or columns.where(_is_number)
    label_col = columns.first("label") or columns.where(lambda t: not _is_number(t), exclude=(number_col,))
    if number_col is None or label_col is None:
        raise lacking(name, View.BAR, columns)
    at = {n: i for i, n in enumerate(columns.names)}
    source_col = columns.first("source", "sources")
    found = []
    for row in columns.rows:
        value = row[at[number_col]]
        if not isinstance(value, ox.Literal):
            continue
        try:
            number = float(value.value)
        except ValueError:
            continue
        source = row[at[source_col]] if source_col else None
        found.append(
            (_term_text(row[at[label_col]], prefixes), number, _sources(source, prefixes) if source else [])
        )
    if not found:
        raise lacking(name, View.BAR, columns)
    return found


# --- graph ---------------------------------------------------------------------------------------------


def network(name: str, title: str, result: Result, prefixes: Mapping[str, str]) -> Network:
    """Rows with two or more IRI columns as a network: the first column linked to each other one."""
    columns = Columns(result)
    iri_cols = columns.iris()
    if len(iri_cols) < 2:
        raise lacking(name, View.GRAPH, columns)
    at = {n: i for i, n in enumerate(columns.names)}
    relation_col = columns.first("relation", "role", "property")
    relation = f"named by ?{relation_col}" if relation_col else "unnamed"
    graph = Network(
        title=title,
        legend=f"Each row of the query links its ?{iri_cols[0]} to its other IRIs ({relation}).",
    )
    for row in columns.rows:
        ends = []
        for n, col in enumerate(iri_cols):
            term = row[at[col]]
            if not isinstance(term, ox.NamedNode):
                continue
            label_col = columns.first(f"{col}Label", *(("label",) if n == 0 else ()))
            label_term = row[at[label_col]] if label_col else None
            label = (
                _term_text(label_term, prefixes) if label_term is not None else shorten(term.value, prefixes)
            )
            if term.value not in graph.nodes or label_term is not None:
                graph.nodes[term.value] = Node(term.value, label, "item", link=term.value)
            ends.append(term.value)
        relation = _term_text(row[at[relation_col]], prefixes) if relation_col else ""
        graph.edges += [Edge(ends[0], other, relation, "link") for other in ends[1:]]
    graph.edges = sorted(set(graph.edges), key=lambda e: (e.tail, e.head, e.label))
    return graph
