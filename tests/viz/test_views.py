"""`kgtool query NAME --view`: a saved query's rows drawn as its `#+ defaultView:`, and a clear error
when the rows lack what the view needs."""

from __future__ import annotations

import io
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from kgtool.query import catalog
from tests.conftest import needs_tool


def svg_text(svg: bytes) -> str:
    return " ".join(
        " ".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")
    )


def test_saved_queries_declare_their_views(shipped_kg):
    views = {q.name: str(q.view) if q.view else None for q in catalog.load_all(shipped_kg.query_dir)}
    assert {k: v for k, v in views.items() if v} == {
        "timeline": "timeline",
        "events-by-actor": "timeline",
        "presidents": "timeline",
        "causes": "graph",
        "troop-figures": "table",
        "events-by-year": "bar",
    }


def test_a_bad_view_in_a_header_names_the_file_and_line(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("#+ summary: x\n#+ defaultView: map\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(Exception) as error:
        catalog.read(path)
    assert str(error.value) == (
        f"{path}:2: malformed query header: unknown view 'map'; choose one of table, timeline, bar, graph"
    )


def test_the_help_names_the_view(cli):
    result = cli(["query", "causes", "--help"])
    assert "View: graph (kgtool query causes --view -o FILE draws it)" in result.stdout


def test_timeline_view_shows_every_row(cli, tmp_path, event_labels):
    result = cli(["query", "timeline", "--view", "-o", tmp_path / "t.svg"])
    assert result.exit_code == 0, result.stderr
    text = svg_text((tmp_path / "t.svg").read_bytes())
    for label in event_labels:
        assert label in text
    assert "Trump Threatens Iraq With Sanctions If US Troops Are Expelled - BBC News" in text


def test_timeline_view_with_a_parameter(cli):
    result = cli(["query", "events-by-actor", "-p", "actor=Joe Biden", "--view"])
    assert result.exit_code == 0, result.stderr
    text = svg_text(result.stdout.encode())
    assert "Biden agrees to formally conclude" in text and "Trump" not in text


def test_timeline_view_resolves_a_name_as_a_plain_run_does(cli):
    """`actor=Trump` is a lookup parameter: --view binds the actor it names, and a name that matches
    nothing says so on stderr with the closest names, as `kgtool query` without --view does."""
    result = cli(["query", "events-by-actor", "-p", "actor=Trump", "--view"])
    assert result.exit_code == 0, result.stderr
    text = svg_text(result.stdout.encode())
    assert "Trump threatens Iraq with sanctions" in text and "Biden agrees" not in text
    missing = cli(["query", "events-by-actor", "-p", "actor=Obamma", "--view"])
    assert missing.exit_code == 0, missing.stderr
    assert "no actor 'Obamma'; did you mean Barack Obama?" in missing.stderr


def test_bar_view_is_a_png(cli, tmp_path):
    result = cli(["query", "events-by-year", "--view", "-o", tmp_path / "years.png"])
    assert result.exit_code == 0, result.stderr
    image = Image.open(tmp_path / "years.png")
    image.verify()
    assert image.format == "PNG"
    svg = cli(["query", "events-by-year", "--view", "--format", "svg"]).stdout.encode()
    text = svg_text(svg)
    assert all(year in text for year in ("2011", "2014", "2020", "2021")) and "Events per year" in text


@needs_tool(shutil.which("dot") is not None, "Graphviz's dot is not installed (apt-get install graphviz)")
def test_graph_view_links_the_rows(cli, tmp_path):
    dot = cli(["query", "causes", "--view"])
    assert dot.exit_code == 0 and dot.stdout.startswith("digraph kgtool {")
    assert "responds to" in dot.stdout and "Trump threatens Iraq with" in dot.stdout
    png = cli(["query", "causes", "--view", "-o", tmp_path / "causes.png"])
    assert png.exit_code == 0, png.stderr
    Image.open(io.BytesIO((tmp_path / "causes.png").read_bytes())).verify()


def test_table_view_is_a_self_contained_page(cli):
    result = cli(["query", "troop-figures", "--view"])
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert "<script" not in page and "more than 20,000" in page and "4 rows" in page


def test_a_query_without_a_view_is_a_table(cli):
    result = cli(["query", "conflicts", "--view"])
    assert result.exit_code == 0 and "<table>" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["query", "events-by-year", "--view", "--format", "dot"],
            "unknown bar view format 'dot'; choose one of svg, png, html",
        ),
        (["query", "timeline", "-o", "rows.csv"], "-o/--output writes the picture of --view"),
    ],
)
def test_view_usage_errors(cli, args, message):
    result = cli(args)
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1


def test_rows_that_lack_a_column_get_one_line(cli, tmp_path, shipped_kg):
    kg = tmp_path / "kg"
    shutil.copytree(shipped_kg.root / "queries", kg / "queries")
    shutil.copytree(shipped_kg.root / "data", kg / "data")
    (kg / "queries" / "no-numbers.rq").write_text(
        "#+ summary: Labels only\n#+ defaultView: bar\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?label WHERE { ?s rdfs:label ?label } LIMIT 3\n",
        encoding="utf-8",
    )
    result = cli(["--kg", kg, "query", "no-numbers", "--view"])
    assert result.exit_code == 2
    assert result.stderr == (
        "kgtool: query 'no-numbers' cannot be shown as a bar view: it needs a label column (?label, or text) "
        "and a number column (?value, ?count, or numbers); its columns are ?label\n"
    )


def _table_cells(html: str) -> list[str]:
    """The first cell of each body row of a table view (the source's IRI)."""
    return re.findall(r'<tr><td><a href="([^"]+)"', html)


@pytest.mark.parametrize(
    "rows", [["--limit", "2"], ["--offset", "3"], ["--limit", "2", "--page", "2"], ["--timeout", "60"]]
)
def test_view_draws_the_rows_a_plain_run_prints(cli, rows):
    """--limit, --offset, --page and --timeout mean for --view what they mean for a plain run."""
    drawn = cli(["query", "sources", "--view", "--format", "html", *rows])
    printed = cli(["query", "sources", "--format", "csv", *rows])
    assert drawn.exit_code == printed.exit_code == 0, drawn.stderr
    expected = [line.split(",")[0] for line in printed.stdout.splitlines()[1:]]
    assert _table_cells(drawn.stdout) == expected
    assert len(expected) == {"--limit": 2, "--offset": 96, "--timeout": 99}[rows[0]]


def test_view_timeout_stops_the_query_with_one_line(cli, shipped_kg):
    result = cli(["query", "sources", "--view", "--format", "html", "--timeout", "0.000001"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"kgtool: {shipped_kg.query_dir / 'sources.rq'}: query stopped after 1e-06 s (--timeout 1e-06)\n"
    )


def test_view_page_needs_a_page_size_as_a_plain_run_does(cli):
    result = cli(["query", "sources", "--view", "--page", "2"])
    assert (result.exit_code, result.stderr) == (
        2,
        "kgtool: --page needs a page size: --limit N, or `#+ pagination: N` in the query's header\n",
    )
