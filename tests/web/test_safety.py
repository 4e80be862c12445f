"""Safe as a public site: a graph holding `<script>` in its literals and `javascript:` and `data:` IRIs
is served with every literal escaped and no such IRI ever a link, in the HTML pages, the API's tables
and the JSON-LD embedded in pages; the browser runs nothing and opens no dialog."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.web.conftest import start_server

HOSTILE = """\
@prefix kgo:  <https://w3id.org/kgtool/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ev:   <https://w3id.org/kgtool/iraq/event/> .
@prefix schema: <http://schema.org/> .
@prefix src:  <https://w3id.org/kgtool/iraq/source/> .

ev:hostile a kgo:Event ;
    rdfs:label "<script>alert('label')</script>"@en ;
    rdfs:comment "</script><script>alert('comment')</script> & <img src=x onerror=alert('img')>" ;
    kgo:eventType <https://w3id.org/kgtool/iraq/event-type/x> ;
    kgo:date "2020-01-05"^^xsd:date ;
    kgo:whenAsWritten "\\"><script>alert('attribute')</script>" ;
    kgo:source <javascript:alert(document.cookie)> , src:bad ;
    rdfs:seeAlso <data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==> , <https://example.org/fine> .

<javascript:alert(document.cookie)> rdfs:label "click \\"me\\" <b>now</b>" .
src:bad rdfs:label "A source whose URL is a script" ;
    schema:url <javascript:alert(document.domain)> .
kgo:source rdfs:label "source" .
schema:url rdfs:label "url" .
"""
LABELS = """\
#+ summary: "<script>alert('summary')</script>"
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?label WHERE { ?thing rdfs:label ?label }
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    kg = tmp_path_factory.mktemp("hostile-kg")
    (kg / "data").mkdir()
    (kg / "data" / "hostile.ttl").write_text(HOSTILE, encoding="utf-8")
    (kg / "queries").mkdir()
    (kg / "queries" / "labels.rq").write_text(LABELS, encoding="utf-8")
    with start_server("--infer", "none", kg=Path(kg)) as started:
        yield started


PAGES = ["/", "/iraq/event/hostile.html", "/api/labels.html", "/sparql"]


@pytest.mark.parametrize("path", PAGES)
def test_no_markup_from_the_graph_reaches_a_page(hostile, path):
    page = hostile.get(path, accept="text/html")
    assert page.status == 200, page.text
    body = page.text
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>now</b>" not in body
    assert 'href="javascript:' not in body.lower()
    assert re.findall(r'href="data:[^"]*"', body, flags=re.I) in (
        [],
        ['href="data:,"'],
    )  # the empty icon only
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", body, flags=re.S)
    assert all(block.lstrip().startswith("{") for block in scripts)  # only the JSON-LD data block
    assert page.header("x-content-type-options") == "nosniff"
    assert "script-src" not in page.header("content-security-policy")  # default-src 'none' forbids scripts


def test_the_hostile_values_are_shown_as_text(hostile):
    body = hostile.get("/iraq/event/hostile.html").text
    assert "&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;" in body
    assert "javascript:alert(document.cookie)" in body  # shown, as text
    assert '<a href="https://example.org/fine"' in body  # http(s) IRIs are links
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, flags=re.S).group(1)
    assert "<" not in block
    document = json.loads(block)
    assert "<script>alert('label')</script>" in json.dumps(document, ensure_ascii=False)


def test_a_source_whose_url_is_a_script_is_named_on_the_home_page_but_not_linked(hostile):
    body = hostile.get("/", accept="text/html").text
    assert "A source whose URL is a script" in body  # the timeline fragment cites it
    links = re.findall(r'(?:xlink:)?href="\s*([^"]*)"', body, flags=re.I)
    assert links and not [h for h in links if "script:" in h.lower()], links


def test_the_browser_runs_nothing_from_the_graph(hostile, load_page):
    for path in PAGES:
        seen = load_page(hostile.url + path)
        assert seen["dialogs"] == [] and seen["errors"] == [] and seen["console"] == [], path
        assert all(url.startswith(hostile.url) for url in seen["requests"]), seen["requests"]
    assert "<script>alert('label')</script>" in load_page(hostile.url + "/iraq/event/hostile.html")["text"][0]
