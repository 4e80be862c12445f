"""Bad input, table-driven over tests/fixtures/bad/: one stderr line naming file (and line:column), exit 2,
nothing written; JSON-LD contexts are never fetched or read."""

from __future__ import annotations

import builtins
import io
import os
import random
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from kgtool.rdf.literal_checks import CHECKS
from kgtool.rdf.parsing import MAX_JSON_DEPTH, RELATIVE_IRI
from kgtool.vocab import XSD

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BAD = FIXTURES / "bad"
MINI = FIXTURES / "kg-mini"
CONTEXT_REFUSED = "JSON-LD @context or @import refers to another document; kgtool never loads it (inline it)"
DTD_REFUSED = (
    "RDF/XML with a DTD (<!DOCTYPE [...]> or <!ENTITY>) is refused: entity expansion can exhaust memory; "
    "expand the entities or convert the file to Turtle"
)
TOO_LARGE = ": too large to parse: Reached the buffer maximal size of 16777216"

#: fixture -> what follows "kgtool: <path>" on the one stderr line
CASES = {
    "unterminated-iri.ttl": ":2:11: Unexpected end of file",
    "unknown-prefix.ttl": ":3:5: The prefix kgx: has not been declared",
    "empty.ttl": ": file is empty",
    "blank.ttl": ": file is empty",
    "binary.ttl": ":4:1: binary data (NUL byte), not an RDF text file",
    "latin1.ttl": ":2:72: not valid UTF-8",
    "ill-typed-date.ttl": ':4:49: ill-typed literal "2020-13-45" is not a valid xsd:date',
    "ill-typed-integer.nt": ':1:67: ill-typed literal "five thousand" is not a valid xsd:integer',
    "malformed.jsonld": ":3:49: Unexpected end of file",
    "remote-context.jsonld": f":2:3: {CONTEXT_REFUSED}",
    "local-context.jsonld": f":2:3: {CONTEXT_REFUSED}",
    "import-context.jsonld": f":4:5: {CONTEXT_REFUSED}",
    "mismatched-tags.rdf": ": ill-formed document: expected `</rdf:Description>`, but `</rdf:RDF>` was found",
    "rdf-star.ttl": ":2:1: RDF-star triple terms are not supported; use an n-ary node instead",
    "notes.txt": ": cannot tell the RDF format from the suffix (known: .ttl/.turtle (turtle), .nt (nt), "
    ".nq/.nquads (nquads), .trig (trig), .jsonld/.json (json-ld), .rdf/.owl/.xml (xml)); give --input-format",
    # cut after a property: pyoxigraph returned the triples read so far, or "Object keys must be strings"
    "truncated.jsonld": ":7:24: truncated JSON: the file ends with 1 bracket(s) unclosed (was it cut short?)",
    # U+2028 is a line break for str.splitlines: quoted raw, the error would span two lines
    "iri-with-line-separator.rdf": ": error while parsing IRI "
    "'https://w3id.org/kgtool/iraq/event/a\\u2028b c': Invalid IRI code point ' '",
    # "billion laughs": 1 KB of nested <!ENTITY>s that would expand to 100 MB
    "entity-expansion.rdf": ":2:1: " + DTD_REFUSED,
    "relative-iri.ttl": ":3:3: " + RELATIVE_IRI,
    "relative-iri.jsonld": ":3:45: " + RELATIVE_IRI,
    "relative-iri.rdf": ":2:30: " + RELATIVE_IRI,
}


