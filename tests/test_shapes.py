"""The SHACL shapes: valid SHACL themselves, satisfied by the shipped graph (with and without OWL-RL
inference), and each one-defect fixture in tests/fixtures/invalid/ rejected with exactly the expected
constraint component, result path and focus node (expectations in tests/fixtures/invalid/expected.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from kgtool.rdf.rdflib_bridge import load_rdflib
from kgtool.store import graph_folder as kgmod
from kgtool.validate import shacl_report

INVALID = Path(__file__).resolve().parent / "fixtures" / "invalid"
EXPECTED: dict[str, list[list[str]]] = {
    name: rows
    for name, rows in json.loads((INVALID / "expected.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}


@pytest.fixture(scope="module")
def graph_parts() -> tuple[rdflib.Graph, rdflib.Graph]:
    """(ontology + data, shapes) of the shipped graph, parsed once through kgtool's loader."""
    kg = kgmod.locate(None)
    return load_rdflib(kg.ontology_files() + kg.data_files()), load_rdflib(kg.shapes_files())


def results(report: rdflib.Graph) -> set[tuple[str, str, str]]:
    """(constraint component local name, result path, focus node) of every validation result."""
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        component = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[1]
        path = report.value(result, SH.resultPath)
        found.add((component, str(path) if path is not None else "", str(report.value(result, SH.focusNode))))
    return found


@pytest.mark.slow
def test_shapes_graph_passes_shacl_for_shacl(graph_parts):
    data, shapes = graph_parts
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_shipped_graph_conforms_without_inference(graph_parts):
    data, shapes = graph_parts
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes)
    assert conforms, text
    assert results(report) == set()
    assert results(shacl_report(data, shapes)) == set()


def test_shipped_graph_conforms_after_owlrl_closure(graph_parts):
    import owlrl

    data, shapes = graph_parts
    closed = rdflib.Graph()
    for triple in data:
        closed.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(
        closed
    )
    assert len(closed) > len(data)
    assert results(shacl_report(closed, shapes)) == set()


def test_every_fixture_has_an_expectation():
    assert sorted(p.name for p in INVALID.glob("*.ttl")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 10


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_fixture_is_rejected_with_expected_violation(graph_parts, name):
    data, shapes = graph_parts
    graph = rdflib.Graph()
    for triple in data:
        graph.add(triple)
    # rdflib parses the fixture directly: kgtool's loader would (rightly) refuse the ill-typed date
    # before SHACL ever saw it, and these fixtures are about what the shapes catch.
    graph.parse(INVALID / name, format="turtle")
    report = shacl_report(graph, shapes)
    assert results(report) == {tuple(row) for row in EXPECTED[name]}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        assert str(report.value(result, SH.resultMessage) or "").strip(), (name, result)


def test_every_constraint_says_what_to_fix(graph_parts):
    """Every property shape and SPARQL constraint carries an English sh:message that says what to do: an
    imperative, or a finding followed by a colon and what to do."""
    _, shapes = graph_parts
    constraints = set(shapes.objects(None, SH.property)) | set(shapes.subjects(RDF.type, SH.SPARQLConstraint))
    assert len(constraints) > 100
    imperative = (
        "Give",
        "Cite",
        "Link",
        "Point",
        "Date",
        "Keep",
        "Correct",
        "Name",
        "Say",
        "Write",
        "Use",
        "Mark",
        "Put",
        "Set",
        "Assert",
        "Only",
        "Type",
    )
    unhelpful = []
    for node in constraints:
        messages = [str(m) for m in shapes.objects(node, SH.message) if getattr(m, "language", None) == "en"]
        if len(messages) != 1 or not (messages[0].startswith(imperative) or ": " in messages[0]):
            unhelpful.append((node, messages))
    assert unhelpful == []
