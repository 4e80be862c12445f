"""Saved queries as a Web API (grlc's shape) and the OpenAPI document generated from their headers."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from openapi_spec_validator import validate

from kgtool.formats import TSV
from kgtool.query.result_formats import render
from tests.web.conftest import start_server

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = json.loads((FIXTURES.parent / "golden" / "cases.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def grlc_server():
    """A server of the grlc fixture graph: BASIL-typed parameters, an enumerated and paginated query."""
    with start_server("--infer", "none", kg=FIXTURES / "grlc-kg") as started:
        yield started


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_every_saved_query_answers_as_the_cli_does(server, run, shipped_kg, case):
    answer = server.get(
        f"/api/{case['query']}?{urlencode(case['params'])}", accept="text/tab-separated-values"
    )
    assert answer.status == 200, answer.text
    local = run.saved(shipped_kg, case["query"], case["params"], infer="owlrl")
    assert answer.text == render(local, TSV)


@pytest.mark.parametrize(
    ("suffix", "media_type", "first"),
    [
        ("csv", "text/csv; charset=utf-8", "date,dateInPost,postDate"),
        ("tsv", "text/tab-separated-values; charset=utf-8", "?date\t?dateInPost"),
        ("json", "application/sparql-results+json", '{"head":{"vars":["date"'),
        ("xml", "application/sparql-results+xml", "<?xml"),
        ("html", "text/html; charset=utf-8", "<!DOCTYPE html>"),
    ],
)
def test_a_suffix_forces_the_format_whatever_accept_says(server, suffix, media_type, first):
    answer = server.get(f"/api/timeline.{suffix}", accept="application/sparql-results+xml;q=0.1")
    assert answer.status == 200
    assert answer.header("content-type") == media_type
    assert answer.text.startswith(first)


def test_accept_picks_the_format_and_a_browser_gets_a_table(server):
    assert server.get("/api/timeline", accept="text/csv").header("content-type") == "text/csv; charset=utf-8"
    page = server.get("/api/timeline", accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert page.header("content-type") == "text/html; charset=utf-8"
    assert '<a href="/iraq/event/2020-01-05-parliament-vote.html"' in page.text
    assert server.get("/api/timeline", accept="image/png").status == 406
    assert server.get("/api/timeline.png").status == 404
    assert server.get("/api/timeline.ttl").status == 404  # rows, not a graph


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            "/api/events-by-actor",
            "missing required parameter 'actor' (name or iri), e.g. -p 'actor=Donald Trump'",
        ),
        ("/api/timeline?actor=Trump", "unknown parameter 'actor': this query takes no parameters"),
        ("/api/events-by-actor?actor=Trump&actor=Obama", "parameter 'actor' given twice"),
        ("/api/events-by-actor?actr=Trump", "unknown parameter 'actr' (known: actor); did you mean 'actor'?"),
        ("/api/nope", "no saved query 'nope'; /api/openapi.json lists them"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(server, path, message):
    answer = server.get(path)
    assert answer.status == (404 if "nope" in path else 400)
    assert answer.text == message + "\n"


def test_typed_parameters_are_checked_as_the_cli_checks_them(grlc_server):
    base = {"label": "troops in Iraq", "place": "https://example.org/grlc-kg/iraq", "count": "2500"}
    base |= {"status": "v1", "wording": "about 2,500", "exact": "2500", "day": "2021-12-09"}
    found = grlc_server.get("/api/basil-types.json?" + urlencode(base))
    assert found.status == 200, found.text
    assert len(json.loads(found.body)["results"]["bindings"]) == 1
    for name, value, expected in [
        ("count", "many", "parameter 'count' expects a number (integer, decimal or double), got 'many'"),
        ("day", "2021-13-45", "parameter 'day' expects an xsd:date like 2020-01-05, got '2021-13-45'"),
        ("place", "not an iri", "parameter 'place' expects an absolute IRI"),
    ]:
        answer = grlc_server.get("/api/basil-types.json?" + urlencode({**base, name: value}))
        assert answer.status == 400
        assert answer.text.startswith(expected)


def test_a_name_the_cli_would_note_comes_back_in_a_header(server):
    answer = server.get("/api/events-by-actor.csv?actor=Trump")
    assert answer.header("x-kgtool-note") == (
        "actor 'Trump' is Donald Trump <https://w3id.org/kgtool/iraq/actor/donald-trump> (by family name)"
    )
    assert answer.text.count("\n") == 3


def test_pagination_as_the_header_declares_with_link_headers(grlc_server):
    first = grlc_server.get("/api/enumerated.csv?status=v1")
    assert first.status == 200
    assert first.text.count("\r\n") == 3  # the header line and 2 rows
    assert first.header("link") == (
        '</api/enumerated?status=v1&page=1>; rel="first", </api/enumerated?status=v1&page=2>; rel="next"'
    )
    pages, page = [first.text.split("\r\n", 1)[1]], 2
    while True:
        answer = grlc_server.get(f"/api/enumerated.csv?status=v1&page={page}")
        pages.append(answer.text.split("\r\n", 1)[1])
        if 'rel="next"' not in answer.header("link"):
            break
        assert f'</api/enumerated?status=v1&page={page - 1}>; rel="prev"' in answer.header("link")
        page += 1
    whole = grlc_server.get(
        "/sparql?"
        + urlencode(
            {"query": 'SELECT ?p ?o WHERE { ?f <https://w3id.org/kgtool/ontology#status> "v1" ; ?p ?o }'}
        ),
        accept="text/csv",
    )
    assert sum(p.count("\r\n") for p in pages) == whole.text.count("\r\n") - 1
    assert grlc_server.get("/api/enumerated.csv?status=v1&page=0").status == 400
    assert grlc_server.get("/api/enumerated.csv?status=v3").text.startswith(
        "parameter 'status' must be one of v1, v2"
    )


def test_the_openapi_document_validates_and_describes_every_query(server):
    document = json.loads(server.get("/api/openapi.json").body)
    validate(document)
    assert document["openapi"].startswith("3.")
    operations = {
        path: item["get"]["operationId"] for path, item in document["paths"].items() if path != "/sparql"
    }
    assert operations == {f"/api/{c['query']}": c["query"] for c in CASES} | {"/api/timeline": "timeline"}
    actor = document["paths"]["/api/events-by-actor"]["get"]["parameters"][0]
    assert (actor["name"], actor["in"], actor["required"]) == ("actor", "query", True)
    assert actor["example"] == "Donald Trump"


def test_the_openapi_document_carries_types_enums_defaults_and_pages(grlc_server):
    document = json.loads(grlc_server.get("/api/openapi.json").body)
    validate(document)
    params = {p["name"]: p for p in document["paths"]["/api/basil-types"]["get"]["parameters"]}
    assert params["count"]["schema"] == {"type": "number"}
    assert params["exact"]["schema"] == {"type": "integer"}
    assert params["day"]["schema"] == {"type": "string", "format": "date"}
    assert params["estimate"]["schema"] == {"type": "boolean"} and not params["estimate"]["required"]
    assert params["place"]["schema"] == {"type": "string", "format": "iri"}
    enumerated = {p["name"]: p for p in document["paths"]["/api/enumerated"]["get"]["parameters"]}
    assert enumerated["status"]["schema"]["enum"] == ["v1", "v2"]
    assert enumerated["page"]["schema"] == {"type": "integer", "minimum": 1, "default": 1}
    operation = document["paths"]["/api/basil-types"]["get"]
    assert operation["tags"] == ["grlc", "basil"]
    assert set(operation["responses"]["200"]["content"]) >= {"application/sparql-results+json", "text/csv"}
