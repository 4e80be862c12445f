"""`kgtool graph`: the actors–events–sources network as DOT, and as SVG and PNG drawn by Graphviz."""

from __future__ import annotations

import io
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from kgtool.viz.network_data import read_network
from tests.conftest import needs_tool

EV = "https://w3id.org/kgtool/iraq/event/"
# Without Graphviz these skip, except in CI (KGTOOL_REQUIRE_TOOLS=1), where they fail.
needs_dot = needs_tool(
    shutil.which("dot") is not None, "Graphviz's dot is not installed (apt-get install graphviz)"
)


def svg_text(svg: bytes) -> str:
    return " ".join(
        " ".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")
    )


@pytest.fixture(scope="module")
def network(shipped_engine):
    return read_network(shipped_engine)


def test_the_network_holds_actors_events_and_sources(network, event_labels, cited_sources):
    roles = {n.role for n in network.nodes.values()}
    assert roles == {"actor", "event", "source"}
    assert sorted(n.label for n in network.nodes.values() if n.role == "event") == event_labels
    assert {n.iri for n in network.nodes.values() if n.role == "source"} == set(cited_sources)
    acting = {
        (network.nodes[e.tail].label, e.label)
        for e in network.edges
        if e.head == EV + "2020-01-05-parliament-vote"
    }
    assert acting == {("Iraqi parliament", "actor"), ("Foreign troops in Iraq", "target")}
    ortagus = next(e for e in network.edges if network.nodes[e.tail].label == "Morgan Ortagus")
    assert ortagus.outside and ortagus.kind == "acting"  # her part is known only from outside the post


def test_events_run_top_to_bottom_by_date(network):
    assert network.order[0] == EV + "2011-12-18-last-us-combat-troops-withdraw"
    assert network.order[-1] == EV + "2021-12-09-end-of-us-combat-mission-in-iraq"


@needs_dot
def test_dot_output_is_valid_graphviz(cli, tmp_path):
    result = cli(["graph"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("digraph kgtool {")
    drawn = subprocess.run(["dot", "-Tsvg"], input=result.stdout, capture_output=True, text=True, check=True)
    assert "<svg" in drawn.stdout and drawn.stderr == ""


@needs_dot
def test_svg_and_png_show_every_event_and_source(cli, tmp_path, event_labels, cited_sources):
    for name in ("network.svg", "network.png"):
        result = cli(["graph", "-o", tmp_path / name])
        assert result.exit_code == 0, result.stderr
    svg = (tmp_path / "network.svg").read_bytes()
    text = " ".join(svg_text(svg).split())
    for label in event_labels + list(cited_sources.values()):
        words = label.split()
        assert words[0] in text and words[-1] in text  # labels are wrapped over several lines
    hrefs = {
        a.get("{http://www.w3.org/1999/xlink}href")
        for a in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}a")
    }
    assert set(cited_sources) <= hrefs
    image = Image.open(io.BytesIO((tmp_path / "network.png").read_bytes()))
    image.verify()
    assert image.format == "PNG" and min(image.size) > 800  # readable: not shrunk to a thumbnail


def test_around_a_prefixed_name_keeps_its_neighbourhood(cli):
    result = cli(["graph", "--around", "ev:2020-01-05-parliament-vote"])
    assert result.exit_code == 0, result.stderr
    assert "Iraqi parliament" in result.stdout and "Compilation post" in result.stdout
    assert "Donald Trump" not in result.stdout
    wider = cli(
        [
            "graph",
            "--around",
            "<https://w3id.org/kgtool/iraq/event/2020-01-05-parliament-vote>",
            "--depth",
            "2",
        ]
    )
    assert wider.exit_code == 0 and "Assassination of Qasem" in wider.stdout  # via the compilation post
    assert "Qasem Soleimani<" not in wider.stdout  # the victim is three links away


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--around", "ev:2020-01-05-parliament-votes"], "did you mean ev:2020-01-05-parliament-vote"),
        (["--depth", "2"], "--depth needs --around"),
        (["--around", "ev:2020-01-05-parliament-vote", "--depth", "-1"], "--depth must be 0 or more"),
        (["--format", "jpeg"], "unknown graph format 'jpeg'; choose one of dot, svg, png"),
        (["-o", "network.pdf"], "network.pdf: cannot tell the graph format from the suffix"),
    ],
)
def test_bad_options_are_one_line_exit_2(cli, args, message):
    result = cli(["graph", *args])
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr and result.stderr.count("\n") == 1
