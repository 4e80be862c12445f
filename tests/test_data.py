"""The data against the source text: quotes verbatim with selectors on the right span, wording from the
post, every fact citing what reports it (the post itself for its own paragraphs above the `---`), plans
kept apart from events, only the Wikidata links the brief confirms, outside facts named and sourced,
readable IRIs and no blank nodes, and the post's dates at the post's precision."""

from __future__ import annotations

import re

import pytest
import rdflib
from rdflib import RDF, XSD, Literal, Namespace, URIRef

from kgtool.rdf.parsing import parse_file
from kgtool.rdf.rdflib_bridge import load_rdflib, to_rdflib_term
from kgtool.store import graph_folder as kgmod

KGO = Namespace("https://w3id.org/kgtool/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("http://schema.org/")
IRAQ = "https://w3id.org/kgtool/iraq/"
WD = "http://www.wikidata.org/entity/"
KG = kgmod.locate(None)
POST_FILE = KG.data_dir / "sources" / "compilation-post.txt"
OUTSIDE_FILE = KG.data_dir / "outside.ttl"
POST = URIRef(IRAQ + "source/compilation-post")
BRIEF = URIRef(IRAQ + "source/modeling-brief")
GENERAL = URIRef(IRAQ + "source/general-reference")

#: The Wikidata items the modeling brief confirms (section 2), plus the two P1480 values it names.
CONFIRMED = {
    "Q76": "actor/barack-obama",
    "Q22686": "actor/donald-trump",
    "Q6279": "actor/joe-biden",
    "Q796": "actor/iraq",
    "Q30": "actor/united-states",
    "Q2429253": "actor/isil",
    "Q789915": "actor/us-state-department",
    "Q166032": "actor/washington-post",
    "Q48340": "actor/cnn",
    "Q1160945": "actor/bbc-news",
    "Q1973075": "actor/iraqi-parliament",
    "Q153770": "actor/deutsche-welle",
    "Q18357664": "event/2014-us-forces-return-to-iraq",
    "Q80754846": "event/2020-01-03-assassination-of-qasem-soleimani",
}
QUALIFIER_ITEMS = {"Q37113960", "Q5727902"}
NOT_CONFIRMED = [
    "actor/mustafa-al-kadhimi",
    "actor/qasem-soleimani",
    "actor/office-of-security-cooperation-iraq",
    "actor/us-marine-embassy-guards",
    "place/presidential-plane",
]


@pytest.fixture(scope="module")
def post() -> str:
    return POST_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def data() -> rdflib.Graph:
    return load_rdflib(KG.data_files())


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return load_rdflib(KG.ontology_files() + KG.data_files())


def iri(path: str) -> URIRef:
    return URIRef(IRAQ + path)


def test_post_copy_is_the_seed_text(post):
    assert post.startswith("By using this site")
    assert post.rstrip().endswith("Last edited by Ryuu96 - on 01 April 2024")


def test_the_posts_text_in_the_graph_is_the_file_letter_for_letter(data, post):
    texts = list(data.objects(POST, KGO.text))
    assert len(texts) == 1
    assert str(texts[0]) == post


def test_every_quote_is_verbatim_and_its_selectors_point_at_its_span(data, post):
    quotes = sorted(data.subjects(RDF.type, KGO.Quote))
    assert len(quotes) == 6
    for quote in quotes:
        text = str(data.value(quote, KGO.text))
        assert post.count(text) == 1, quote
        span = data.value(quote, KGO.inPostAt)
        assert data.value(span, OA.hasSource) == POST
        selectors = {data.value(s, RDF.type): s for s in data.objects(span, OA.hasSelector)}
        assert set(selectors) == {OA.TextQuoteSelector, OA.TextPositionSelector}
        tq, tp = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
        start, end = int(data.value(tp, OA.start)), int(data.value(tp, OA.end))
        prefix, suffix = str(data.value(tq, OA.prefix)), str(data.value(tq, OA.suffix))
        assert str(data.value(tq, OA.exact)) == text == post[start:end], quote
        assert post[start - len(prefix) : start] == prefix, quote
        assert post[end : end + len(suffix)] == suffix, quote
        # The span is the whole quotation: a quote mark right before it, and right after it
        # (or after the reporting sentence's comma).
        assert post[start - 1] in '"\u201c', quote
        assert post[end] in '"\u201d' or post[end : end + 2] == ',"', quote


def test_quote_speakers_and_occasions(data):
    rows = {
        (str(q).rsplit("/", 1)[1], str(data.value(q, KGO.occasion)).rsplit("/", 1)[1])
        for q in data.subjects(RDF.type, KGO.Quote)
    }
    assert rows == {
        ("state-department-strongly-urge", "2020-01-05-state-department-statement"),
        ("state-department-shared-interests", "2020-01-05-state-department-statement"),
        ("state-department-committed", "2020-01-05-state-department-statement"),
        ("trump-expensive-air-base", "2020-01-05-trump-threatens-sanctions"),
        ("trump-sanctions-like-never-seen", "2020-01-05-trump-threatens-sanctions"),
        ("trump-worst-thing-to-happen-to-iraq", "2020-01-07-trump-remarks-at-the-white-house"),
    }
    trump = iri("actor/donald-trump")
    assert {q for q in data.subjects(KGO.speaker, trump)} == {
        iri("quote/trump-expensive-air-base"),
        iri("quote/trump-sanctions-like-never-seen"),
        iri("quote/trump-worst-thing-to-happen-to-iraq"),
    }


WORDING = (KGO.text, KGO.asWritten, KGO.whenAsWritten, KGO.outcome, KGO.terms, KGO.form, KGO.headline)


def test_wording_from_the_post_is_verbatim(data, post):
    checked = 0
    for prop in WORDING:
        for subject, value in data.subject_objects(prop):
            if data.value(subject, KGO.inPost) == Literal(False):
                continue
            assert str(value) in post, (str(subject), str(prop), str(value))
            checked += 1
    for article in data.subjects(RDF.type, KGO.NewsArticle):
        line = str(data.value(article, rdflib.RDFS.label))
        assert f"\n{line}\n" in post, line
    assert checked == 43


def test_only_confirmed_wikidata_links(data):
    links = {(s, o) for s, p, o in data if isinstance(o, URIRef) and str(o).startswith(WD)}
    assert {(str(s)[len(IRAQ) :], str(o)[len(WD) :]) for s, o in links} == {
        (path, item) for item, path in CONFIRMED.items()
    }
    ontology = load_rdflib(KG.ontology_files())
    onto_items = {str(o)[len(WD) :] for o in ontology.objects() if str(o).startswith(WD)}
    assert onto_items == QUALIFIER_ITEMS
    for path in NOT_CONFIRMED:
        assert not [o for o in data.objects(iri(path)) if str(o).startswith(WD)], path


def test_every_outside_fact_names_its_source_and_is_not_from_the_post(graph):
    facts = set(graph.subjects(RDF.type, KGO.OutsideFact))
    assert len(facts) == 38
    by_source = {
        source: {f for f in facts if (f, KGO.source, source) in graph} for source in (BRIEF, GENERAL)
    }
    assert len(by_source[BRIEF]) == 32
    assert len(by_source[GENERAL]) == 6
    for fact in facts:
        assert graph.value(fact, KGO.inPost) == Literal(False), fact
        assert len(set(graph.objects(fact, KGO.source)) & {BRIEF, GENERAL}) == 1, fact
        triple = (
            graph.value(fact, RDF.subject),
            graph.value(fact, RDF.predicate),
            graph.value(fact, RDF.object),
        )
        assert triple in graph, fact
    assert (BRIEF, RDF.type, KGO.ReferenceNote) in graph
    assert (GENERAL, RDF.type, KGO.ReferenceNote) in graph


def test_background_the_post_does_not_state_is_flagged(graph):
    """The audit's unflagged background facts: each is now described by an outside fact."""
    described = {
        (graph.value(f, RDF.subject), graph.value(f, RDF.predicate), graph.value(f, RDF.object))
        for f in graph.subjects(RDF.type, KGO.OutsideFact)
    }
    background = [
        (iri("actor/us-embassy-iraq"), KGO.memberOf, iri("actor/us-state-department")),
        (iri("actor/us-state-department"), KGO.memberOf, iri("actor/us-government")),
        (iri("actor/trump-administration"), KGO.memberOf, iri("actor/us-government")),
        (iri("place/oval-office"), KGO.containedIn, iri("place/white-house")),
        (iri("place/white-house"), KGO.containedIn, iri("actor/united-states")),
        (iri("actor/isil"), KGO.alsoCalled, Literal("ISIS", lang="en")),
    ]
    for triple in background:
        assert triple in graph and triple in described, triple
    # No other membership or containment is asserted without being in the post or flagged.
    for s, p, o in graph.triples((None, None, None)):
        if p in (KGO.memberOf, KGO.containedIn) and (s, p, o) not in described:
            assert graph.value(s, KGO.inPost) != Literal(False) or (s, KGO.source, BRIEF) in graph


def test_outside_file_holds_only_outside_facts_and_outside_entities(graph):
    """Every triple in outside.ttl is about an entity marked kgo:inPost false, or is an outside fact's own
    description, or is a triple such a fact describes; no other data file mentions outside entities."""
    outside = rdflib.Graph()
    for q in parse_file(OUTSIDE_FILE).quads:
        outside.add((to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object)))
    marked = set(graph.subjects(KGO.inPost, Literal(False)))
    described = {
        (graph.value(f, RDF.subject), graph.value(f, RDF.predicate), graph.value(f, RDF.object))
        for f in graph.subjects(RDF.type, KGO.OutsideFact)
    }
    links = (KGO.hasParticipation, KGO.hasActingParticipation)
    unexplained = [
        t
        for t in outside
        if t[0] not in marked and t not in described and not (t[1] in links and t[2] in marked)
    ]
    assert unexplained == []
    others = load_rdflib([p for p in KG.data_files() if p != OUTSIDE_FILE])
    mentions = [(s, p, o) for s, p, o in others if s in marked or o in marked]
    assert mentions == []
    # Links from post entities to outside-only entities are themselves outside facts (participations
    # carry their own marking).
    for s, p, o in graph:
        if o in marked and s not in marked and p not in links:
            assert (s, p, o) in described, (s, p, o)


