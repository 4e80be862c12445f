"""The timeline picture, drawn with matplotlib: an overview of the whole period, then one panel per
stretch of time that holds events (so a day in January 2020 and the year 2014 are both readable), each
row an event or plan with its label, its source footnotes and its dates at their precision; below, the
reported figures side by side and the numbered sources.

How it encodes the data (the legend says the same): colour = the event's type (its top concept);
bar width = the precision of the date (a month-precision date covers its month, never a fake day);
filled = in the post, hollow and dashed = known only from outside the post (the outside fact's source
is footnoted); grey bands = a president in office, as far as the graph shows; a dashed arrow = a plan,
from the event that made it to its target date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from matplotlib import dates as mdates
from matplotlib.patches import FancyArrowPatch, Rectangle

from kgtool.viz import dates
from kgtool.viz.figure_bars import draw_figures
from kgtool.viz.layout import (
    DASHED,
    DETAIL,
    HEADING,
    LABEL,
    LABEL_OUTSIDE,
    LABEL_W,
    LANE,
    LEFT,
    MIN_MARK,
    PLOT_W,
    PLOT_X,
    REF,
    REFS_W,
    REFS_X,
    ROW_GAP,
    SUBHEADING,
    SUBTITLE,
    TERM_NAME,
    TITLE,
    WIDTH,
)
from kgtool.viz.model import Dated, Event, Kind, Plan, Source, Timeline
from kgtool.viz.palette import INK, MUTED_INK, TERM_BANDS, UNTYPED, TypePalette
from kgtool.viz.sheet import Sheet, Style

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Events further apart than this go into separate panels.
PANEL_GAP = dt.timedelta(days=120)


@dataclass
class Row:
    """One line of the timeline: an event or a plan, laid out."""

    item: Event | Plan
    label: list[str]
    detail: list[str]
    refs: list[Source]
    lanes: int
    height: float = 0.0


@dataclass
class Panel:
    """A stretch of time drawn on its own axis."""

    letter: str
    start: dt.date
    end: dt.date
    rows: list[Row] = field(default_factory=list)

    def title(self) -> str:
        last = self.end - dt.timedelta(days=1)
        if (self.start.month, self.start.day, last.month, last.day) == (1, 1, 12, 31):
            years = f"{self.start.year}" if self.start.year == last.year else f"{self.start.year}–{last.year}"
            return years
        if (self.start.year, self.start.month) == (last.year, last.month):
            return f"{self.start:%B %Y}"
        if self.start.year == last.year:
            return f"{self.start:%B} – {last:%B %Y}"
        return f"{self.start:%B %Y} – {last:%B %Y}"


def number(when: dt.date) -> float:
    """A date as matplotlib's x coordinate (days)."""
    return float(mdates.date2num(dt.datetime(when.year, when.month, when.day)))


