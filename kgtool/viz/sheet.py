"""A page laid out in inches from the top, then drawn with matplotlib: text is measured with the same
font renderer that draws it, wrapped to its column, and stacked with a cursor, so nothing overlaps at
the size the picture ships. Drawing is recorded first and replayed on a `Figure` of the height the
layout needed. Only matplotlib's object API is used (no pyplot state), so a web service may draw
pictures in several threads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from kgtool.viz.palette import INK

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Every picture's font: DejaVu Sans ships with matplotlib (and Debian), so PNGs look the same anywhere;
#: SVG and HTML keep real text (searchable, linkable) and name generic fallbacks.
FONT = ["DejaVu Sans", "sans-serif"]
LINE = 1.28  # line height, in multiples of the font size


@dataclass(frozen=True)
class Style:
    """How one run of text looks."""

    size: float = 9.0
    weight: str = "normal"
    style: str = "normal"
    colour: str = INK

    def font(self) -> FontProperties:
        return FontProperties(family=FONT, size=self.size, weight=self.weight, style=self.style)  # type: ignore[arg-type]

    @property
    def line_height(self) -> float:
        """Inches from one line's top to the next's."""
        return self.size * LINE / 72


@dataclass
class Sheet:
    """A page `width` inches wide; `y` is the layout cursor in inches from the top."""

    width: float
    y: float = 0.0
    _ops: list[Callable[[Figure, float], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        scratch = Figure(figsize=(self.width, 1), dpi=72)
        self._renderer = FigureCanvasAgg(scratch).get_renderer()

    # --- measuring -------------------------------------------------------------------------------

    def measure(self, text: str, style: Style) -> float:
        """The width of `text` in inches, as the renderer draws it."""
        if not text:
            return 0.0
        width, _, _ = self._renderer.get_text_width_height_descent(text, style.font(), ismath=False)
        return float(width) / 72

    def wrap(self, text: str, width: float, style: Style) -> list[str]:
        """`text` broken at spaces into lines no wider than `width` inches (a word longer than the
        column is broken where it must be)."""
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if self.measure(candidate, style) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while self.measure(word, style) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and self.measure(word[:cut], style) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        if current or not lines:
            lines.append(current)
        return lines

    # --- recording -------------------------------------------------------------------------------

    def text(
        self,
        x: float,
        y: float,
        text: str,
        style: Style,
        *,
        url: str | None = None,
        ha: str = "left",
        gid: str | None = None,
    ) -> None:
        """One line of text whose top is `y` inches from the page top."""

        def draw(fig: Figure, height: float) -> None:
            artist = fig.text(
                x / self.width,
                1 - y / height,
                text,
                fontproperties=style.font(),
                color=style.colour,
                ha=ha,
                va="top",
            )
            artist.set_url(url)
            artist.set_gid(gid)

        self._ops.append(draw)

    def paragraph(
        self,
        x: float,
        width: float,
        text: str,
        style: Style,
        *,
        url: str | None = None,
        y: float | None = None,
    ) -> float:
        """Wrapped text from `y` (default: the cursor); returns the y below its last line."""
        top = self.y if y is None else y
        for line in self.wrap(text, width, style):
            self.text(x, top, line, style, url=url)
            top += style.line_height
        return top

    def rule(self, x0: float, x1: float, y: float, colour: str = "#BBBBBB", width: float = 0.6) -> None:
        """A horizontal line across the page at `y`."""

        def draw(fig: Figure, height: float) -> None:
            from matplotlib.lines import Line2D

            fy = 1 - y / height
            fig.add_artist(
                Line2D([x0 / self.width, x1 / self.width], [fy, fy], color=colour, linewidth=width)
            )

        self._ops.append(draw)

    def section(self, left: float, right: float, title: str, style: Style) -> None:
        """A rule across the page and a heading under it, at the cursor; the cursor moves below."""
        self.rule(left, right, self.y, colour="#888888", width=0.8)
        self.y += 0.06
        self.text(left, self.y, title, style)
        self.y += style.line_height + 0.03

    def axes(self, x: float, y: float, w: float, h: float, paint: Callable[[Axes], Any]) -> None:
        """An axes occupying the box (x, y, w, h) in inches, painted by `paint` once it exists."""

        def draw(fig: Figure, height: float) -> None:
            ax = fig.add_axes((x / self.width, 1 - (y + h) / height, w / self.width, h / height))
            paint(ax)

        self._ops.append(draw)

    # --- the figure ------------------------------------------------------------------------------

    def figure(self, bottom_margin: float = 0.3) -> Figure:
        """The recorded page drawn on a figure exactly as tall as the layout."""
        height = self.y + bottom_margin
        fig = Figure(figsize=(self.width, height), facecolor="white")
        for op in self._ops:
            op(fig, height)
        return fig
