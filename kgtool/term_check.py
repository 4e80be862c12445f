"""The vocabulary check of `kgtool validate`: terms the ontology does not know, and JSON-LD keys that vanish.

SHACL only sees the triples a file yields, so two kinds of mistake slip past it: a misspelt term
(`kgo:dat` for `kgo:date`) makes a triple no shape looks at, and a JSON-LD key the `@context` does not
map is dropped by the JSON-LD processor before any triple exists. Here:
- a term of the ontology's own namespace (a predicate, or a class named by rdf:type) that the ontology
  does not define is a violation, with the closest defined term as a suggestion;
- a term of another namespace that the ontology does not declare is a warning (the RDF, RDFS, OWL and
  XSD vocabularies are the language itself and always known);
- a key of a JSON-LD node object that expands to nothing under the file's inline contexts is a
  violation located at its line.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kgtool.vocab import KGO, OWL, RDF, RDF_TYPE, RDFS, XSD

OWN_NAMESPACE = KGO
#: The vocabularies of RDF and OWL themselves: never "undeclared".
BUILT_IN = (RDF, RDFS, OWL, XSD)
CLASS_TYPES = frozenset({OWL + "Class", RDFS + "Class", RDFS + "Datatype"})
PROPERTY_TYPES = frozenset(
    {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty", RDF + "Property"}
)
#: The constraint components the findings are reported under (IRIs in the kgtool shapes namespace).
UNDEFINED_TERM = "https://w3id.org/kgtool/shapes#UndefinedTermComponent"
UNDECLARED_TERM = "https://w3id.org/kgtool/shapes#UndeclaredTermComponent"
UNMAPPED_KEY = "https://w3id.org/kgtool/shapes#UnmappedJsonLdKeyComponent"


@dataclass(frozen=True)
class Vocabulary:
    """The classes and properties an ontology declares (full IRIs)."""

    classes: frozenset[str]
    properties: frozenset[str]

    @classmethod
    def of(cls, triples: Iterable[tuple[str, str, str]]) -> Vocabulary:
        """From (subject, predicate, object) IRI strings of the ontology files."""
        classes, properties = set(), set()
        for s, p, o in triples:
            if p == RDF_TYPE and o in CLASS_TYPES:
                classes.add(s)
            elif p == RDF_TYPE and (o in PROPERTY_TYPES or o.startswith(OWL) and o.endswith("Property")):
                properties.add(s)
        return cls(frozenset(classes), frozenset(properties))


@dataclass
class TermFinding:
    """One term the ontology does not know, used in one triple."""

    subject: str
    predicate: str
    obj: str | None
    term: str
    severity: str  # "Violation" or "Warning"
    component: str
    message: str


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def _suggest(term: str, known: Iterable[str]) -> str | None:
    """The known term in the same namespace whose local name is closest to the term's."""
    namespace = _namespace(term)
    local = {k[len(namespace) :]: k for k in known if k.startswith(namespace) and k != term}
    found = difflib.get_close_matches(term[len(namespace) :], list(local), n=1, cutoff=0.6)
    return local[found[0]] if found else None


def check_terms(
    triples: Iterable[tuple[str, str, str, bool]], vocabulary: Vocabulary, short: Any = str
) -> list[TermFinding]:
    """Findings for the predicates and rdf:type classes of (s, p, o, o_is_iri) triples, one per unknown
    term (at its first use, with how often it is used); `short` writes an IRI for a message (a prefixed
    name where one is known)."""
    findings: list[TermFinding] = []
    uses_of: dict[str, int] = {}
    for s, p, o, o_is_iri in triples:
        uses: list[tuple[str, frozenset[str], str, str | None]]
        uses = [(p, vocabulary.properties, "property", None)]
        if p == RDF_TYPE and o_is_iri:
            uses = [(o, vocabulary.classes, "class", o)]
        for term, known, kind, value in uses:
            if term in known or term.startswith(BUILT_IN):
                continue
            uses_of[term] = uses_of.get(term, 0) + 1
            if uses_of[term] > 1:
                continue
            suggestion = _suggest(term, known)
            hint = f": did you mean {short(suggestion)}?" if suggestion else ""
            if term.startswith(OWN_NAMESPACE):
                fix = hint or f": use a {kind} the ontology defines, or define it there"
                message = f"{short(term)} is not a {kind} the ontology defines{fix}"
                findings.append(TermFinding(s, p, value, term, "Violation", UNDEFINED_TERM, message))
            else:
                fix = hint or f" (a typo, or a {kind} to declare in the ontology?)"
                message = f"{short(term)} is not declared in the ontology{fix}"
                findings.append(TermFinding(s, p, value, term, "Warning", UNDECLARED_TERM, message))
    for finding in findings:
        if uses_of[finding.term] > 1:
            finding.message += f" (used {uses_of[finding.term]} times; this is the first)"
    return findings


# --- JSON-LD keys the context does not map ---------------------------------------------------------


@dataclass
class KeyFinding:
    """A JSON-LD key that expands to nothing, so the processor drops it and its value."""

    key: str
    line: int
    column: int
    node: str | None  # the node object's @id as written, if it has one
    message: str


