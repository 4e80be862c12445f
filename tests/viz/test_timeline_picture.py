"""`kgtool timeline`: the shipped graph's timeline in SVG, PNG and HTML shows every event at its date's
precision, every source, the figures side by side and what is not in the post set apart; it is valid,
self-contained, free of overlapping text, the same every run, and it changes when the data changes."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import FancyArrowPatch, Rectangle
from PIL import Image

from kgtool.viz.dates import Precision
from kgtool.viz.timeline_data import read_timeline
from kgtool.viz.timeline_draw import draw_timeline
from kgtool.viz.timeline_html import timeline_fragment

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "viz"
XLINK = "{http://www.w3.org/1999/xlink}href"
EV = "https://w3id.org/kgtool/iraq/event/"
SRC = "https://w3id.org/kgtool/iraq/source/"


def svg_text(svg: bytes) -> str:
    """Every text of an SVG in document order, joined by spaces (wrapped lines join up again)."""
    root = ET.fromstring(svg)
    return " ".join(" ".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))


def links(svg: bytes) -> set[str]:
    return {a.get(XLINK) or a.get("href") for a in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}a")}


@pytest.fixture(scope="module")
def shipped(shipped_engine):
    return read_timeline(shipped_engine)


@pytest.fixture(scope="module")
def figure(shipped):
    fig = draw_timeline(*shipped)
    FigureCanvasAgg(fig).draw()
    return fig


def test_svg_parses_and_shows_every_event_and_every_source(drawn, event_labels, cited_sources):
    text = svg_text(drawn.svg)
    for label in event_labels:
        assert label in text
    for iri, label in cited_sources.items():
        assert label in text and iri in text  # the footnote names it and gives its address


def test_svg_links_every_item_to_its_source(drawn, cited_sources):
    found = links(drawn.svg)
    assert set(cited_sources) <= found  # the graph has no article URLs, so each source links to its IRI
    root = ET.fromstring(drawn.svg)
    vote = next(
        a
        for a in root.iter("{http://www.w3.org/2000/svg}a")
        if "Iraqi parliament votes" in " ".join(a.itertext())
    )
    assert vote.get(XLINK) == SRC + "compilation-post"


def test_png_decodes_and_footnotes_every_source(drawn, figure, cited_sources):
    image = Image.open(io.BytesIO(drawn.png))
    image.verify()
    assert image.format == "PNG" and image.size[0] == 1650 and image.size[1] > 2000
    texts = " ".join(t.get_text() for t in figure.texts)
    for iri, label in cited_sources.items():
        assert label in texts and iri in texts  # a PNG cannot link: the footnote prints the address


def test_html_is_one_self_contained_file(drawn, event_labels, cited_sources):
    class Refs(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict[str, str | None]]] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

    page = drawn.html.decode("utf-8")
    parser = Refs()
    parser.feed(page)
    names = [tag for tag, _ in parser.tags]
    assert "script" not in names and "link" not in names and "img" not in names and "iframe" not in names
    assert not re.search(r"url\((?!#)|@import|src=", page)  # only clip paths inside the SVG
    csp = next(a for t, a in parser.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp["content"].startswith("default-src 'none'")
    assert "<svg" in page
    for label in event_labels:
        assert label in page
    for iri in cited_sources:
        assert f'href="{iri}"' in page


def test_a_month_is_drawn_over_the_month_and_an_outside_day_beside_it(shipped, figure):
    timeline, _ = shipped
    vote = next(e for e in timeline.events if e.iri == EV + "2020-01-05-parliament-vote")
    month, day = vote.dates
    assert (month.span.precision, month.span.days, month.in_post) == (Precision.MONTH, 31, True)
    assert (day.span.precision, day.in_post, [s.iri for s in day.sources]) == (
        Precision.DAY,
        False,
        [SRC + "modeling-brief"],
    )
    bars = [p for ax in figure.axes for p in ax.patches if isinstance(p, Rectangle)]
    january = [
        p for p in bars if p.get_url() == SRC + "compilation-post" and p.get_width() == pytest.approx(31)
    ]
    assert january and all(p.get_fill() and p.get_facecolor()[:3] != (1.0, 1.0, 1.0) for p in january)
    outside = [p for p in bars if p.get_url() == SRC + "modeling-brief"]
    assert outside and all(
        p.get_facecolor()[:3] == (1.0, 1.0, 1.0) and p.get_linestyle() != "-" for p in outside
    )


def test_an_event_known_only_from_outside_is_hollow(shipped):
    timeline, _ = shipped
    end = next(e for e in timeline.events if e.iri == EV + "2021-12-09-end-of-us-combat-mission-in-iraq")
    assert not end.in_post and all(not d.in_post for d in end.dates)


def test_presidents_are_bands_as_far_as_the_graph_shows_them(shipped, drawn):
    timeline, _ = shipped
    spans = {t.holder: (t.start.iso(), t.end.iso(), t.exact) for t in timeline.terms}
    assert spans == {
        "Barack Obama": ("2011-12-18", "2014", False),
        "Donald Trump": ("2020-01", "2020-01", False),
        "Joe Biden": ("2021-07-26", "2021-12-09", False),
    }
    assert all(name in svg_text(drawn.svg) for name in spans)


def test_the_plan_is_an_arrow_from_its_decision_to_its_target(shipped, figure):
    timeline, _ = shipped
    (plan,) = timeline.plans
    assert (plan.decided.span.iso(), plan.target.span.iso(), plan.target.in_post) == (
        "2021-07-26",
        "2021-12-31",
        False,
    )
    assert plan.carried_out_by == ("End of the US combat mission in Iraq",)
    arrows = [p for ax in figure.axes for p in ax.patches if isinstance(p, FancyArrowPatch) and p.get_url()]
    assert [a.get_url() for a in arrows] == [SRC + "cnn-2021-07-26"]


def test_conflicting_figures_stand_side_by_side(drawn):
    text = svg_text(drawn.svg)
    troops = text.index("US troops in Iraq, January 2020")
    assert text.index("5,200 soldiers per DW") > troops
    assert text.index("about 5,000 troops per The Washington Post") > troops
    assert "its attribution to DW is not in the post" in text
    assert "more than 20,000 staff per Ryuu96" in text
    assert "about 11,000 to 16,000 staff per Modeling brief" in text
    assert ">20,000" in text and "≈5,000" in text and "5,200" in text


def test_no_two_texts_overlap(figure):
    renderer = figure.canvas.get_renderer()
    texts = [t for t in figure.texts if t.get_text().strip()]
    for ax in figure.axes:
        texts += [t for t in ax.texts if t.get_visible() and t.get_text().strip()]
        texts += [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent(renderer).shrunk(0.98, 0.9)) for t in texts]
    clashes = [
        (a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1 :] if box_a.overlaps(box_b)
    ]
    assert clashes == []


@pytest.mark.slow
def test_the_same_graph_gives_the_same_bytes(shipped, drawn):
    from kgtool.viz import render

    assert render.svg_bytes(lambda: draw_timeline(*shipped)) == drawn.svg


def test_the_fragment_for_the_web_service(shipped_engine, event_labels):
    fragment = timeline_fragment(shipped_engine)
    assert fragment.startswith('<section class="kgtool-timeline">') and fragment.rstrip().endswith(
        "</section>"
    )
    assert "<html" not in fragment and "<svg" in fragment and "<?xml" not in fragment
    for label in event_labels:
        assert label in fragment


@pytest.mark.slow
def test_the_picture_changes_when_the_data_changes(cli, kg_copy, tmp_path, drawn):
    before = tmp_path / "before.svg"
    after = tmp_path / "after.png"
    assert cli(["--kg", kg_copy, "timeline", "-o", before]).exit_code == 0
    assert "Test meeting of the picture test suite" not in svg_text(before.read_bytes())
    added = cli(["--kg", kg_copy, "add", FIXTURES / "new-event.ttl", "-m", "a test event"])
    assert added.exit_code == 0, added.stderr
    for name in ("after.svg", "after.png"):
        done = cli(["--kg", kg_copy, "timeline", "-o", tmp_path / name])
        assert done.exit_code == 0, done.stderr
    text = svg_text((tmp_path / "after.svg").read_bytes())
    assert "Test meeting of the picture test suite" in text
    assert "March 2020" in text  # drawn at the month the data gives
    assert after.read_bytes() != drawn.png


def test_matplotlib_state_is_left_alone(drawn):
    assert matplotlib.rcParams["svg.fonttype"] == "path"  # pictures set their options in a context only
