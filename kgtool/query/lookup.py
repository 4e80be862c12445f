"""Names people use, resolved to the one resource they mean: the `lookup` of a saved query's parameter.

A parameter declared with `lookup: {class: kgo:Actor, names: [rdfs:label, kgo:alsoCalled]}` takes an
IRI (`<...>`, absolute or `prefix:name`), the last segment of an IRI (`donald-trump`), or a name: any
of the names those properties give an instance of the class (or of a subclass), in any case and
spacing ("donald trump", "Washington"), or a family name only one of them has ("Trump", "Mr Trump",
"President Trump": the last word, after titles or words of the full name). The resolver asks the
dataset through the engine (one SELECT of the candidates and their names), so it works on every
engine, local or remote, and the query itself matches an IRI, which an index answers at once.

Nothing matches: a note on stderr with the closest names ("no actor 'Obamma'; did you mean Barack
Obama?") and the parameter bound to an IRI nothing carries, so the query answers with its empty result.
An IRI that is no instance of the class (one ASK) gets the same note, its last segment compared with
the names, and stays bound as given.
Several match: a UsageError naming them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.query.params import Lookup, Param, bind, expand_iri
from kgtool.query.prepared import prepare
from kgtool.vocab import NO_MATCH, RDFS

if TYPE_CHECKING:
    from kgtool.query.engines import Engine

#: Words that may stand before a family name ("Mr Trump", "President Trump", "Prime Minister X").
TITLES = frozenset(
    {
        *("mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sir", "dame", "lord", "lady"),
        *("president", "vice", "prime", "minister", "pm", "secretary", "general", "gen.", "senator"),
        *("sen.", "representative", "rep.", "ambassador", "spokesperson", "spokesman", "spokeswoman"),
        *("king", "queen", "prince", "sheikh", "ayatollah", "imam", "the"),
    }
)


@dataclass
class _Candidate:
    iri: str
    names: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.names[0] if self.names else self.iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    @property
    def slug(self) -> str:
        return self.iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def bind_all(
    engine: Engine,
    params: Iterable[Param],
    values: Mapping[str, str],
    prefixes: Mapping[str, str],
    note: Callable[[str], None] = lambda message: None,
) -> dict[str, ox.NamedNode | ox.Literal]:
    """`params.bind` with every lookup parameter resolved through `engine`."""
    return bind(params, values, prefixes, Resolver(engine, prefixes, note))


class Resolver:
    """Resolves lookup parameters through an engine; `note` gets what a user should be told."""

    def __init__(self, engine: Engine, prefixes: Mapping[str, str], note: Callable[[str], None]) -> None:
        self._engine = engine
        self._prefixes = prefixes
        self._note = note
        self._cache: dict[Lookup, list[_Candidate]] = {}

    def __call__(self, param: Param, value: str) -> ox.NamedNode:
        lookup = param.lookup
        assert lookup is not None
        iri = expand_iri(value, self._prefixes)
        if iri is not None:
            try:
                node = ox.NamedNode(iri)
            except ValueError:
                raise UsageError(f"parameter {param.name!r}: {value!r} is not a valid IRI") from None
            if not self._is_instance(node, lookup):
                slug = _Candidate(iri).slug
                self._note(_no_match(param.name, value, self._candidates(lookup), slug.replace("-", " ")))
            return node
        candidates = self._candidates(lookup)
        wanted = _words(value)
        if not wanted:
            raise UsageError(f"parameter {param.name!r} needs a name, e.g. {param.example_option()}")
        text = " ".join(wanted)
        found = [c for c in candidates if c.slug.casefold() == text] or [
            c for c in candidates if any(" ".join(_words(n)) == text for n in c.names)
        ]
        how = ""
        if not found:
            found = _by_family_name(candidates, wanted)
            how = " (by family name)"
        if len(found) == 1:
            if how:
                self._note(f"{param.name} {value!r} is {found[0].label} <{found[0].iri}>{how}")
            return ox.NamedNode(found[0].iri)
        if found:
            listed = ", ".join(f"{c.label} <{c.iri}>" for c in found[:5])
            more = f" and {len(found) - 5} more" if len(found) > 5 else ""
            raise UsageError(f"{param.name} {value!r} could be {listed}{more}; give the full name or the IRI")
        self._note(_no_match(param.name, value, candidates))
        return ox.NamedNode(NO_MATCH)

    def _is_instance(self, node: ox.NamedNode, lookup: Lookup) -> bool:
        """Whether an IRI the user gave is an instance of the lookup's class (one ASK)."""
        classes = " ".join(f"<{c}>" for c in lookup.classes)
        query = prepare(
            f"ASK {{ VALUES ?class {{ {classes} }} {node} a/<{RDFS}subClassOf>* ?class }}", "<lookup>"
        )
        return bool(self._engine.execute(query, {}).boolean)

    def _candidates(self, lookup: Lookup) -> list[_Candidate]:
        if lookup not in self._cache:
            classes = " ".join(f"<{c}>" for c in lookup.classes)
            names = " ".join(f"<{n}>" for n in lookup.names)
            query = prepare(
                f"SELECT ?thing ?name WHERE {{ VALUES ?class {{ {classes} }} "
                f"?thing a/<{RDFS}subClassOf>* ?class . "
                f"OPTIONAL {{ VALUES ?naming {{ {names} }} ?thing ?naming ?name }} }}",
                "<lookup>",
            )
            found: dict[str, _Candidate] = {}
            for thing, name in self._engine.execute(query, {}).row_iterator():
                if not isinstance(thing, ox.NamedNode):
                    continue
                candidate = found.setdefault(thing.value, _Candidate(thing.value))
                if isinstance(name, ox.Literal) and name.value not in candidate.names:
                    candidate.names.append(name.value)
            for candidate in found.values():
                candidate.names.sort(key=lambda n: (len(n.split()) < 2, n))
            self._cache[lookup] = sorted(found.values(), key=lambda c: c.iri)
        return self._cache[lookup]


def _words(text: str) -> list[str]:
    return text.casefold().split()


def _family(name: str) -> set[str]:
    words = _words(name)
    if len(words) < 2:
        return set()
    last = words[-1]
    return {last, last.partition("-")[2]} - {""} if last.startswith(("al-", "el-")) else {last}


def _by_family_name(candidates: list[_Candidate], wanted: list[str]) -> list[_Candidate]:
    """The candidates whose family name is the last word, when the words before it are titles or
    words of that candidate's own name."""
    found = []
    for candidate in candidates:
        for name in candidate.names:
            if wanted[-1] in _family(name):
                own = set(_words(name))
                if all(word in TITLES or word in own for word in wanted[:-1]):
                    found.append(candidate)
                    break
    return found


def _no_match(what: str, value: str, candidates: list[_Candidate], probe: str | None = None) -> str:
    """The note for a value that names nothing: the closest names to `probe` (default: the value)."""
    forms: dict[str, str] = {}
    for candidate in candidates:
        for name in candidate.names:
            forms.setdefault(" ".join(_words(name)), candidate.label)
            for family in _family(name):
                forms.setdefault(family, candidate.label)
        forms.setdefault(candidate.slug.casefold(), candidate.label)
    close = difflib.get_close_matches(" ".join(_words(probe or value)), list(forms), n=5, cutoff=0.6)
    labels = list(dict.fromkeys(forms[c] for c in close))[:3]
    hint = f"; did you mean {' or '.join(labels)}?" if labels else ""
    return f"no {what} {value!r}{hint}"
