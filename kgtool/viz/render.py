"""A matplotlib figure as SVG or PNG bytes, the same bytes for the same picture: no creation date in
the metadata, fixed SVG ids, real text in the SVG (searchable, selectable, and linkable to sources)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import matplotlib

from kgtool.viz.sheet import FONT

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Pixels per inch of a PNG: sharp on a high-density screen, and the labels stay readable in a README.
PNG_DPI = 150

_SETTINGS: dict[str, Any] = {
    "svg.fonttype": "none",  # text stays text, in the fonts FONT names
    "svg.hashsalt": "kgtool",  # the same ids every run
    "font.family": FONT,
    "hatch.linewidth": 0.8,
}


def svg_bytes(draw: Callable[[], Figure]) -> bytes:
    """The figure `draw` makes, as a standalone SVG document."""
    out = io.BytesIO()
    with matplotlib.rc_context(_SETTINGS):  # type: ignore[arg-type]
        draw().savefig(out, format="svg", metadata={"Date": None, "Creator": "kgtool"})
    return out.getvalue()


def png_bytes(draw: Callable[[], Figure], dpi: int = PNG_DPI) -> bytes:
    """The figure `draw` makes, as a PNG image."""
    out = io.BytesIO()
    with matplotlib.rc_context(_SETTINGS):  # type: ignore[arg-type]
        draw().savefig(out, format="png", dpi=dpi, metadata={"Software": "kgtool"})
    return out.getvalue()


def svg_element(svg: bytes) -> str:
    """An SVG document as an element to inline in HTML: its XML declaration and DOCTYPE dropped."""
    text = svg.decode("utf-8")
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