def test_no_blank_nodes_in_data(data):
    blanks = [t for t in data if any(isinstance(term, rdflib.BNode) for term in t)]
    assert blanks == []


SLUG = re.compile(r"^https://w3id\.org/kgtool/iraq/[a-z-]+/[a-z0-9][a-z0-9-]*$")


def test_identified_things_have_readable_typed_iris(data):
    subjects = {s for s in data.subjects() if isinstance(s, URIRef)}
    assert subjects and all(SLUG.match(str(s)) for s in subjects), [
        s for s in subjects if not SLUG.match(str(s))
    ]
    kinds = {str(s)[len(IRAQ) :].split("/", 1)[0] for s in subjects}
    assert kinds == {
        "actor",
        "agreement",
        "annotation",
        "claim",
        "condition",
        "event",
        "figure",
        "office",
        "office-holding",
        "outside-fact",
        "participation",
        "place",
        "plan",
        "purpose",
        "quantity",
        "quote",
        "source",
    }


def events(graph: rdflib.Graph) -> set[rdflib.term.Node]:
    return set(graph.subjects(RDF.type, KGO.Event)) | {
        e for cls in graph.subjects(rdflib.RDFS.subClassOf, KGO.Event) for e in graph.subjects(RDF.type, cls)
    }


def test_every_event_is_reported_by_the_post_or_an_article_it_cites(graph):
    """Events of the post cite the post (its own paragraphs) or an article it excerpts; the one event
    known only from outside is marked so and cites the brief."""
    for event in events(graph):
        sources = set(graph.objects(event, KGO.source))
        if graph.value(event, KGO.inPost) == Literal(False):
            assert sources == {BRIEF}, event
            continue
        assert all(s == POST or (s, KGO.citedIn, POST) in graph for s in sources), event


