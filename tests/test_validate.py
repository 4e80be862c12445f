"""`kgtool validate`: new triples are checked in the context of the graph, only on the nodes they add or
touch (and the nodes pointing at those), and each result names the file:line that caused it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import RDF

from kgtool.rdf.parsing import parse_file
from kgtool.rdf.source_lines import TripleLocator
from tests.conftest import run_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "kg-mini"
NEW = FIXTURES / "new"
SH = Namespace("http://www.w3.org/ns/shacl#")
IRAQ = "https://w3id.org/kgtool/iraq/"
KGO = "https://w3id.org/kgtool/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _json(cli, *args: object) -> tuple[int, dict]:
    result = cli(["--kg", MINI, "validate", "--format", "json", *args])
    assert result.stderr == ""
    return result.exit_code, json.loads(result.stdout)


def _brief(document: dict) -> list[tuple]:
    return [
        (r["focus"], r["path"], r["value"], r["component"], r["severity"], Path(r["file"]).name, r["line"])
        for r in document["results"]
    ]


def test_violations_name_focus_path_value_component_and_file_line(cli):
    code, document = _json(cli, NEW / "bad-event.ttl")
    assert code == 1
    assert document["conforms"] is False
    trump = IRAQ + "event/2020-01-07-trump-worst-thing"
    strike = IRAQ + "event/2020-01-03-soleimani-strike"
    assert _brief(document) == [
        (trump, KGO + "date", None, "MaxCountConstraintComponent", "Violation", "bad-event.ttl", 10),
        (
            trump,
            KGO + "source",
            IRAQ + "source/washington-post-2020-01-07",
            "ClassConstraintComponent",
            "Violation",
            "bad-event.ttl",
            12,
        ),
        (strike, RDFS_LABEL, None, "MinCountConstraintComponent", "Violation", "bad-event.ttl", 14),
    ]
    messages = [r["message"] for r in document["results"]]
    assert messages[1:] == ["Every event cites at least one known source", "An event needs a label"]


def test_text_output_is_a_table_with_locations(cli):
    result = cli(["--kg", MINI, "validate", NEW / "bad-event.ttl"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "does not conform: 3 result(s) on 5 focus node(s) from 9 new triple(s)"
    assert lines[1].split() == ["location", "severity", "focus", "node", "path", "value", "message"]
    assert set(lines[2]) == {"-", " "}
    row = lines[4].split()
    assert row[:5] == [
        f"{NEW / 'bad-event.ttl'}:12",
        "Violation",
        "event:2020-01-07-trump-worst-thing",
        "kgo:source",
        "source:washington-post-2020-01-07",
    ]
    assert lines[4].endswith("Every event cites at least one known source")


def test_turtle_output_is_the_shacl_validation_report_graph(cli):
    result = cli(["--kg", MINI, "validate", "--format", "turtle", NEW / "bad-event.ttl"])
    assert result.exit_code == 1
    report = Graph().parse(data=result.stdout, format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(False)
    found = {
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.sourceConstraintComponent)),
        )
        for r in report.objects(node, SH.result)
    }
    assert found == {
        (IRAQ + "event/2020-01-07-trump-worst-thing", KGO + "date", str(SH.MaxCountConstraintComponent)),
        (IRAQ + "event/2020-01-07-trump-worst-thing", KGO + "source", str(SH.ClassConstraintComponent)),
        (IRAQ + "event/2020-01-03-soleimani-strike", RDFS_LABEL, str(SH.MinCountConstraintComponent)),
    }


def test_references_resolve_against_the_graph_but_not_standalone(cli):
    code, document = _json(cli, NEW / "good-event.ttl")
    assert (code, document["conforms"], document["results"]) == (0, True, [])
    code, document = _json(cli, "--standalone", NEW / "good-event.ttl")
    assert code == 1
    trump = IRAQ + "event/2020-01-07-trump-worst-thing"
    assert _brief(document) == [
        (
            trump,
            KGO + "actor",
            IRAQ + "actor/donald-trump",
            "ClassConstraintComponent",
            "Violation",
            "good-event.ttl",
            12,
        ),
        (
            trump,
            KGO + "source",
            IRAQ + "source/dw-2020-01-05",
            "ClassConstraintComponent",
            "Violation",
            "good-event.ttl",
            13,
        ),
    ]


def test_existing_violations_elsewhere_in_the_graph_are_not_reported(cli, tmp_path):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    broken = kg / "data" / "broken.ttl"
    broken.write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "<https://w3id.org/kgtool/iraq/event/unlabelled> a kgo:Event .\n"
    )
    result = cli(["--kg", kg, "validate", "--format", "json", NEW / "good-event.ttl"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["results"] == []
    # The same check over the whole graph would fail: the broken node is really there.
    result = cli(["--kg", kg, "validate", "--format", "json", broken])
    assert result.exit_code == 1


def test_nodes_pointing_at_a_changed_node_are_revalidated(cli):
    code, document = _json(cli, NEW / "second-label.ttl")
    assert code == 1
    obama = IRAQ + "actor/barack-obama"
    assert _brief(document) == [
        (obama, RDFS_LABEL, None, "MaxCountConstraintComponent", "Violation", "second-label.ttl", 4),
        (
            IRAQ + "event/2014-08-07-air-strikes-announced",
            KGO + "actor",
            obama,
            "NodeConstraintComponent",
            "Violation",
            "second-label.ttl",
            4,
        ),
    ]


def test_blank_nodes_of_the_new_file_are_validated_with_stable_labels(cli):
    code, document = _json(cli, NEW / "blank-event.ttl")
    assert code == 1
    assert _brief(document) == [
        ("_:b1", RDFS_LABEL, None, "MinCountConstraintComponent", "Violation", "blank-event.ttl", 4),
        ("_:b1", KGO + "source", None, "MinCountConstraintComponent", "Violation", "blank-event.ttl", 4),
    ]


def test_n_triples_lines_are_exact_and_json_ld_points_at_the_node(cli):
    code, document = _json(cli, NEW / "bad-event.nt", NEW / "bad-event.jsonld")
    assert code == 1
    assert _brief(document) == [
        (
            IRAQ + "event/2021-07-26-biden-kadhimi",
            KGO + "date",
            None,
            "MinCountConstraintComponent",
            "Violation",
            "bad-event.jsonld",
            6,
        ),
        (
            IRAQ + "event/2021-07-26-biden-kadhimi",
            KGO + "source",
            None,
            "MinCountConstraintComponent",
            "Violation",
            "bad-event.jsonld",
            6,
        ),
        (
            IRAQ + "event/2020-01-03-soleimani-strike",
            KGO + "source",
            IRAQ + "source/unknown",
            "ClassConstraintComponent",
            "Violation",
            "bad-event.nt",
            5,
        ),
    ]
    assert document["files"] == [str(NEW / "bad-event.nt"), str(NEW / "bad-event.jsonld")]


def test_json_output_is_stable(cli):
    first = cli(
        ["--kg", MINI, "validate", "--format", "json", NEW / "blank-event.ttl", NEW / "bad-event.ttl"]
    )
    second = cli(
        ["--kg", MINI, "validate", "--format", "json", NEW / "blank-event.ttl", NEW / "bad-event.ttl"]
    )
    assert first.stdout == second.stdout


def test_shapes_option_replaces_the_graphs_shapes(cli, tmp_path):
    shapes = tmp_path / "label-shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<urn:x:shape> a sh:NodeShape ; sh:targetClass kgo:Event ;\n"
        "  sh:property [ sh:path rdfs:comment ; sh:minCount 1 ] .\n"
    )
    code, document = _json(cli, "--shapes", shapes, NEW / "good-event.ttl")
    assert code == 1
    assert [(r["path"], r["component"]) for r in document["results"]] == [
        ("http://www.w3.org/2000/01/rdf-schema#comment", "MinCountConstraintComponent")
    ]


def test_inference_lets_subclass_and_subproperty_facts_count(cli, tmp_path):
    shapes = tmp_path / "sem-shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .\n"
        "<urn:x:shape> a sh:NodeShape ; sh:targetClass sem:Event ;\n"
        "  sh:property [ sh:path sem:hasActor ; sh:minCount 1 ] .\n"
    )
    code, document = _json(cli, "--shapes", shapes, NEW / "good-event.ttl")
    # Without inference kgo:actor is not sem:hasActor, and the event is not typed sem:Event by a triple;
    # pyshacl follows rdfs:subClassOf for targets, so the event is targeted and lacks sem:hasActor.
    assert code == 1
    assert [r["component"] for r in document["results"]] == ["MinCountConstraintComponent"]
    for mode in ("rdfs", "owlrl"):
        code, document = _json(cli, "--infer", mode, "--shapes", shapes, NEW / "good-event.ttl")
        assert (code, document["results"]) == (0, []), mode


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "kgtool: unknown report format 'xml'; choose one of text, json, turtle"),
        (["--infer", "magic"], "kgtool: unknown inference mode 'magic'; choose one of none, rdfs, owlrl"),
        (["--shapes", "/nonexistent/shapes.ttl"], "kgtool: /nonexistent/shapes.ttl: no such file"),
    ],
)
def test_bad_options_are_one_line_exit_2(cli, args, message):
    result = cli(["--kg", MINI, "validate", *args, NEW / "good-event.ttl"])
    assert (result.exit_code, result.stderr) == (2, message + "\n")


@pytest.mark.parametrize(
    ("shape", "reason"),
    [
        (
            'sh:property [ sh:path kgo:date ; sh:minCount "many" ]',
            "MinCountConstraintComponent sh:minCount must be a literal with datatype xsd:integer.",
        ),
        ("sh:property [ sh:minCount 1 ]", "exists but is not a well-formed SHACL PropertyShape."),
    ],
)
def test_malformed_shapes_are_one_line_exit_2(cli, tmp_path, shape, reason):
    shapes = tmp_path / "broken-shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        f"<urn:x:s> a sh:NodeShape ; sh:targetClass kgo:Event ; {shape} .\n"
    )
    result = cli(["--kg", MINI, "validate", "--shapes", shapes, NEW / "good-event.ttl"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kgtool: {shapes}: not valid SHACL: ")
    assert reason in result.stderr
    assert result.stderr.count("\n") == 1


def test_no_files_validates_the_whole_graph(cli):
    """Every data file is checked, each result located in it: the mini graph's misspelt kgo:estimate."""
    result = cli(["--kg", MINI, "validate", "--format", "json"])
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    events = str(Path(MINI) / "data" / "events.ttl")
    assert report["files"] == [events]
    violations = [r for r in report["results"] if r["severity"] == "Violation"]
    assert [(r["file"], r["line"], r["path"]) for r in violations] == [
        (events, 26, "https://w3id.org/kgtool/ontology#estimate")
    ]


