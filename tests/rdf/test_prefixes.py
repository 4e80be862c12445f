"""One prefix scanner: what a graph's Turtle and TriG files declare, found as they are read once."""

from __future__ import annotations

import io

import pytest

from kgtool.rdf import prefixes

EX = "http://example.org/"


def test_graph_prefixes_from_turtle_files(tmp_path):
    (tmp_path / "a.ttl").write_text("@prefix ex: <http://example.org/> .\nPREFIX  : <http://base/>\n")
    (tmp_path / "b.nt").write_text("<http://x> <http://y> <http://z> .\n")
    found = prefixes.of_files([(tmp_path / "a.ttl", None), (tmp_path / "b.nt", None)])
    assert found == {"ex": EX, "": "http://base/"}


def test_the_first_declaration_of_a_name_wins_and_keywords_in_any_case_count():
    text = b"@prefix ex: <http://one/> .\nprefix ex: <http://two/>\n  PREFIX other: <urn:x:>\n"
    assert prefixes.scan(text) == {"ex": "http://one/", "other": "urn:x:"}


@pytest.mark.parametrize("chunk", [1, 7, 64, 10_000])
def test_a_stream_is_scanned_whatever_the_read_sizes(chunk: int) -> None:
    text = b"# header\n@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n@prefix last: <urn:last:>"
    found: dict[str, str] = {}
    reader = prefixes.ScanningReader(io.BytesIO(text), found)
    read = b"".join(iter(lambda: reader.read(chunk), b""))
    assert read == text  # passes the bytes through unchanged
    assert found == {"ex": EX, "last": "urn:last:"}  # the last line has no newline


def test_export_keeps_named_absolute_namespaces_only():
    declared = {
        "": "http://base/",
        "ex": EX,
        "urn": "urn:x:",
        "frag": "http://a.org/x",
        "b": "http://b.org/#",
    }
    assert prefixes.namespaces(declared) == {"b": "http://b.org/#", "ex": EX}
