"""`kgtool export`: every format round-trips to an isomorphic graph, bytes are deterministic across
processes, JSON-LD uses the published context (checked with pyld too), inferred triples stay apart."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from kgtool.options import GraphPart
from kgtool.rdf.rdflib_bridge import load_rdflib
from kgtool.store import graph_folder as kgmod
from kgtool.vocab import INFERRED_GRAPH

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

MINI = FIXTURES / "kg-mini"
KGO = Namespace("https://w3id.org/kgtool/ontology#")
IRAQ = "https://w3id.org/kgtool/iraq/"
RDFLIB_FORMAT = {
    "turtle": "turtle",
    "json-ld": "json-ld",
    "nt": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "xml": "xml",
}
FORMATS = list(RDFLIB_FORMAT)


GRAPHS = [
    pytest.param(MINI, id="mini"),
    pytest.param(None, id="shipped", marks=pytest.mark.slow),
]


def _args(root: Path | None) -> list[str]:
    return ["--kg", str(root)] if root is not None else []


def _parse_back(text: bytes, fmt: str) -> Graph:
    """Parse with rdflib (an independent parser); quad formats are flattened to their triples."""
    if fmt in ("nquads", "trig"):
        dataset = Dataset()
        dataset.parse(data=text, format=RDFLIB_FORMAT[fmt])
        merged = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged
    return Graph().parse(data=text, format=RDFLIB_FORMAT[fmt])


@pytest.mark.parametrize("root", GRAPHS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_round_trips_to_an_isomorphic_graph(cli, root, fmt, tmp_path):
    out = tmp_path / f"out.{fmt}"
    result = cli([*_args(root), "export", "--format", fmt, "-o", out])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {out}\n"
    source = load_rdflib(kgmod.locate(root).files())
    assert len(source) > 0
    assert isomorphic(_parse_back(out.read_bytes(), fmt), source)


@pytest.mark.parametrize("root", GRAPHS)
def test_json_ld_expanded_by_pyld_gives_the_same_graph(cli, root):
    from pyld import jsonld

    def refuse(url, options=None):
        raise AssertionError(f"pyld tried to load {url}")

    result = cli([*_args(root), "export", "--format", "json-ld", "--only", "data"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": refuse})
    assert isomorphic(Graph().parse(data=nquads, format="nt"), load_rdflib(kgmod.locate(root).data_files()))


def test_json_ld_uses_the_published_context_terms(cli):
    result = cli(["--kg", MINI, "export", "--format", "json-ld", "--only", "data"])
    document = json.loads(result.stdout)
    context = json.loads((MINI / "ontology" / "context.jsonld").read_text())["@context"]
    assert all(document["@context"][k] == v for k, v in context.items())
    nodes = {node["@id"]: node for node in document["@graph"]}
    vote = nodes["event:2020-01-05-parliament-vote"]
    assert vote == {
        "@id": "event:2020-01-05-parliament-vote",
        "@type": "kgo:Event",
        "cites": "source:dw-2020-01-05",
        "date": "2020-01-05",
        "hasActor": "actor:council-of-representatives",
        "label": "Iraqi parliament votes to expel US troops",
    }
    leave = nodes["event:2011-12-18-last-troops-leave"]
    assert leave["schema:description"] == {
        "@language": "de",
        "@value": "Der letzte Konvoi überquert die Grenze nach Kuwait",
    }
    dw = nodes["source:dw-2020-01-05"]
    assert dw["schema:datePublished"] == {"@type": "xsd:date", "@value": "2020-01-05"}


def _export_in_subprocess(fmt: str, seed: str, root: Path | None) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("KGTOOL_KG", None)
    return subprocess.run(
        [sys.executable, "-m", "kgtool", *_args(root), "export", "--format", fmt],
        capture_output=True,
        check=True,
        env=env,
    ).stdout


@pytest.mark.slow
@pytest.mark.parametrize("root", GRAPHS)
def test_bytes_are_identical_across_processes_with_different_hash_seeds(root):
    for fmt in ("turtle", "nt", "json-ld", "trig", "xml"):
        first = _export_in_subprocess(fmt, "1", root)
        second = _export_in_subprocess(fmt, "4242", root)
        assert first, fmt
        assert first == second, fmt


def test_blank_nodes_get_canonical_labels(cli):
    """The label hashes the node's content and place (kgtool.rdf.canonical): pinned here, so a change of
    the algorithm that would change every export's bytes shows up."""
    first = cli(["--kg", MINI, "export", "--format", "nt", "--only", "data"]).stdout
    assert '_:c4b2a26f29d4ec4b9 <http://schema.org/unitText> "troops" .\n' in first
    assert first == cli(["--kg", MINI, "export", "--format", "nt", "--only", "data"]).stdout