def test_the_whole_graph_report_says_what_it_checked(cli):
    """Not "from 29 new triple(s)": with no FILE nothing is new; the head says the whole graph was read
    (the 29 triples of the mini graph's one data file)."""
    result = cli(["--kg", MINI, "validate"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "does not conform: 6 result(s) on 9 focus node(s) from the whole graph: 29 triple(s)"
    )


@pytest.mark.parametrize("infer", ["none", "owlrl"])
def test_the_whole_shipped_graph_conforms(cli, infer):
    result = cli(["validate", "--infer", infer])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("conforms: 0 result(s) on ")


def test_a_hand_edited_data_file_is_checked_in_place(cli, kg_copy):
    events = kg_copy / "data" / "events.ttl"
    text = events.read_text(encoding="utf-8")
    edited = text.replace(
        '    kgo:whenAsWritten "In January 2020" ;', '    kgo:whenAsWriten "In January 2020" ;'
    )
    assert edited != text
    events.write_text(edited, encoding="utf-8")
    line = edited[: edited.index("kgo:whenAsWriten")].count("\n") + 1
    result = cli(["--kg", kg_copy, "validate"])
    assert result.exit_code == 1
    row = next(r for r in result.stdout.splitlines() if "whenAsWriten" in r)
    assert row.startswith(f"{events}:{line} ")
    assert "kgo:whenAsWriten is not a property the ontology defines: did you mean kgo:whenAsWritten?" in row


def test_undefined_own_terms_fail_and_foreign_ones_warn(cli, tmp_path):
    new = tmp_path / "typos.ttl"
    new.write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "@prefix schema: <http://schema.org/> .\n"
        "@prefix ev: <https://w3id.org/kgtool/iraq/event/> .\n"
        'ev:2020-01-05-parliament-vote kgo:dat "2020-01-05" .\n'
        'ev:2020-01-05-parliament-vote schema:nam "vote" .\n'
        "ev:2020-01-05-parliament-vote a kgo:ParliamentryVote .\n",
        encoding="utf-8",
    )
    result = cli(["validate", "--format", "json", new])
    assert result.exit_code == 1
    rows = {(r["line"], r["severity"], r["message"]) for r in json.loads(result.stdout)["results"]}
    assert rows == {
        (4, "Violation", "kgo:dat is not a property the ontology defines: did you mean kgo:date?"),
        (5, "Warning", "schema:nam is not declared in the ontology: did you mean schema:name?"),
        (
            6,
            "Violation",
            "kgo:ParliamentryVote is not a class the ontology defines: did you mean kgo:ParliamentaryVote?",
        ),
    }
    turtle = cli(["validate", "--format", "turtle", new]).stdout
    assert "UndefinedTermComponent" in turtle and "UndeclaredTermComponent" in turtle


