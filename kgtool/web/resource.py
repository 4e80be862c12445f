"""One resource of the graph as its page shows it, read straight from the store's asserted triples.

`describe(store, iri)` gathers what a reader needs: the label, types and comment; for an event its
dates at their precision, its participants with their roles, its sources with their headlines and the
verbatim quotes said at it (each linked to its span in the post's text); for a source with a text, that
text with every quote's span marked; every statement, with the outside facts (and resources known only
from outside the post) marked as such and their sources named; and what links to it. Links are made
here, once: a resource of the graph links to its local page, an `http`/`https` IRI to itself, and any
other IRI (`javascript:`, `data:`) is text, never a link. `quads(store, iri)` is the resource's own
triples, for its Turtle and JSON-LD documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeAlias

import pyoxigraph as ox

from kgtool.viz import dates
from kgtool.viz.links import followable
from kgtool.vocab import INSTANCES, KGO, OA, RDF, RDF_TYPE, RDFS, SKOS, XSD
from kgtool.vocab import Term as PlainTerm

#: What a store's subject or object may be: an RDF 1.2 triple term too (the graph holds none; shown as text).
Term: TypeAlias = PlainTerm | ox.Triple

#: The local path the graph's resources are served under: INSTANCES + "event/x" is LOCAL + "event/x".
LOCAL = "/iraq/"
_DEFAULT = ox.DefaultGraph()
_LABEL, _PREF_LABEL, _COMMENT = RDFS + "label", SKOS + "prefLabel", RDFS + "comment"


@dataclass(frozen=True)
class Link:
    """Text and, when it may be followed, where to: a local page or an http(s) address."""

    text: str
    href: str | None = None
    title: str | None = None


@dataclass
class Value:
    """One value of a statement; `outside` names the sources of the outside fact that asserts it."""

    link: Link
    note: str = ""  # the datatype or language, in words
    outside: list[Link] = field(default_factory=list)


@dataclass
class Statement:
    property: Link
    values: list[Value]


@dataclass
class Participant:
    agent: Link
    role: Link | None
    office: Link | None
    acting: bool
    outside: list[Link] = field(default_factory=list)


@dataclass
class SourceView:
    link: Link
    headline: str | None
    publisher: Link | None
    published: str | None


@dataclass
class QuoteView:
    text: str
    link: Link
    speaker: Link | None
    quoted_from: Link | None
    span: Link | None  # where the words stand in the post's text


@dataclass
class Segment:
    """A piece of a source's text; a marked one is a quote's span, with an anchor and the quote."""

    text: str
    anchor: str | None = None
    quote: Link | None = None


@dataclass
class Resource:
    iri: str
    label: str
    types: list[Link]
    comment: str | None
    in_post: bool
    outside_sources: list[Link]
    dates: list[Value]
    as_written: list[str]
    participants: list[Participant]
    sources: list[SourceView]
    quotes: list[QuoteView]
    text: list[Segment]
    statements: list[Statement]
    incoming: list[tuple[Link, Link]]

    @property
    def is_event(self) -> bool:
        return bool(self.dates or self.participants)


def exists(store: ox.Store, iri: str) -> bool:
    """True if any asserted or inferred triple has the IRI as its subject or object."""
    node = ox.NamedNode(iri)
    return (
        next(iter(store.quads_for_pattern(node, None, None)), None) is not None
        or next(iter(store.quads_for_pattern(None, None, node)), None) is not None
    )


def quads(store: ox.Store, iri: str) -> list[ox.Quad]:
    """The resource's asserted triples, both ways, with the blank nodes its own triples lead to."""
    node = ox.NamedNode(iri)
    found = list(store.quads_for_pattern(node, None, None, _DEFAULT))
    seen: set[ox.BlankNode] = set()
    queue = [q.object for q in found if isinstance(q.object, ox.BlankNode)]
    while queue:
        blank = queue.pop()
        if blank in seen:
            continue
        seen.add(blank)
        more = list(store.quads_for_pattern(blank, None, None, _DEFAULT))
        found += more
        queue += [q.object for q in more if isinstance(q.object, ox.BlankNode)]
    found += [q for q in store.quads_for_pattern(None, None, node, _DEFAULT) if q.subject != node]
    return found


def local_path(iri: str) -> str | None:
    """The local page path of one of the graph's resources, or None for any other IRI."""
    return LOCAL + iri[len(INSTANCES) :] if iri.startswith(INSTANCES) and len(iri) > len(INSTANCES) else None


def href(iri: str) -> str | None:
    """Where a link to `iri` goes: its local page, the address itself for http(s), else nowhere."""
    local = local_path(iri)
    if local is not None:
        return local + ".html"
    return followable(iri)


