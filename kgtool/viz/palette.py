"""Colours: one per top event type, shared by the timeline and the network so a type looks the same
in both. Types are ordered by IRI over the whole type scheme (not only the types a picture shows), so
an event type keeps its colour when events are added. The palette is Paul Tol's "muted" scheme, which
stays distinct for colour-blind readers; past its nine colours they repeat."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgtool.query.engines import Engine
from kgtool.viz.internal_queries import best_label, iri, rows, slug
from kgtool.viz.model import Kind

MUTED = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499")
#: An event with no type, or a type outside the scheme.
UNTYPED = "#888888"
#: Ink for text and for what is not an event (figures, plans' labels).
INK = "#222222"
MUTED_INK = "#555555"
#: Background bands of presidential terms, alternating.
TERM_BANDS = ("#ECE7DA", "#DCE6EE")


@dataclass
class TypePalette:
    """The colour of each top event type."""

    order: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, engine: Engine) -> TypePalette:
        """The graph's type scheme, in its stable order."""
        return cls([top for row in rows(engine, "type-scheme") if (top := iri(row, "top")) is not None])

    def colour(self, kind: Kind | None) -> str:
        if kind is None:
            return UNTYPED
        if kind.key not in self.order:
            self.order.append(kind.key)  # a type a query row names: colours in order of appearance
        return MUTED[self.order.index(kind.key) % len(MUTED)]

    def event_kinds(self, engine: Engine) -> tuple[dict[str, tuple[Kind, ...]], dict[str, tuple[str, ...]]]:
        """Each event's colour classes (the top concepts of its types, in palette order) and the labels
        of its own types."""
        tops: dict[str, dict[str, list[ox.Literal]]] = defaultdict(lambda: defaultdict(list))
        own: dict[str, dict[str, list[ox.Literal]]] = defaultdict(lambda: defaultdict(list))
        for row in rows(engine, "event-types"):
            event, top, kind = iri(row, "event"), iri(row, "top"), iri(row, "type")
            if event is None or top is None or kind is None:
                continue
            for table, key, var in ((tops, top, "topLabel"), (own, kind, "typeLabel")):
                labels = table[event][key]
                term = row.get(var)
                if isinstance(term, ox.Literal) and term not in labels:
                    labels.append(term)
        rank = {key: n for n, key in enumerate(self.order)}
        kinds = {
            event: tuple(
                sorted(
                    (Kind(key, best_label(labels) or slug(key)) for key, labels in found.items()),
                    key=lambda k: (rank.get(k.key, len(rank)), k.key),
                )
            )
            for event, found in tops.items()
        }
        own_labels = {
            event: tuple(sorted(best_label(names) or slug(key) for key, names in found.items()))
            for event, found in own.items()
        }
        return kinds, own_labels
