"""The saved-query catalog: grlc headers, BASIL parameters, loud errors naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgtool.errors import InputError, QueryError, UsageError
from kgtool.query import catalog
from kgtool.query.params import Lookup, Param

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = FIXTURES / "query-kg" / "queries"
BAD = FIXTURES / "queries"

# fixture -> (error type, line, column, exact message after "file:line[:column]: ")
MALFORMED = {
    "bad-indent": (
        InputError,
        3,
        12,
        "malformed query header: invalid YAML: mapping values are not allowed in this context",
    ),
    "unknown-key": (
        InputError,
        2,
        None,
        "malformed query header: unknown header key 'parms'; did you mean 'params'?",
    ),
    "unknown-type": (
        InputError,
        4,
        None,
        "malformed query header: parameter 'actor': unknown type 'uri'; choose one of iri, string, "
        "literal, number, lang-string, date, integer, decimal, boolean, gYear, dateTime, another XSD "
        "datatype or prefix:name of a datatype the query declares",
    ),
    "bad-default": (
        InputError,
        5,
        None,
        "malformed query header: parameter 'since' expects an xsd:date like 2020-01-05, got 'yesterday', "
        "e.g. -p since=2020-01-05",
    ),
    "unused-param": (
        InputError,
        5,
        None,
        "malformed query header: parameter 'speaker' is declared but the query never uses ?_speaker",
    ),
    "unclosed-quote": (
        InputError,
        1,
        31,
        "malformed query header: invalid YAML: found unexpected end of stream while scanning a quoted scalar",
    ),
    "tab-indent": (
        InputError,
        3,
        4,
        "malformed query header: invalid YAML: found character that cannot start any token while scanning "
        "for the next token (a tab in the indentation: YAML indents with spaces only)",
    ),
    "duplicate-key": (InputError, 3, 4, "malformed query header: key 'summary' appears twice"),
    "required-with-default": (
        InputError,
        3,
        None,
        "malformed query header: parameter 'n' is required and has a default; choose one",
    ),
    "not-key-value": (
        InputError,
        2,
        3,
        "malformed query header: invalid YAML: could not find expected ':' while scanning a simple key",
    ),
    "not-a-mapping": (
        InputError,
        1,
        None,
        "malformed query header: the header must be `key: value` lines (a YAML mapping)",
    ),
    "bad-required": (InputError, 5, None, "malformed query header: expected true or false, got 'maybe'"),
    "enum-mismatch": (
        InputError,
        5,
        None,
        "malformed query header: parameter 'n' expects an xsd:integer like 5200, got 'three', e.g. -p n=1",
    ),
    "alias-bomb": (
        InputError,
        1,
        None,
        "malformed query header: the header expands to more than 10000 values",
    ),
    "basil-undeclared-datatype-prefix": (
        InputError,
        2,
        None,
        "malformed query header: ?_day_cal_myDate: the datatype cal:myDate needs PREFIX cal: <...> "
        "in the query",
    ),
    "lookup-on-a-string": (
        InputError,
        5,
        None,
        "malformed query header: parameter 'actor': only an iri parameter can look a name up",
    ),
    "pagination-not-a-number": (
        InputError,
        2,
        None,
        "malformed query header: expected a positive number of rows, got 'many'",
    ),
    "update": (QueryError, 3, 1, "SPARQL Update (INSERT) is refused: kgtool queries are read-only"),
}


def test_every_malformed_fixture_has_an_expectation():
    assert {p.stem for p in BAD.glob("*.rq")} - {"grlc-style"} == set(MALFORMED)


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_header_names_file_and_line(name):
    error_type, line, column, message = MALFORMED[name]
    path = BAD / f"{name}.rq"
    with pytest.raises(error_type) as info:
        catalog.read(path)
    assert info.value.file == str(path)
    assert (info.value.line, info.value.column) == (line, column)
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
        "Usage: kgtool query events-by-actor [-p NAME=VALUE ...] [--format FORMAT] [--limit N] [--offset N] "
        "[--timeout SECONDS] [--infer none|rdfs|owlrl] [--engine oxigraph|rdflib]",
        "",
        "Parameters (type-checked, bound as RDF terms; a value never becomes SPARQL syntax):",
        "  actor (string, required)  ?_actor",
        '      A label ("Donald Trump"), slug ("donald-trump") or full IRI of the actor.',
        "      example: -p 'actor=Donald Trump'",
        "",
        "Result: SELECT: rows",
    ]
    assert "Example: kgtool query events-by-actor -p 'actor=Donald Trump'" in text


# --- grlc query repositories: the constructs of grlc's own test queries, in our own fixtures ---------

GRLC = FIXTURES / "grlc-kg" / "queries"
XSD = "http://www.w3.org/2001/XMLSchema#"


def test_grlc_basil_suffixes_type_the_parameters_as_grlc_does():
    query = catalog.load(GRLC, "basil-types")
    assert query.title == (
        "One figure, matched on a value of every BASIL parameter type, with a summary that goes on over "
        "two lines as grlc's own test query does."
    )
    assert query.description == "A literal block: kept line by line.\nSecond line."
    assert query.endpoint == "https://example.org/grlc-kg/sparql"
    got = {p.name: (p.type, p.required, p.lang, p.datatype, p.var) for p in query.params}
    assert got == {
        "label": ("string", True, None, None, "_label"),
        "place": ("iri", True, None, None, "_place_iri"),
        "count": ("number", True, None, None, "_count_number"),
        "status": ("literal", True, None, None, "_status_literal"),
        "wording": ("lang-string", True, "en", None, "_wording_en"),
        "exact": ("integer", True, None, XSD + "integer", "_exact_integer"),
        "day": ("date", True, None, XSD + "date", "_day_xsd_date"),
        "year": ("gYear", False, None, XSD + "gYear", "__year_gYear"),
        "estimate": ("boolean", False, None, XSD + "boolean", "__estimate_boolean"),
        "share": ("decimal", False, None, XSD + "decimal", "__share_decimal"),
    }


def test_grlc_enumerate_and_pagination():
    query = catalog.load(GRLC, "enumerated")
    assert query.title == "A folded summary with an enumerated parameter, as grlc writes enumerate."
    assert query.pagination == 2
    assert query.params == (Param(name="status", required=True, enum=("v1", "v2"), variable="_status"),)


def test_help_says_the_endpoint_is_never_called_and_examples_paste_into_a_shell():
    text = catalog.help_text(catalog.load(GRLC, "basil-types"))
    assert (
        "Endpoint: https://example.org/grlc-kg/sparql (the header's `endpoint`; kgtool never calls it: "
        "the query runs on the local graph)"
    ) in text
    assert "      example: -p 'label=Donald Trump'" in text
    assert '      example: -p wording=withdrawal  (binds "withdrawal"@en)' in text
    assert '      example: -p year=2020  (binds "2020"^^xsd:gYear)' in text
    assert '      example: -p count=5200  (binds "5200"^^xsd:integer)' in text
    paged = catalog.help_text(catalog.load(GRLC, "enumerated"))
    assert "Pages: 2 rows each (the header's `pagination`); --page K shows page K, page 1 by default" in paged
    assert "      one of: v1, v2" in paged
    assert "      example: -p status=v1" in paged


def test_a_basil_datatype_with_a_declared_prefix():
    query = catalog.parse("PREFIX cal: <https://example.org/cal#>\nSELECT * WHERE { ?s ?p ?_day_cal_myDate }")
    (param,) = query.params
    assert (param.name, param.type, param.datatype) == ("day", "cal:myDate", "https://example.org/cal#myDate")


def test_a_lookup_parameter_names_its_class_and_name_properties():
    query = catalog.parse(
        "#+ params:\n"
        "#+   actor:\n"
        "#+     type: iri\n"
        "#+     lookup:\n"
        "#+       class: kgo:Actor\n"
        "#+       names: [rdfs:label, kgo:alsoCalled]\n"
        "PREFIX kgo: <https://w3id.org/kgtool/ontology#>\n"
        "SELECT * WHERE { ?e kgo:agent ?_actor }"
    )
    (param,) = query.params
    assert param.lookup == Lookup(
        classes=("https://w3id.org/kgtool/ontology#Actor",),
        names=("http://www.w3.org/2000/01/rdf-schema#label", "https://w3id.org/kgtool/ontology#alsoCalled"),
    )
    assert param.describe_type() == "name or iri"


def test_load_each_keeps_the_good_queries_and_reports_every_bad_file():
    good, bad = catalog.load_each(BAD)
    assert [q.name for q in good] == ["grlc-style"]
    assert sorted(Path(e.file or "").stem for e in bad) == sorted(MALFORMED)
