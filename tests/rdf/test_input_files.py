"""The files validate and add read: every suffix export writes and the usual aliases, standard input with
--input-format, and never a URL (kgtool reads only local files)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgtool import formats

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = FIXTURES / "kg-mini"
GOOD = FIXTURES / "new" / "good-event.ttl"

#: Every suffix a user may give, and the syntax it is read as.
SUFFIXES = {
    ".ttl": formats.TURTLE,
    ".turtle": formats.TURTLE,
    ".nt": formats.N_TRIPLES,
    ".nq": formats.N_QUADS,
    ".nquads": formats.N_QUADS,
    ".trig": formats.TRIG,
    ".jsonld": formats.JSON_LD,
    ".json": formats.JSON_LD,
    ".rdf": formats.RDF_XML,
    ".owl": formats.RDF_XML,
    ".xml": formats.RDF_XML,
}


def _good_in(fmt: formats.Format) -> bytes:
    """good-event.ttl's triples in another syntax."""
    quads = list(ox.parse(path=GOOD, format=ox.RdfFormat.TURTLE))
    return ox.serialize(quads, format=fmt.rdf_format) or b""


def _report(cli, *args: object, input: str | None = None) -> dict:
    result = cli(["--kg", MINI, "validate", "--format", "json", *args], input=input)
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    return json.loads(result.stdout)


def test_the_suffix_table_covers_what_export_writes_and_the_aliases():
    assert formats.SUFFIXES == SUFFIXES
    written = {f.suffixes[0] for f in formats.RDF_FORMATS}
    assert written <= set(SUFFIXES)


@pytest.mark.parametrize("suffix", sorted(SUFFIXES))
def test_validate_reads_every_suffix(cli, tmp_path, suffix):
    reference = _report(cli, GOOD)
    path = tmp_path / f"good{suffix}"
    path.write_bytes(_good_in(SUFFIXES[suffix]))
    document = _report(cli, path)
    assert document["conforms"] is True
    assert document["newTriples"] == reference["newTriples"] == 5
    assert document["focusNodes"] == reference["focusNodes"]
    assert document["files"] == [str(path)]


@pytest.mark.parametrize("suffix", [".json", ".xml", ".nquads", ".turtle"])
def test_add_reads_the_aliases_that_failed_before(cli, tmp_path, suffix):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    path = tmp_path / f"good{suffix}"
    path.write_bytes(_good_in(SUFFIXES[suffix]))
    result = cli(["--kg", kg, "add", path, "-m", "alias"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("added 5 triple(s) (0 already present)")


def test_a_graph_folder_ignores_generic_json_and_xml(cli, tmp_path):
    """data/ may hold other JSON or XML: they are not graph files (only .jsonld and .rdf/.owl are)."""
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    (kg / "data" / "notes.json").write_text('{"not": "rdf"}')
    (kg / "data" / "notes.xml").write_text("<notes/>")
    assert cli(["--kg", kg, "stats"]).stdout == cli(["--kg", MINI, "stats"]).stdout


@pytest.mark.parametrize("fmt", ["turtle", "nt", "nquads", "trig", "json-ld", "xml"])
def test_standard_input_with_input_format(cli, fmt):
    body = _good_in(formats.parse(fmt, formats.RDF_FORMATS)).decode()
    document = _report(cli, "-", "--input-format", fmt, input=body)
    assert document["files"] == ["<stdin>"]
    assert (document["conforms"], document["newTriples"]) == (True, 5)


def test_errors_in_standard_input_name_it(cli):
    result = cli(["--kg", MINI, "validate", "-i", "turtle", "-"], input="<urn:x:a> <urn:x:p> .\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("kgtool: <stdin>:1:")
    assert result.stderr.count("\n") == 1


def test_standard_input_needs_a_format_and_is_read_once(cli):
    result = cli(["--kg", MINI, "validate", "-"], input=GOOD.read_text())
    assert (result.exit_code, result.stderr) == (
        2,
        "kgtool: reading standard input (-) needs --input-format (turtle, nt, nquads, trig, json-ld, xml)\n",
    )
    twice = cli(["--kg", MINI, "validate", "-i", "turtle", "-", "-"], input=GOOD.read_text())
    assert (twice.exit_code, twice.stderr) == (2, "kgtool: standard input (-) can be read only once\n")


def test_input_format_overrides_the_suffix(cli, tmp_path):
    odd = tmp_path / "event.txt"
    odd.write_text(GOOD.read_text())
    assert _report(cli, "--input-format", "ttl", odd)["newTriples"] == 5
    wrong = cli(["--kg", MINI, "validate", "--input-format", "nt", GOOD])
    assert wrong.exit_code == 2 and wrong.stderr.startswith(f"kgtool: {GOOD}:")


def test_add_from_standard_input_records_it_as_stdin(cli, tmp_path):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    result = cli(["--kg", kg, "add", "-", "-i", "turtle", "-m", "piped"], input=GOOD.read_text())
    assert result.exit_code == 0, result.stderr
    (written,) = (kg / "data" / "contributions").glob("*.trig")
    assert 'schema:name "<stdin>"' in written.read_text()


@pytest.mark.parametrize("command", [["validate"], ["add"], ["validate", "--shapes"]])
@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/event.ttl", "https://example.org/x.jsonld"])
def test_a_url_says_kgtool_reads_only_local_files(cli, command, url):
    result = cli(["--kg", MINI, *command, url, *(["x.ttl"] if command[-1] == "--shapes" else [])])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"kgtool: {url}: kgtool reads only local files, never a URL; "
        "download it first (e.g. curl -o FILE URL)\n"
    )