def test_a_foreign_term_alone_warns_but_conforms(cli, tmp_path):
    new = tmp_path / "foreign.ttl"
    new.write_text(
        '<https://w3id.org/kgtool/iraq/actor/iraq> <http://example.org/nickname> "Mesopotamia" .\n',
        encoding="utf-8",
    )
    result = cli(["validate", new])
    assert result.exit_code == 0
    assert "Warning" in result.stdout and "<http://example.org/nickname> is not declared" in result.stdout


def test_a_jsonld_key_the_context_drops_is_reported_at_its_line(cli, tmp_path):
    new = tmp_path / "dropped-key.jsonld"
    new.write_text(
        "{\n"
        '  "@context": {"kgo": "https://w3id.org/kgtool/ontology#",\n'
        '               "whenAsWritten": {"@id": "kgo:whenAsWritten"}},\n'
        '  "@id": "https://w3id.org/kgtool/iraq/event/2020-01-05-parliament-vote",\n'
        '  "whenAsWriten": "In January 2020",\n'
        '  "whenAsWritten": "In January 2020"\n'
        "}\n",
        encoding="utf-8",
    )
    result = cli(["validate", "--format", "json", new])
    assert result.exit_code == 1
    [row] = json.loads(result.stdout)["results"]
    assert (row["file"], row["line"], row["value"]) == (str(new), 5, '"whenAsWriten"')
    assert (
        "not mapped by the @context" in row["message"] and 'did you mean "whenAsWritten"?' in row["message"]
    )


