"""The pages of the real server in headless Chromium: no console message, no script error, no request
to anywhere but the server itself, and what a reader came for on screen (the events, the timeline,
the verbatim quotes, a quote's span in the post when its link is followed)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

QUOTED = "/iraq/event/2020-01-07-trump-remarks-at-the-white-house.html"
SPAN = "/iraq/source/compilation-post.html#span-trump-worst-thing-to-happen-to-iraq"


def clean(server, seen: dict[str, list[str]]) -> None:
    assert seen["console"] == [] and seen["errors"] == [] and seen["failed"] == [] and seen["dialogs"] == []
    outside = [url for url in seen["requests"] if not url.startswith(server.url + "/")]
    assert outside == []


def test_the_home_page_lists_events_and_queries_and_shows_the_timeline(server, load_page, event_labels):
    seen = load_page(server.url + "/")
    clean(server, seen)
    text = seen["text"][0]
    for label in event_labels:
        assert label in text
    for name in ("timeline", "events-by-actor", "quotes", "troop-figures"):
        assert name in text
    assert int(seen["svg"][0]) >= 1  # the timeline picture, inline


def test_an_event_page_shows_its_quotes(server, load_page, run, shipped_kg):
    seen = load_page(server.url + QUOTED)
    clean(server, seen)
    words = (
        run.text(
            shipped_kg,
            "SELECT ?t WHERE { <https://w3id.org/kgtool/iraq/quote/trump-worst-thing-to-happen-to-iraq> "
            "<https://w3id.org/kgtool/ontology#text> ?t }",
        )
        .all_rows()[0][0]
        .value
    )
    assert f"“{words}”" in seen["text"][0]
    assert "in the text of Compilation post" in seen["text"][0]


def test_a_quote_link_lands_on_its_span_in_the_post(server, load_page, run, shipped_kg):
    exact = (
        run.text(
            shipped_kg,
            "SELECT ?e WHERE { <https://w3id.org/kgtool/iraq/annotation/trump-worst-thing-to-happen-to-iraq> "
            "<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?e }",
        )
        .all_rows()[0][0]
        .value
    )
    seen = load_page(server.url + SPAN)
    clean(server, seen)
    assert seen["fragment"] == [exact]


@pytest.mark.parametrize("path", ["/api/timeline.html", "/sparql", "/iraq/actor/donald-trump.html"])
def test_other_pages_load_cleanly(server, load_page, path):
    seen = load_page(server.url + path)
    clean(server, seen)
    assert seen["text"][0].strip()
