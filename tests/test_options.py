"""Typed option values: each choice list checked in one place, with one error shape."""

from __future__ import annotations

import pytest

from kgtool.errors import UsageError
from kgtool.options import EngineName, GraphPart, InferMode, ReportFormat, StatsFormat


def test_unknown_engine_and_mode():
    with pytest.raises(UsageError, match="unknown engine 'jena'; choose one of oxigraph, rdflib"):
        EngineName.parse("jena")
    with pytest.raises(UsageError, match="unknown inference mode 'owl'"):
        InferMode.parse("owl")


@pytest.mark.parametrize(
    ("choice", "value", "message"),
    [
        (
            GraphPart,
            "everything",
            "unknown graph part 'everything'; choose one of data, ontology, shapes, all",
        ),
        (ReportFormat, "xml", "unknown report format 'xml'; choose one of text, json, turtle"),
        (StatsFormat, "yaml", "unknown stats format 'yaml'; choose one of text, json"),
    ],
)
def test_every_choice_names_itself_and_its_choices(choice, value, message):
    with pytest.raises(UsageError) as info:
        choice.parse(value)
    assert info.value.message == message


def test_parse_takes_what_users_type_and_typed_values_alike():
    assert InferMode.parse("owlrl") is InferMode.OWLRL
    assert InferMode.parse(InferMode.RDFS) is InferMode.RDFS
    assert EngineName.parse("rdflib") is EngineName.RDFLIB
    with pytest.raises(UsageError):
        InferMode.parse("RDFS")  # values are exact, as they always were


def test_listing_is_what_help_texts_and_errors_show():
    assert InferMode.listing() == "none, rdfs, owlrl"
    assert InferMode.listing(last=" or ") == "none, rdfs or owlrl"
    assert EngineName.listing("|") == "oxigraph|rdflib"
    assert str(GraphPart.SHAPES) == "shapes"