def test_a_failing_file_against_the_shipped_graph(cli, tmp_path, shipped_kg):
    new = tmp_path / "unsourced-event.ttl"
    new.write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "\n"
        "# An event with nothing but its type: no date, no label, no source.\n"
        "<https://w3id.org/kgtool/iraq/event/2099-01-01-unsourced>\n"
        "    a kgo:Event .\n"
    )
    result = cli(["validate", "--format", "json", new])
    assert result.exit_code == 1, result.stderr
    document = json.loads(result.stdout)
    assert document["results"], "an event with no date, label or source must not conform"
    event = IRAQ + "event/2099-01-01-unsourced"
    assert {r["focus"] for r in document["results"]} == {event}
    assert {(r["file"], r["line"]) for r in document["results"]} == {(str(new), 4)}


def test_inference_reaches_blank_nodes_of_the_graph_and_of_the_new_file(cli, tmp_path):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    (kg / "ontology" / "estimates.ttl").write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "kgo:estimate a owl:ObjectProperty ; rdfs:range kgo:Estimate .\n"
        "kgo:Estimate a owl:Class .\n"
    )
    shapes = tmp_path / "estimate-shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "<urn:x:shape> a sh:NodeShape ; sh:targetSubjectsOf kgo:estimate ;\n"
        "  sh:property [ sh:path kgo:estimate ; sh:class kgo:Estimate ] .\n"
    )
    new = tmp_path / "more.ttl"
    new.write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "@prefix schema: <http://schema.org/> .\n"
        "<https://w3id.org/kgtool/iraq/event/2014-08-07-air-strikes-announced>\n"
        '    kgo:estimate [ schema:value 5000 ; schema:unitText "troops" ] .\n'
    )
    result = cli(["--kg", kg, "validate", "--format", "json", "--shapes", shapes, new])
    # Without inference neither estimate (the graph's blank node, the new file's) is a kgo:Estimate.
    assert result.exit_code == 1
    shacl = [r for r in json.loads(result.stdout)["results"] if r["severity"] == "Violation"]
    assert sorted((r["value"] or "")[:2] for r in shacl) == ["_:", "_:"]
    result = cli(["--kg", kg, "validate", "--format", "json", "--infer", "rdfs", "--shapes", shapes, new])
    # schema:value and schema:unitText are not declared by the mini ontology: warnings only.
    assert result.exit_code == 0
    assert {r["severity"] for r in json.loads(result.stdout)["results"]} == {"Warning"}