def test_only_selects_a_part(cli):
    mini = kgmod.locate(MINI)
    for part in ("data", "ontology", "shapes"):
        result = cli(["--kg", MINI, "export", "--only", part, "--format", "nt"])
        assert result.exit_code == 0
        assert isomorphic(
            Graph().parse(data=result.stdout, format="nt"), load_rdflib(mini.files(GraphPart.parse(part)))
        )


SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("http://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")


def _iri(path: str) -> URIRef:
    return URIRef(IRAQ + path)


#: What RDFS adds about the mini graph's data nodes (subclasses, sub-properties of the ontology).
MINI_RDFS_DATA = {
    (_iri("actor/barack-obama"), RDF.type, SEM.Actor),
    (_iri("actor/barack-obama"), RDF.type, KGO.Actor),
    (_iri("actor/council-of-representatives"), RDF.type, SEM.Actor),
    (_iri("actor/donald-trump"), RDF.type, SEM.Actor),
    (_iri("actor/donald-trump"), RDF.type, KGO.Actor),
    (_iri("event/2011-12-18-last-troops-leave"), RDF.type, SCHEMA.Event),
    (_iri("event/2011-12-18-last-troops-leave"), RDF.type, SEM.Event),
    (_iri("event/2011-12-18-last-troops-leave"), PROV.wasDerivedFrom, _iri("source/compilation-post")),
    (_iri("event/2014-08-07-air-strikes-announced"), SEM.hasActor, _iri("actor/barack-obama")),
    (_iri("event/2014-08-07-air-strikes-announced"), RDF.type, SCHEMA.Event),
    (_iri("event/2014-08-07-air-strikes-announced"), RDF.type, SEM.Event),
    (_iri("event/2014-08-07-air-strikes-announced"), PROV.wasDerivedFrom, _iri("source/compilation-post")),
    (_iri("event/2020-01-05-parliament-vote"), SEM.hasActor, _iri("actor/council-of-representatives")),
    (_iri("event/2020-01-05-parliament-vote"), RDF.type, SCHEMA.Event),
    (_iri("event/2020-01-05-parliament-vote"), RDF.type, SEM.Event),
    (_iri("event/2020-01-05-parliament-vote"), PROV.wasDerivedFrom, _iri("source/dw-2020-01-05")),
    (_iri("source/compilation-post"), RDF.type, PROV.Entity),
    (_iri("source/dw-2020-01-05"), RDF.type, PROV.Entity),
}


def _split(dataset: Dataset) -> tuple[Graph, Graph]:
    """(asserted, inferred) triples of a parsed quad document."""
    asserted, inferred = Graph(), Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        (inferred if g is not None and str(g) == INFERRED_GRAPH else asserted).add((s, p, o))
    return asserted, inferred


def test_infer_in_a_quad_format_puts_inferred_triples_in_their_own_named_graph(cli):
    result = cli(["--kg", MINI, "export", "--format", "trig", "--infer", "rdfs", "--only", "data"])
    assert result.exit_code == 0, result.stderr
    dataset = Dataset()
    dataset.parse(data=result.stdout, format="trig")
    asserted, inferred = _split(dataset)
    assert isomorphic(asserted, load_rdflib(kgmod.locate(MINI).data_files()))
    assert set(inferred) == MINI_RDFS_DATA


