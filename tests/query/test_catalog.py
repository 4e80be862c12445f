"""The saved-query catalog: grlc headers, BASIL parameters, loud errors naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgtool.errors import InputError, QueryError, UsageError
from kgtool.query import catalog
from kgtool.query.params import Param

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = FIXTURES / "query-kg" / "queries"
BAD = FIXTURES / "queries"

# fixture -> (error type, line, exact message after "file:line: ")
MALFORMED = {
    "bad-indent": (InputError, 3, "malformed query header: unexpected indentation"),
    "unknown-key": (
        InputError,
        2,
        "malformed query header: unknown header key 'parms'; did you mean 'params'?",
    ),
    "unknown-type": (
        InputError,
        4,
        "malformed query header: parameter 'actor': unknown type 'uri'; "
        "choose one of iri, string, lang-string, date, integer",
    ),
    "bad-default": (
        InputError,
        5,
        "malformed query header: parameter 'since' expects a date YYYY-MM-DD, got 'yesterday', "
        "e.g. -p since=2020-01-05",
    ),
    "unused-param": (
        InputError,
        5,
        "malformed query header: parameter 'speaker' is declared but the query never uses ?_speaker",
    ),
    "unclosed-quote": (InputError, 1, 'malformed query header: unclosed " quote'),
    "multiline-string": (
        InputError,
        2,
        "malformed query header: multi-line strings are not supported; keep the value on one line",
    ),
    "tab-indent": (InputError, 3, "malformed query header: tab in indentation; indent with spaces"),
    "duplicate-key": (InputError, 3, "malformed query header: key 'summary' appears twice"),
    "required-with-default": (
        InputError,
        3,
        "malformed query header: parameter 'n' is required and has a default; choose one",
    ),
    "not-key-value": (InputError, 2, "malformed query header: expected `key: value`, got 'just some words'"),
    "bad-required": (InputError, 5, "malformed query header: expected true or false, got 'maybe'"),
    "enum-mismatch": (
        InputError,
        5,
        "malformed query header: parameter 'n' expects an integer, got 'three', e.g. -p n=5200",
    ),
    "update": (QueryError, 3, "SPARQL Update (INSERT) is refused: kgtool queries are read-only"),
}


def test_every_malformed_fixture_has_an_expectation():
    assert {p.stem for p in BAD.glob("*.rq")} - {"grlc-style"} == set(MALFORMED)


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_header_names_file_and_line(name):
    error_type, line, message = MALFORMED[name]
    path = BAD / f"{name}.rq"
    with pytest.raises(error_type) as info:
        catalog.read(path)
    assert info.value.file == str(path)
    assert info.value.line == line
    assert info.value.message == message


def test_declared_params_with_types_defaults_examples_and_enums():
    query = catalog.load(MINI, "since")
    assert query.title == "Events since a date"
    assert query.form == "SELECT"
    assert query.params == (
        Param(name="from", type="date", default="2020-01-01", example="2019-01-01"),
        Param(name="kind", type="iri", enum=("kgo:Event",), description="The class of events."),
    )
    assert query.prefixes == {
        "kgo": "https://w3id.org/kgtool/ontology#",
        "schema": "http://schema.org/",
    }


def test_header_fields_and_flow_list_tags():
    query = catalog.load(MINI, "events-by-actor")
    assert query.title == "Events involving one actor"
    assert query.description == "The events an actor took part in; the actor is given by label, slug or IRI."
    assert query.tags == ("events", "actors")
    (actor,) = query.params
    assert actor == Param(
        name="actor",
        type="string",
        required=True,
        example="Donald Trump",
        description='A label ("Donald Trump"), slug ("donald-trump") or full IRI of the actor.',
    )
    assert actor.var == "_actor"


def test_grlc_query_loads_with_basil_params_defaults_and_enumerate():
    query = catalog.read(BAD / "grlc-style.rq")
    assert query.tags == ("grlc",)
    assert query.params == (
        Param(name="label", default="Donald Trump", variable="_label"),
        Param(name="lang", enum=("en", "de"), variable="__lang"),
        Param(name="actor", type="iri", variable="__actor_iri"),
        Param(name="n", type="integer", variable="__n_integer"),
        Param(name="title", type="lang-string", lang="en", variable="__title_en"),
        Param(name="on", type="date", variable="__on_xsd_date"),
    )


def test_basil_required_param_in_ask_query():
    query = catalog.load(MINI, "has-troops")
    assert query.form == "ASK"
    assert query.params == (Param(name="min", type="integer", required=True, variable="_min_integer"),)


def test_query_without_header():
    query = catalog.parse("SELECT * WHERE { ?s ?p ?o }")
    assert (query.title, query.params, query.tags, query.source) == ("", (), (), "<query>")


def test_yaml_subset_nested_lists_quotes_and_comments():
    text = (
        "#+ summary: 'It''s quoted'  # a comment\n"
        '#+ description: "a \\"b\\" # not a comment"\n'
        "#+ tags: [one, 'two, three', \"four\"]\n"
        "#+ params:\n"
        "#+   n:\n"
        "#+     type: integer  # trailing comment\n"
        "#+     enum:\n"
        "#+       - 1\n"
        "#+       - 2\n"
        "SELECT * WHERE { ?s ?p ?o FILTER(?o = ?_n) }\n"
    )
    query = catalog.parse(text)
    assert query.title == "It's quoted"
    assert query.description == 'a "b" # not a comment'
    assert query.tags == ("one", "two, three", "four")
    assert query.params == (Param(name="n", type="integer", enum=("1", "2")),)


def test_names_listing_and_unknown_query_suggestion():
    assert catalog.names(MINI) == ["actor-graph", "events-by-actor", "has-troops", "since", "timeline"]
    with pytest.raises(UsageError) as info:
        catalog.load(MINI, "timline")
    assert (
        info.value.message
        == "unknown query 'timline'; did you mean timeline? (run `kgtool queries` to list them)"
    )


@pytest.mark.parametrize("name", ["../query-kg/queries/timeline", "/etc/passwd", ""])
def test_query_names_cannot_escape_the_folder(name):
    with pytest.raises(UsageError):
        catalog.load(MINI, name)


def test_listing_table():
    text = catalog.listing(catalog.load_all(MINI))
    assert text.splitlines() == [
        "NAME             TITLE                            PARAMETERS",
        "actor-graph      The actors as a graph            -",
        "events-by-actor  Events involving one actor       actor (string, required)",
        "has-troops       Is any troop figure at least N?  min (integer, required)",
        "since            Events since a date              from (date, default 2020-01-01); kind (iri, optional)",  # noqa: E501
        "timeline         Timeline of events               -",
    ]


def test_help_text_describes_the_query():
    text = catalog.help_text(catalog.load(MINI, "events-by-actor"))
    assert text.splitlines()[:12] == [
        "events-by-actor: Events involving one actor",
        "",
        "The events an actor took part in; the actor is given by label, slug or IRI.",
        "",
        "Usage: kgtool query events-by-actor [-p NAME=VALUE ...] [--format FORMAT] "
        "[--infer none|rdfs|owlrl] [--engine oxigraph|rdflib]",
        "",
        "Parameters (type-checked, bound as RDF terms; a value never becomes SPARQL syntax):",
        "  actor (string, required)  ?_actor",
        '      A label ("Donald Trump"), slug ("donald-trump") or full IRI of the actor.',
        "      example: Donald Trump",
        "",
        "Result: SELECT: rows",
    ]
    assert "Example: kgtool query events-by-actor -p 'actor=Donald Trump'" in text
