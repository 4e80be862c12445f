"""The fast reasoner equals owlrl (the reference) under `owlrl_reference.comparable`, rule family by
rule family, on the shipped graph and on a generated one."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from kgtool.options import InferMode
from kgtool.rdf.parsing import parse_file
from kgtool.rdf.rdflib_bridge import quads_to_rdflib, to_rdflib_term
from kgtool.reasoning.closure import fast_closure
from kgtool.reasoning.owlrl_reference import comparable, owlrl_closure
from kgtool.store.graph_folder import KnowledgeGraph, locate

RULES = Path(__file__).resolve().parents[1] / "fixtures" / "infer" / "rules.ttl"
EX = "http://example.org/"


def _assert_equal_to_owlrl(files: list[Path], mode: InferMode) -> int:
    """Run both reasoners on the same parsed quads; their normalised closures must be the same set."""
    quads = [q for f in files for q in parse_file(f, max_bytes=None).quads]
    graph = quads_to_rdflib(quads)
    reference = comparable(owlrl_closure(graph, mode), graph, mode)
    fast = fast_closure([(q.subject, q.predicate, q.object) for q in quads], mode)
    ours = comparable([tuple(to_rdflib_term(t) for t in triple) for triple in fast], graph, mode)
    assert ours == reference, (sorted(reference - ours, key=str)[:5], sorted(ours - reference, key=str)[:5])
    return len(ours)


@pytest.mark.parametrize("mode", [InferMode.RDFS, InferMode.OWLRL], ids=str)
def test_equals_owlrl_on_every_rule_family(mode: InferMode) -> None:
    assert _assert_equal_to_owlrl([RULES], mode) > 20


@pytest.mark.slow
@pytest.mark.parametrize("mode", [InferMode.RDFS, InferMode.OWLRL], ids=str)
def test_equals_owlrl_on_the_shipped_graph(mode: InferMode, shipped_kg: KnowledgeGraph) -> None:
    assert _assert_equal_to_owlrl(shipped_kg.files(), mode) > 0


@pytest.mark.slow
@pytest.mark.parametrize("mode", [InferMode.RDFS, InferMode.OWLRL], ids=str)
def test_equals_owlrl_on_a_generated_graph(mode: InferMode, tmp_path: Path, generator: ModuleType) -> None:
    generator.generate(3000, tmp_path / "gen")
    kg = locate(tmp_path / "gen")
    assert _assert_equal_to_owlrl(kg.files(), mode) > 1000


def _fast(mode: InferMode) -> set[tuple[str, str, str]]:
    quads = parse_file(RULES).quads
    added = fast_closure([(q.subject, q.predicate, q.object) for q in quads], mode)
    return {(str(s), str(p), str(o)) for s, p, o in added}


def _t(s: str, p: str, o: str) -> tuple[str, str, str]:
    def term(x: str) -> str:
        if x == "a":
            return "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
        if x.startswith(("owl:", "rdfs:", "schema:")):
            prefix, local = x.split(":")
            ns = {
                "owl": "http://www.w3.org/2002/07/owl#",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                "schema": "http://schema.org/",
            }[prefix]
            return f"<{ns}{local}>"
        return f"<{EX}{x}>"

    return term(s), term(p), term(o)


def test_owlrl_rules_give_the_expected_triples() -> None:
    added = _fast(InferMode.OWLRL)
    expected = {
        _t("v1", "a", "schema:Event"),  # subClassOf, transitively
        _t("v1", "a", "Happening"),  # equivalentClass
        _t("v1", "a", "Situation"),  # domain of a super-property
        _t("trump", "a", "Actor"),  # range
        _t("trump", "actorIn", "v1"),  # inverseOf
        _t("v1", "subEventOf", "e3"),  # TransitiveProperty
        _t("e3", "hasSubEvent", "v1"),  # inverse of the transitive closure
        _t("biden", "related", "trump"),  # SymmetricProperty
        _t("x", "a", "Republican"),  # hasValue
        _t("trump", "a", "Voter"),  # someValuesFrom
        _t("trump", "a", "VotingPerson"),  # intersectionOf
        _t("trump", "a", "VoteOrPerson"),  # unionOf
        _t("h1", "a", "Big"),  # allValuesFrom
        _t("v1", "participant", "pelosi"),  # propertyChainAxiom
        _t("melania", "owl:sameAs", "mrs-trump"),  # FunctionalProperty
        _t("f", "owl:sameAs", "g"),  # InverseFunctionalProperty
        _t("q", "likes", "s"),  # sameAs replication
        _t("Vote", "rdfs:subClassOf", "Occurrence"),  # schema closure
    }
    assert expected <= added
    assert _t("v1", "involves", "trump") in added
    assert not any(s == o and "sameAs" in p for s, p, o in added)  # no reflexive noise


def test_rdfs_mode_ignores_owl_axioms() -> None:
    added = _fast(InferMode.RDFS)
    assert _t("v1", "a", "schema:Event") in added
    assert _t("v1", "a", "Situation") in added
    assert _t("trump", "actorIn", "v1") not in added
    assert _t("v1", "subEventOf", "e3") not in added
