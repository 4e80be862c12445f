"""Linked-data pages: every IRI of the graph resolves at /iraq/..., content negotiation by 303, and the
HTML shows what a reader needs (dates at their precision, participants, sources with headlines, the
verbatim quotes linked to their span in the post's text, outside facts marked)."""

from __future__ import annotations

import http.client
import json
from html import unescape

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kgtool.store.dataset import open_dataset
from tests.web.conftest import BASE, iri_path

VOTE = "/iraq/event/2020-01-05-parliament-vote"


@pytest.fixture(scope="module")
def subjects(shipped_kg) -> list[str]:
    """Every IRI under the graph's base that has a triple of its own."""
    store = open_dataset(shipped_kg).store
    found = {
        q.subject.value
        for q in store
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(BASE)
    }
    assert len(found) > 150
    return sorted(found)


@pytest.mark.parametrize(
    ("accept", "suffix"),
    [
        (None, "html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("*/*", "ttl"),
        ("text/turtle;q=0.5, application/ld+json", "jsonld"),
        ("text/html;q=0.9, text/turtle;q=0.1", "html"),
        ("application/x-turtle", "ttl"),
    ],
)
def test_a_resource_answers_303_to_the_document_accept_prefers(server, accept, suffix):
    answer = server.get(VOTE, accept=accept)
    assert answer.status == 303
    assert answer.header("location") == f"{VOTE}.{suffix}"
    assert answer.header("vary") == "Accept"


def test_nothing_acceptable_is_406_and_nothing_known_is_404(server):
    refused = server.get(VOTE, accept="image/png, text/turtle;q=0")
    assert refused.status == 406 and refused.header("vary") == "Accept"
    assert server.get("/iraq/event/1999-01-01-nothing").status == 404
    assert server.get("/iraq/event/1999-01-01-nothing.html").status == 404


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [
        ("html", "text/html; charset=utf-8"),
        ("ttl", "text/turtle; charset=utf-8"),
        ("jsonld", "application/ld+json"),
    ],
)
def test_each_document_names_the_other_two(server, suffix, media_type):
    answer = server.get(f"{VOTE}.{suffix}")
    assert answer.status == 200
    assert answer.header("content-type") == media_type
    others = {"html": "text/html", "ttl": "text/turtle", "jsonld": "application/ld+json"}
    del others[suffix]
    expected = ", ".join(f'<{VOTE}.{s}>; rel="alternate"; type="{t}"' for s, t in others.items())
    assert answer.header("link") == expected
    if suffix == "html":
        for s, t in others.items():
            assert f'<link rel="alternate" type="{t}" href="{VOTE}.{s}">' in answer.text


def test_turtle_and_json_ld_hold_the_same_triples(server, shipped_kg):
    turtle = rdflib.Graph().parse(data=server.get(f"{VOTE}.ttl").body, format="turtle")
    document = json.loads(server.get(f"{VOTE}.jsonld").body)
    assert isinstance(document["@context"], dict)  # the graph's own context, inline: nothing to fetch
    jsonld = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    assert isomorphic(turtle, jsonld)
    vote = rdflib.URIRef(BASE + "event/2020-01-05-parliament-vote")
    label = rdflib.Literal("Iraqi parliament votes for all foreign troops to leave Iraq", lang="en")
    assert (vote, rdflib.RDFS.label, label) in turtle
    assert (
        vote,
        rdflib.URIRef("https://w3id.org/kgtool/ontology#date"),
        rdflib.Literal("2020-01", datatype=rdflib.XSD.gYearMonth),
    ) in turtle
    assert len(list(turtle.subjects(None, vote))) >= 3  # what links to it, too


def test_every_resource_of_the_graph_resolves(server, subjects):
    for iri in subjects:
        path = iri_path(iri)
        assert server.get(path).header("location") == f"{path}.html", iri
        page = server.get(f"{path}.html")
        assert page.status == 200, (iri, page.text)
        assert iri in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/iraq/../sparql?query=ASK%7B%7D",
        "/iraq/event/..%2F..%2Fsparql",
        "/iraq/event%2F2020-01-05-parliament-vote",
        "/iraq/%2e%2e/api/timeline",
        "/iraq/event/./2020-01-05-parliament-vote",
        "/iraq//event/2020-01-05-parliament-vote",
        "/iraq/event/2020-01-05-parliament-vote/",
        "/iraq/event%5C2020-01-05-parliament-vote",
        "/iraq/",
    ],
)
def test_no_path_leaves_the_graph(server, path):
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", path)  # sent as written: no client normalises the dots away
    answer = connection.getresponse()
    assert answer.status == 404, path
    connection.close()


def text_of(server, path: str) -> str:
    answer = server.get(path)
    assert answer.status == 200, answer.text
    return unescape(answer.text)


def test_an_event_page_shows_dates_participants_sources_and_outside_facts(server):
    page = text_of(server, f"{VOTE}.html")
    assert "<h1>Iraqi parliament votes for all foreign troops to leave Iraq" in page
    assert ">Parliamentary vote</a>" in page
    assert 'January 2020 <span class="note">(month, 2020-01)</span>' in page
    assert '5 January 2020 <span class="note">(day, 2020-01-05)</span>' in page
    outside_date = page.split("5 January 2020 <span", 1)[1].split("</li>", 1)[0]
    assert "outside the post" in outside_date and "Modeling brief" in outside_date
    assert "the post: “In January 2020”" in page
    assert '<td class="acting"><a href="/iraq/actor/iraqi-parliament.html"' in page
    assert ">target</a>" in page
    assert "Compilation post on US troops in Iraq, 2011-2021, by Ryuu96" in page


def test_sources_show_their_headlines(server):
    page = text_of(server, "/iraq/event/2020-01-05-trump-threatens-sanctions.html")
    assert "<cite>Iraqi Parliament Votes to Expel US Troops</cite>" in page
    assert "<cite>Trump Threatens Iraq With Sanctions If US Troops Are Expelled</cite>" in page
    assert "5 January 2020" in page


def test_quotes_are_verbatim_and_link_to_their_span_in_the_post(server, run, shipped_kg):
    quotes = run.text(
        shipped_kg,
        "PREFIX kgo: <https://w3id.org/kgtool/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#> "
        "SELECT ?event ?text ?selection ?exact WHERE { ?q kgo:occasion ?event ; kgo:text ?text ; "
        "kgo:inPostAt ?selection . ?selection oa:hasSelector/oa:exact ?exact }",
    ).all_rows()
    assert len(quotes) == 6
    post = text_of(server, "/iraq/source/compilation-post.html")
    for event, words, selection, exact in quotes:
        page = text_of(server, iri_path(event.value) + ".html")
        assert f"<p>“{words.value}”</p>" in page
        anchor = "span-" + selection.value.rsplit("/", 1)[1]
        assert f'href="/iraq/source/compilation-post.html#{anchor}"' in page
        marked = post.split(f'<mark id="{anchor}"', 1)[1].split(">", 1)[1].split("</mark>", 1)[0]
        assert marked == exact.value


def test_a_resource_known_only_from_outside_is_marked(server):
    page = text_of(server, "/iraq/event/2021-12-09-end-of-us-combat-mission-in-iraq.html")
    assert "known only from outside the post" in page
