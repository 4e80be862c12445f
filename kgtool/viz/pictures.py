"""What the picture commands produce: the graph opened, read through SPARQL, drawn, and rendered as
bytes in the chosen format. `kgtool timeline` → `timeline`, `kgtool graph` → `network`, `kgtool query
NAME --view` → `view`; the CLI only parses arguments and writes the bytes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from kgtool.errors import UsageError
from kgtool.formats import HTML, PNG, SVG, Format
from kgtool.options import EngineName, InferMode, View
from kgtool.query.catalog import SavedQuery
from kgtool.query.engines import Engine, make_engine
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.viz.model import Timeline
from kgtool.viz.palette import TypePalette

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kgtool.query.slicing import Slice


def open_engine(
    kg: KnowledgeGraph, infer: InferMode = InferMode.NONE, name: EngineName = EngineName.OXIGRAPH
) -> tuple[Engine, dict[str, str]]:
    """An engine over the graph's dataset, and the prefixes its files declare."""
    from kgtool.store.dataset import open_dataset

    dataset = open_dataset(kg, infer)
    return make_engine(name, dataset.store), dataset.prefixes


def timeline(kg: KnowledgeGraph, fmt: Format) -> bytes:
    """The graph's timeline as SVG, PNG or a self-contained HTML page."""
    from kgtool.viz.timeline_data import read_timeline

    engine, _ = open_engine(kg)
    data, palette = read_timeline(engine)
    return _timeline_bytes(data, palette, fmt)


def _timeline_bytes(data: Timeline, palette: TypePalette, fmt: Format) -> bytes:
    from kgtool.viz import render
    from kgtool.viz.timeline_draw import draw_timeline
    from kgtool.viz.timeline_html import page

    if fmt is PNG:
        return render.png_bytes(lambda: draw_timeline(data, palette))
    svg = render.svg_bytes(lambda: draw_timeline(data, palette))
    return page(data, palette, svg).encode("utf-8") if fmt is HTML else svg


def network(kg: KnowledgeGraph, fmt: Format, around: str | None = None, depth: int | None = None) -> bytes:
    """The actors–events–sources network (or the part within `depth` links of `around`) as DOT, SVG
    or PNG."""
    from kgtool.viz import network_dot
    from kgtool.viz.network_data import read_network

    if depth is not None and around is None:
        raise UsageError("--depth needs --around IRI: the node to count links from")
    engine, prefixes = open_engine(kg)
    graph = read_network(engine)
    if around is not None:
        graph = graph.around(resolve(around, prefixes, graph.nodes), 1 if depth is None else depth)
    return network_dot.render(graph, fmt)


def resolve(text: str, prefixes: Mapping[str, str], nodes: Mapping[str, object]) -> str:
    """The IRI `--around` names (`ev:2020-01-05-parliament-vote`, `<https://…>` or a full IRI); a
    UsageError naming the closest nodes when it is not in the network."""
    import difflib

    wanted = text.strip()
    if wanted.startswith("<") and wanted.endswith(">"):
        wanted = wanted[1:-1]
    else:
        prefix, sep, local = wanted.partition(":")
        if sep and prefix in prefixes and not local.startswith("//"):
            wanted = prefixes[prefix] + local
    if wanted in nodes:
        return wanted
    from kgtool.query.result_formats import shorten

    short = {shorten(iri, prefixes): iri for iri in nodes}
    close = difflib.get_close_matches(text.strip(), list(short), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise UsageError(f"--around {text!r} is no actor, event or source of the network{hint}")


def view(
    kg: KnowledgeGraph,
    saved: SavedQuery,
    values: Mapping[str, str],
    chosen: tuple[View, Format],
    infer: InferMode = InferMode.NONE,
    engine_name: EngineName = EngineName.OXIGRAPH,
    note: Callable[[str], None] = lambda message: None,
    part: Slice | None = None,
) -> bytes:
    """A saved query's rows (those in `part`, from --limit/--offset/--page; else all) drawn as its
    declared view, in the chosen format; `note` gets what a user should be told (a name that matched
    nothing, with the closest ones)."""
    from kgtool.query.lookup import bind_all
    from kgtool.viz import views

    kind, fmt = chosen
    engine, graph_prefixes = open_engine(kg, infer, engine_name)
    bindings = bind_all(engine, saved.params, values, {**graph_prefixes, **saved.prefixes}, note)
    query = saved.prepared if part is None else saved.prepared.for_run(graph_prefixes, part)
    result = engine.execute(query, bindings)
    if result.kind != "select":
        raise UsageError(f"--view draws rows: query {saved.name!r} is a {saved.form} query, which gives none")
    prefixes = {**graph_prefixes, **saved.prefixes}
    title = saved.title or saved.name
    if kind is View.TIMELINE:
        data, palette = views.timeline(saved.name, title, result, prefixes)
        return _timeline_bytes(data, palette, fmt)
    if kind is View.BAR:
        from kgtool.viz import render
        from kgtool.viz.bar_chart import draw_bars
        from kgtool.viz.timeline_html import CSP

        bars = views.bars(saved.name, result, prefixes)
        subtitle = saved.description or f"The rows of the saved query {saved.name}."

        def draw() -> Figure:
            return draw_bars(title, subtitle, bars)

        if fmt is PNG:
            return render.png_bytes(draw)
        svg = render.svg_bytes(draw)
        if fmt is SVG:
            return svg
        from html import escape

        return (
            f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n<title>{escape(title)}</title>\n'
            f"<style>svg {{ width: 100%; height: auto; max-width: 1100px; }}</style>\n</head>\n<body>\n"
            f"{render.svg_element(svg)}\n</body>\n</html>\n"
        ).encode()
    if kind is View.GRAPH:
        from kgtool.viz import network_dot

        return network_dot.render(views.network(saved.name, title, result, prefixes), fmt)
    from kgtool.viz import table_html

    return table_html.page(title, saved.description, result, prefixes).encode("utf-8")