def _generated(tmp: Path) -> dict[Path, str]:
    """Bad inputs too big to commit, or that need an absolute path, made for the test."""
    made: dict[Path, str] = {}
    depth = 100_000
    deep_json = tmp / "deep-nesting.jsonld"
    head, step = '{"@id": "https://w3id.org/kgtool/iraq/x", "http://e/p": ', '{"http://e/p": '
    deep_json.write_text(head + step * depth + '"x"' + "}" * depth + "}")
    # Refused before parsing: pyoxigraph's JSON-LD parser crashes the process around 20,000 levels.
    made[deep_json] = (
        f":1:{len(head) + len(step) * (MAX_JSON_DEPTH - 1) + 1}: "
        f"JSON nested deeper than {MAX_JSON_DEPTH} levels; kgtool refuses such files"
    )
    # Under the 20 MiB input cap, but one literal over pyoxigraph's 16 MiB token buffer.
    huge_literal = tmp / "huge-literal.ttl"
    huge_literal.write_text(
        '<https://w3id.org/kgtool/iraq/a> <http://schema.org/name> "' + "x" * 17_000_000 + '" .\n'
    )
    made[huge_literal] = TOO_LARGE
    too_large = tmp / "too-large.ttl"
    with too_large.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    made[too_large] = ": file is 20971521 bytes, over the 20971520-byte limit"
    file_uri = tmp / "file-uri-context.jsonld"
    file_uri.write_text(
        '{"@context": "' + (BAD / "secret-context.jsonld").as_uri() + '", "@id": "urn:x:a", "name": "x"}'
    )
    made[file_uri] = f":1:2: {CONTEXT_REFUSED}"
    made[tmp / "missing.ttl"] = ": no such file"
    (tmp / "folder.ttl").mkdir()
    made[tmp / "folder.ttl"] = ": is a folder, not an RDF file"
    (tmp / "folder-without-suffix").mkdir()  # a folder, not "a file whose suffix names no format"
    made[tmp / "folder-without-suffix"] = ": is a folder, not an RDF file"
    return made


def _table(tmp: Path) -> list[tuple[Path, str]]:
    return [(BAD / name, tail) for name, tail in CASES.items()] + sorted(_generated(tmp).items())


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".kgtool.lock"
    }


def test_every_bad_fixture_is_in_the_table():
    on_disk = {p.name for p in BAD.iterdir()} - {"secret-context.jsonld"}
    assert on_disk == set(CASES)


