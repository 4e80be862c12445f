"""Parameters go into a query as one escaped RDF term token each: a value never changes its structure."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgtool.errors import QueryError
from kgtool.query.prepared import PreparedQuery
from kgtool.query.substitution import substitute

LIT = ox.Literal('a "b" } ; DROP ALL ; #\nc')


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT ?s WHERE { ?s ?p ?_v }", 'SELECT ?s WHERE { ?s ?p "a \\"b\\" } ; DROP ALL ; #\\nc" }'),
        ("SELECT ?s ?_v WHERE { ?s ?p ?_v }", 'SELECT ?s ("a \\"b\\" } ; DROP ALL ; #\\nc" AS ?_v) WHERE { ?s ?p "a \\"b\\" } ; DROP ALL ; #\\nc" }'),  # noqa: E501
        ("ASK { ?s ?p ?o FILTER(!BOUND(?_v) || ?o = ?_v) }", 'ASK { ?s ?p ?o FILTER(!true || ?o = "a \\"b\\" } ; DROP ALL ; #\\nc") }'),  # noqa: E501
        ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?_v ?s", 'SELECT ?s WHERE { ?s ?p ?o } ORDER BY ("a \\"b\\" } ; DROP ALL ; #\\nc") ?s'),  # noqa: E501
        ('SELECT ?s WHERE { ?s ?p "?_v" } # ?_v', 'SELECT ?s WHERE { ?s ?p "?_v" } # ?_v'),
    ],
)  # fmt: skip
def test_substitute_puts_one_escaped_term_in_place_of_the_variable(text, expected):
    assert substitute(PreparedQuery(text), {"_v": LIT}) == expected
    ox.Store().query(expected)  # still one valid query: the value could not change its structure


def test_substitute_refuses_assigning_a_parameter():
    with pytest.raises(QueryError) as info:
        substitute(PreparedQuery("SELECT ?s WHERE { ?s ?p ?o BIND(?o AS ?_v) }", source="q.rq"), {"_v": LIT})
    assert (info.value.line, info.value.column) == (1, 39)
    assert info.value.message == "?_v is a parameter, so the query may not assign it (AS / VALUES)"
