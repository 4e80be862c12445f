"""Read-only safety and parameter substitution over SPARQL tokens."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgtool.errors import QueryError
from kgtool.query.read_only_guard import check_read_only, substitute, syntax_error, tokenize


def test_tokenizer_skips_strings_iris_and_comments():
    text = "SELECT ?x # DELETE\nWHERE { ?x <http://e/p> \"INSERT \\\" SERVICE\" ; ex:drop '''LOAD\n''' }"
    kinds = [(t.kind, t.text) for t in tokenize(text)]
    assert kinds == [
        ("word", "SELECT"),
        ("var", "?x"),
        ("word", "WHERE"),
        ("punct", "{"),
        ("var", "?x"),
        ("iri", "<http://e/p>"),
        ("string", '"INSERT \\" SERVICE"'),
        ("punct", ";"),
        ("pname", "ex:drop"),
        ("string", "'''LOAD\n'''"),
        ("punct", "}"),
    ]
    assert [(t.line, t.column) for t in tokenize(text)][2] == (2, 1)


def test_less_than_is_not_an_iri():
    assert [t.kind for t in tokenize("FILTER(?a < 3 && ?b<=?c)")] == [
        "word", "punct", "var", "punct", "number", "punct", "var", "punct", "var", "punct",
    ]  # fmt: skip


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
        check_read_only(text, source="q.rq")
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
    shape = check_read_only(text)
    assert shape.form == "SELECT"
    assert shape.prefixes == {"ex": "http://example.org/"}
    assert list(shape.variables) == ["insert", "delete"]


def test_kgtool_named_graphs_may_be_named():
    shape = check_read_only("ASK FROM <https://w3id.org/kgtool/graph/inferred> { ?s ?p ?o }")
    assert shape.form == "ASK"


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
    assert substitute(text, {"_v": LIT}) == expected
    ox.Store().query(expected)  # still one valid query: the value could not change its structure


def test_substitute_refuses_assigning_a_parameter():
    with pytest.raises(QueryError) as info:
        substitute("SELECT ?s WHERE { ?s ?p ?o BIND(?o AS ?_v) }", {"_v": LIT}, source="q.rq")
    assert (info.value.line, info.value.column) == (1, 39)
    assert info.value.message == "?_v is a parameter, so the query may not assign it (AS / VALUES)"


def test_syntax_error_positions_from_both_parsers():
    with pytest.raises(SyntaxError) as ox_info:
        ox.Store().query("SELECT ?x WHERE {\n ?x ?p \n}")
    error = syntax_error(ox_info.value, source="q.rq")
    assert (error.line, error.column, error.message) == (3, 2, "SPARQL syntax error: expected OPTIONAL")

    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    with pytest.raises(ParseException) as rdflib_info:
        prepareQuery("SELECT ?x WHERE {\n ?x ?p \n}")
    error = syntax_error(rdflib_info.value, source="q.rq")
    assert (error.file, error.line, error.column) == ("q.rq", 2, 2)
    assert error.message.startswith("SPARQL syntax error: ")


def test_codepoint_escapes_cannot_hide_a_keyword():
    with pytest.raises(QueryError, match="SERVICE is refused"):
        check_read_only("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match=r"SPARQL Update \(INSERT\) is refused"):
        check_read_only("\\U00000049NSERT DATA { <http://a> <http://b> <http://c> }")


def test_prefixed_names_keep_their_escapes():
    text = "?a ex:a\\'b\\,c. 'x'"
    assert [(t.kind, t.text) for t in tokenize(text)] == [
        ("var", "?a"),
        ("pname", "ex:a\\'b\\,c"),
        ("punct", "."),
        ("string", "'x'"),
    ]


def test_service_behind_a_literal_the_check_misreads_is_refused_by_the_parser():
    text = "SELECT ?s WHERE { ?s <http://x/p'q> ?o . FILTER(?a<'>')\n  SERVICE <http://127.0.0.1:9/> { } } #'"
    with pytest.raises(QueryError) as info:
        check_read_only(text, source="q.rq")
    assert (info.value.line, info.value.column, info.value.message) == (
        2,
        3,
        "SERVICE is refused: kgtool never sends queries to remote endpoints",
    )