@pytest.fixture
def estimates_kg(tmp_path: Path) -> Path:
    """The mini graph plus a range axiom that types its blank estimate node by RDFS inference."""
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    (kg / "ontology" / "estimates.ttl").write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "kgo:estimate rdfs:range kgo:Estimate .\n"
    )
    return kg


def test_inferred_blank_nodes_are_the_asserted_ones(cli, estimates_kg):
    """Inferred triples about a blank node name the same node as the asserted data."""
    kg = estimates_kg
    result = cli(["--kg", kg, "export", "--format", "nquads", "--infer", "rdfs", "--only", "data"])
    assert result.exit_code == 0, result.stderr
    dataset = Dataset()
    dataset.parse(data=result.stdout, format="nquads")
    asserted, inferred = _split(dataset)
    (estimate,) = inferred.subjects(RDF.type, KGO.Estimate)
    assert isinstance(estimate, BNode)
    assert (estimate, SCHEMA.unitText, Literal("troops")) in asserted
    assert set(inferred) == MINI_RDFS_DATA | {(estimate, RDF.type, KGO.Estimate)}


def test_inferred_blank_nodes_keep_their_labels_in_the_side_file(cli, tmp_path, estimates_kg):
    """A triple format writes two files; a blank node both talk about has the same label in both."""
    out = tmp_path / "graph.nt"
    result = cli(["--kg", estimates_kg, "export", "--infer", "rdfs", "--only", "data", "-o", out])
    assert result.exit_code == 0, result.stderr
    side = (tmp_path / "graph.inferred.nt").read_text()
    (label,) = [line.split()[0] for line in side.splitlines() if line.endswith(f"<{KGO}Estimate> .")]
    assert label.startswith("_:c")
    assert f'{label} <http://schema.org/unitText> "troops" .' in out.read_text()


def test_infer_in_json_ld_is_a_named_graph_in_the_document(cli):
    result = cli(["--kg", MINI, "export", "--format", "json-ld", "--infer", "rdfs", "--only", "data"])
    document = json.loads(result.stdout)
    named = [node for node in document["@graph"] if "@graph" in node]
    assert [node["@id"] for node in named] == [INFERRED_GRAPH]
    dataset = Dataset()
    dataset.parse(data=result.stdout, format="json-ld")
    assert set(_split(dataset)[1]) == MINI_RDFS_DATA


def test_infer_in_a_triple_format_writes_a_separate_file(cli, tmp_path):
    out = tmp_path / "graph.ttl"
    result = cli(["--kg", MINI, "export", "--infer", "rdfs", "--only", "data", "-o", out])
    assert result.exit_code == 0, result.stderr
    side = tmp_path / "graph.inferred.ttl"
    assert result.stdout == f"wrote {out}\nwrote {side}\n"
    assert isomorphic(Graph().parse(out, format="turtle"), load_rdflib(kgmod.locate(MINI).data_files()))
    assert set(Graph().parse(side, format="turtle")) == MINI_RDFS_DATA


def test_infer_in_a_triple_format_to_stdout_is_refused(cli):
    result = cli(["--kg", MINI, "export", "--infer", "owlrl"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "kgtool: --infer with --format turtle writes inferred triples to a separate"
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "yaml"],
            "kgtool: unknown export format 'yaml'; choose one of turtle, nt, nquads, trig, json-ld, xml",
        ),
        (["--infer", "magic"], "kgtool: unknown inference mode 'magic'; choose one of none, rdfs, owlrl"),
        (
            ["--only", "everything"],
            "kgtool: unknown graph part 'everything'; choose one of data, ontology, shapes, all",
        ),
    ],
)
def test_bad_export_options_are_one_line_exit_2(cli, args, message):
    result = cli(["--kg", MINI, "export", *args])
    assert result.exit_code == 2
    assert result.stderr == message + "\n"


