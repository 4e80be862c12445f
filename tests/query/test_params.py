"""Typed parameters: text becomes exactly one checked RDF term, with clear errors naming the parameter."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgtool.errors import UsageError
from kgtool.query.params import Param, bind, parse_assignments, to_term

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("param", "text", "term"),
    [
        (Param("s"), "Donald Trump", ox.Literal("Donald Trump")),
        (Param("s"), 'a "quoted" } UNION { ?x ?y ?z', ox.Literal('a "quoted" } UNION { ?x ?y ?z')),
        (Param("n", type="integer"), "+0042", ox.Literal("42", datatype=ox.NamedNode(XSD + "integer"))),
        (Param("n", type="integer"), "-7", ox.Literal("-7", datatype=ox.NamedNode(XSD + "integer"))),
        (
            Param("d", type="date"),
            "2020-01-05",
            ox.Literal("2020-01-05", datatype=ox.NamedNode(XSD + "date")),
        ),
        (Param("l", type="lang-string"), "withdrawal@EN", ox.Literal("withdrawal", language="en")),
        (Param("l", type="lang-string"), "a@b@de-AT", ox.Literal("a@b", language="de-at")),
        (Param("l", type="lang-string", lang="en"), "plain text", ox.Literal("plain text", language="en")),
        (Param("i", type="iri"), "https://w3id.org/x/y", ox.NamedNode("https://w3id.org/x/y")),
        (Param("i", type="iri"), "<urn:isbn:123>", ox.NamedNode("urn:isbn:123")),
        (Param("i", type="iri"), "ex:thing", ox.NamedNode("http://example.org/thing")),
        # grlc/BASIL types: number is typed by its form, as SPARQL types a number token
        (Param("n", type="number"), "5200", ox.Literal("5200", datatype=ox.NamedNode(XSD + "integer"))),
        (Param("n", type="number"), "-2.50", ox.Literal("-2.50", datatype=ox.NamedNode(XSD + "decimal"))),
        (Param("n", type="number"), "1e3", ox.Literal("1e3", datatype=ox.NamedNode(XSD + "double"))),
        (Param("s", type="literal"), "x", ox.Literal("x")),
        (Param("y", type="gYear"), " 2020 ", ox.Literal("2020", datatype=ox.NamedNode(XSD + "gYear"))),
        (Param("b", type="boolean"), "1", ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
        (Param("d", type="decimal"), "2.5", ox.Literal("2.5", datatype=ox.NamedNode(XSD + "decimal"))),
        (
            Param("u", type="unsignedByte"),
            "255",
            ox.Literal("255", datatype=ox.NamedNode(XSD + "unsignedByte")),
        ),
        (
            Param("c", type="ex:code", datatype="http://example.org/code"),
            "A-1",
            ox.Literal("A-1", datatype=ox.NamedNode("http://example.org/code")),
        ),
        # a fixed-language parameter binds the text its example shows, tagged or not
        (Param("l", type="lang-string", lang="en"), "withdrawal", ox.Literal("withdrawal", language="en")),
        (Param("l", type="lang-string", lang="en"), "withdrawal@en", ox.Literal("withdrawal", language="en")),
        (Param("l", type="lang-string", lang="en"), "a@b.de", ox.Literal("a@b.de", language="en")),
    ],
)
def test_values_become_terms(param, text, term):
    assert to_term(param, text, {"ex": "http://example.org/"}) == term


@pytest.mark.parametrize(
    ("param", "text", "message"),
    [
        (
            Param("n", type="integer"),
            "5k",
            "parameter 'n' expects an xsd:integer like 5200, got '5k', e.g. -p n=5200",
        ),
        (
            Param("d", type="date", example="2011-12-18"),
            "2020-02-30",
            "parameter 'd' expects an xsd:date like 2020-01-05, got '2020-02-30', e.g. -p d=2011-12-18",
        ),
        (
            Param("d", type="date"),
            "5 Jan 2020",
            "parameter 'd' expects an xsd:date like 2020-01-05, got '5 Jan 2020', e.g. -p d=2020-01-05",
        ),
        (
            Param("l", type="lang-string"),
            "no tag",
            "parameter 'l' expects text with a language tag, like withdrawal@en, got 'no tag', "
            "e.g. -p l=withdrawal@en",
        ),
        (
            Param("i", type="iri"),
            "donald trump",
            "parameter 'i' expects an absolute IRI (or prefix:name with a prefix the query or graph "
            "declares), got 'donald trump', e.g. -p i=https://w3id.org/kgtool/iraq/actor/donald-trump",
        ),
    ],
)
def test_ill_typed_values_are_refused_with_an_example(param, text, message):
    with pytest.raises(UsageError) as info:
        to_term(param, text)
    assert info.value.message == message


@pytest.mark.parametrize(
    ("param", "text", "message"),
    [
        (
            Param("n", type="number"),
            "5,200",
            "parameter 'n' expects a number (integer, decimal or double), got '5,200', e.g. -p n=5200",
        ),
        (
            Param("y", type="gYear"),
            "20",
            "parameter 'y' expects an xsd:gYear like 2020, got '20', e.g. -p y=2020",
        ),
        (
            Param("b", type="boolean"),
            "yes",
            "parameter 'b' expects an xsd:boolean like true, got 'yes', e.g. -p b=true",
        ),
        (
            Param("u", type="unsignedByte"),
            "256",
            "parameter 'u' expects an xsd:unsignedByte, got '256', e.g. -p u=value",
        ),
    ],
)
def test_grlc_types_check_the_lexical_space(param, text, message):
    with pytest.raises(UsageError) as info:
        to_term(param, text)
    assert info.value.message == message


@pytest.mark.parametrize(
    ("param", "option"),
    [
        (Param("actor"), "-p 'actor=Donald Trump'"),
        (Param("o", enum=("v1", "v2")), "-p o=v1"),
        (Param("t", type="lang-string", lang="en"), "-p t=withdrawal"),
        (Param("q", example="it's"), "-p 'q=it'\"'\"'s'"),
    ],
)
def test_examples_paste_into_a_shell(param, option):
    assert param.example_option() == option


def test_iri_with_spaces_is_refused_not_spliced():
    with pytest.raises(UsageError) as info:
        to_term(Param("i", type="iri"), "http://x/> } ; DROP ALL ; <http://y")
    assert info.value.message.startswith("parameter 'i' expects a valid IRI")


PARAMS = (
    Param("actor", required=True, example="Donald Trump"),
    Param("since", type="date", default="2011-01-01"),
    Param("kind", enum=("vote", "strike")),
    Param("speaker", type="iri", variable="__speaker_iri"),
)


def test_bind_fills_defaults_and_leaves_optional_unbound():
    assert bind(PARAMS, {"actor": "Donald Trump"}) == {
        "_actor": ox.Literal("Donald Trump"),
        "_since": ox.Literal("2011-01-01", datatype=ox.NamedNode(XSD + "date")),
    }


def test_bind_uses_the_basil_variable():
    bound = bind(PARAMS, {"actor": "x", "speaker": "https://w3id.org/kgtool/iraq/actor/a", "kind": "vote"})
    assert bound["__speaker_iri"] == ox.NamedNode("https://w3id.org/kgtool/iraq/actor/a")
    assert bound["_kind"] == ox.Literal("vote")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "missing required parameter 'actor' (string), e.g. -p 'actor=Donald Trump'"),
        ({"actor": ""}, "required parameter 'actor' (string) may not be empty, e.g. -p 'actor=Donald Trump'"),
        (
            {"actor": " \t"},
            "required parameter 'actor' (string) may not be empty, e.g. -p 'actor=Donald Trump'",
        ),
        (
            {"actor": "x", "actr": "y"},
            "unknown parameter 'actr' (known: actor, since, kind, speaker); did you mean 'actor'?",
        ),
        ({"actor": "x", "kind": "raid"}, "parameter 'kind' must be one of vote, strike; got 'raid'"),
    ],
)
def test_bind_errors(values, message):
    with pytest.raises(UsageError) as info:
        bind(PARAMS, values)
    assert info.value.message == message


def test_query_without_params_refuses_any():
    with pytest.raises(UsageError) as info:
        bind((), {"x": "1"})
    assert info.value.message == "unknown parameter 'x': this query takes no parameters"


def test_parse_assignments():
    assert parse_assignments(["actor=Donald Trump", "q=a=b", "e="]) == {
        "actor": "Donald Trump",
        "q": "a=b",
        "e": "",
    }
    with pytest.raises(UsageError, match="is not name=value"):
        parse_assignments(["actor"])
    with pytest.raises(UsageError, match="given twice"):
        parse_assignments(["a=1", "a=2"])