def test_turtle_report_gives_new_blank_nodes_back_as_blank_nodes(cli):
    result = cli(["--kg", MINI, "validate", "--format", "turtle", NEW / "blank-event.ttl"])
    assert result.exit_code == 1
    assert "urn:kgtool" not in result.stdout
    report = Graph().parse(data=result.stdout, format="turtle")
    focus = set(report.objects(None, SH.focusNode))
    assert len(focus) == 1
    assert isinstance(focus.pop(), BNode)


def test_statement_lines_survive_strings_comments_and_iris(tmp_path):
    text = (
        "@prefix ex: <https://w3id.org/kgtool/iraq/> .   # a comment with a . and a ; in it\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "\n"
        'ex:a rdfs:label """A long label.\n'
        'It spans lines # not a comment . still the string""" ;\n'
        "    rdfs:seeAlso <https://example.org/x.y#z> ,\n"
        "        ex:b .\n"
        "ex:b rdfs:label 'single . quoted' ; ex:n 1.5 .\n"
        '[] rdfs:label "anon" .\n'
    )
    path = tmp_path / "tricky.ttl"
    path.write_text(text)
    locator = TripleLocator(parse_file(path))
    iraq, rdfs = "https://w3id.org/kgtool/iraq/", "http://www.w3.org/2000/01/rdf-schema#"
    a, b = ox.NamedNode(iraq + "a"), ox.NamedNode(iraq + "b")
    see_also, label = ox.NamedNode(rdfs + "seeAlso"), ox.NamedNode(rdfs + "label")
    assert locator.triple_line(a, label, None) == 4
    assert locator.triple_line(a, see_also, ox.NamedNode("https://example.org/x.y#z")) == 6
    assert locator.triple_line(a, see_also, b) == 7
    assert locator.triple_line(b, ox.NamedNode(iraq + "n"), None) == 8
    assert locator.subject_line(b) == 8
    assert locator.subject_line(ox.BlankNode("x")) == 9
    assert locator.triple_line(b, see_also, None) is None


OUTSIDE_FACT_NODES = [
    ("event/2020-01-05-parliament-vote", "outside-fact/2020-01-05-parliament-vote-"),
    ("figure/us-troops-in-iraq-2020-01-wapo", "outside-fact/us-troops-in-iraq-2020-01-wapo-"),
]


@pytest.mark.parametrize("threshold", [None, "0"], ids=["whole-graph", "on-disk-index"])
@pytest.mark.parametrize(("node", "fact_prefix"), OUTSIDE_FACT_NODES, ids=["event", "figure"])
def test_a_comment_on_a_node_with_outside_facts_conforms(
    cli, tmp_path, cache_dir, node, fact_prefix, threshold
):
    """The outside facts pointing at the node are revalidated, and their `sh:not [ sh:class
    kgo:CompilationPost ]` is checked on their source too (a nested shape, not a focus node), as a
    whole-graph pyshacl run restricted to the same focus nodes does: no false "(existing graph)" results."""
    new = tmp_path / "comment.ttl"
    new.write_text(
        f'@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<{IRAQ}{node}> rdfs:comment "note"@en .\n'
    )
    env = {"KGTOOL_INDEX_THRESHOLD": threshold} if threshold is not None else None
    result = run_cli(["validate", "--format", "json", new], env=env)
    assert (result.exit_code, result.stderr) == (0, "")
    document = json.loads(result.stdout)
    assert (document["conforms"], document["results"]) == (True, [])
    assert document["focusNodes"] >= 2  # the node and the outside facts pointing at it


