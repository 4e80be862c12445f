"""The timeline as HTML: one self-contained file (nothing is fetched when it is viewed: the picture is
inline SVG, the styles are inline, there are no scripts, and a Content-Security-Policy forbids loading
anything), and the same content as a fragment another page embeds.

`timeline_fragment(engine)` is what `kgtool serve` puts on its home page: a `<section
class="kgtool-timeline">` with its own scoped styles, the picture (every item linked to its source),
and the same facts as tables (events, figures) and a numbered source list, for screen readers, search
and copying.
"""

from __future__ import annotations

from html import escape

from kgtool.query.engines import Engine
from kgtool.viz import render
from kgtool.viz.links import followable
from kgtool.viz.model import Dated, Event, Figure, Source, Timeline
from kgtool.viz.palette import TypePalette

#: Nothing may be loaded from anywhere: the page is complete as it is.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = """
.kgtool-timeline { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #222; max-width: 1100px; }
.kgtool-timeline svg { width: 100%; height: auto; }
.kgtool-timeline a { color: #1F5FA8; }
.kgtool-timeline table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0 1.5rem;
  width: 100%; }
.kgtool-timeline th, .kgtool-timeline td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem;
  text-align: left; vertical-align: top; }
.kgtool-timeline th { background: #f4f4f4; }
.kgtool-timeline .outside { font-style: italic; color: #555; }
.kgtool-timeline .swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em;
  vertical-align: -0.05em; }
.kgtool-timeline ol.sources { font-size: 0.85rem; }
.kgtool-timeline ol.sources .iri { color: #555; font-size: 0.8rem; word-break: break-all; }
"""


def timeline_fragment(engine: Engine) -> str:
    """The timeline of the graph `engine` queries, as an HTML fragment to embed in a page."""
    from kgtool.viz.timeline_data import read_timeline

    timeline, palette = read_timeline(engine)
    return fragment(timeline, palette)


def fragment(timeline: Timeline, palette: TypePalette, svg: bytes | None = None) -> str:
    """A `<section>` holding the picture (inline SVG), the events and figures as tables and the
    numbered sources; `svg` is the picture when the caller has drawn it already."""
    if svg is None:
        from kgtool.viz.timeline_draw import draw_timeline

        svg = render.svg_bytes(lambda: draw_timeline(timeline, palette))
    numbers = {s.key: n for n, s in enumerate(timeline.sources(), start=1)}
    parts = [
        '<section class="kgtool-timeline">',
        f"<style>{STYLE}</style>",
        f"<h1>{escape(timeline.title)}</h1>",
        f"<p>{escape(timeline.subtitle)}</p>",
        f'<figure role="img" aria-label="{escape(timeline.title)}">{render.svg_element(svg)}</figure>',
        _events_table(timeline, palette, numbers),
    ]
    if timeline.figures:
        parts.append(_figures_table(timeline.figures, numbers))
    parts.append(_source_list(timeline.sources()))
    parts.append("</section>")
    return "\n".join(parts) + "\n"


def page(timeline: Timeline, palette: TypePalette, svg: bytes | None = None) -> str:
    """A complete, self-contained HTML document around the fragment."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(timeline.title)}</title>\n</head>\n<body>\n"
        f"{fragment(timeline, palette, svg)}</body>\n</html>\n"
    )


def _refs(sources: tuple[Source, ...] | list[Source], numbers: dict[str, int]) -> str:
    return " ".join(_link(s.link, f"[{numbers.get(s.key, '?')}]", s.label) for s in sources)


def _link(href: str | None, text: str, title: str | None = None) -> str:
    """`<a href>` around escaped text, or the bare text when there is nowhere a reader may go."""
    href = followable(href)
    if not href:
        return escape(text)
    extra = f' title="{escape(title)}"' if title else ""
    return f'<a href="{escape(href)}"{extra}>{escape(text)}</a>'


def _when(dated: Dated, numbers: dict[str, int]) -> str:
    if dated.in_post:
        return escape(dated.span.text())
    return (
        f'<span class="outside">{escape(dated.span.text())} (not in the post '
        f"{_refs(dated.sources, numbers)})</span>".replace(" )", ")")
    )


def _events_table(timeline: Timeline, palette: TypePalette, numbers: dict[str, int]) -> str:
    rows = []
    for event in timeline.events + timeline.undated:
        rows.append(_event_row(event, palette, numbers))
    for plan in timeline.plans:
        when = []
        if plan.decided:
            when.append(f"made {_when(plan.decided, numbers)}")
        if plan.target:
            when.append(f"target {_when(plan.target, numbers)}")
        label = _link(plan.link, plan.label)
        if plan.carried_out_by:
            label += f"<br>carried out by: {escape('; '.join(plan.carried_out_by))}"
        rows.append(
            f"<tr><td>{'<br>'.join(when)}</td><td>{label}</td><td>plan</td>"
            f"<td>{_refs(plan.sources, numbers)}</td></tr>"
        )
    head = "<tr><th>When</th><th>Event</th><th>Type</th><th>Sources</th></tr>"
    return (
        f"<h2>Events</h2>\n<table>\n<thead>{head}</thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>"
    )


def _event_row(event: Event, palette: TypePalette, numbers: dict[str, int]) -> str:
    when = "<br>".join(_when(d, numbers) for d in event.dates) or "no date"
    if event.as_written:
        when += f"<br>the post: “{escape(event.as_written)}”"
    label = _link(event.link, event.label)
    if not event.in_post:
        label = f'<span class="outside">{label} (not in the post)</span>'
    swatches = "".join(
        f'<span class="swatch" style="background:{palette.colour(k)}" title="{escape(k.label)}"></span>'
        for k in event.kinds
    )
    kinds = escape(", ".join(event.kind_labels))
    sources = _refs(event.sources, numbers)
    return f"<tr><td>{when}</td><td>{label}</td><td>{swatches}{kinds}</td><td>{sources}</td></tr>"


def _figures_table(figures: list[Figure], numbers: dict[str, int]) -> str:
    from kgtool.viz.figure_bars import detail

    def marks(sources: tuple[Source, ...]) -> str:
        return "".join(f"[{numbers[s.key]}]" for s in sources if s.key in numbers)

    rows = []
    for figure in figures:
        css = "" if figure.in_post else ' class="outside"'
        refs = list({s.key: s for s in figure.sources + figure.per_sources}.values())
        rows.append(
            f"<tr><td>{escape(figure.quantity)}</td>"
            f"<td{css}>{_link(figure.link, f'{figure.amount} {figure.unit}')}</td>"
            f"<td>{escape(figure.per)}</td><td>{escape(detail(figure, marks))}</td>"
            f"<td>{_refs(refs, numbers)}</td></tr>"
        )
    head = "<tr><th>What is counted</th><th>Figure</th><th>Per</th><th>Notes</th><th>Sources</th></tr>"
    return (
        "<h2>Reported figures, side by side</h2>\n<table>\n"
        f"<thead>{head}</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )


def _source_list(sources: list[Source]) -> str:
    items = []
    for source in sources:
        by = f" ({escape(source.by)})" if source.by and source.by not in source.label else ""
        where = f'<br><span class="iri">{escape(source.link)}</span>' if source.link else ""
        items.append(f"<li>{_link(source.link, source.label)}{by}{where}</li>")
    return '<h2>Sources</h2>\n<ol class="sources">\n' + "\n".join(items) + "\n</ol>"