class TimelineDrawing:
    """Lays out and draws one `Timeline`."""

    def __init__(self, timeline: Timeline, palette: TypePalette) -> None:
        self.timeline = timeline
        self.palette = palette
        self.sheet = Sheet(WIDTH)
        self.footnote = {s.key: n for n, s in enumerate(timeline.sources(), start=1)}

    # --- the whole page ------------------------------------------------------------------------------

    def figure(self) -> Figure:
        sheet = self.sheet
        sheet.y = 0.3
        sheet.text(LEFT, sheet.y, self.timeline.title, TITLE)
        sheet.y += TITLE.line_height + 0.04
        sheet.y = sheet.paragraph(LEFT, WIDTH - 2 * LEFT, self.timeline.subtitle, SUBTITLE) + 0.12
        self._legend()
        panels = self._panels()
        if panels:
            self._overview(panels)
            for panel in panels:
                self._panel(panel)
        self._undated()
        if self.timeline.figures:
            draw_figures(self.sheet, self.timeline.figures, self.refs_at, self.marks)
        self._sources()
        return sheet.figure()

    # --- the legend ----------------------------------------------------------------------------------

    def _legend(self) -> None:
        sheet = self.sheet
        used: dict[str, Kind] = {}
        for event in self.timeline.events + self.timeline.undated:
            for kind in event.kinds:
                used.setdefault(kind.key, kind)
        entries: list[tuple[str, dict[str, object]]] = [
            (kind.label, {"face": self.palette.colour(kind)})
            for kind in sorted(used.values(), key=lambda k: self.palette.order.index(k.key))
        ]
        if any(not e.kinds for e in self.timeline.events):
            entries.append(("no event type", {"face": UNTYPED}))
        reading: list[tuple[str, dict[str, object]]] = [
            ("in the post: filled, as wide as the date is precise", {"face": INK})
        ]
        timeline = self.timeline
        dated = [d for e in timeline.events for d in e.dates]
        dated += [d for p in timeline.plans for d in (p.decided, p.target) if d is not None]
        if any(not d.in_post for d in dated) or any(not f.in_post for f in timeline.figures):
            reading.append(
                ("not in the post (another source): hollow, dashed", {"face": "white", "dashed": True})
            )
        if timeline.terms:
            reading.append(("president in office, as far as the sources show", {"face": TERM_BANDS[0]}))
        if timeline.plans:
            reading.append(("plan: from its decision to its target date", {"arrow": True}))
        if entries:
            sheet.text(LEFT, sheet.y, "Event types", SUBHEADING)
            sheet.y += SUBHEADING.line_height
            self._legend_row(entries)
        sheet.text(LEFT, sheet.y, "How to read it", SUBHEADING)
        sheet.y += SUBHEADING.line_height
        self._legend_row(reading)
        sheet.y += 0.08

    def _legend_row(self, entries: list[tuple[str, dict[str, object]]]) -> None:
        """Swatches and their words, flowing left to right and onto new lines."""
        sheet = self.sheet
        x, swatch, gap = LEFT, 0.32, 0.28
        style = Style(8)
        for label, look in entries:
            width = swatch + 0.06 + sheet.measure(label, style)
            if x + width > WIDTH - LEFT and x > LEFT:
                x = LEFT
                sheet.y += style.line_height + 0.06
            self._swatch(x, sheet.y + 0.02, swatch, look)
            sheet.text(x + swatch + 0.06, sheet.y, label, style)
            x += width + gap
        sheet.y += style.line_height + 0.12

    def _swatch(self, x: float, y: float, w: float, look: dict[str, object]) -> None:
        h = 0.1

        def paint(ax: Axes) -> None:
            _bare(ax, (0, 1), (1, 0))
            if look.get("arrow"):
                ax.add_patch(_plan_arrow(0.02, 0.98, 0.5))
            else:
                face = str(look.get("face"))
                edge = INK if look.get("dashed") else face
                style = DASHED if look.get("dashed") else "solid"
                ax.add_patch(
                    Rectangle((0, 0.1), 1, 0.8, facecolor=face, edgecolor=edge, linestyle=style, lw=1)
                )

        self.sheet.axes(x, y, w, h, paint)

    # --- panels: where the events are ---------------------------------------------------------------

    def _panels(self) -> list[Panel]:
        """Stretches of time holding items, split where nothing happens for longer than PANEL_GAP."""
        items: list[tuple[dt.date, dt.date, Event | Plan]] = []
        for event in self.timeline.events:
            start, end = dates.cover([d.span for d in event.dates])
            items.append((start, end, event))
        for plan in self.timeline.plans:
            spans = [d.span for d in (plan.decided, plan.target) if d is not None]
            if spans:
                start, end = dates.cover(spans)
                items.append((start, end, plan))
        items.sort(key=lambda i: (i[0], _sort_key(i[2])))
        groups: list[list[tuple[dt.date, dt.date, Event | Plan]]] = []
        for item in items:
            if groups and item[0] - max(i[1] for i in groups[-1]) <= PANEL_GAP:
                groups[-1].append(item)
            else:
                groups.append([item])
        panels = []
        for n, group in enumerate(groups):
            start = dates.month_floor(min(i[0] for i in group))
            end = dates.month_ceil(max(i[1] for i in group))
            if (end - start).days > 3 * 366:
                start, end = (
                    dt.date(start.year, 1, 1),
                    dt.date(end.year + (end.month > 1 or end.day > 1), 1, 1),
                )
            panel = Panel(_letter(n), start, end)
            ordered = sorted((i[2] for i in group), key=_sort_key)
            panel.rows = [self._row(item) for item in ordered]
            panels.append(panel)
        return panels

    def refs_at(self, x: float, y: float, sources: list[Source], width: float = REFS_W) -> float:
        """Footnote marks `[n]`, each linked to its source, from (x, y); returns the y below them."""
        sheet = self.sheet
        cursor = x
        for source in sources:
            mark = f"[{self.footnote.get(source.key, '?')}]"
            size = sheet.measure(mark, REF)
            if cursor + size > x + width and cursor > x:
                cursor = x
                y += REF.line_height
            sheet.text(cursor, y, mark, REF, url=source.link)
            cursor += size + 0.05
        return y + REF.line_height

    def _row(self, item: Event | Plan) -> Row:
        sheet = self.sheet
        if isinstance(item, Event):
            style = LABEL if item.in_post else LABEL_OUTSIDE
            detail = self._event_detail(item)
            refs = _unique(list(item.sources) + [s for d in item.dates for s in d.sources])
            lanes = 1 + (any(d.in_post for d in item.dates) and any(not d.in_post for d in item.dates))
        else:
            style = LABEL if item.in_post else LABEL_OUTSIDE
            detail = self._plan_detail(item)
            dated = [d for d in (item.decided, item.target) if d is not None]
            refs = _unique(list(item.sources) + [s for d in dated for s in d.sources])
            lanes = 1
        row = Row(
            item,
            sheet.wrap(item.label, LABEL_W, style),
            sheet.wrap(detail, LABEL_W, DETAIL),
            refs,
            lanes,
        )
        text_height = len(row.label) * style.line_height + len(row.detail) * DETAIL.line_height
        refs_height = self._refs_height(refs)
        row.height = max(text_height, refs_height, row.lanes * LANE + 0.04) + ROW_GAP
        return row

    def _refs_height(self, refs: list[Source]) -> float:
        lines, cursor = 1, 0.0
        for source in refs:
            size = self.sheet.measure(f"[{self.footnote.get(source.key, '?')}]", REF)
            if cursor + size > REFS_W and cursor > 0:
                lines, cursor = lines + 1, 0.0
            cursor += size + 0.05
        return lines * REF.line_height

    def marks(self, sources: tuple[Source, ...]) -> str:
        """`[2][6]`: the footnote numbers of some sources, as text."""
        return "".join(f"[{self.footnote[s.key]}]" for s in sources if s.key in self.footnote)

    def _note(self, dated: Dated) -> str:
        marks = self.marks(dated.sources)
        return f"{dated.span.text()}" + (
            "" if dated.in_post else f" (not in the post{' ' + marks if marks else ''})"
        )

    def _event_detail(self, event: Event) -> str:
        parts = []
        post_dates = [d for d in event.dates if d.in_post]
        for dated in event.dates:
            note = self._note(dated)
            if dated.in_post and event.as_written and dated is post_dates[0]:
                note += f" (the post: “{event.as_written}”)"
            parts.append(note)
        if event.as_written and not post_dates and event.in_post:
            parts.append(f"the post says “{event.as_written}”")
        if not event.in_post:
            parts.append("the event is not in the post")
        if event.kind_labels:
            parts.append(", ".join(event.kind_labels))
        return " · ".join(parts)

    def _plan_detail(self, plan: Plan) -> str:
        parts = ["a plan"]
        if plan.decided_in:
            when = f" ({self._note(plan.decided)})" if plan.decided else ""
            parts.append(f"made in: {plan.decided_in}{when}")
        if plan.target:
            parts.append(f"target date: {self._note(plan.target)}")
        if plan.carried_out_by:
            parts.append(f"carried out by: {'; '.join(plan.carried_out_by)}")
        if not plan.in_post:
            parts.append("the plan is not in the post")
        return " · ".join(parts)

    # --- the overview --------------------------------------------------------------------------------

    def _overview(self, panels: list[Panel]) -> None:
        sheet = self.sheet
        first = min(p.start for p in panels).year
        last = max((p.end - dt.timedelta(days=1)).year for p in panels)
        start, end = dt.date(first, 1, 1), dt.date(last + 1, 1, 1)
        sheet.y += 0.05
        sheet.text(LEFT, sheet.y, "The whole period", HEADING)
        explain = "Ticks: events, in their type's colour. Boxes A, B, …: the panels below."
        if self.timeline.terms:
            explain = f"Bands: presidents in office, as far as the sources show. {explain}"
        names_y = sheet.y
        after_text = sheet.paragraph(LEFT, LABEL_W, explain, DETAIL, y=sheet.y + HEADING.line_height)
        # President names above the bar, on a second line where two would touch.
        scale = PLOT_W / (number(end) - number(start))
        placed: list[list[tuple[float, float]]] = [[], []]
        levels = []
        for term in self.timeline.terms:
            left = max(number(term.start.start), number(start))
            right = min(number(term.end.end), number(end))
            centre = PLOT_X + ((left + right) / 2 - number(start)) * scale
            width = sheet.measure(term.holder, TERM_NAME)
            x0 = min(max(centre - width / 2, PLOT_X), PLOT_X + PLOT_W - width)
            level = next(
                (
                    n
                    for n, row in enumerate(placed)
                    if all(x0 > b + 0.05 or x0 + width < a - 0.05 for a, b in row)
                ),
                1,
            )
            placed[level].append((x0, x0 + width))
            levels.append(level)
            sheet.text(
                x0,
                names_y + (1 - level) * TERM_NAME.line_height,
                term.holder,
                TERM_NAME,
                url=term.sources[0].link if term.sources else None,
            )
        bar_top = names_y + 2 * TERM_NAME.line_height + 0.03
        bar_h = 0.34

        def paint(ax: Axes) -> None:
            _bare(ax, (number(start), number(end)), (1, 0))
            for n, term in enumerate(self.timeline.terms):
                ax.axvspan(
                    number(term.start.start), number(term.end.end), color=TERM_BANDS[n % 2], lw=0, zorder=0
                )
            for event in self.timeline.events:
                kind = event.kinds[0] if event.kinds else None
                x = (number(event.key_date().span.start) + number(event.key_date().span.end)) / 2
                ax.plot([x, x], [0.18, 0.82], color=self.palette.colour(kind), lw=1.6, zorder=3)
            min_w = 0.06 / scale
            for panel in panels:
                x0, x1 = number(panel.start), number(panel.end)
                if x1 - x0 < min_w:
                    x0, x1 = (x0 + x1 - min_w) / 2, (x0 + x1 + min_w) / 2
                ax.add_patch(
                    Rectangle((x0, 0.04), x1 - x0, 0.92, fill=False, edgecolor=INK, lw=0.8, zorder=4)
                )
            years = list(range(first, last + 2))
            step = 1 if len(years) <= 13 else 2 if len(years) <= 26 else 5
            ax.set_xticks([number(dt.date(y, 1, 1)) for y in years[::step]])
            ax.set_xticklabels([str(y) for y in years[::step]], fontsize=7, color=MUTED_INK)
            ax.tick_params(axis="x", length=2, pad=1)
            ax.spines["bottom"].set_visible(True)
            ax.spines["bottom"].set_color("#999999")

        sheet.axes(PLOT_X, bar_top, PLOT_W, bar_h, paint)
        letters_y = bar_top + bar_h + 0.2
        placed_letters: list[tuple[float, float]] = []
        for panel in panels:
            centre = PLOT_X + ((number(panel.start) + number(panel.end)) / 2 - number(start)) * scale
            width = sheet.measure(panel.letter, SUBHEADING)
            x0 = centre - width / 2
            y = letters_y
            if any(not (x0 > b + 0.04 or x0 + width < a - 0.04) for a, b in placed_letters):
                y += SUBHEADING.line_height
            placed_letters.append((x0, x0 + width))
            sheet.text(x0, y, panel.letter, SUBHEADING)
        sheet.y = max(after_text, letters_y + 2 * SUBHEADING.line_height) + 0.1

    # --- one panel -----------------------------------------------------------------------------------

    def _panel(self, panel: Panel) -> None:
        sheet = self.sheet
        sheet.section(LEFT, WIDTH - LEFT, f"{panel.letter}   {panel.title()}", HEADING)
        top_margin = TERM_NAME.line_height + 0.04
        axes_top = sheet.y
        y = top_margin
        placements: list[tuple[Row, float]] = []
        for row in panel.rows:
            placements.append((row, y))
            self._row_text(row, axes_top + y)
            y += row.height
        height = y
        pad = 0.015 * (number(panel.end) - number(panel.start))  # room for a mark on the panel's edge
        x0, x1 = number(panel.start) - pad, number(panel.end) + pad
        min_w = MIN_MARK * (x1 - x0) / PLOT_W

        def paint(ax: Axes) -> None:
            _bare(ax, (x0, x1), (height, 0))
            self._term_bands(ax, x0, x1)
            for row, top in placements:
                centre = top + LABEL.line_height / 2
                if isinstance(row.item, Event):
                    self._event_marks(ax, row, centre, min_w)
                else:
                    self._plan_marks(ax, row.item, centre, min_w)
            _time_axis(ax, panel)

        sheet.axes(PLOT_X, axes_top, PLOT_W, height, paint)
        sheet.y = axes_top + height + 0.42

    def _row_text(self, row: Row, y: float) -> None:
        sheet = self.sheet
        item = row.item
        style = LABEL if item.in_post else LABEL_OUTSIDE
        for line in row.label:
            sheet.text(LEFT, y, line, style, url=item.link)
            y += style.line_height
        for line in row.detail:
            sheet.text(LEFT, y, line, DETAIL)
            y += DETAIL.line_height
        self.refs_at(
            REFS_X, y - len(row.label) * style.line_height - len(row.detail) * DETAIL.line_height, row.refs
        )

    def _term_bands(self, ax: Axes, x0: float, x1: float) -> None:
        for n, term in enumerate(self.timeline.terms):
            left, right = max(number(term.start.start), x0), min(number(term.end.end), x1)
            if right <= left:
                continue
            ax.axvspan(left, right, color=TERM_BANDS[n % 2], lw=0, zorder=0)
            ax.text(
                left + (x1 - x0) * 0.006,
                0.03,
                term.holder if term.exact else f"{term.holder} in office",
                fontsize=TERM_NAME.size,
                style="italic",
                color=MUTED_INK,
                va="top",
                ha="left",
                clip_on=True,
                zorder=1,
            )

    def _event_marks(self, ax: Axes, row: Row, centre: float, min_w: float) -> None:
        event = row.item
        assert isinstance(event, Event)
        colours = [self.palette.colour(k) for k in event.kinds] or [UNTYPED]
        lanes = {True: 0, False: row.lanes - 1}  # in the post on the first lane, outside on the last
        top = centre - row.lanes * LANE / 2
        for dated in event.dates:
            lane_top = top + lanes[dated.in_post] * LANE + 0.012
            left, width = _extent(dated.span, min_w)
            stripe = (LANE - 0.024) / len(colours)
            for n, colour in enumerate(colours):
                patch = _mark(left, lane_top + n * stripe, width, stripe, colour, dated.in_post, zorder=3)
                patch.set_url(next((link for s in dated.sources if (link := s.link)), event.link))
                ax.add_patch(patch)

    def _plan_marks(self, ax: Axes, plan: Plan, centre: float, min_w: float) -> None:
        start = plan.decided or plan.target
        end = plan.target or plan.decided
        if start is None or end is None:
            return
        x0 = number(start.span.start) + (number(start.span.end) - number(start.span.start)) / 2
        x1 = number(end.span.end)
        arrow = _plan_arrow(x0, x1, centre)
        arrow.set_url(plan.link)
        ax.add_patch(arrow)
        for dated in (plan.decided, plan.target):
            if dated is None:
                continue
            left, width = _extent(dated.span, min_w)
            ax.add_patch(_mark(left, centre - LANE / 2, width, LANE, INK, dated.in_post, zorder=4))

    # --- what cannot be placed, and the sources -----------------------------------------------------

    def _undated(self) -> None:
        if not self.timeline.undated:
            return
        sheet = self.sheet
        sheet.section(LEFT, WIDTH - LEFT, "Events the graph gives no date", HEADING)
        for event in self.timeline.undated:
            top = sheet.y
            sheet.y = sheet.paragraph(LEFT, LABEL_W, event.label, LABEL, url=event.link)
            sheet.y = max(sheet.y, self.refs_at(REFS_X, top, list(event.sources))) + 0.04
        sheet.y += 0.2

    def _sources(self) -> None:
        sheet = self.sheet
        sources = self.timeline.sources()
        if not sources:
            return
        sheet.section(LEFT, WIDTH - LEFT, "Sources", HEADING)
        indent = 0.4
        for n, source in enumerate(sources, start=1):
            sheet.text(LEFT, sheet.y, f"[{n}]", Style(8.5, colour=REF.colour), url=source.link)
            label = source.label + (f" ({source.by})" if source.by and source.by not in source.label else "")
            sheet.y = sheet.paragraph(
                LEFT + indent, WIDTH - 2 * LEFT - indent, label, Style(8.5), url=source.link
            )
            if source.link:
                address = Style(7.5, colour=MUTED_INK)
                sheet.y = sheet.paragraph(
                    LEFT + indent, WIDTH - 2 * LEFT - indent, source.link, address, url=source.link
                )
            sheet.y += 0.05


