"""Names resolved to the one resource they mean: labels, other names, slugs, IRIs, family names."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgtool.errors import UsageError
from kgtool.options import EngineName
from kgtool.query.engines import make_engine
from kgtool.query.lookup import Resolver
from kgtool.query.params import Lookup, Param
from kgtool.store.dataset import open_dataset
from kgtool.store.graph_folder import locate
from kgtool.vocab import KGO, NO_MATCH, RDFS

ACTOR = "https://w3id.org/kgtool/iraq/actor/"
PARAM = Param("actor", type="iri", lookup=Lookup((KGO + "Actor",), (RDFS + "label", KGO + "alsoCalled")))


@pytest.fixture(scope="module", params=[EngineName.OXIGRAPH, EngineName.RDFLIB])
def resolve(request: pytest.FixtureRequest):
    dataset = open_dataset(locate(None))
    notes: list[str] = []
    resolver = Resolver(make_engine(request.param, dataset.store), dataset.prefixes, notes.append)

    def run(value: str) -> tuple[str, list[str]]:
        notes.clear()
        return resolver(PARAM, value).value, list(notes)

    return run


@pytest.mark.parametrize(
    ("value", "actor"),
    [
        ("Donald Trump", "donald-trump"),
        ("  donald   TRUMP ", "donald-trump"),
        ("Washington", "us-government"),  # kgo:alsoCalled
        ("u.s. troops", "us-armed-forces"),
        ("joe-biden", "joe-biden"),  # the IRI's last segment
        (ACTOR + "iraqi-parliament", "iraqi-parliament"),
        ("<https://w3id.org/kgtool/iraq/actor/iran>", "iran"),
        ("actor:joe-biden", "joe-biden"),  # the graph's own prefix
    ],
)
def test_exact_names_slugs_and_iris(resolve, value, actor):
    assert resolve(value) == (ACTOR + actor, [])


@pytest.mark.parametrize("value", ["Trump", "Mr Trump", "President Trump", "president donald trump"])
def test_a_family_name_only_one_actor_has(resolve, value):
    iri, notes = resolve(value)
    assert iri == ACTOR + "donald-trump"
    assert notes == [f"actor {value!r} is Donald Trump <{ACTOR}donald-trump> (by family name)"]


@pytest.mark.parametrize(
    ("value", "note"),
    [
        ("Obamma", "no actor 'Obamma'; did you mean Barack Obama?"),
        ("Bidden", "no actor 'Bidden'; did you mean Joe Biden?"),
        ("Saddam Hussein", "no actor 'Saddam Hussein'"),
        ("Joe Trump", "no actor 'Joe Trump'; did you mean Donald Trump?"),
    ],
)
def test_no_match_says_so_with_the_closest_names(resolve, value, note):
    assert resolve(value) == (NO_MATCH, [note])


@pytest.mark.parametrize(
    ("value", "note"),
    [
        ("actor:nobody", "no actor 'actor:nobody'"),
        ("actor:barak-obama", "no actor 'actor:barak-obama'; did you mean Barack Obama?"),
        (ACTOR + "joe-bidden", f"no actor '{ACTOR}joe-bidden'; did you mean Joe Biden?"),
        (
            "<https://w3id.org/kgtool/iraq/event/2020-01-05-parliament-vote>",
            "no actor '<https://w3id.org/kgtool/iraq/event/2020-01-05-parliament-vote>'",
        ),
    ],
)
def test_an_iri_that_is_no_actor_gets_the_same_note_as_a_name(resolve, value, note):
    iri = value.strip("<>").replace("actor:", ACTOR)
    assert resolve(value) == (iri, [note])


def test_several_matches_are_an_error(tmp_path: Path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "smiths.ttl").write_text(
        "@prefix kgo: <https://w3id.org/kgtool/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/john> a kgo:Actor ; rdfs:label "John Smith" .\n'
        '<https://example.org/jane> a kgo:Actor ; rdfs:label "Jane Smith" .\n'
    )
    dataset = open_dataset(locate(tmp_path))
    resolver = Resolver(make_engine(EngineName.OXIGRAPH, dataset.store), {}, lambda m: None)
    with pytest.raises(UsageError) as info:
        resolver(PARAM, "Smith")
    assert info.value.message == (
        "actor 'Smith' could be Jane Smith <https://example.org/jane>, John Smith <https://example.org/john>; "  # noqa: E501
        "give the full name or the IRI"
    )
    assert resolver(PARAM, "jane smith") == ox.NamedNode("https://example.org/jane")