#: What the post's three paragraphs above `---` report (no headline: they cite the post itself).
OPENING = {
    "event/2011-12-18-last-us-combat-troops-withdraw",
    "event/2014-obama-announces-return-of-us-forces",
    "event/2014-us-forces-return-to-iraq",
    "event/2020-01-03-assassination-of-qasem-soleimani",
    "event/2020-01-05-parliament-vote",
    "agreement/us-iraq-troop-stationing-agreement",
    "figure/us-troops-in-iraq-2020-01-dw",
    "figure/us-mission-staff-after-2011-dw",
    "purpose/halt-advance-of-isil-forces",
    "purpose/render-humanitarian-aid-to-stranded-refugees",
    "purpose/stabilize-political-situation",
    "office-holding/barack-obama-us-president",
}


def test_the_opening_paragraphs_cite_the_post_not_dw(graph):
    dw = iri("source/dw-2020-01-05")
    for path in OPENING:
        assert (iri(path), KGO.source, POST) in graph, path
        assert (iri(path), KGO.source, dw) not in graph, path
    claim = iri("claim/vote-would-end-stationing-agreement")
    assert set(graph.objects(claim, KGO.appearsIn)) == {POST}
    assert graph.value(claim, KGO.claimant) == iri("actor/ryuu96")
    # The brief attributes the 5,200 figure to DW: kept, as an outside fact with the brief as source.
    figure = iri("figure/us-troops-in-iraq-2020-01-dw")
    assert set(graph.objects(figure, KGO.accordingTo)) == {iri("actor/deutsche-welle")}
    fact = next(graph.subjects(RDF.object, iri("actor/deutsche-welle")))
    assert graph.value(fact, RDF.subject) == figure and graph.value(fact, KGO.source) == BRIEF
    assert not list(graph.objects(iri("figure/us-mission-staff-after-2011-dw"), KGO.accordingTo))


