"""The ontology: documented terms, version and license, in the OWL 2 RL profile (the OWL API's checker),
and an OWL-RL closure of ontology + data - with PROV-O's own axioms loaded too - that is consistent and
answers in schema.org, SEM and PROV-O terms: events are activities and never entities, only acting
participants are associated with an event, events have schema:name and schema:startDate, a lower bound
never becomes a schema:value, and what the closure derives from outside facts stays tellable."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import owlrl
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, Literal, Namespace, URIRef
from rdflib.collection import Collection

from kgtool.rdf.rdflib_bridge import load_rdflib
from kgtool.store import graph_folder as kgmod
from tests.conftest import require_tool

KGO = Namespace("https://w3id.org/kgtool/ontology#")
SCHEMA = Namespace("http://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
CRM = Namespace("http://www.cidoc-crm.org/cidoc-crm/")
LODE = Namespace("http://linkedevents.org/ontology/")
ONTOLOGY = URIRef("https://w3id.org/kgtool/ontology")
IRAQ = "https://w3id.org/kgtool/iraq/"
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
HERE = Path(__file__).resolve().parent
PROV_O = HERE / "fixtures" / "prov-o" / "prov-o-axioms.ttl"


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return load_rdflib(kgmod.locate(None).ontology_files())


@pytest.fixture(scope="module")
def asserted() -> rdflib.Graph:
    kg = kgmod.locate(None)
    return load_rdflib(kg.ontology_files() + kg.data_files())


@pytest.fixture(scope="module")
def closure(asserted) -> rdflib.Graph:
    """Ontology + data + everything OWL-RL derives from them."""
    graph = rdflib.Graph()
    for triple in asserted:
        graph.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(
        graph
    )
    return graph


def own_terms(ontology: rdflib.Graph) -> set[URIRef]:
    return {
        s
        for kind in TERM_TYPES
        for s in ontology.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(str(KGO))
    }


def test_ontology_declares_the_terms_the_data_uses(ontology, asserted):
    terms = own_terms(ontology)
    assert len(terms) > 60
    used = {p for p in asserted.predicates() if str(p).startswith(str(KGO))}
    used |= {o for o in asserted.objects(None, RDF.type) if str(o).startswith(str(KGO))}
    assert used - terms == set()


def test_every_class_and_property_has_an_english_label_and_comment(ontology):
    undocumented = []
    for term in sorted(own_terms(ontology)):
        for prop in (RDFS.label, RDFS.comment):
            values = [
                v for v in ontology.objects(term, prop) if isinstance(v, Literal) and v.language == "en"
            ]
            if len(values) != 1 or not str(values[0]).strip():
                undocumented.append((str(term), str(prop)))
    assert undocumented == []


def test_every_concept_in_the_schemes_has_label_comment_and_scheme(ontology):
    skos = Namespace("http://www.w3.org/2004/02/skos/core#")
    concepts = {
        s
        for cls in (KGO.EventType, KGO.ParticipantRole, KGO.FigureQualifier)
        for s in ontology.subjects(RDF.type, cls)
    }
    concepts |= {s for s in ontology.subjects(RDF.type, KGO.ActingRole)}
    assert len(concepts) == 13 + 8 + 3
    for concept in concepts:
        assert ontology.value(concept, RDFS.label) is not None, concept
        assert ontology.value(concept, RDFS.comment) is not None, concept
        assert ontology.value(concept, skos.prefLabel) is not None, concept
        assert ontology.value(concept, skos.inScheme) is not None, concept


def test_ontology_has_version_and_license(ontology):
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY, OWL.versionInfo) == Literal("0.2.0")
    assert ontology.value(ONTOLOGY, OWL.versionIRI) == URIRef("https://w3id.org/kgtool/ontology/0.2.0")
    assert ontology.value(ONTOLOGY, OWL.priorVersion) == URIRef("https://w3id.org/kgtool/ontology/0.1.0")
    assert ontology.value(ONTOLOGY, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert ontology.value(ONTOLOGY, RDFS.label) is not None
    assert ontology.value(ONTOLOGY, RDFS.comment) is not None


def test_closure_has_no_unsatisfiable_members(closure):
    assert list(closure.subjects(RDF.type, OWL.Nothing)) == []


def test_closure_violates_no_disjointness(closure, ontology):
    pairs: list[tuple[rdflib.term.Node, rdflib.term.Node]] = []
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(ontology, ontology.value(axiom, OWL.members)))
        pairs.extend(itertools.combinations(members, 2))
    pairs.extend(ontology.subject_objects(OWL.disjointWith))
    assert len(pairs) > 90
    clashes = [
        (str(x), str(a), str(b))
        for a, b in pairs
        for x in set(closure.subjects(RDF.type, a)) & set(closure.subjects(RDF.type, b))
    ]
    assert clashes == []


def instances(graph: rdflib.Graph, cls: URIRef) -> set[rdflib.term.Node]:
    return set(graph.subjects(RDF.type, cls))


@pytest.mark.parametrize(
    ("own", "standard"),
    [
        (KGO.Event, SCHEMA.Event),
        (KGO.Event, SEM.Event),
        (KGO.Event, LODE.Event),
        (KGO.Event, CRM.E5_Event),
        (KGO.Event, PROV.Activity),
        (KGO.Quote, SCHEMA.Quotation),
        (KGO.Quote, SCHEMA.CreativeWork),
        (KGO.Claim, SCHEMA.Claim),
        (KGO.NewsArticle, SCHEMA.NewsArticle),
        (KGO.CompilationPost, SCHEMA.DiscussionForumPosting),
        (KGO.Figure, SCHEMA.QuantitativeValue),
        (KGO.Person, SCHEMA.Person),
        (KGO.Person, PROV.Person),
        (KGO.Actor, SEM.Actor),
        (KGO.Actor, PROV.Agent),
        (KGO.Place, SEM.Place),
        (KGO.Place, SCHEMA.Place),
        (KGO.Source, PROV.Entity),
    ],
)
def test_closure_gives_standard_types(closure, asserted, own, standard):
    mine = instances(asserted, own) | {
        s for sub in asserted.subjects(RDFS.subClassOf, own) for s in asserted.subjects(RDF.type, sub)
    }
    assert mine, own
    assert mine <= instances(closure, standard)


def test_counts_of_main_kinds(closure):
    assert len(instances(closure, SCHEMA.Event)) == 11
    assert len(instances(closure, SCHEMA.Quotation)) == 6
    assert len(instances(closure, SCHEMA.NewsArticle)) == 4
    assert len(instances(closure, SCHEMA.QuantitativeValue)) == 4


def test_sem_and_prov_queries_answer_after_closure(closure):
    trump = URIRef(IRAQ + "actor/donald-trump")
    events_with_trump = {str(e).rsplit("/", 1)[1] for e in closure.subjects(SEM.hasActor, trump)}
    assert events_with_trump == {
        "2020-01-05-trump-threatens-sanctions",
        "2020-01-07-trump-remarks-at-the-white-house",
    }
    vote = URIRef(IRAQ + "event/2020-01-05-parliament-vote")
    assert set(closure.objects(vote, SEM.hasTimeStamp)) == {
        Literal("2020-01", datatype=rdflib.XSD.gYearMonth),
        Literal("2020-01-05", datatype=rdflib.XSD.date),
    }
    assert URIRef(IRAQ + "place/baghdad") in set(closure.objects(vote, SEM.hasPlace))
    assert URIRef(IRAQ + "place/baghdad") in set(closure.objects(vote, SCHEMA.location))
    quote = URIRef(IRAQ + "quote/trump-worst-thing-to-happen-to-iraq")
    wapo = URIRef(IRAQ + "source/wapo-2020-01-07")
    assert (quote, PROV.wasQuotedFrom, wapo) in closure
    assert (quote, PROV.wasDerivedFrom, wapo) in closure
    assert (quote, PROV.wasAttributedTo, URIRef(IRAQ + "actor/donald-trump")) in closure
    claim = URIRef(IRAQ + "claim/us-mission-in-iraq-will-shift")
    assert (claim, SCHEMA.appearance, URIRef(IRAQ + "source/cnn-2021-07-26")) in closure
    article = URIRef(IRAQ + "source/dw-2020-01-05")
    assert (article, SCHEMA.publisher, URIRef(IRAQ + "actor/deutsche-welle")) in closure
    assert (article, SCHEMA.datePublished, Literal("2020-01-05", datatype=rdflib.XSD.date)) in closure


def test_jsonld_context_names_every_term_and_round_trips_the_data(ontology):
    import json

    from pyld import jsonld
    from rdflib.compare import isomorphic

    context = json.loads((kgmod.locate(None).context_file).read_text(encoding="utf-8"))
    terms = context["@context"]
    iris = {v if isinstance(v, str) else v["@id"] for v in terms.values()}
    assert {"kgo:" + str(t)[len(str(KGO)) :] for t in own_terms(ontology)} <= iris
    data = load_rdflib(kgmod.locate(None).data_files())
    expanded = jsonld.from_rdf(data.serialize(format="nt"), {"format": "application/n-quads"})
    compacted = jsonld.compact(expanded, context)
    event = next(n for n in compacted["@graph"] if n["@id"] == "event:2020-01-05-parliament-vote")
    assert event["@type"] == "ParliamentaryVote"
    assert event["source"] == "iraq:source/compilation-post"
    back = rdflib.Graph().parse(data=jsonld.to_rdf(compacted, {"format": "application/n-quads"}), format="nt")
    assert isomorphic(back, data)


# --- OWL 2 RL profile ------------------------------------------------------------------------------


def _owlapi_classpath() -> str | None:
    script = HERE / "owlprofile" / "classpath"
    found = subprocess.run([str(script)], capture_output=True, text=True)
    return found.stdout.strip() or None if found.returncode == 0 else None


def profile_check(path: Path, profile: str = "RL") -> subprocess.CompletedProcess[str]:
    """The OWL API's own profile checker (Debian's libowlapi-java) on one ontology file, run by java's
    single-file source launcher, which needs a JDK (javac), not just a runtime."""
    require_tool(
        shutil.which("java") is not None and shutil.which("javac") is not None,
        "the OWL API profile checker needs a JDK (apt-get install default-jdk-headless)",
    )
    classpath = _owlapi_classpath()
    require_tool(classpath is not None, "the OWL API profile checker needs Debian's libowlapi-java")
    assert classpath is not None
    return subprocess.run(
        ["java", "-cp", classpath, str(HERE / "owlprofile" / "ProfileCheck.java"), profile, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ontology_is_in_the_owl2_rl_profile():
    run = profile_check(kgmod.locate(None).ontology_dir / "kgtool.ttl")
    assert "checker: OWL API 5." in run.stdout
    assert run.returncode == 0 and "verdict: in profile" in run.stdout, run.stdout + run.stderr


def test_profile_checker_rejects_the_audited_mistakes(tmp_path):
    """The checker does catch what the audit found: an annotation property's datatype sub-property and
    a class under reserved vocabulary."""
    text = (kgmod.locate(None).ontology_dir / "kgtool.ttl").read_text(encoding="utf-8")
    text = text.replace("kgo:note a owl:AnnotationProperty ;", "kgo:note a owl:DatatypeProperty ;")
    text = text.replace(
        "    rdfs:subClassOf prov:Entity .\n\nkgo:inPost",
        "    rdfs:subClassOf rdf:Statement, prov:Entity .\n\nkgo:inPost",
    )
    bad = tmp_path / "bad.ttl"
    bad.write_text(text, encoding="utf-8")
    run = profile_check(bad)
    assert run.returncode == 1, run.stdout
    assert "Use of reserved vocabulary for class IRI: rdf:Statement" in run.stdout
    assert "Cannot pun between properties: <https://w3id.org/kgtool/ontology#note>" in run.stdout


# --- The closure with PROV-O's own axioms -----------------------------------------------------------


@pytest.fixture(scope="module")
def prov_closure(asserted) -> rdflib.Graph:
    """Ontology + data + PROV-O's logical axioms (tests/fixtures/prov-o), closed under OWL-RL by owlrl."""
    graph = rdflib.Graph()
    for triple in asserted:
        graph.add(triple)
    graph.parse(PROV_O, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(
        graph
    )
    return graph


def test_prov_o_axioms_are_loaded(prov_closure):
    assert (PROV.Activity, OWL.disjointWith, PROV.Entity) in prov_closure
    assert (PROV.wasDerivedFrom, RDFS.domain, PROV.Entity) in prov_closure


def test_no_event_is_both_a_prov_activity_and_a_prov_entity(prov_closure):
    both = set(prov_closure.subjects(RDF.type, PROV.Activity)) & set(
        prov_closure.subjects(RDF.type, PROV.Entity)
    )
    assert both == set()
    assert len(set(prov_closure.subjects(RDF.type, PROV.Activity))) == 11


def test_the_prov_o_closure_is_consistent(prov_closure):
    """owlrl reports a clash (disjoint classes, owl:Nothing...) as an error node; there is none."""
    errors = [s for s, p, o in prov_closure if "daml.org" in str(p) or "daml.org" in str(o)]
    assert errors == []
    assert list(prov_closure.subjects(RDF.type, OWL.Nothing)) == []


def test_events_cite_sources_outside_prov_derivation(prov_closure):
    event = URIRef(IRAQ + "event/2020-01-05-parliament-vote")
    post = URIRef(IRAQ + "source/compilation-post")
    assert (event, KGO.source, post) in prov_closure
    assert (event, DCTERMS.source, post) in prov_closure
    assert not list(prov_closure.objects(event, PROV.wasDerivedFrom))


def test_only_acting_participants_are_associated_with_events(prov_closure):
    assassination = URIRef(IRAQ + "event/2020-01-03-assassination-of-qasem-soleimani")
    united_states = URIRef(IRAQ + "actor/united-states")
    soleimani = URIRef(IRAQ + "actor/qasem-soleimani")
    assert set(prov_closure.objects(assassination, PROV.wasAssociatedWith)) == {united_states}
    assert {united_states, soleimani} <= set(prov_closure.objects(assassination, SEM.hasActor))
    vote = URIRef(IRAQ + "event/2020-01-05-parliament-vote")
    assert set(prov_closure.objects(vote, PROV.wasAssociatedWith)) == {
        URIRef(IRAQ + "actor/iraqi-parliament")
    }
    assert URIRef(IRAQ + "actor/foreign-troops-in-iraq") in set(prov_closure.objects(vote, SEM.hasActor))
    not_acting = {"target", "victim", "opponent", "present"}
    for event, part in prov_closure.subject_objects(KGO.hasParticipation):
        role = str(prov_closure.value(part, KGO.role)).rsplit("/", 1)[1]
        agent = prov_closure.value(part, KGO.agent)
        associated = (event, PROV.wasAssociatedWith, agent) in prov_closure
        if role not in not_acting:
            assert associated, (event, agent)
    assert list(prov_closure.subjects(RDF.type, PROV.Association)) == []


def test_events_have_schema_name_and_start_date(prov_closure, asserted):
    events = set(prov_closure.subjects(RDF.type, SCHEMA.Event))
    assert len(events) == 11
    for event in events:
        assert set(prov_closure.objects(event, SCHEMA.name)) == set(asserted.objects(event, RDFS.label)), (
            event
        )
        dates = set(asserted.objects(event, KGO.date))
        assert dates and dates <= set(prov_closure.objects(event, SCHEMA.startDate)), event


def test_a_lower_bound_never_becomes_a_schema_value(prov_closure):
    figure = URIRef(IRAQ + "figure/us-mission-staff-after-2011-dw")
    assert list(prov_closure.objects(figure, SCHEMA.value)) == []
    assert list(prov_closure.objects(figure, SCHEMA.minValue)) == [Literal(20000)]
    assert not list(prov_closure.subject_objects(SCHEMA.value)) or all(
        int(v) != 20000 for v in prov_closure.objects(None, SCHEMA.value)
    )