def test_an_outside_fact_sourced_from_the_post_still_fails_its_nested_shape(cli, tmp_path, shipped_kg):
    new = tmp_path / "bad-fact.ttl"
    new.write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        f"<{IRAQ}outside-fact/x> a kgo:OutsideFact ;\n"
        f"    rdf:subject <{IRAQ}event/2020-01-05-parliament-vote> ; rdf:predicate rdf:type ;\n"
        "    rdf:object kgo:ParliamentaryVote ; kgo:inPost false ;\n"
        f"    kgo:source <{IRAQ}source/compilation-post> .\n"
    )
    result = cli(["validate", "--format", "json", new])
    assert result.exit_code == 1, result.stderr
    found = [
        (r["focus"], r["path"], r["value"], r["component"], r["line"])
        for r in json.loads(result.stdout)["results"]
    ]
    source = IRAQ + "source/compilation-post"
    assert found == [(IRAQ + "outside-fact/x", KGO + "source", source, "NotConstraintComponent", 6)]


def test_a_jsonld_file_with_compact_ids_gets_file_line_locations(cli, tmp_path, shipped_kg):
    """The form `kgtool export` writes: compact @ids and context terms, located by node and key."""
    context = json.loads(shipped_kg.context_file.read_text(encoding="utf-8"))["@context"]
    document = {
        "@context": context,
        "@graph": [
            {"@id": "event:2020-01-05-parliament-vote", "whenAsWritten": "January 2020, again"},
            {"@id": "event:test-event", "@type": "Statement", "label": "Test"},
        ],
    }
    new = tmp_path / "compact.jsonld"
    new.write_text(json.dumps(document, indent=2), encoding="utf-8")
    text = new.read_text(encoding="utf-8")
    result = cli(["validate", "--format", "json", new])
    assert result.exit_code == 1
    located = {
        (r["focus"].rsplit("/", 1)[1], r["path"], r["line"]) for r in json.loads(result.stdout)["results"]
    }
    key_line = text[: text.index('"whenAsWritten": "January 2020, again"')].count("\n") + 1
    id_line = text[: text.index('"@id": "event:test-event"')].count("\n") + 1
    when = "https://w3id.org/kgtool/ontology#whenAsWritten"
    assert ("2020-01-05-parliament-vote", when, key_line) in located
    assert {line for focus, _, line in located if focus == "test-event"} == {id_line}
    assert all(r["file"] == str(new) for r in json.loads(result.stdout)["results"])


PARTLY = (
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    '<https://w3id.org/kgtool/iraq/actor/donald-trump> rdfs:label "Donald Trump" .\n'
    '<https://w3id.org/kgtool/iraq/actor/donald-trump> rdfs:comment "45th US president" .\n'
    '[] rdfs:comment "a blank node: never matched, always new" .\n'
)


@pytest.mark.parametrize("threshold", ["never", "always"])
def test_triples_already_in_the_graph_are_counted_apart(cli, tmp_path, threshold, monkeypatch, cache_dir):
    """From the data files or from the on-disk index: the same split."""
    from kgtool.store import disk_index

    monkeypatch.setenv(disk_index.THRESHOLD_ENV_VAR, "0" if threshold == "always" else str(10**12))
    partly = tmp_path / "partly.ttl"
    partly.write_text(PARTLY)
    code, document = _json(cli, partly)
    assert (code, document["newTriples"], document["alreadyPresent"]) == (0, 2, 1)
    text = cli(["--kg", MINI, "validate", partly]).stdout
    assert text.startswith(
        "conforms: 0 result(s) on 2 focus node(s) from 2 new triple(s) (1 already in the graph)\n"
    )
    alone = cli(["--kg", MINI, "validate", "--standalone", "--format", "json", partly]).stdout
    assert (json.loads(alone)["newTriples"], json.loads(alone)["alreadyPresent"]) == (3, 0)