def test_words_of_the_opening_paragraphs_are_above_the_separator(data, post):
    """Whatever carries words from the post cites the post exactly when the words are above `---`."""
    separator = post.index("\n---\n")
    for subject, words in data.subject_objects(KGO.text):
        if subject == POST or data.value(subject, KGO.inPost) == Literal(False):
            continue
        cited = set(data.objects(subject, KGO.source)) | set(data.objects(subject, KGO.appearsIn))
        cited |= set(data.objects(subject, KGO.quotedFrom))
        assert (post.index(str(words)) < separator) == (cited == {POST}), subject


def test_every_event_has_the_president_in_office(graph):
    for event in events(graph):
        terms = list(graph.objects(event, KGO.duringTerm))
        assert len(terms) == 1, event
        assert graph.value(terms[0], KGO.office) == iri("office/us-president"), event


def test_the_plan_to_end_the_combat_mission_is_a_plan_and_the_end_an_outside_event(graph):
    plan = iri("plan/end-us-combat-mission-in-iraq")
    agreement = iri("event/2021-07-26-biden-agrees-to-end-combat-mission")
    end = iri("event/2021-12-09-end-of-us-combat-mission-in-iraq")
    cnn = iri("source/cnn-2021-07-26")
    assert (plan, RDF.type, KGO.Plan) in graph
    assert graph.value(plan, KGO.decidedIn) == agreement
    assert set(graph.objects(plan, KGO.source)) == {cnn}
    assert graph.value(plan, KGO.targetDate) == Literal("2021-12-31", datatype=XSD.date)
    assert graph.value(plan, KGO.whenAsWritten) == Literal("by the end of the year")
    # The agreement is what CNN reports; the end is not (CNN wrote in July), but the brief.
    assert set(graph.objects(agreement, KGO.source)) == {cnn}
    assert set(graph.objects(end, KGO.source)) == {BRIEF}
    assert graph.value(end, KGO.inPost) == Literal(False)
    assert graph.value(end, KGO.carriesOut) == plan
    assert graph.value(end, KGO.date) == Literal("2021-12-09", datatype=XSD.date)
    assert graph.value(end, KGO.whenAsWritten) is None


def test_the_us_perpetrator_participation_is_linked(graph):
    part = iri("participation/2020-01-03-assassination-of-qasem-soleimani--united-states")
    event = iri("event/2020-01-03-assassination-of-qasem-soleimani")
    assert (event, KGO.hasParticipation, part) in graph
    assert (event, KGO.hasActingParticipation, part) in graph
    dangling = [p for p in graph.subjects(RDF.type, KGO.Participation) if not list(graph.subjects(None, p))]
    assert dangling == []


def test_acting_participations_are_exactly_those_in_acting_roles(graph):
    acting = set(graph.subjects(RDF.type, KGO.ActingRole))
    assert {str(r).rsplit("/", 1)[1] for r in acting} == {"actor", "speaker", "perpetrator", "party"}
    for event, part in graph.subject_objects(KGO.hasParticipation):
        linked = (event, KGO.hasActingParticipation, part) in graph
        assert linked == (graph.value(part, KGO.role) in acting), (event, part)


def d(value: str) -> Literal:
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return Literal(value, datatype=datatype)


