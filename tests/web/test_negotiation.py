"""Accept headers read as RFC 9110 reads them: q-values, the most specific range, exact aliases."""

from __future__ import annotations

import pytest

from kgtool.web.negotiation import Offer, choose, parse_accept

OFFERS = (
    Offer(("application/sparql-results+json", "application/json"), "json"),
    Offer(("application/sparql-results+xml", "application/xml"), "xml"),
    Offer(("text/csv",), "csv"),
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("text/csv", "csv"),
        ("text/csv;q=0.2, application/sparql-results+xml;q=0.3", "xml"),
        ("application/*;q=0.5, text/csv;q=0.4", "json"),
        ("application/xml", "xml"),
        ("text/*;q=0.9, */*;q=0.1", "csv"),
        ("text/csv;q=0, */*", "json"),
        ("application/sparql-results+json;q=0, application/*", "xml"),
        ("application/json;q=0, */*;q=0.5", "xml"),  # a named alias refuses its format
        ("TEXT/CSV; Q=1", "csv"),
        ("text/csv;q=abc", "csv"),  # a malformed q counts as 1
        ("garbage, text/csv", "csv"),
        ("image/png", None),
        ("text/csv;q=0", None),
        ("*/*;q=0", None),
    ],
)
def test_choose(header, expected):
    found = choose(header, OFFERS)
    assert (found.value if found else None) == expected


def test_explicit_beats_wildcard_on_a_tie_then_the_route_decides():
    offers = (Offer(("text/turtle",), "ttl"), Offer(("text/html",), "html"))
    assert choose("text/html, */*", offers).value == "html"
    assert choose("*/*", offers).value == "ttl"
    assert choose("text/*", offers).value == "ttl"


def test_parse_accept_skips_what_is_not_a_media_range():
    ranges = parse_accept("text/html;level=1;q=0.7, bogus, */html, application/json ;q= 0.5")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [("text", "html", 0.7), ("application", "json", 0.5)]