class _Reader:
    """Asserted triples of a store, read by pattern, with labels cached."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._labels: dict[Term, str] = {}

    def objects(self, subject: Term, predicate: str) -> list[Term]:
        if not isinstance(subject, (ox.NamedNode, ox.BlankNode)):
            return []
        found = self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None, _DEFAULT)
        return [q.object for q in found]

    def first(self, subject: Term, predicate: str) -> Term | None:
        values = self.objects(subject, predicate)
        return _preferred(values) if values else None

    def subjects(self, predicate: str, obj: Term) -> list[Term]:
        return [q.subject for q in self.store.quads_for_pattern(None, ox.NamedNode(predicate), obj, _DEFAULT)]

    def label(self, term: Term) -> str:
        if term not in self._labels:
            self._labels[term] = self._label(term)
        return self._labels[term]

    def _label(self, term: Term) -> str:
        if isinstance(term, ox.Literal):
            return term.value
        if isinstance(term, ox.Triple):
            return str(term)
        for predicate in (_LABEL, _PREF_LABEL):
            named = self.first(term, predicate)
            if isinstance(named, ox.Literal):
                return named.value
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        return _local_name(term.value)

    def link(self, term: Term) -> Link:
        if isinstance(term, ox.NamedNode):
            return Link(self.label(term), href(term.value), term.value)
        return Link(self.label(term))

    def value(self, term: Term, outside: list[Link] | None = None) -> Value:
        note = ""
        if isinstance(term, ox.Literal):
            if term.language:
                note = f"@{term.language}"
            elif term.datatype.value.startswith(XSD) and term.datatype.value != XSD + "string":
                note = term.datatype.value[len(XSD) :]
            span = dates.parse(term.value, term.datatype.value)
            if span is not None:
                return Value(Link(span.text()), f"{span.precision.value}, {term.value}", outside or [])
        return Value(self.link(term), note, outside or [])


def _preferred(values: list[Term]) -> Term:
    """An English or untagged literal first, so a label reads the same on every page."""
    for value in values:
        if isinstance(value, ox.Literal) and value.language in ("en", None):
            return value
    return values[0]


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri


def describe(store: ox.Store, iri: str) -> Resource:
    """Everything the page of `iri` shows."""
    read = _Reader(store)
    node = ox.NamedNode(iri)
    outside = _outside_facts(read, node)
    in_post = not any(
        isinstance(v, ox.Literal) and v.value == "false" for v in read.objects(node, KGO + "inPost")
    )
    own_sources = [read.link(s) for s in read.objects(node, KGO + "source")]
    comment = read.first(node, _COMMENT)
    return Resource(
        iri=iri,
        label=read.label(node),
        types=[read.link(t) for t in read.objects(node, RDF_TYPE)],
        comment=comment.value if isinstance(comment, ox.Literal) else None,
        in_post=in_post,
        outside_sources=[] if in_post else own_sources,
        dates=[
            read.value(d, outside.get((KGO + "date", d))) for d in _by_text(read.objects(node, KGO + "date"))
        ],
        as_written=[t.value for t in read.objects(node, KGO + "whenAsWritten") if isinstance(t, ox.Literal)],
        participants=_participants(read, node, outside),
        sources=[_source(read, s) for s in read.objects(node, KGO + "source")],
        quotes=_quotes(read, read.subjects(KGO + "occasion", node) + _self_if_quote(read, node)),
        text=_text(read, node),
        statements=_statements(read, node, outside),
        incoming=_incoming(read, node),
    )


def _by_text(terms: list[Term]) -> list[Term]:
    return sorted(terms, key=lambda t: (len(t.value), t.value) if isinstance(t, ox.Literal) else (0, str(t)))


def _outside_facts(read: _Reader, node: ox.NamedNode) -> dict[tuple[str, Term], list[Link]]:
    """(predicate, object) -> the sources of the outside fact asserting `node predicate object`."""
    found: dict[tuple[str, Term], list[Link]] = {}
    for fact in read.subjects(RDF + "subject", node):
        if ox.NamedNode(KGO + "OutsideFact") not in read.objects(fact, RDF_TYPE):
            continue
        predicate, obj = read.first(fact, RDF + "predicate"), read.first(fact, RDF + "object")
        if isinstance(predicate, ox.NamedNode) and obj is not None:
            sources = [read.link(s) for s in read.objects(fact, KGO + "source")]
            found.setdefault((predicate.value, obj), []).extend(sources or [Link("not in the post")])
    return found


def _participants(
    read: _Reader, node: ox.NamedNode, outside: dict[tuple[str, Term], list[Link]]
) -> list[Participant]:
    acting = set(read.objects(node, KGO + "hasActingParticipation"))
    found = []
    for part in read.objects(node, KGO + "hasParticipation"):
        agent = read.first(part, KGO + "agent")
        if agent is None:
            continue
        role, holding = read.first(part, KGO + "role"), read.first(part, KGO + "inOffice")
        office = read.first(holding, KGO + "office") if holding is not None else None
        marks = outside.get((KGO + "hasParticipation", part), [])
        if not marks and isinstance(agent, ox.NamedNode):
            not_in_post = [
                v for v in read.objects(agent, KGO + "inPost") if getattr(v, "value", "") == "false"
            ]
            marks = [read.link(s) for s in read.objects(agent, KGO + "source")] if not_in_post else []
        found.append(
            Participant(
                agent=read.link(agent),
                role=read.link(role) if role is not None else None,
                office=read.link(office) if office is not None else None,
                acting=part in acting,
                outside=marks,
            )
        )
    return sorted(found, key=lambda p: (not p.acting, p.agent.text))


def _source(read: _Reader, source: Term) -> SourceView:
    headline = read.first(source, KGO + "headline")
    publisher = read.first(source, KGO + "publisher")
    published = read.first(source, KGO + "datePublished")
    when = None
    if isinstance(published, ox.Literal):
        span = dates.parse(published.value, published.datatype.value)
        when = span.text() if span is not None else published.value
    return SourceView(
        link=read.link(source),
        headline=headline.value if isinstance(headline, ox.Literal) else None,
        publisher=read.link(publisher) if publisher is not None else None,
        published=when,
    )


def _self_if_quote(read: _Reader, node: ox.NamedNode) -> list[Term]:
    return [node] if ox.NamedNode(KGO + "Quote") in read.objects(node, RDF_TYPE) else []


def _quotes(read: _Reader, quotes: Iterable[Term]) -> list[QuoteView]:
    found = []
    for quote in quotes:
        words = read.first(quote, KGO + "text")
        if not isinstance(words, ox.Literal):
            continue
        speaker = read.first(quote, KGO + "speaker") or read.first(quote, KGO + "speakerOffice")
        quoted_from = read.first(quote, KGO + "quotedFrom")
        found.append(
            QuoteView(
                text=words.value,
                link=read.link(quote),
                speaker=read.link(speaker) if speaker is not None else None,
                quoted_from=read.link(quoted_from) if quoted_from is not None else None,
                span=_span_link(read, quote),
            )
        )
    return sorted(found, key=lambda q: q.link.text)


def _span_link(read: _Reader, quote: Term) -> Link | None:
    """A link to the quote's span, marked on the page of the source text it stands in."""
    for selection in read.objects(quote, KGO + "inPostAt"):
        source = read.first(selection, OA + "hasSource")
        page = href(source.value) if isinstance(source, ox.NamedNode) else None
        if page is not None and page.startswith(LOCAL) and isinstance(selection, ox.NamedNode):
            return Link(f"in the text of {read.label(source)}", f"{page}#{_anchor(selection)}")  # type: ignore[arg-type]
    return None


