"""The timeline's figures section: every reported number as a bar beside the others for the same
quantity, so disagreeing sources stand side by side ("5,200 per DW" next to "about 5,000 per The
Washington Post"). A plain number is a solid bar from zero, an estimate a hatched one, a range a bar
from its low to its high end, a lower bound ("more than 20,000") a bar with an arrow past its end;
a figure known only from outside the post is hollow and dashed, like every outside fact."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from kgtool.viz.layout import (
    DASHED,
    DETAIL,
    HEADING,
    LABEL,
    LABEL_OUTSIDE,
    LABEL_W,
    LANE,
    LEFT,
    PLOT_W,
    PLOT_X,
    REFS_X,
    ROW_GAP,
    SUBHEADING,
    WIDTH,
)
from kgtool.viz.model import Figure, Source
from kgtool.viz.palette import INK, MUTED_INK
from kgtool.viz.sheet import Sheet

if TYPE_CHECKING:
    from matplotlib.axes import Axes

BAR = "#4C6A92"
BAR_LIGHT = "#B7C6DC"
EXPLAIN = (
    "One bar per figure and source, on one scale per quantity: solid = a number as given; hatched = an "
    "estimate (“about”); a bar with an arrow = a lower bound (“more than”); a floating bar = a range; "
    "hollow and dashed = not in the post."
)

Marks = Callable[[tuple[Source, ...]], str]
RefsAt = Callable[[float, float, list[Source]], float]


def draw_figures(sheet: Sheet, figures: list[Figure], refs_at: RefsAt, marks: Marks) -> None:
    """The figures section, from the sheet's cursor down."""
    sheet.section(LEFT, WIDTH - LEFT, "Reported troop and staff figures, side by side", HEADING)
    sheet.y = sheet.paragraph(LEFT, WIDTH - 2 * LEFT, EXPLAIN, DETAIL) + 0.1
    quantities: dict[str, list[Figure]] = {}
    for figure in figures:
        quantities.setdefault(figure.quantity, []).append(figure)
    for quantity, group in quantities.items():
        sheet.y = sheet.paragraph(LEFT, WIDTH - 2 * LEFT, quantity, SUBHEADING) + 0.04
        _quantity(sheet, group, refs_at, marks)


def short(figure: Figure) -> str:
    """The number at a bar's end: `5,200`, `≈5,000`, `>20,000`, `≈11,000–16,000`."""
    from kgtool.viz.timeline_data import amount_text

    about = "≈" if figure.estimate else ""
    if figure.high is None:
        return (
            f">{amount_text(figure.low)}"
            if figure.amount.startswith("more")
            else f"≥{amount_text(figure.low)}"
        )
    if figure.high == figure.low:
        return f"{about}{amount_text(figure.low)}"
    return f"{about}{amount_text(figure.low)}–{amount_text(figure.high)}"


def detail(figure: Figure, marks: Marks) -> str:
    """The line under a figure: the date it holds for and what is not from the post."""
    parts = []
    if figure.date is not None:
        when = f"for {figure.date.span.text()}"
        if not figure.date.in_post and figure.in_post:
            when += f" (the date is not in the post {marks(figure.date.sources)})".replace(" )", ")")
        parts.append(when)
    parts.append("the number is in the post" if figure.in_post else "not in the post")
    if not figure.per_in_post and figure.in_post:
        parts.append(
            f"its attribution to {figure.per} is not in the post {marks(figure.per_sources)}".rstrip()
        )
    return " · ".join(parts)


def _quantity(sheet: Sheet, group: list[Figure], refs_at: RefsAt, marks: Marks) -> None:
    top = sheet.y
    placements: list[tuple[Figure, float]] = []
    for figure in group:
        style = LABEL if figure.in_post else LABEL_OUTSIDE
        label = f"{figure.amount} {figure.unit} per {figure.per}".replace("  ", " ")
        y = sheet.y
        placements.append((figure, y - top))
        refs = list(
            {
                s.key: s
                for s in figure.sources + figure.per_sources + (figure.date.sources if figure.date else ())
            }.values()
        )
        refs_bottom = refs_at(REFS_X, y, refs)
        y = sheet.paragraph(LEFT, LABEL_W, label, style, url=figure.link)
        y = sheet.paragraph(LEFT, LABEL_W, detail(figure, marks), DETAIL, y=y)
        sheet.y = max(y, refs_bottom, sheet.y + LANE + 0.04) + ROW_GAP
    height = sheet.y - top
    highest = max(f.high if f.high is not None else f.low * 1.3 for f in group) or 1.0
    xmax = highest * 1.32

    def paint(ax: Axes) -> None:
        ax.set_xlim(0, xmax)
        ax.set_ylim(height, 0)
        ax.set_yticks([])
        ax.set_facecolor("none")
        for name, spine in ax.spines.items():
            spine.set_visible(name == "bottom")
        ax.spines["bottom"].set_color("#999999")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
        ax.tick_params(axis="x", labelsize=7, labelcolor=MUTED_INK, length=3, color="#999999", pad=2)
        ax.grid(axis="x", color="#E4E4E4", lw=0.5)
        ax.set_axisbelow(True)
        for figure, y in placements:
            _bar(ax, figure, y + LABEL.line_height / 2, xmax)

    sheet.axes(PLOT_X, top, PLOT_W, height, paint)
    sheet.y += 0.42


def _bar(ax: Axes, figure: Figure, centre: float, xmax: float) -> None:
    left = figure.low if figure.high is not None and figure.high != figure.low else 0.0
    right = figure.high if figure.high is not None else figure.low
    face = (BAR_LIGHT if figure.estimate else BAR) if figure.in_post else "white"
    style = "solid" if figure.in_post else DASHED
    bar = Rectangle(
        (left, centre - LANE / 2),
        right - left,
        LANE,
        facecolor=face,
        edgecolor=BAR,
        linestyle=style,
        lw=1.0,
        hatch="////" if figure.estimate and figure.in_post else None,
        zorder=3,
    )
    bar.set_url(figure.link)
    ax.add_patch(bar)
    end = right
    if figure.high is None:  # a lower bound: the true number lies somewhere past the bar
        end = right + xmax * 0.1
        ax.add_patch(
            FancyArrowPatch(
                (right, centre),
                (end, centre),
                arrowstyle="-|>,head_length=5,head_width=3",
                color=INK,
                lw=1.1,
                shrinkA=0,
                shrinkB=0,
                zorder=4,
            )
        )
    ax.text(
        end + xmax * 0.012, centre, short(figure), fontsize=8, color=INK, va="center", ha="left", zorder=4
    )
