"""Reading the actors–events–sources network from the graph, through the internal queries: every
event (coloured by type, with its dates), the actors taking part in it with their roles, and the
sources that report it; what the graph has only from outside the post is marked so the drawing can set
it apart. (How events lead to one another is the saved query `causes`, drawn with
`kgtool query causes --view`.)"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kgtool.query.engines import Engine
from kgtool.viz.internal_queries import best_label, flag, iri, rows, slug, text
from kgtool.viz.links import followable
from kgtool.viz.model import Edge, Event, Network, Node
from kgtool.viz.palette import TypePalette
from kgtool.viz.timeline_data import citations, read_events

LEGEND = (
    "Left to right: actors, events (by date), sources. Boxes: events, in their type's colour, with "
    "their dates. Ellipses: actors. Notes: sources. Dark line: an acting role; grey line: any other "
    "role; dotted: reported by. Dashed: not in the post."
)


def read_network(engine: Engine) -> Network:
    """The whole network of the graph `engine` queries."""
    cites = citations(engine)
    palette = TypePalette.read(engine)
    events = read_events(engine, cites, palette)
    network = Network(title="Who took part in what, and who reports it", legend=LEGEND)
    for event in sorted(events.values(), key=_chronological):
        detail = (
            " · ".join(
                d.span.text() + ("" if d.in_post or not event.in_post else " (not in the post)")
                for d in event.dates
            )
            or "no date"
        )
        network.order.append(event.iri)
        network.nodes[event.iri] = Node(
            event.iri,
            event.label,
            "event",
            tuple(palette.colour(k) for k in event.kinds) or (palette.colour(None),),
            outside=not event.in_post,
            detail=detail,
            link=followable(event.iri),
        )
        for source in event.sources:
            if source.key not in network.nodes:
                network.nodes[source.key] = Node(
                    source.key, source.label, "source", detail=source.by or "", link=source.link
                )
            network.edges.append(Edge(event.iri, source.key, "", "cites"))
    _actors(engine, network)
    network.edges = sorted(set(network.edges), key=lambda e: (e.kind, e.tail, e.head, e.label, e.outside))
    return network


def _actors(engine: Engine, network: Network) -> None:
    labels: dict[str, list[ox.Literal]] = defaultdict(list)
    classes: dict[str, set[str]] = defaultdict(set)
    outside: dict[str, bool] = {}
    for row in rows(engine, "actors"):
        actor = iri(row, "actor")
        if actor is None:
            continue
        label = row.get("label")
        if isinstance(label, ox.Literal) and label not in labels[actor]:
            labels[actor].append(label)
        if (kind := text(row, "classLabel")) is not None:
            classes[actor].add(kind)
        outside[actor] = not flag(row, "inPost")
    for actor, is_outside in outside.items():
        network.nodes[actor] = Node(
            actor,
            best_label(labels[actor]) or slug(actor),
            "actor",
            outside=is_outside,
            detail=", ".join(sorted(classes[actor])),
            link=actor,
        )
    for row in rows(engine, "participations"):
        event, actor = iri(row, "event"), iri(row, "actor")
        if event in network.nodes and actor in network.nodes:
            kind = "acting" if flag(row, "acting", default=False) else "participant"
            network.edges.append(
                Edge(actor, event, text(row, "roleLabel") or "", kind, outside=not flag(row, "inPost"))
            )


def _chronological(event: Event) -> tuple[object, ...]:
    if not event.dates:
        return (1, event.label)
    key = event.key_date().span
    return (0, key.start, key.days, event.label)