def test_events_have_the_post_dates_and_the_outside_dates(graph):
    """Post precision kept (year, month, day as the post gives them); finer dates only as outside facts."""
    outside = {
        (graph.value(f, RDF.subject), graph.value(f, RDF.object))
        for f in graph.subjects(RDF.predicate, KGO.date)
        if (f, RDF.type, KGO.OutsideFact) in graph
    }
    expected = {
        "2011-12-18-last-us-combat-troops-withdraw": ({"2011-12-18"}, set()),
        "2014-obama-announces-return-of-us-forces": ({"2014"}, {"2014-08-07"}),
        "2014-us-forces-return-to-iraq": ({"2014"}, {"2014-08-08"}),
        "2020-01-03-assassination-of-qasem-soleimani": (set(), {"2020-01-03"}),
        "2020-01-05-parliament-vote": ({"2020-01"}, {"2020-01-05"}),
        "2020-01-05-trump-threatens-sanctions": (set(), {"2020-01-05"}),
        "2020-01-05-state-department-statement": (set(), {"2020-01-05"}),
        "2020-01-07-trump-remarks-at-the-white-house": (set(), {"2020-01-07"}),
        "2021-07-26-biden-agrees-to-end-combat-mission": (set(), {"2021-07-26"}),
        "2021-07-26-biden-remarks-in-the-oval-office": (set(), {"2021-07-26"}),
        "2021-12-09-end-of-us-combat-mission-in-iraq": (set(), {"2021-12-09"}),
    }
    for slug, (from_post, from_outside) in expected.items():
        event = iri("event/" + slug)
        dates = set(graph.objects(event, KGO.date))
        assert dates == {d(v) for v in from_post | from_outside}, slug
        assert {o for s, o in outside if s == event} == {d(v) for v in from_outside}, slug


def test_conflicting_figures_are_kept_side_by_side(graph):
    def figures(quantity: str) -> set[tuple[str, int | None, bool, str]]:
        return {
            (
                str(graph.value(f, KGO.source)).rsplit("/", 1)[1],
                int(graph.value(f, KGO.value) or graph.value(f, KGO.minValue)),
                bool(graph.value(f, KGO.isEstimate).toPython()),
                str(graph.value(f, KGO.qualifier) or "").rsplit("/", 1)[-1],
            )
            for f in graph.subjects(KGO.figureFor, iri("quantity/" + quantity))
        }

    assert figures("us-troops-in-iraq-2020-01") == {
        ("compilation-post", 5200, False, ""),
        ("wapo-2020-01-07", 5000, True, "estimate"),
    }
    assert figures("us-mission-staff-in-iraq-after-2011") == {
        ("compilation-post", 20000, True, "more-than"),
        ("modeling-brief", 11000, True, "circa"),
    }


def test_more_than_20000_is_a_lower_bound(graph):
    figure = iri("figure/us-mission-staff-after-2011-dw")
    assert graph.value(figure, KGO.minValue) == Literal(20000)
    assert graph.value(figure, KGO.value) is None


def test_who_held_which_office(graph):
    rows = {
        (str(graph.value(t, KGO.holder)).rsplit("/", 1)[1], str(graph.value(t, KGO.office)).rsplit("/", 1)[1])
        for t in graph.subjects(RDF.type, KGO.OfficeHolding)
    }
    assert rows == {
        ("barack-obama", "us-president"),
        ("donald-trump", "us-president"),
        ("joe-biden", "us-president"),
        ("mustafa-al-kadhimi", "iraqi-prime-minister"),
        ("morgan-ortagus", "state-department-spokesperson"),
    }


def test_post_metadata(graph):
    assert graph.value(POST, KGO.author) == iri("actor/ryuu96")
    assert graph.value(POST, KGO.dateModified) == Literal("2024-04-01", datatype=XSD.date)
    assert (POST, RDF.type, KGO.CompilationPost) in graph
    assert {str(a).rsplit("/", 1)[1] for a in graph.subjects(KGO.citedIn, POST)} == {
        "dw-2020-01-05",
        "bbc-trump-threatens-iraq-with-sanctions",
        "wapo-2020-01-07",
        "cnn-2021-07-26",
    }


def test_data_files_parse_the_same_in_pyoxigraph_and_rdflib(data):
    quads = sum((parse_file(p).quads for p in KG.data_files()), [])
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == len(data)


def test_every_data_file_declares_each_prefix_once():
    for path in KG.data_files():
        declared = re.findall(r"^@prefix\s+(\S*):", path.read_text(encoding="utf-8"), flags=re.M)
        assert len(declared) == len(set(declared)), path