@pytest.mark.parametrize(
    "command", [["validate"], ["validate", "--standalone"], ["add"], ["add", "--dry-run"]]
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(cli, tmp_path, command):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    before = _tree(kg)
    generated = tmp_path / "generated"
    generated.mkdir()
    for path, tail in _table(generated):
        result = cli(["--kg", kg, *command, path])
        assert result.exit_code == 2, (path.name, result.stdout, result.stderr)
        assert result.stderr == f"kgtool: {path}{tail}\n", path.name
        assert "Traceback" not in result.stdout
        assert _tree(kg) == before, path.name


def test_a_bad_file_among_good_ones_stops_everything(cli, tmp_path):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    before = _tree(kg)
    bad = BAD / "ill-typed-date.ttl"
    result = cli(["--kg", kg, "add", FIXTURES / "new" / "good-event.ttl", bad])
    assert result.exit_code == 2
    assert result.stderr == f"kgtool: {bad}{CASES['ill-typed-date.ttl']}\n"
    assert _tree(kg) == before


@pytest.mark.slow
def test_deeply_nested_turtle_does_not_overflow(cli, tmp_path):
    depth = 50_000
    deep = tmp_path / "deep.ttl"
    deep.write_text(
        "@prefix ex: <https://w3id.org/kgtool/iraq/> .\nex:a ex:p "
        + "[ ex:p " * depth
        + "ex:b"
        + " ]" * depth
        + " .\n"
    )
    result = cli(["--kg", MINI, "validate", "--standalone", "--format", "json", deep])
    assert result.exit_code == 0, result.stderr
    assert '"newTriples": 50001' in result.stdout


class _Tripwire:
    """Records (and refuses) any network connection or any opening of the secret context file."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        real_open, real_io_open, real_os_open = builtins.open, io.open, os.open

        def guard(real):
            def opener(file, *args, **kwargs):
                if "secret-context" in str(file):
                    self.calls.append(f"open {file}")
                    raise PermissionError(f"tripwire: {file}")
                return real(file, *args, **kwargs)

            return opener

        def refuse(name):
            def call(*args, **kwargs):
                self.calls.append(f"{name} {args[:2]}")
                raise ConnectionRefusedError(f"tripwire: {name}")

            return call

        monkeypatch.setattr(builtins, "open", guard(real_open))
        monkeypatch.setattr(io, "open", guard(real_io_open))
        monkeypatch.setattr(os, "open", guard(real_os_open))
        monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
        monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
        monkeypatch.setattr(urllib.request, "urlopen", refuse("urlopen"))


@pytest.mark.parametrize("name", ["remote-context.jsonld", "local-context.jsonld", "import-context.jsonld"])
def test_json_ld_contexts_are_never_fetched_or_read(cli, monkeypatch, name):
    wire = _Tripwire(monkeypatch)
    result = cli(["--kg", MINI, "validate", BAD / name])
    assert result.exit_code == 2
    assert result.stderr == f"kgtool: {BAD / name}{CASES[name]}\n"
    assert "SECRET-CONTEXT-MARKER" not in result.stdout + result.stderr
    assert wire.calls == []


def test_the_tripwire_catches_a_parser_that_does_read_contexts(monkeypatch):
    """Control: rdflib's own JSON-LD parser does open the local context, and the tripwire sees it."""
    from rdflib import Graph

    wire = _Tripwire(monkeypatch)
    with pytest.raises(Exception):  # noqa: B017 - rdflib's error type varies; the record is what counts
        Graph().parse(BAD / "local-context.jsonld", format="json-ld")
    assert any("secret-context" in call for call in wire.calls), wire.calls


@pytest.mark.parametrize(
    ("datatype", "good", "bad"),
    [
        (
            "date",
            ["2020-01-05", "2020-02-29", "2020-01-05Z", "2020-01-05+03:00"],
            ["2020-13-45", "2021-02-29", "5.1.2020"],
        ),
        ("dateTime", ["2020-01-05T18:30:00Z", "2020-01-05T24:00:00"], ["2020-01-05", "2020-01-05T25:00:00"]),
        ("gYearMonth", ["2020-01", "2014-08Z"], ["2020-13", "2020"]),
        ("gYear", ["2011", "-0044"], ["11", "2011-12"]),
        ("integer", ["5200", "-3", "+7"], ["5,200", "5.0", "five"]),
        ("nonNegativeInteger", ["0", "20000"], ["-1"]),
        ("decimal", ["1.5", "-.5", "3"], ["1e3", "1,5"]),
        ("double", ["1e3", "INF", "NaN", "-1.5E-2"], ["one", "1e"]),
        ("boolean", ["true", "false", "1", "0"], ["yes", "True"]),
    ],
)
def test_lexical_checks(datatype, good, bad):
    check = CHECKS[XSD + datatype]
    assert [v for v in good if not check(v)] == []
    assert [v for v in bad if check(v)] == []


def test_mutated_files_never_crash(cli, tmp_path):
    """Truncated and corrupted copies of valid files: exit 0, 1 or 2, and a 2 is one stderr line."""
    rng = random.Random(4)
    sources = [
        FIXTURES / "new" / "good-event.ttl",
        FIXTURES / "new" / "bad-event.jsonld",
        FIXTURES / "new" / "bad-event.nt",
    ]
    noise = ['"', "<", ">", "[", "]", "{", "}", ".", ";", ",", "@", "^^", "_:", "\\", "\n", "é", "\x00", ":"]
    for run in range(60):
        source = sources[run % len(sources)]
        text = source.read_text()
        cut = rng.randrange(len(text))
        mutated = text[:cut] + rng.choice(noise) + text[cut + rng.randrange(3) :] if run % 2 else text[:cut]
        path = tmp_path / f"m{run}{source.suffix}"
        path.write_text(mutated)
        result = cli(["--kg", MINI, "validate", path])
        assert result.exit_code in (0, 1, 2), (run, mutated)
        if result.exit_code == 2:
            assert result.stderr.startswith(f"kgtool: {path}"), (run, result.stderr)
            assert result.stderr.count("\n") == 1, (run, result.stderr)


DEEP_HEAD, DEEP_STEP = '{"@id": "https://w3id.org/kgtool/iraq/a", "http://e/p": ', '{"http://e/p": '
#: the one stderr line's tail for `_deep_json_ld(d)`, d >= MAX_JSON_DEPTH: the first bracket too deep
DEEP_TAIL = (
    f":1:{len(DEEP_HEAD) + len(DEEP_STEP) * (MAX_JSON_DEPTH - 1) + 1}: "
    f"JSON nested deeper than {MAX_JSON_DEPTH} levels; kgtool refuses such files"
)


def _deep_json_ld(depth: int) -> str:
    return DEEP_HEAD + DEEP_STEP * depth + '"x"' + "}" * (depth + 1)


def test_json_ld_20000_levels_deep_is_refused_not_a_crash(tmp_path):
    """pyoxigraph segfaulted (exit 139, silent) on this; a real process shows it is one line, exit 2."""
    deep = tmp_path / "deep.jsonld"
    deep.write_text(_deep_json_ld(20_000))
    run = subprocess.run(
        [sys.executable, "-m", "kgtool", "--kg", MINI, "validate", "--standalone", deep],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (run.returncode, run.stdout, run.stderr) == (2, "", f"kgtool: {deep}{DEEP_TAIL}\n")


def test_json_ld_at_the_depth_limit_and_brackets_in_strings_are_fine(cli, tmp_path):
    ok = tmp_path / "ok.jsonld"
    # 1000 levels counting the outer object, plus a string full of brackets the scanner must skip.
    ok.write_text(_deep_json_ld(MAX_JSON_DEPTH - 1).replace('"x"', '"{[\\"{{{[[["'))
    result = cli(["--kg", MINI, "validate", "--standalone", "--format", "json", ok])
    assert result.exit_code == 0, result.stderr
    assert f'"newTriples": {MAX_JSON_DEPTH}' in result.stdout


def _kg_with(tmp_path: Path, name: str, body: bytes) -> Path:
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    (kg / "data" / name).write_bytes(body)
    return kg / "data" / name


ALL = "SELECT * WHERE { ?s ?p ?o }"


@pytest.mark.parametrize(
    ("name", "body", "tail"),
    [
        ("entities.rdf", (BAD / "entity-expansion.rdf").read_bytes(), ":2:1: " + DTD_REFUSED),
        ("deep.jsonld", _deep_json_ld(20_000).encode(), DEEP_TAIL),
        ("relative.ttl", (BAD / "relative-iri.ttl").read_bytes(), ":3:3: " + RELATIVE_IRI),
        ("relative.jsonld", (BAD / "relative-iri.jsonld").read_bytes(), ":3:45: " + RELATIVE_IRI),
    ],
)
@pytest.mark.parametrize(
    "command", [["sparql", ALL], ["sparql", "--infer", "rdfs", ALL], ["stats"], ["index"], ["export"]]
)
def test_a_bad_file_in_the_graph_is_one_line_for_every_command(
    cli, tmp_path, cache_dir, name, body, tail, command
):
    bad = _kg_with(tmp_path, name, body)
    result = cli(["--kg", bad.parent.parent, *command])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"kgtool: {bad}{tail}\n")


def test_a_huge_literal_in_the_graph_is_one_line(cli, tmp_path, cache_dir):
    bad = _kg_with(tmp_path, "huge.ttl", b'<urn:x:a> <urn:x:p> "' + b"x" * 17_000_000 + b'" .\n')
    for command in (["sparql", ALL], ["index"]):
        result = cli(["--kg", bad.parent.parent, *command])
        assert (result.exit_code, result.stderr) == (2, f"kgtool: {bad}{TOO_LARGE}\n")


def test_a_utf8_bom_is_accepted_in_input_and_graph_files(cli, tmp_path, cache_dir):
    body = b'@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<urn:x:a> rdfs:comment "note"@en .\n'
    plain, bom = tmp_path / "plain.ttl", tmp_path / "bom.ttl"
    plain.write_bytes(body)
    bom.write_bytes(b"\xef\xbb\xbf" + body)
    runs = [cli(["validate", "--standalone", "--format", "json", p]) for p in (plain, bom)]
    assert [r.exit_code for r in runs] == [0, 0], runs[1].stderr
    assert runs[0].stdout.replace("plain.ttl", "bom.ttl") == runs[1].stdout
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = cli(["--kg", MINI, "sparql", "--format", "csv", count]).stdout.split()
    kg = _kg_with(tmp_path, "bom.nt", b"\xef\xbb\xbf<urn:x:a> <urn:x:p> <urn:x:b> .\n").parent.parent
    assert cli(["--kg", kg, "index"]).exit_code == 0
    after = cli(["--kg", kg, "sparql", "--format", "csv", count]).stdout.split()
    assert after == [before[0], str(int(before[1]) + 1)]
