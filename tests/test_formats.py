"""The one format table: its facts agree with pyoxigraph's, and a typed name is checked in one place."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgtool import formats
from kgtool.errors import UsageError

RESULTS_IN_PYOXIGRAPH = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


@pytest.mark.parametrize("fmt", formats.RDF_FORMATS, ids=str)
def test_rdf_syntaxes_agree_with_pyoxigraph(fmt: formats.Format) -> None:
    assert fmt.media_type == fmt.rdf_format.media_type
    assert fmt.suffixes[0] == "." + fmt.rdf_format.file_extension  # the suffix export writes
    assert fmt.keeps_graphs == fmt.rdf_format.supports_datasets


@pytest.mark.parametrize("name", sorted(RESULTS_IN_PYOXIGRAPH))
def test_w3c_results_formats_have_their_registered_media_types(name: str) -> None:
    fmt = formats.find(name, formats.RESULT_FORMATS)
    assert fmt is not None and fmt.rdf is None
    assert fmt.media_type == RESULTS_IN_PYOXIGRAPH[name].media_type.split(";")[0]


def test_names_and_aliases_are_unique_within_each_list() -> None:
    for listed in (formats.RDF_FORMATS, formats.RESULT_FORMATS):
        spellings = [s for f in listed for s in (f.name, *f.aliases)]
        assert len(spellings) == len(set(spellings))


def test_every_suffix_reads_as_its_syntax_in_any_case() -> None:
    assert formats.for_suffix(".ttl") is formats.TURTLE
    assert formats.for_suffix(".OWL") is formats.RDF_XML
    assert formats.for_suffix(".nq") is formats.N_QUADS
    assert formats.for_suffix(".txt") is None
    assert formats.for_suffix(".JSON") is formats.JSON_LD
    assert formats.for_suffix(".xml") is formats.RDF_XML
    assert formats.for_suffix(".nquads") is formats.N_QUADS
    assert formats.for_suffix(".turtle") is formats.TURTLE
    assert sorted(formats.SUFFIXES) == sorted(
        [".jsonld", ".json", ".nq", ".nquads", ".nt", ".owl", ".rdf", ".xml", ".trig", ".ttl", ".turtle"]
    )


def test_a_graph_folder_reads_no_generic_suffix() -> None:
    """A data/ folder may hold other JSON or XML; only the RDF-specific suffixes make graph files."""
    assert sorted(formats.GRAPH_SUFFIXES) == sorted(
        [".jsonld", ".nq", ".nquads", ".nt", ".owl", ".rdf", ".trig", ".ttl", ".turtle"]
    )


def test_parse_accepts_aliases_and_case_and_names_the_choices_otherwise() -> None:
    assert formats.parse("TTL", formats.RDF_FORMATS) is formats.TURTLE
    assert formats.parse(" n-triples ", formats.RDF_FORMATS) is formats.N_TRIPLES
    assert formats.parse(formats.TRIG, formats.RDF_FORMATS) is formats.TRIG
    with pytest.raises(UsageError) as info:
        formats.parse("csv", formats.RDF_FORMATS, "export format")
    assert info.value.message == (
        "unknown export format 'csv'; choose one of turtle, nt, nquads, trig, json-ld, xml"
    )


def test_the_same_name_means_rdf_xml_or_sparql_xml_by_the_list_it_is_looked_up_in() -> None:
    assert formats.find("xml", formats.RDF_FORMATS) is formats.RDF_XML
    assert formats.find("xml", formats.RESULT_FORMATS) is formats.XML
    assert formats.RDF_XML != formats.XML


def test_names_reads_as_a_choice_list() -> None:
    assert formats.names(formats.RESULT_FORMATS) == "table, csv, tsv, json, xml, md"
    assert formats.names((formats.TURTLE, formats.TRIG), last=" or ") == "turtle or trig"
    assert formats.names((formats.TSV,)) == "tsv"
