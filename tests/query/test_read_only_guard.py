"""Read-only safety: Update, SERVICE and remote FROM are refused, at their position, however written."""

from __future__ import annotations

import pytest

from kgtool.errors import QueryError
from kgtool.query.prepared import prepare


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("INSERT DATA { <a> <b> <c> }", 1, 1, "SPARQL Update (INSERT) is refused: kgtool queries are read-only"),  # noqa: E501
        ("PREFIX e: <x:>\nDELETE WHERE { ?s ?p ?o }", 2, 1, "SPARQL Update (DELETE) is refused: kgtool queries are read-only"),  # noqa: E501
        ("LOAD <http://example.org/data.ttl>", 1, 1, "SPARQL Update (LOAD) is refused: kgtool queries are read-only"),  # noqa: E501
        ("SELECT * WHERE { ?s ?p ?o } ;\nDROP ALL", 2, 1, "SPARQL Update (DROP) is refused: kgtool queries are read-only"),  # noqa: E501
        (
            "SELECT * WHERE {\n  SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }",
            2,
            3,
            "SERVICE is refused: kgtool never sends queries to remote endpoints",
        ),
        (
            "SELECT * FROM <http://dbpedia.org/> WHERE { ?s ?p ?o }",
            1,
            15,
            "FROM <http://dbpedia.org/> is refused: kgtool never loads remote graphs "
            "(only its own named graphs https://w3id.org/kgtool/graph/... may be named)",
        ),
        (
            "PREFIX d: <http://dbpedia.org/>\nSELECT * FROM NAMED d:g WHERE { ?s ?p ?o }",
            2,
            21,
            "FROM d:g is refused: kgtool never loads remote graphs "
            "(only its own named graphs https://w3id.org/kgtool/graph/... may be named)",
        ),
    ],
)  # fmt: skip
def test_unsafe_queries_are_refused_with_position(text, line, column, message):
    with pytest.raises(QueryError) as info:
        prepare(text, source="q.rq")
    assert (info.value.file, info.value.line, info.value.column, info.value.message) == (
        "q.rq",
        line,
        column,
        message,
    )


def test_keywords_inside_names_strings_and_variables_are_fine():
    text = (
        "PREFIX ex: <http://example.org/>\n"
        'SELECT ?insert ?delete WHERE { ?insert ex:load "DROP SERVICE" . # CLEAR\n'
        "  ?delete ex:service <http://example.org/FROM> }"
    )
    shape = prepare(text)
    assert shape.form == "SELECT"
    assert shape.prefixes == {"ex": "http://example.org/"}
    assert list(shape.variables) == ["insert", "delete"]


def test_kgtool_named_graphs_may_be_named():
    shape = prepare("ASK FROM <https://w3id.org/kgtool/graph/inferred> { ?s ?p ?o }")
    assert shape.form == "ASK"


def test_codepoint_escapes_cannot_hide_a_keyword():
    with pytest.raises(QueryError, match="SERVICE is refused"):
        prepare("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match=r"SPARQL Update \(INSERT\) is refused"):
        prepare("\\U00000049NSERT DATA { <http://a> <http://b> <http://c> }")


def test_service_behind_a_literal_the_check_misreads_is_refused_by_the_parser():
    text = "SELECT ?s WHERE { ?s <http://x/p'q> ?o . FILTER(?a<'>')\n  SERVICE <http://127.0.0.1:9/> { } } #'"
    with pytest.raises(QueryError) as info:
        prepare(text, source="q.rq")
    assert (info.value.line, info.value.column, info.value.message) == (
        2,
        3,
        "SERVICE is refused: kgtool never sends queries to remote endpoints",
    )
