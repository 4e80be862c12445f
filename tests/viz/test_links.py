"""Only http(s) IRIs become links in a picture: a graph whose source has a `javascript:` URL gets a
timeline (HTML and SVG) that names the source but links nowhere but http(s) addresses."""

from __future__ import annotations

import re

import pytest

from kgtool.viz.links import followable

HOSTILE = """\
@prefix kgo:    <https://w3id.org/kgtool/ontology#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <http://schema.org/> .
@prefix ev:     <https://w3id.org/kgtool/iraq/event/> .
@prefix src:    <https://w3id.org/kgtool/iraq/source/> .

# An event cited by a source whose URL is a script, and one cited by a plain web page.
ev:hostile a kgo:Event ;
    rdfs:label "Hostile"@en ;
    kgo:eventType <https://w3id.org/kgtool/iraq/event-type/x> ;
    kgo:date "2020-01-05"^^xsd:date ;
    kgo:source src:bad .
ev:fine a kgo:Event ;
    rdfs:label "Fine"@en ;
    kgo:eventType <https://w3id.org/kgtool/iraq/event-type/x> ;
    kgo:date "2020-02-05"^^xsd:date ;
    kgo:source src:good .

# The sources.
src:bad rdfs:label "Bad source" ; schema:url <javascript:alert(document.domain)> .
src:good rdfs:label "Good source" ; schema:url <https://example.org/good> .

# The properties, named so that the `rdfs:subPropertyOf*` paths find them in a folder without ontology.
kgo:source rdfs:label "source" .
schema:url rdfs:label "url" .
"""

HREF = re.compile(r'(?:xlink:)?href="\s*([^"]*)"', flags=re.I)


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://example.org/a", "HTTP://example.org/a"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("urn:isbn:0451450523", None),
        ("", None),
        (None, None),
    ],
)
def test_only_http_and_https_iris_are_followable(iri, expected):
    assert followable(iri) == expected


@pytest.mark.parametrize("suffix", ["html", "svg"])
def test_a_timeline_names_a_script_source_but_links_only_to_http(cli, tmp_path, suffix):
    (tmp_path / "kg" / "data").mkdir(parents=True)
    (tmp_path / "kg" / "data" / "hostile.ttl").write_text(HOSTILE, encoding="utf-8")
    target = tmp_path / f"timeline.{suffix}"
    done = cli(["--kg", tmp_path / "kg", "timeline", "-o", target])
    assert done.exit_code == 0, done.stderr
    picture = target.read_text(encoding="utf-8")
    assert "Bad source" in picture and "Good source" in picture
    links = set(HREF.findall(picture))
    assert "https://example.org/good" in links
    assert not [h for h in links if not h.lower().startswith(("http://", "https://", "#"))], links