JSONLD_KEYWORDS = frozenset(
    {
        "@base", "@container", "@context", "@direction", "@graph", "@id", "@import", "@included",
        "@index", "@json", "@language", "@list", "@nest", "@none", "@prefix", "@propagate",
        "@protected", "@reverse", "@set", "@type", "@value", "@version", "@vocab",
    }
)  # fmt: skip
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]')


def _keys_in_order(text: str) -> Iterator[tuple[str, int]]:
    """(key, offset) of every object key of a JSON text, in document order."""
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(text)]
    for i, (token, offset) in enumerate(tokens):
        if token.startswith('"') and i + 1 < len(tokens) and tokens[i + 1][0] == ":":
            yield json.loads(token), offset


@dataclass
class _Context:
    terms: dict[str, Any]
    vocab: bool

    def merged(self, local: Any) -> _Context:
        """This context with an inline local context applied (remote ones never reach here)."""
        terms, vocab = dict(self.terms), self.vocab
        local = _plain(local)
        for item in local if isinstance(local, list) else [local]:
            if item is None:
                terms, vocab = {}, False
            elif isinstance(item, dict):
                for key, value in item.items():
                    if key == "@vocab":
                        vocab = value is not None
                    elif not key.startswith("@"):
                        terms[key] = value
        return _Context(terms, vocab)

    def maps(self, key: str) -> bool:
        """Whether a node object key expands to an IRI (JSON-LD 1.1 IRI expansion, vocab-relative)."""
        if key in self.terms:
            value = self.terms[key]
            return value is not None and not (
                isinstance(value, dict) and "@id" in value and value["@id"] is None
            )
        if ":" in key:
            return True  # a compact IRI, or an absolute IRI: kept (the term check judges it)
        return self.vocab

    def definition(self, key: str) -> dict[str, Any]:
        value = self.terms.get(key)
        return value if isinstance(value, dict) else {}


def _plain(value: Any) -> Any:
    """A value parsed with object pairs (lists of (key, value)) as plain dicts and lists."""
    if isinstance(value, list) and value and all(isinstance(v, tuple) for v in value):
        return {k: _plain(v) for k, v in value}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def unmapped_keys(text: str) -> list[KeyFinding]:
    """The keys of a JSON-LD document that its inline contexts leave unmapped, with their positions."""
    import sys

    limit = sys.getrecursionlimit()  # the loader allows JSON 1000 levels deep: a few frames a level
    sys.setrecursionlimit(max(limit, 4 * text.count("{") + 4 * text.count("[") + 1000))
    try:
        return _unmapped_keys(text)
    finally:
        sys.setrecursionlimit(limit)


def _unmapped_keys(text: str) -> list[KeyFinding]:
    try:
        document = json.loads(text, object_pairs_hook=lambda pairs: pairs)
    except ValueError:
        return []  # the parser has already reported it
    positions = _keys_in_order(text)
    findings: list[KeyFinding] = []

    def where(offset: int) -> tuple[int, int]:
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

    def skip(value: Any) -> None:
        """Consume the key positions of a value whose keys are not properties (a context, a value object)."""
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            for _, inner in value:
                next(positions, None)
                skip(inner)
        elif isinstance(value, list):
            for item in value:
                skip(item)

    def walk(value: Any, context: _Context, container: str | None = None) -> None:
        if isinstance(value, list) and (not value or not isinstance(value[0], tuple)):
            for item in value:
                walk(item, context)
            return
        if not isinstance(value, list):
            return
        pairs: list[tuple[str, Any]] = value
        local = next((v for k, v in pairs if k == "@context"), None)
        if local is not None:
            context = context.merged(local)
        if container in ("@language", "@index", "@id", "@type"):
            for _, inner in pairs:
                next(positions, None)
                walk(inner, context) if container != "@language" else skip(inner)
            return
        node = next((v for k, v in pairs if k == "@id" and isinstance(v, str)), None)
        is_value = any(k == "@value" for k, _ in pairs)
        for key, inner in pairs:
            key_offset = next(positions, (key, -1))[1]
            if key == "@context" or is_value:
                skip(inner)
            elif key in ("@graph", "@included", "@list", "@set", "@reverse", "@nest"):
                walk(inner, context)
            elif key.startswith("@"):
                if key not in JSONLD_KEYWORDS:
                    line, column = where(key_offset)
                    message = (
                        f'the JSON-LD key "{key}" looks like a keyword but is none, so the processor '
                        "drops it and its value: remove it or use a term the @context maps"
                    )
                    findings.append(KeyFinding(key, line, column, node, message))
                skip(inner)
            elif not context.maps(key):
                line, column = where(key_offset)
                terms = [t for t in context.terms if not t.startswith("@")]
                close = difflib.get_close_matches(key, terms, n=1, cutoff=0.6)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                message = (
                    f'the JSON-LD key "{key}" is not mapped by the @context, so the processor drops it '
                    f"and its value: map it in the @context or use a term it defines{hint}"
                )
                findings.append(KeyFinding(key, line, column, node, message))
                skip(inner)
            else:
                definition = context.definition(key)
                scoped = context.merged(definition["@context"]) if "@context" in definition else context
                kind = definition.get("@container")
                kinds = kind if isinstance(kind, list) else [kind]
                walk(
                    inner,
                    scoped,
                    next((k for k in kinds if k in ("@language", "@index", "@id", "@type")), None),
                )

    walk(document, _Context({}, False))
    return findings
