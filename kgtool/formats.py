"""Every format kgtool reads or writes, in one table: name, aliases, file suffixes, media type, the
pyoxigraph format and its kind (an RDF syntax for one graph, one for a dataset, SPARQL results, or a
picture drawn from the graph).

The RDF parser, export, query output, validate's Turtle report and the command-line help all read this
table; `parse` is the one check of a format name a user typed (aliases and case allowed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

import pyoxigraph as ox

from kgtool.errors import UsageError


class Kind(Enum):
    """What a format holds."""

    TRIPLES = "triples"  # an RDF syntax for one graph
    QUADS = "quads"  # an RDF syntax for a dataset: named graphs survive
    RESULTS = "results"  # SELECT / ASK query results
    PICTURE = "picture"  # a picture or page drawn from the graph (kgtool timeline, graph, query --view)


@dataclass(frozen=True)
class Format:
    """One format: `name` is what users type and what help lists."""

    name: str
    kind: Kind
    media_type: str
    suffixes: tuple[str, ...] = ()  # file suffixes read as this format; the first is the one written
    aliases: tuple[str, ...] = ()
    rdf: ox.RdfFormat | None = None  # the pyoxigraph parser/serializer of an RDF syntax
    prefixed: bool = False  # writes IRIs as prefix:name with declared prefixes
    results: ox.QueryResultsFormat | None = None  # the W3C results format an engine's serializer writes
    media_aliases: tuple[str, ...] = ()  # other media types clients ask for it by (HTTP Accept)
    #: Generic suffixes (.json, .xml) read as this syntax when a user names the file (or writes to it),
    #: never picked up from a graph folder, where such a file may hold anything.
    generic_suffixes: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name

    @property
    def rdf_format(self) -> ox.RdfFormat:
        """The pyoxigraph format of an RDF syntax (never asked of a results format)."""
        assert self.rdf is not None, f"{self.name} is not an RDF syntax"
        return self.rdf

    @property
    def keeps_graphs(self) -> bool:
        """True for dataset syntaxes (TriG, N-Quads, JSON-LD), which keep named graphs apart."""
        return self.kind is Kind.QUADS


TURTLE = Format(
    "turtle",
    Kind.TRIPLES,
    "text/turtle",
    (".ttl", ".turtle"),
    ("ttl",),
    ox.RdfFormat.TURTLE,
    prefixed=True,
    media_aliases=("application/x-turtle",),
)
N_TRIPLES = Format(
    "nt", Kind.TRIPLES, "application/n-triples", (".nt",), ("ntriples", "n-triples"), ox.RdfFormat.N_TRIPLES
)
N_QUADS = Format(
    "nquads", Kind.QUADS, "application/n-quads", (".nq", ".nquads"), ("n-quads",), ox.RdfFormat.N_QUADS
)
TRIG = Format("trig", Kind.QUADS, "application/trig", (".trig",), (), ox.RdfFormat.TRIG, prefixed=True)
JSON_LD = Format(
    "json-ld",
    Kind.QUADS,
    "application/ld+json",
    (".jsonld",),
    ("jsonld",),
    ox.RdfFormat.JSON_LD,
    prefixed=True,
    media_aliases=("application/x-json+ld",),
    generic_suffixes=(".json",),
)
RDF_XML = Format(
    "xml",
    Kind.TRIPLES,
    "application/rdf+xml",
    (".rdf", ".owl"),
    ("rdf-xml", "rdfxml"),
    ox.RdfFormat.RDF_XML,
    prefixed=True,
    generic_suffixes=(".xml",),
)

TABLE = Format("table", Kind.RESULTS, "text/plain", prefixed=True)
CSV = Format("csv", Kind.RESULTS, "text/csv", results=ox.QueryResultsFormat.CSV)
TSV = Format("tsv", Kind.RESULTS, "text/tab-separated-values", results=ox.QueryResultsFormat.TSV)
JSON = Format(
    "json",
    Kind.RESULTS,
    "application/sparql-results+json",
    results=ox.QueryResultsFormat.JSON,
    media_aliases=("application/json", "text/javascript", "application/javascript"),
)
XML = Format(
    "xml",
    Kind.RESULTS,
    "application/sparql-results+xml",
    results=ox.QueryResultsFormat.XML,
    media_aliases=("application/xml", "text/xml"),
)
MARKDOWN = Format("md", Kind.RESULTS, "text/markdown", aliases=("markdown",), prefixed=True)

SVG = Format("svg", Kind.PICTURE, "image/svg+xml", (".svg",))
PNG = Format("png", Kind.PICTURE, "image/png", (".png",))
HTML = Format("html", Kind.PICTURE, "text/html", (".html", ".htm"))
DOT = Format("dot", Kind.PICTURE, "text/vnd.graphviz", (".dot", ".gv"), ("gv", "graphviz"))

#: RDF syntaxes, in the order help and error messages list them.
RDF_FORMATS: tuple[Format, ...] = (TURTLE, N_TRIPLES, N_QUADS, TRIG, JSON_LD, RDF_XML)
#: SELECT / ASK result formats (W3C SPARQL 1.1 results, a table for people, Markdown).
RESULT_FORMATS: tuple[Format, ...] = (TABLE, CSV, TSV, JSON, XML, MARKDOWN)
#: File suffix -> RDF syntax, for the files a graph folder holds.
GRAPH_SUFFIXES: dict[str, Format] = {suffix: f for f in RDF_FORMATS for suffix in f.suffixes}
#: File suffix -> RDF syntax, for the files users name (to read, or to export to): the generic ones too.
SUFFIXES: dict[str, Format] = {
    **GRAPH_SUFFIXES,
    **{suffix: f for f in RDF_FORMATS for suffix in f.generic_suffixes},
}
#: Pictures and pages drawn from the graph; the first of each command's tuple is its stdout default.
PICTURE_FORMATS: tuple[Format, ...] = (SVG, PNG, HTML, DOT)
TIMELINE_FORMATS: tuple[Format, ...] = (SVG, PNG, HTML)  # kgtool timeline, and the timeline and bar views
NETWORK_FORMATS: tuple[Format, ...] = (DOT, SVG, PNG)  # kgtool graph, and the graph view


def names(formats: Iterable[Format], sep: str = ", ", last: str | None = None) -> str:
    """`turtle, nt, ... xml` (`... or xml` with last=" or "): choice lists for help and errors."""
    listed = [f.name for f in formats]
    return sep.join(listed[:-1]) + (sep if last is None else last) + listed[-1] if listed[1:] else listed[0]


def find(text: str, formats: Iterable[Format]) -> Format | None:
    """The format among `formats` that `text` names (its name or an alias, any case), or None."""
    wanted = text.strip().lower()
    return next((f for f in formats if wanted == f.name or wanted in f.aliases), None)


def parse(text: str | Format, formats: tuple[Format, ...], what: str = "format") -> Format:
    """The format among `formats` that `text` names; a UsageError listing them otherwise."""
    if isinstance(text, Format):
        return text
    found = find(text, formats)
    if found is None:
        raise UsageError(f"unknown {what} {text!r}; choose one of {names(formats)}")
    return found


def for_suffix(suffix: str) -> Format | None:
    """The RDF syntax a file suffix (`.ttl`, `.json`, any case) stands for, or None."""
    return SUFFIXES.get(suffix.lower())


def among_by_suffix(suffix: str, formats: Iterable[Format]) -> Format | None:
    """The format among `formats` that writes files ending in `suffix` (any case), or None."""
    wanted = suffix.lower()
    return next((f for f in formats if wanted in f.suffixes), None)


def suffix_listing() -> str:
    """`.jsonld/.json (json-ld), ...`: the suffixes users may give, for error messages."""
    return ", ".join(f"{'/'.join(f.suffixes + f.generic_suffixes)} ({f.name})" for f in RDF_FORMATS)
