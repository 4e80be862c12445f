"""The network as Graphviz: DOT text, or SVG and PNG drawn by Graphviz's `dot` (Debian's `graphviz`).
The `graphviz` package writes the DOT (quoting every name and label correctly) and runs `dot`.

Layout, left to right: actors, the events they took part in (top to bottom by date), the sources that
report them. Events are boxes in their type's colour with their dates; actors ellipses; sources note
shapes; an actor in an acting role is joined by a dark line, any other role by a grey one, each named
by the role; dotted lines lead to sources; in a query's graph view, blue arrows are the query's links.
What the graph has only from outside the post is drawn dashed, as in the timeline.
"""

from __future__ import annotations

import textwrap
from html import escape
from typing import TYPE_CHECKING

from kgtool.errors import KgtoolError
from kgtool.formats import DOT, PNG, SVG, Format
from kgtool.viz.model import Edge, Network, Node
from kgtool.viz.palette import INK, MUTED_INK

if TYPE_CHECKING:
    import graphviz

FONT = "DejaVu Sans"
PNG_DPI = "110"


class GraphvizError(KgtoolError):
    """Graphviz is missing or failed."""


def dot_source(network: Network) -> str:
    """The network as DOT text."""
    return _digraph(network).source


def render(network: Network, fmt: Format) -> bytes:
    """The network as DOT, SVG or PNG bytes."""
    if fmt is DOT:
        return dot_source(network).encode("utf-8")
    import graphviz

    graph = _digraph(network)
    if fmt is PNG:
        graph.graph_attr["dpi"] = PNG_DPI
    assert fmt in (SVG, PNG), fmt
    try:
        return graph.pipe(format=fmt.name, engine="dot")
    except graphviz.ExecutableNotFound:
        raise GraphvizError(
            "Graphviz's `dot` is not installed; install Graphviz (Debian: apt-get install graphviz), "
            "or write --format dot"
        ) from None
    except graphviz.CalledProcessError as exc:
        message = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise GraphvizError(f"Graphviz's dot failed: {message[-1] if message else exc}") from None


def _digraph(network: Network) -> graphviz.Digraph:
    import graphviz

    graph = graphviz.Digraph(
        name="kgtool",
        graph_attr={
            "rankdir": "LR",
            "newrank": "true",
            "ranksep": "1.0",
            "nodesep": "0.16",
            "fontname": FONT,
            "fontsize": "13",
            "labelloc": "t",
            "labeljust": "l",
            "label": _title(network),
            "bgcolor": "white",
            "pad": "0.3",
        },
        node_attr={"fontname": FONT, "fontsize": "10", "margin": "0.12,0.05"},
        edge_attr={"fontname": FONT, "fontsize": "8", "fontcolor": MUTED_INK, "arrowsize": "0.6"},
    )
    groups: dict[str, list[Node]] = {"actor": [], "event": [], "source": [], "item": []}
    for node in sorted(
        network.nodes.values(), key=lambda n: (n.detail if n.role == "event" else "", n.label, n.iri)
    ):
        groups.setdefault(node.role, []).append(node)
    ids = _ids(network)
    for role in ("event", "source"):
        if groups[role]:
            with graph.subgraph(name=f"{role}s") as same:
                same.attr(rank="same")
                for node in groups[role]:
                    _node(same, ids[node.iri], node)
                if role == "event":  # top to bottom by date: invisible links fix the order in the column
                    ordered = [ids[iri] for iri in network.order if iri in network.nodes]
                    for upper, lower in zip(ordered, ordered[1:], strict=False):
                        same.edge(upper, lower, style="invis")
    for role in ("actor", "item"):
        for node in groups[role]:
            _node(graph, ids[node.iri], node)
    for edge in network.edges:
        _edge(graph, ids[edge.tail], ids[edge.head], edge)
    return graph


def _ids(network: Network) -> dict[str, str]:
    """A DOT name for every node: its IRI without the scheme, colons made safe (DOT reads `a:b` in an
    edge as node a, port b), numbered where two would meet."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for iri in sorted(network.nodes):
        base = iri.split("://", 1)[-1].replace(":", "_") or "node"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}~{n}"
        taken.add(name)
        ids[iri] = name
    return ids


def _title(network: Network) -> str:
    legend = '<BR ALIGN="LEFT"/>'.join(escape(line) for line in textwrap.wrap(network.legend, 110))
    title = '<BR ALIGN="LEFT"/>'.join(escape(line) for line in textwrap.wrap(network.title, 70))
    return (
        f'<<FONT POINT-SIZE="15"><B>{title}</B></FONT><BR ALIGN="LEFT"/>'
        f'<FONT POINT-SIZE="9" COLOR="{MUTED_INK}">{legend}</FONT><BR ALIGN="LEFT"/>>'
    )


def _label(node: Node) -> str:
    lines = "<BR/>".join(
        escape(line) for line in textwrap.wrap(node.label, 30 if node.role == "event" else 26)
    )
    if node.role == "event":
        lines = f"<B>{lines}</B>" if not node.outside else f"<I>{lines}</I>"
    if node.detail:
        detail = "<BR/>".join(escape(line) for line in textwrap.wrap(node.detail, 34))
        lines += f'<BR/><FONT POINT-SIZE="8" COLOR="{MUTED_INK}">{detail}</FONT>'
    return f"<{lines}>"


def _tint(colour: str, keep: float = 0.35) -> str:
    """`colour` mixed with white, so black text stays readable on it."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(255 - (255 - c) * keep) for c in (red, green, blue))
    return "#" + "".join(f"{c:02X}" for c in mixed)


def _node(graph: graphviz.Digraph, name: str, node: Node) -> None:
    attrs = {"label": _label(node), "tooltip": node.iri}
    if node.link:
        attrs.update(URL=node.link, target="_top")
    dashed = ",dashed" if node.outside else ""
    if node.role == "event":
        colours = node.colours or ("#888888",)
        attrs.update(shape="box", color=colours[0], penwidth="1.6")
        if node.outside:
            attrs.update(style="filled,dashed", fillcolor="white")
        elif len(colours) > 1:
            attrs.update(style="striped", fillcolor=":".join(_tint(c) for c in colours))
        else:
            attrs.update(style="filled", fillcolor=_tint(colours[0]))
    elif node.role == "actor":
        attrs.update(shape="ellipse", style=f"filled{dashed}", fillcolor="#F1F1F1", color="#777777")
    elif node.role == "source":
        attrs.update(shape="note", style=f"filled{dashed}", fillcolor="#FFF6D5", color="#B39A3C")
    else:
        attrs.update(shape="box", style=f"rounded,filled{dashed}", fillcolor="#EEF3F8", color="#6B84A3")
    graph.node(name, **attrs)


def _edge(graph: graphviz.Digraph, tail: str, head: str, edge: Edge) -> None:
    attrs = {"label": edge.label} if edge.label else {}
    style = "dashed" if edge.outside else "solid"
    if edge.kind == "acting":
        attrs.update(color=INK, penwidth="1.5", style=style)
    elif edge.kind == "participant":
        attrs.update(color="#A0A0A0", style=style)
    elif edge.kind == "cites":
        attrs.update(color="#C2A94A", style="dotted" if not edge.outside else "dashed", arrowhead="none")
    else:
        attrs.update(color="#1F5FA8", penwidth="1.3", style=style, fontcolor="#1F5FA8")
    graph.edge(tail, head, **attrs)
