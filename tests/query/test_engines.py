"""Both engines answer the same queries with the same rows, with parameters bound as terms."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgtool.errors import QueryError
from kgtool.options import EngineName
from kgtool.query import engines
from kgtool.query.prepared import PreparedQuery, prepare
from kgtool.store.graph_folder import locate
from kgtool.vocab import INFERRED_GRAPH

KG = locate(Path(__file__).resolve().parents[1] / "fixtures" / "query-kg")
ENGINES = ["oxigraph", "rdflib"]
IRAQ = "https://w3id.org/kgtool/iraq/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def event(slug: str) -> ox.NamedNode:
    return ox.NamedNode(IRAQ + "event/" + slug)


def actor(slug: str) -> ox.NamedNode:
    return ox.NamedNode(IRAQ + "actor/" + slug)


def date(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))


@pytest.mark.parametrize("name", ENGINES)
def test_timeline_rows(name, run):
    result = run.saved(KG, "timeline", engine=name)
    assert result.kind == "select"
    assert result.variables == ["date", "event", "label", "actor"]
    assert result.all_rows() == [
        (
            date("2011-12-18"),
            event("2011-12-18-withdrawal"),
            ox.Literal("Last US troops leave Iraq", language="en"),
            None,
        ),
        (
            date("2020-01-05"),
            event("2020-01-05-parliament-vote"),
            ox.Literal("Parliament votes to expel US troops", language="en"),
            actor("iraqi-parliament"),
        ),
        (
            date("2020-01-06"),
            event("2020-01-06-trump-threat"),
            ox.Literal("Trump threatens sanctions", language="en"),
            actor("donald-trump"),
        ),
    ]


@pytest.mark.parametrize("name", ENGINES)
@pytest.mark.parametrize("who", ["Donald Trump", "donald-trump", IRAQ + "actor/donald-trump"])
def test_actor_by_label_slug_or_iri(name, who, run):
    result = run.saved(KG, "events-by-actor", {"actor": who}, engine=name)
    assert result.all_rows() == [(date("2020-01-06"), event("2020-01-06-trump-threat"))]


@pytest.mark.parametrize("name", ENGINES)
def test_injection_attempt_is_just_an_unmatched_string(name, run):
    hostile = 'x" ) || true || ("'
    assert run.saved(KG, "events-by-actor", {"actor": hostile}, engine=name).all_rows() == []


@pytest.mark.parametrize("name", ENGINES)
def test_default_and_optional_iri_param(name, run):
    later = run.saved(KG, "since", engine=name)
    assert [row[0] for row in later.all_rows()] == [
        event("2020-01-05-parliament-vote"),
        event("2020-01-06-trump-threat"),
    ]
    every = run.saved(KG, "since", {"from": "2000-01-01", "kind": "kgo:Event"}, engine=name)
    assert len(every.all_rows()) == 3


@pytest.mark.parametrize("name", ENGINES)
def test_ask(name, run):
    assert run.saved(KG, "has-troops", {"min": "5200"}, engine=name).boolean is True
    assert run.saved(KG, "has-troops", {"min": "5201"}, engine=name).boolean is False


@pytest.mark.parametrize("name", ENGINES)
def test_construct(name, run):
    result = run.saved(KG, "actor-graph", engine=name)
    assert result.kind == "graph"
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    kind = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    actor_class = ox.NamedNode("https://w3id.org/kgtool/ontology#Actor")
    assert set(result.all_triples()) == {
        ox.Triple(actor("donald-trump"), kind, actor_class),
        ox.Triple(actor("donald-trump"), label, ox.Literal("Donald Trump", language="en")),
        ox.Triple(actor("iraqi-parliament"), kind, actor_class),
        ox.Triple(actor("iraqi-parliament"), label, ox.Literal("Iraqi Parliament", language="en")),
    }


SCHEMA_EVENTS = "SELECT ?e WHERE { ?e a <http://schema.org/Event> } ORDER BY ?e"
INFERRED_ONLY = (
    "SELECT ?e WHERE { GRAPH <https://w3id.org/kgtool/graph/inferred> { ?e a <http://schema.org/Event> } }"
    " ORDER BY ?e"
)


@pytest.mark.parametrize("name", ENGINES)
def test_inference_goes_to_the_inferred_graph_and_the_union(name, run):
    assert run.text(KG, SCHEMA_EVENTS, engine=name).all_rows() == []
    expected = [
        (event("2011-12-18-withdrawal"),),
        (event("2020-01-05-parliament-vote"),),
        (event("2020-01-06-trump-threat"),),
    ]
    assert run.text(KG, SCHEMA_EVENTS, engine=name, infer="rdfs").all_rows() == expected
    assert run.text(KG, INFERRED_ONLY, engine=name, infer="rdfs").all_rows() == expected
    assert run.text(KG, INFERRED_ONLY, engine=name).all_rows() == []


SUBQUERY = """
SELECT ?e ?n WHERE {
  { SELECT ?e WHERE { ?e <https://w3id.org/kgtool/ontology#involves> ?a . FILTER(?a = ?_who) } }
  BIND(STRLEN(STR(?e)) AS ?n)
}
"""


@pytest.mark.parametrize("name", ENGINES)
def test_parameters_reach_subqueries_on_both_engines(name, run):
    result = run.text(KG, SUBQUERY, {"_who": actor("donald-trump")}, engine=name)
    assert [row[0] for row in result.all_rows()] == [event("2020-01-06-trump-threat")]


@pytest.mark.parametrize("name", ENGINES)
def test_projected_parameter_is_returned(name, run):
    text = "SELECT ?_who ?e WHERE { ?e <https://w3id.org/kgtool/ontology#involves> ?_who }"
    result = run.text(KG, text, {"_who": actor("donald-trump")}, engine=name)
    assert result.variables == ["_who", "e"]
    assert result.all_rows() == [(actor("donald-trump"), event("2020-01-06-trump-threat"))]


@pytest.mark.parametrize("name", ENGINES)
def test_syntax_error_has_file_line_and_column(name, run):
    with pytest.raises(QueryError) as info:
        run.text(KG, "SELECT ?x WHERE {\n  ?x ?p\n}", engine=name, source="adhoc.rq")
    # each parser notices the missing object where it can: oxigraph at the brace, rdflib after ?p
    assert (info.value.file, info.value.line) == ("adhoc.rq", {"oxigraph": 3, "rdflib": 2}[name])
    assert info.value.column is not None
    assert info.value.message.startswith("SPARQL syntax error: ")


@pytest.mark.parametrize("name", ENGINES)
def test_service_is_refused_before_any_engine_runs(name, run):
    with pytest.raises(QueryError, match="SERVICE is refused"):
        run.text(KG, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", engine=name)


def test_unknown_prefix_is_a_query_error_on_rdflib_too(run):
    for name in ENGINES:
        with pytest.raises(QueryError) as info:
            run.text(KG, "SELECT * WHERE { ?s nope:p ?o }", engine=name, source="q.rq")
        assert (info.value.file, info.value.line, info.value.column, info.value.message) == (
            "q.rq",
            1,
            21,
            "SPARQL syntax error: unknown prefix nope: (declare it with PREFIX nope: <...>)",
        )


def test_literal_parameter_in_predicate_position_is_explained(run):
    with pytest.raises(QueryError) as info:
        run.text(KG, "SELECT ?s WHERE { ?s ?_x ?o }", {"_x": ox.Literal("x")}, source="q.rq")
    assert info.value.file == "q.rq"
    assert info.value.message.startswith("a parameter value cannot stand where the query uses it")


def test_rdflib_never_runs_service_even_past_the_guard():
    reference = engines.RdflibEngine(ox.Store())
    unchecked = PreparedQuery("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", source="q.rq")
    with pytest.raises(QueryError) as info:
        reference.execute(unchecked, {})
    assert (info.value.file, info.value.message) == (
        "q.rq",
        "SERVICE is refused: kgtool never sends queries to remote endpoints",
    )


@pytest.mark.parametrize("name", ENGINES)
def test_select_star_keeps_the_bound_parameter_column(name, run):
    text = "SELECT * WHERE { ?e <https://w3id.org/kgtool/ontology#involves> ?_who }"
    result = run.text(KG, text, {"_who": actor("donald-trump")}, engine=name)
    # SELECT * leaves the column order to the engine (rdflib's even varies between runs)
    rows = [dict(zip(result.variables, row, strict=True)) for row in result.all_rows()]
    assert rows == [{"e": event("2020-01-06-trump-threat"), "_who": actor("donald-trump")}]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT ?o WHERE { ?s ?p ?o }", ["asserted", "inferred"]),
        ("SELECT ?o FROM <https://w3id.org/kgtool/graph/inferred> WHERE { ?s ?p ?o }", ["inferred"]),
        ("SELECT ?o FROM NAMED <https://w3id.org/kgtool/graph/inferred> WHERE { ?s ?p ?o }", []),
        (
            "SELECT ?o FROM NAMED <https://w3id.org/kgtool/graph/inferred> WHERE { GRAPH ?g { ?s ?p ?o } }",
            ["inferred"],
        ),
    ],
)
def test_a_query_naming_its_dataset_gets_it_on_both_engines(query, expected):
    store = ox.Store()
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    store.add(ox.Quad(s, p, ox.Literal("asserted")))
    store.add(ox.Quad(s, p, ox.Literal("inferred"), ox.NamedNode(INFERRED_GRAPH)))
    for name in ENGINES:
        result = engines.make_engine(EngineName.parse(name), store).execute(prepare(query), {})
        assert sorted(row[0].value for row in result.all_rows()) == expected, name