def test_rdf_xml_refuses_predicates_without_an_xml_name(cli, tmp_path):
    kg = tmp_path / "kg"
    (kg / "data").mkdir(parents=True)
    (kg / "data" / "a.nt").write_text('<urn:x:a> <http://example.org/p/> "w" .\n')
    result = cli(["--kg", kg, "export", "--format", "xml"])
    assert result.exit_code == 2
    assert result.stderr == (
        "kgtool: predicate <http://example.org/p/> cannot be written in RDF/XML "
        "(it does not end in an XML name); use another format\n"
    )
    # Every other format can carry it.
    for fmt in ("turtle", "nt", "json-ld"):
        out = cli(["--kg", kg, "export", "--format", fmt])
        assert out.exit_code == 0
        assert isomorphic(_parse_back(out.stdout.encode(), fmt), load_rdflib(kgmod.locate(kg).files()))


def _graphs(dataset: Dataset) -> dict[str, Graph]:
    """Graph name ('' for the default graph) -> its triples, for a per-graph comparison."""
    found: dict[str, Graph] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = "" if g is None or g == dataset.default_graph.identifier else str(g)
        found.setdefault(name, Graph()).add((s, p, o))
    return found


@pytest.mark.parametrize("fmt", ["trig", "nquads", "json-ld"])
def test_quad_formats_keep_contributions_in_their_named_graphs(cli, tmp_path, fmt):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    assert cli(["--kg", kg, "add", FIXTURES / "new" / "good-event.ttl"]).exit_code == 0
    (added,) = (kg / "data" / "contributions").glob("*.trig")
    source = Dataset()
    for path in kgmod.locate(kg).files("all"):
        source.parse(path, format="trig" if path.suffix == ".trig" else "turtle")
    result = cli(["--kg", kg, "export", "--format", fmt])
    assert result.exit_code == 0, result.stderr
    exported = Dataset()
    exported.parse(data=result.stdout, format=RDFLIB_FORMAT[fmt])
    want, got = _graphs(source), _graphs(exported)
    contribution = IRAQ + "contribution/" + added.stem
    assert sorted(got) == sorted(want) == ["", contribution]
    for name in want:
        assert isomorphic(got[name], want[name]), name
    assert (URIRef(contribution), RDF.type, URIRef("http://www.w3.org/ns/prov#Entity")) in got[""]


def test_triple_formats_merge_contribution_graphs_into_one(cli, tmp_path):
    kg = tmp_path / "kg"
    shutil.copytree(MINI, kg)
    assert cli(["--kg", kg, "add", FIXTURES / "new" / "good-event.ttl"]).exit_code == 0
    result = cli(["--kg", kg, "export", "--format", "turtle"])
    assert result.exit_code == 0, result.stderr
    merged = load_rdflib(kgmod.locate(kg).files())
    assert isomorphic(Graph().parse(data=result.stdout, format="turtle"), merged)


def test_json_ld_of_the_shipped_graph_speaks_the_context(cli):
    """Every key and class comes out as a context term or compact IRI (the context maps every namespace
    the export uses, sh: and dcterms: included), classes as their terms, RDF lists as @list."""
    from pyld import jsonld

    result = cli(["export", "--format", "json-ld"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    nodes = {node["@id"]: node for node in document["@graph"]}
    assert nodes["actor:donald-trump"]["@type"] == "Person"
    assert nodes["event:2020-01-05-parliament-vote"]["@type"] == "ParliamentaryVote"
    full_keys = {key for node in document["@graph"] for key in node if "://" in key}
    assert full_keys == set()
    assert {t for node in document["@graph"] for t in np_list(node.get("@type")) if "://" in t} == set()
    participant = nodes["kgo:participant"]
    assert participant["owl:propertyChainAxiom"] == {
        "@list": [{"@id": "kgo:hasParticipation"}, {"@id": "kgo:agent"}]
    }
    assert not any(key in ("rdf:first", "rdf:rest") for node in document["@graph"] for key in node)
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=nquads, format="nt"), load_rdflib(kgmod.locate(None).files()))


def np_list(value: object) -> list[str]:
    return value if isinstance(value, list) else [value] if isinstance(value, str) else []
