"""Paging as the query's own LIMIT/OFFSET: taken within the query's own, subqueries untouched."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgtool.errors import UsageError
from kgtool.query.runner import Page, paging
from kgtool.query.slicing import Slice, apply

STORE = ox.Store()
for i in range(10):
    STORE.add(ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i))))


def values(text: str) -> list[str]:
    return [solution[0].value for solution in STORE.query(text)]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("query", "part", "expected"),
    [
        ("SELECT ?o { ?s ?p ?o } ORDER BY ?o", Slice(2, 3), ["2", "3", "4"]),
        ("SELECT ?o { ?s ?p ?o } ORDER BY ?o LIMIT 5", Slice(3, 100), ["3", "4"]),
        ("SELECT ?o { ?s ?p ?o } ORDER BY ?o LIMIT 5 OFFSET 4", Slice(1, 2), ["5", "6"]),
        ("SELECT ?o { ?s ?p ?o } ORDER BY ?o OFFSET 8", Slice(0, 5), ["8", "9"]),
        ("SELECT ?o { ?s ?p ?o } ORDER BY ?o LIMIT 2", Slice(5, None), []),
        (
            "SELECT ?o { { SELECT ?o { ?s ?p ?o } ORDER BY ?o LIMIT 4 } } ORDER BY DESC(?o)",
            Slice(1, 2),
            ["2", "1"],
        ),
        ('SELECT ?o { ?s ?p ?o } ORDER BY ?o VALUES ?o { "1" "2" "3" }', Slice(1, 1), ["2"]),
        ("SELECT ?o { ?s ?p ?o } ORDER BY ?o # a comment at the very end", Slice(0, 1), ["0"]),
        ("SELECT ?o { ?s ?p ?o } ORDER BY ?o\nlimit 3", Slice(0, 1), ["0"]),
    ],
)
def test_slice_is_taken_within_the_query(query, part, expected):
    assert values(apply(query, part)) == expected


def test_old_clauses_are_blanked_so_positions_stay():
    text = "SELECT ?o {\n ?s ?p ?o }\nLIMIT 5 OFFSET 2 # note"
    sliced = apply(text, Slice(0, 1))
    assert sliced.splitlines()[:3] == ["SELECT ?o {", " ?s ?p ?o }", "                 # note"]
    assert sliced.splitlines()[3] == "LIMIT 1 OFFSET 2"


@pytest.mark.parametrize(
    ("pagination", "limit", "offset", "page", "expected"),
    [
        (None, None, None, None, (None, None)),
        (None, 10, None, None, (Slice(0, 10), None)),
        (None, None, 5, None, (Slice(5, None), None)),
        (50, None, None, None, (None, Page(1, 50))),
        (50, None, None, 3, (None, Page(3, 50))),
        (50, 20, None, 2, (None, Page(2, 20))),
        (50, 20, 7, None, (Slice(7, 20), None)),
        (None, 25, None, 4, (None, Page(4, 25))),
    ],
)
def test_paging_options(pagination, limit, offset, page, expected):
    assert paging(pagination, limit, offset, page) == expected


def test_paging_errors():
    with pytest.raises(UsageError, match="--page needs a page size"):
        paging(None, None, None, 2)
    with pytest.raises(UsageError, match="--page and --offset both say where to start"):
        paging(10, None, 5, 2)