# --- small drawing helpers ----------------------------------------------------------------------------


def _letter(n: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[n] if n < len(letters) else f"{letters[n // 26 - 1]}{letters[n % 26]}"


def _sort_key(item: Event | Plan) -> tuple[object, ...]:
    if isinstance(item, Event):
        span = item.key_date().span
        return span.start, 0, span.days, item.label
    first = item.decided or item.target
    return (first.span.start if first else dt.date.max), 1, 0, item.label


def _unique(sources: list[Source]) -> list[Source]:
    return list({s.key: s for s in sources}.values())


def _extent(span: dates.Span, min_w: float) -> tuple[float, float]:
    """Left edge and width of a date's bar: its whole span, but never narrower than `min_w`."""
    left, right = number(span.start), number(span.end)
    if right - left < min_w:
        middle = (left + right) / 2
        return middle - min_w / 2, min_w
    return left, right - left


def _mark(x: float, y: float, w: float, h: float, colour: str, in_post: bool, zorder: float) -> Rectangle:
    """A date's bar: filled when the post gives the date, hollow and dashed when it comes from outside."""
    return Rectangle(
        (x, y),
        w,
        h,
        facecolor=colour if in_post else "white",
        edgecolor=colour,
        linestyle="solid" if in_post else DASHED,
        lw=0.4 if in_post else 1.1,
        zorder=zorder,
    )


def _plan_arrow(x0: float, x1: float, y: float) -> FancyArrowPatch:
    return FancyArrowPatch(
        (x0, y),
        (x1, y),
        arrowstyle="-|>,head_length=5,head_width=3",
        linestyle=(0, (4, 2)),
        color=INK,
        lw=1.1,
        shrinkA=0,
        shrinkB=0,
        zorder=3,
    )


def _bare(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    """An axes with nothing but what is drawn on it."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("none")
    for spine in ax.spines.values():
        spine.set_visible(False)


def _time_axis(ax: Axes, panel: Panel) -> None:
    """Date ticks under a panel, as fine as the panel is long: days, months or years."""
    days = (panel.end - panel.start).days
    if days <= 62:
        locator: mdates.DateLocator = mdates.DayLocator(bymonthday=[1, 5, 10, 15, 20, 25])
        fmt = mdates.DateFormatter("%-d %b")
    elif days <= 800:
        locator = mdates.MonthLocator()
        fmt = mdates.DateFormatter("%b")
    else:
        locator = mdates.YearLocator(1 if days < 13 * 366 else 5)
        fmt = mdates.DateFormatter("%Y")
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(fmt)
    ax.tick_params(axis="x", labelsize=7, labelcolor=MUTED_INK, length=3, color="#999999", pad=2)
    ax.grid(axis="x", color="#DDDDDD", lw=0.5, zorder=0.5)
    ax.set_axisbelow(True)
    ax.spines["bottom"].set_visible(True)
    ax.spines["bottom"].set_color("#999999")
    ax.spines["top"].set_visible(True)
    ax.spines["top"].set_color("#DDDDDD")


def draw_timeline(timeline: Timeline, palette: TypePalette) -> Figure:
    """The timeline picture as a matplotlib figure."""
    return TimelineDrawing(timeline, palette).figure()