def _anchor(selection: ox.NamedNode) -> str:
    return "span-" + _local_name(selection.value)


def _text(read: _Reader, node: ox.NamedNode) -> list[Segment]:
    """The resource's own text (`kgo:text`) with the span of every quote selected in it marked."""
    text = read.first(node, KGO + "text")
    if not isinstance(text, ox.Literal):
        return []
    body = text.value
    spans = []
    for selection in read.subjects(OA + "hasSource", node):
        quote = next(iter(read.subjects(KGO + "inPostAt", selection)), None)
        for selector in read.objects(selection, OA + "hasSelector"):
            start, end = read.first(selector, OA + "start"), read.first(selector, OA + "end")
            if (
                isinstance(start, ox.Literal)
                and isinstance(end, ox.Literal)
                and isinstance(selection, ox.NamedNode)
            ):
                first, last = int(start.value), int(end.value)
                if 0 <= first < last <= len(body):
                    spans.append((first, last, _anchor(selection), read.link(quote) if quote else None))
    segments: list[Segment] = []
    at = 0
    for first, last, anchor, quote_link in sorted(spans, key=lambda s: s[0]):
        if first < at:
            continue  # overlaps the span before it: left unmarked
        if first > at:
            segments.append(Segment(body[at:first]))
        segments.append(Segment(body[first:last], anchor, quote_link))
        at = last
    if at < len(body):
        segments.append(Segment(body[at:]))
    return segments


#: Shown in their own sections (or as the heading), not again among the statements.
_SHOWN_APART = {_LABEL, RDF_TYPE, _COMMENT, KGO + "text", KGO + "inPost"}


def _statements(
    read: _Reader, node: ox.NamedNode, outside: dict[tuple[str, Term], list[Link]]
) -> list[Statement]:
    by_property: dict[str, list[Term]] = {}
    for quad in read.store.quads_for_pattern(node, None, None, _DEFAULT):
        if quad.predicate.value not in _SHOWN_APART:
            by_property.setdefault(quad.predicate.value, []).append(quad.object)
    statements = []
    for predicate, values in by_property.items():
        shown = [read.value(v, outside.get((predicate, v))) for v in _by_text(values)]
        statements.append(Statement(read.link(ox.NamedNode(predicate)), shown))
    return sorted(statements, key=lambda s: s.property.text.lower())


def _incoming(read: _Reader, node: ox.NamedNode) -> list[tuple[Link, Link]]:
    found = []
    for quad in read.store.quads_for_pattern(None, None, node, _DEFAULT):
        if quad.predicate.value in (RDF + "subject", RDF + "object"):
            continue  # the outside facts' own bookkeeping, shown as marks instead
        found.append((read.link(quad.subject), read.link(quad.predicate)))
    return sorted(found, key=lambda pair: (pair[1].text.lower(), pair[0].text.lower()))
