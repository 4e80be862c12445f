"""The bar view of a saved query: one horizontal bar per row, labelled on the left, the number at the
bar's end, sources as numbered footnotes; drawn on the timeline's page grid with the same fonts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from kgtool.viz.layout import (
    DETAIL,
    HEADING,
    LABEL,
    LABEL_W,
    LEFT,
    PLOT_W,
    PLOT_X,
    REF,
    REFS_X,
    SUBTITLE,
    TITLE,
    WIDTH,
)
from kgtool.viz.model import Source
from kgtool.viz.palette import MUTED_INK
from kgtool.viz.sheet import Sheet, Style

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BAR = "#4C6A92"
BAR_H = 0.16


def draw_bars(title: str, subtitle: str, bars: list[tuple[str, float, list[Source]]]) -> Figure:
    """The bar chart as a matplotlib figure."""
    sheet = Sheet(WIDTH)
    sheet.y = 0.3
    sheet.text(LEFT, sheet.y, title, TITLE)
    sheet.y += TITLE.line_height + 0.04
    sheet.y = sheet.paragraph(LEFT, WIDTH - 2 * LEFT, subtitle, SUBTITLE) + 0.15
    numbers: dict[str, int] = {}
    for _, _, sources in bars:
        for source in sources:
            numbers.setdefault(source.key, len(numbers) + 1)
    top = sheet.y
    placed = []
    for label, value, sources in bars:
        y = sheet.y
        placed.append((value, y - top))
        bottom = y
        for line in sheet.wrap(label, LABEL_W, LABEL):  # right-aligned, next to its bar
            sheet.text(REFS_X - 0.1, bottom, line, LABEL, ha="right")
            bottom += LABEL.line_height
        cursor = REFS_X
        for source in sources:
            mark = f"[{numbers[source.key]}]"
            sheet.text(cursor, y, mark, REF, url=source.link)
            cursor += sheet.measure(mark, REF) + 0.05
        sheet.y = max(bottom, y + BAR_H + 0.04) + 0.08
    height = sheet.y - top
    highest = max((v for v, _ in placed), default=1.0) or 1.0
    lowest = min((v for v, _ in placed), default=0.0)

    def paint(ax: Axes) -> None:
        ax.set_xlim(min(0.0, lowest * 1.1), highest * 1.18)
        ax.set_ylim(height, 0)
        ax.set_yticks([])
        ax.set_facecolor("none")
        for name, spine in ax.spines.items():
            spine.set_visible(name == "bottom")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.10g}"))
        ax.tick_params(axis="x", labelsize=7, labelcolor=MUTED_INK, length=3, pad=2)
        ax.grid(axis="x", color="#E4E4E4", lw=0.5)
        ax.set_axisbelow(True)
        for value, y in placed:
            centre = y + LABEL.line_height / 2
            ax.add_patch(Rectangle((0, centre - BAR_H / 2), value, BAR_H, facecolor=BAR, lw=0, zorder=3))
            ax.text(value, centre, f"  {value:,.10g}", fontsize=8, va="center", ha="left", zorder=4)

    sheet.axes(PLOT_X, top, PLOT_W, height, paint)
    sheet.y += 0.45
    if numbers:
        sheet.text(LEFT, sheet.y, "Sources", HEADING)
        sheet.y += HEADING.line_height + 0.04
        by_key = {s.key: s for _, _, sources in bars for s in sources}
        for key, n in numbers.items():
            source = by_key[key]
            sheet.text(LEFT, sheet.y, f"[{n}]", Style(8.5, colour=REF.colour), url=source.link)
            text = source.label + (f" — {source.link}" if source.link and source.link != source.label else "")
            sheet.y = (
                sheet.paragraph(LEFT + 0.4, WIDTH - 2 * LEFT - 0.4, text, DETAIL, url=source.link) + 0.03
            )
    return sheet.figure()
