"""The timeline page's grid and type styles, in inches and points: a label column, a narrow column of
source footnote marks, and a plot column. Shared by the timeline's panels and its figures section."""

from __future__ import annotations

from kgtool.viz.palette import MUTED_INK
from kgtool.viz.sheet import Style

WIDTH = 11.0
LEFT = 0.35
LABEL_W = 4.3
REFS_X = LEFT + LABEL_W + 0.1
REFS_W = 0.9
PLOT_X = REFS_X + REFS_W + 0.1
PLOT_W = WIDTH - LEFT - PLOT_X
LANE = 0.15  # height of one bar lane
ROW_GAP = 0.09
MIN_MARK = 0.075  # the narrowest bar drawn, so a day stays visible on a long panel
DASHED = (0, (3, 1.5))

TITLE = Style(15, "bold")
SUBTITLE = Style(8.5, colour=MUTED_INK)
HEADING = Style(11, "bold")
SUBHEADING = Style(9.5, "bold")
LABEL = Style(9)
LABEL_OUTSIDE = Style(9, style="italic")
DETAIL = Style(7.5, colour=MUTED_INK)
REF = Style(7.5, colour="#1F5FA8")
TERM_NAME = Style(7, style="italic", colour=MUTED_INK)
