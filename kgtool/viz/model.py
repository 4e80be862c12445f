"""What a timeline shows, independent of how it is drawn: events with their dates at their precision,
presidential terms, plans and reported figures, each with the sources that report it and whether it is
in the post. `kgtool.viz.timeline_data` reads it from the graph, `kgtool.query` rows make a simpler one
(`kgtool.viz.views`), and one renderer draws both."""

from __future__ import annotations

from dataclasses import dataclass, field

from kgtool.viz.dates import Span
from kgtool.viz.links import followable


@dataclass(frozen=True)
class Source:
    """A source an item cites; `link` is the article's URL when the graph has one, else its IRI (None
    for a source a query row names only in words); `by` is its publisher, else its author."""

    iri: str
    label: str
    url: str | None = None
    by: str | None = None

    @property
    def link(self) -> str | None:
        """The article's URL, else the source's IRI, when it is an http(s) address (`links.followable`)."""
        return followable(self.url) or followable(self.iri)

    @property
    def key(self) -> str:
        """What tells sources apart: the IRI, or the name of a source known only by name."""
        return self.iri or self.label


@dataclass(frozen=True)
class Kind:
    """A colour class: an event type (its top concept in the type scheme) or a type a query row names."""

    key: str
    label: str


@dataclass(frozen=True)
class Dated:
    """One date of an item. `in_post` is false for a date known only from outside the post; `sources`
    are then the sources of that outside fact."""

    span: Span
    in_post: bool = True
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Event:
    """Something that happened, as the graph has it: `in_post` is false for an event known only from
    outside the post (every part of it is then drawn as an outside fact)."""

    iri: str
    label: str
    dates: tuple[Dated, ...]
    kinds: tuple[Kind, ...] = ()
    kind_labels: tuple[str, ...] = ()  # the event's own types, as the graph names them
    sources: tuple[Source, ...] = ()
    in_post: bool = True
    as_written: str | None = None  # the post's own words for the time ("In January 2020")

    @property
    def link(self) -> str | None:
        """Where the item links to: its first source that has an address, else its own http(s) IRI."""
        return next((link for s in self.sources if (link := s.link)), followable(self.iri))

    def key_date(self) -> Dated:
        """The most precise date (the earliest among equals): where the event sits in date order."""
        return min(self.dates, key=lambda d: (d.span.days, d.span.start))


@dataclass(frozen=True)
class Term:
    """A president's time in office as far as the graph shows it: from `kgo:startDate` to `kgo:endDate`
    when known (`exact`), else from the first to the last date the graph shows him in office."""

    iri: str
    holder: str
    start: Span
    end: Span
    exact: bool
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Plan:
    """What was agreed or announced to happen by a target date: drawn from its decision to its target."""

    iri: str
    label: str
    decided: Dated | None
    decided_in: str | None  # the label of the event that made the plan
    target: Dated | None
    carried_out_by: tuple[str, ...] = ()  # labels of the events that carried it out
    sources: tuple[Source, ...] = ()
    in_post: bool = True

    @property
    def link(self) -> str | None:
        """Where the item links to: its first source that has an address, else its own http(s) IRI."""
        return next((link for s in self.sources if (link := s.link)), followable(self.iri))


@dataclass(frozen=True)
class Figure:
    """One number as one source reports it. `low`/`high` bound it (equal for a plain value; `high` is
    None for a lower bound); `amount` is it in words ("about 5,000", "more than 20,000")."""

    iri: str
    quantity: str
    amount: str
    unit: str
    low: float
    high: float | None
    estimate: bool
    per: str  # who gives the number: the authority, else the source's publisher, else the source
    per_in_post: bool  # false when the graph has the attribution from outside the post
    per_sources: tuple[Source, ...] = ()  # the sources of an outside attribution
    date: Dated | None = None
    sources: tuple[Source, ...] = ()
    in_post: bool = True

    @property
    def link(self) -> str | None:
        """Where the item links to: its first source that has an address, else its own http(s) IRI."""
        return next((link for s in self.sources if (link := s.link)), followable(self.iri))


@dataclass
class Timeline:
    """Everything one timeline picture shows."""

    title: str
    events: list[Event] = field(default_factory=list)
    undated: list[Event] = field(default_factory=list)  # listed, since they cannot be placed
    terms: list[Term] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    subtitle: str = ""

    def sources(self) -> list[Source]:
        """Every source the picture cites, in the order a reader meets them (events in date order, then
        plans, figures, terms): the numbering of the footnotes."""
        seen: dict[str, Source] = {}

        def add(sources: tuple[Source, ...]) -> None:
            for source in sources:
                seen.setdefault(source.key, source)

        for event in self.events + self.undated:
            add(event.sources)
            for dated in event.dates:
                add(dated.sources)
        for plan in self.plans:
            add(plan.sources)
            for when in (plan.decided, plan.target):
                if when is not None:
                    add(when.sources)
        for figure in self.figures:
            add(figure.sources)
            add(figure.per_sources)
            if figure.date is not None:
                add(figure.date.sources)
        for term in self.terms:
            add(term.sources)
        return list(seen.values())


@dataclass(frozen=True)
class Node:
    """One node of a network picture. `role` is "event", "actor", "source" or "item" (a query row's
    IRI); `colours` fill it (an event's type colours); `outside` draws it as known only from outside
    the post; `detail` is a second line (an event's date, an actor's class)."""

    iri: str
    label: str
    role: str
    colours: tuple[str, ...] = ()
    outside: bool = False
    detail: str = ""
    link: str | None = None


@dataclass(frozen=True)
class Edge:
    """A link from `tail` to `head`. `kind` is "acting" (an actor in an acting role), "participant"
    (any other role), "cites" (a fact and its source) or "link" (between events, or a query's link)."""

    tail: str
    head: str
    label: str = ""
    kind: str = "link"
    outside: bool = False


@dataclass
class Network:
    """Nodes and edges to draw; `order` lists the events top to bottom (by date)."""

    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    legend: str = ""  # how to read it, printed under the title

    def around(self, centre: str, depth: int) -> Network:
        """The part within `depth` links of `centre`, links followed either way."""
        neighbours: dict[str, set[str]] = {iri: set() for iri in self.nodes}
        for edge in self.edges:
            neighbours.setdefault(edge.tail, set()).add(edge.head)
            neighbours.setdefault(edge.head, set()).add(edge.tail)
        kept, frontier = {centre}, {centre}
        for _ in range(depth):
            frontier = {n for f in frontier for n in neighbours.get(f, ())} - kept
            kept |= frontier
        label = self.nodes[centre].label if centre in self.nodes else centre
        return Network(
            title=f"{self.title}: within {depth} link{'s' if depth != 1 else ''} of {label}",
            nodes={iri: node for iri, node in self.nodes.items() if iri in kept},
            edges=[e for e in self.edges if e.tail in kept and e.head in kept],
            order=[iri for iri in self.order if iri in kept],
            legend=self.legend,
        )
