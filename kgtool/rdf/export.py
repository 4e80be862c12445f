"""Export the graph in a standard RDF format, byte for byte the same every time.

Determinism: blank nodes get canonical labels (rdflib's RGDA1 canonicaliser, run only when the graph has
blank nodes), quads are sorted, prefixes come from `ontology/context.jsonld` in a fixed order, and JSON-LD
is built here from the sorted quads (not by rdflib, whose JSON-LD output varied with PYTHONHASHSEED).
Inferred triples (the closure of the whole graph, by `kgtool.reasoning.closure.fast_closure` over the
triples read here so blank nodes match) are kept apart: in their own named graph for quad formats (trig,
nquads, json-ld), in a second document for triple formats (turtle, nt, xml). Named graphs of the data files
(each `add` contribution's graph) stay named in quad formats; triple formats merge them into the one graph.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgtool import formats, vocab
from kgtool.errors import InputError, UsageError
from kgtool.formats import Format
from kgtool.options import GraphPart, InferMode
from kgtool.rdf.parsing import parse_file
from kgtool.rdf.prefixes import declares_prefixes, namespaces, scan
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.vocab import INFERRED_GRAPH, INFERRED_OUTSIDE_GRAPH, RDF, RDF_TYPE, XSD_STRING

#: Declared in every export, whatever the graph's context says.
STANDARD_PREFIXES = vocab.prefixes("owl", "rdf", "rdfs", "xsd")
RDF_FIRST, RDF_REST, RDF_NIL, RDF_LIST = (RDF + name for name in ("first", "rest", "nil", "List"))


@dataclass
class Export:
    """The serialised graph; `inferred` is the separate document of inferred triples (triple formats)."""

    body: bytes
    inferred: bytes | None


def export(
    kg: KnowledgeGraph,
    fmt: Format = formats.TURTLE,
    infer: InferMode = InferMode.NONE,
    only: GraphPart = GraphPart.ALL,
) -> Export:
    """Serialise one part of the graph (and, with `infer`, the inferred triples kept apart)."""
    part = set(kg.files(only))
    asserted: list[ox.Quad] = []
    everything: list[tuple[Any, Any, Any]] = []
    declared: dict[str, str] = {}
    for path in kg.files():
        parsed = parse_file(path, max_bytes=None)
        if declares_prefixes(path):
            scan(parsed.raw, declared)
        for q in parsed.quads:
            everything.append((q.subject, q.predicate, q.object))
            if path in part:
                asserted.append(q)
    inferred_graph, outside_graph = ox.NamedNode(INFERRED_GRAPH), ox.NamedNode(INFERRED_OUTSIDE_GRAPH)
    added = _inferred(everything, asserted, infer, only)
    outside = _needs_outside(everything, added, infer)
    inferred = [
        ox.Quad(s, p, o, outside_graph if (s, p, o) in outside else inferred_graph) for s, p, o in added
    ]
    quads = canonical_quads(asserted + inferred)
    context = load_context(kg)
    prefixes = {**namespaces(declared), **prefixes_of(context)}
    if fmt.keeps_graphs:
        return Export(serialize(quads, fmt, prefixes, context), None)
    main = _merged(q for q in quads if q.graph_name not in (inferred_graph, outside_graph))
    extra = _merged(q for q in quads if q.graph_name in (inferred_graph, outside_graph))
    side = serialize(extra, fmt, prefixes, context) if infer is not InferMode.NONE else None
    return Export(serialize(main, fmt, prefixes, context), side)


def _merged(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads' triples in the default graph, de-duplicated and sorted (for triple formats)."""
    return sorted({ox.Quad(q.subject, q.predicate, q.object) for q in quads}, key=_sort_key)


def _inferred(
    everything: list[tuple[Any, Any, Any]], asserted: list[ox.Quad], mode: InferMode, only: GraphPart
) -> set[tuple[Any, Any, Any]]:
    """The closure of the whole graph, computed on the triples just read (so blank nodes match), kept
    to the nodes the exported part describes when that is not `all`."""
    if mode is InferMode.NONE:
        return set()
    from kgtool.reasoning.closure import fast_closure

    added = fast_closure(everything, mode)
    if only is GraphPart.ALL:
        return added
    described = {q.subject for q in asserted}
    return {t for t in added if t[0] in described}


def _needs_outside(
    everything: list[tuple[Any, Any, Any]], added: set[tuple[Any, Any, Any]], mode: InferMode
) -> set[tuple[Any, Any, Any]]:
    """The inferred triples that need a triple from outside the post (their own named graph)."""
    if mode is InferMode.NONE or not added:
        return set()
    from kgtool.reasoning.closure import needs_outside

    return needs_outside(everything, added, mode)


def serialize(quads: list[ox.Quad], fmt: Format, prefixes: dict[str, str], context: dict[str, Any]) -> bytes:
    """Serialise already-canonical, sorted quads."""
    if fmt is formats.JSON_LD:
        document = jsonld_document(quads, context)
        return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    if fmt is formats.RDF_XML:
        _check_xml_names(quads)
    used = _used_prefixes(quads, prefixes) if fmt.prefixed else {}
    body = ox.serialize(quads, format=fmt.rdf_format, prefixes=used) or b""
    if fmt in (formats.TURTLE, formats.TRIG):
        # Put the @prefix lines in name order, whatever order the serialiser chose.
        lines = body.split(b"\n")
        count = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")), len(lines))
        body = b"\n".join(sorted(lines[:count]) + lines[count:])
    return body


def check_destination(fmt: Format, infer: InferMode, output: object) -> None:
    """Inferred triples never share a triple-format document with asserted ones: they need -o FILE."""
    if infer is not InferMode.NONE and not fmt.keeps_graphs and output is None:
        quad_formats = formats.names(f for f in formats.RDF_FORMATS if f.keeps_graphs)
        raise UsageError(
            f"--infer with --format {fmt} writes inferred triples to a separate file: give -o FILE, "
            f"or use a quad format ({quad_formats}) that keeps them in their own named graph"
        )


def inferred_path(output: Path) -> Path:
    """Where the inferred triples of a triple-format export go: `out.ttl` -> `out.inferred.ttl`."""
    return output.with_name(f"{output.stem}.inferred{output.suffix}")


def write(result: Export, output: Path) -> list[Path]:
    """Write an export (and its inferred side file) crash-safely; returns the files written."""
    from kgtool.rdf.atomic_write import write_atomic

    write_atomic(output, result.body)
    if result.inferred is None:
        return [output]
    write_atomic(inferred_path(output), result.inferred)
    return [output, inferred_path(output)]


_XML_LOCAL_NAME = re.compile(r"[A-Za-z_][\w.-]*$")


def _check_xml_names(quads: list[ox.Quad]) -> None:
    """RDF/XML writes predicates as XML element names; refuse those that have no such spelling."""
    for q in quads:
        if not _XML_LOCAL_NAME.search(q.predicate.value):
            raise UsageError(
                f"predicate <{q.predicate.value}> cannot be written in RDF/XML (it does not end in an "
                "XML name); use another format"
            )


# --- canonical order ------------------------------------------------------------------------------


def canonical_quads(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Quads with blank nodes relabelled canonically, de-duplicated and sorted."""
    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        quads = _relabel_blank_nodes(quads)
    return sorted(set(quads), key=_sort_key)


def _sort_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def _relabel_blank_nodes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """RGDA1 canonical labels over all graphs; the graph name is folded into the predicate meanwhile."""
    from rdflib import Graph, URIRef
    from rdflib.compare import to_canonical_graph

    from kgtool.rdf.rdflib_bridge import from_rdflib_term as _to_ox
    from kgtool.rdf.rdflib_bridge import to_rdflib_term

    marker = "urn:kgtool:graph:"
    folded = Graph()
    for q in quads:
        predicate = q.predicate.value
        if not isinstance(q.graph_name, ox.DefaultGraph):
            predicate = f"{marker}{len(q.graph_name.value)}:{q.graph_name.value}{predicate}"
        folded.add((to_rdflib_term(q.subject), URIRef(predicate), to_rdflib_term(q.object)))
    result = []
    for s, p, o in to_canonical_graph(folded):
        predicate, graph = str(p), None
        if predicate.startswith(marker):
            length, rest = predicate[len(marker) :].split(":", 1)
            graph, predicate = ox.NamedNode(rest[: int(length)]), rest[int(length) :]
        subject, obj = _to_ox(s), _to_ox(o)
        if graph is None:
            result.append(ox.Quad(subject, ox.NamedNode(predicate), obj))  # type: ignore[arg-type]
        else:
            result.append(ox.Quad(subject, ox.NamedNode(predicate), obj, graph))  # type: ignore[arg-type]
    return result


# --- prefixes and the JSON-LD context --------------------------------------------------------------


def load_context(kg: KnowledgeGraph) -> dict[str, Any]:
    """The inline `@context` object of `ontology/context.jsonld` (empty if the graph has none)."""
    path = kg.context_file
    if not path.is_file():
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"the graph's JSON-LD context is not valid JSON: {exc}", file=path) from None
    context = document.get("@context", {}) if isinstance(document, dict) else {}
    if not isinstance(context, dict):
        raise InputError(
            "the graph's JSON-LD context must be one inline object (no remote contexts)", file=path
        )
    if "@import" in context:
        raise InputError("the graph's JSON-LD context must not @import another document", file=path)
    return context


def prefixes_of(context: dict[str, Any]) -> dict[str, str]:
    """Prefix name -> namespace: the standard ones plus the context's terms that are namespaces."""
    found = dict(STANDARD_PREFIXES)
    for term, value in context.items():
        iri = value.get("@id") if isinstance(value, dict) else value
        if term.startswith("@") or ":" in term or not isinstance(iri, str) or ":" not in iri:
            continue
        if iri.endswith(("/", "#")) and "://" in iri:
            found[term] = iri
    return dict(sorted(found.items()))


def _used_prefixes(quads: list[ox.Quad], prefixes: dict[str, str]) -> dict[str, str]:
    iris = set()
    for q in quads:
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {p: ns for p, ns in prefixes.items() if any(i.startswith(ns) for i in iris)}


# --- JSON-LD --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    name: str
    iri: str
    kind: str | None  # "@id", a datatype IRI, or None for an untyped term


def _expand(value: str, prefixes: dict[str, str]) -> str:
    head, _, tail = value.partition(":")
    return prefixes[head] + tail if head in prefixes and not tail.startswith("//") else value


def _terms(context: dict[str, Any], prefixes: dict[str, str]) -> dict[str, list[_Term]]:
    """Property IRI -> the context's terms for it that round-trip exactly (no containers, reverse...)."""
    found: dict[str, list[_Term]] = {}
    for name, value in sorted(context.items()):
        if name.startswith("@") or name in prefixes:
            continue
        if isinstance(value, str):
            iri, kind = value, None
        elif isinstance(value, dict) and isinstance(value.get("@id"), str):
            if (
                set(value)
                - {"@id", "@type"}
                - ({"@container"} if value.get("@container") == "@set" else set())
            ):
                continue
            iri, kind = value["@id"], value.get("@type")
            if kind is not None and kind != "@id":
                kind = _expand(kind, prefixes)
        else:
            continue
        found.setdefault(_expand(iri, prefixes), []).append(_Term(name, _expand(iri, prefixes), kind))
    return found


class _Compactor:
    """Writes terms the way the context reads them back: same IRIs, same literals."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes = prefixes_of(context)
        self.terms = _terms(context, self.prefixes)
        self.default_language = "@language" in context
        self.names = set(context)
        # Class terms ("Person": "kgo:Person"): @type values are vocabulary-relative, so they use them.
        self.type_terms: dict[str, str] = {}
        for name, value in sorted(context.items()):
            iri = value if isinstance(value, str) else value.get("@id") if isinstance(value, dict) else None
            plain = isinstance(value, str) or (isinstance(value, dict) and set(value) == {"@id"})
            term = ":" not in name and not name.startswith("@") and name not in self.prefixes
            if plain and term and isinstance(iri, str):
                self.type_terms.setdefault(_expand(iri, self.prefixes), name)
        self.namespaces = sorted(((ns, p) for p, ns in self.prefixes.items()), key=lambda item: -len(item[0]))

    def iri(self, iri: str) -> str:
        for ns, prefix in self.namespaces:
            local = iri[len(ns) :]
            if (
                iri.startswith(ns)
                and local
                and not local.startswith("//")
                and f"{prefix}:{local}" not in self.names
            ):
                return f"{prefix}:{local}"
        return iri

    def type_name(self, iri: str) -> str:
        """An @type value: the context's term for the class where there is one, else a compact IRI."""
        return self.type_terms.get(iri) or self.iri(iri)

    def list_item(self, obj: Any) -> Any:
        """A list member, written explicitly so that no term's type coercion applies to it."""
        if isinstance(obj, (ox.NamedNode, ox.BlankNode)):
            return {"@id": self.node(obj)}
        literal: ox.Literal = obj
        if literal.language:
            return {"@language": literal.language, "@value": literal.value}
        if literal.datatype.value == XSD_STRING:
            return {"@value": literal.value}
        return {"@type": self.iri(literal.datatype.value), "@value": literal.value}

    def node(self, term: ox.NamedNode | ox.BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.iri(term.value)

    def value(self, obj: Any, kind: str | None) -> Any:
        if isinstance(obj, (ox.NamedNode, ox.BlankNode)):
            return self.node(obj) if kind == "@id" else {"@id": self.node(obj)}
        literal: ox.Literal = obj
        datatype = literal.datatype.value
        if kind is not None:
            return literal.value
        if literal.language:
            return {"@language": literal.language, "@value": literal.value}
        if datatype == XSD_STRING:
            return {"@value": literal.value} if self.default_language else literal.value
        return {"@type": self.iri(datatype), "@value": literal.value}

    def key(self, predicate: str, objects: list[Any]) -> tuple[str, str | None]:
        """The key for a property and the term type its values are written for."""
        for term in self.terms.get(predicate, []):
            if term.kind == "@id" and all(isinstance(o, (ox.NamedNode, ox.BlankNode)) for o in objects):
                return term.name, "@id"
            if term.kind not in (None, "@id") and all(
                isinstance(o, ox.Literal) and not o.language and o.datatype.value == term.kind
                for o in objects
            ):
                return term.name, term.kind
        for term in self.terms.get(predicate, []):
            if term.kind is None:
                return term.name, None
        return self.iri(predicate), None


def jsonld_document(quads: list[ox.Quad], context: dict[str, Any]) -> dict[str, Any]:
    """A compacted JSON-LD 1.1 document of sorted quads, with the graph's context inline."""
    context = {**{p: ns for p, ns in STANDARD_PREFIXES.items() if p not in context}, **context}
    compactor = _Compactor(context)
    by_graph: dict[str, list[ox.Quad]] = {}
    for q in quads:
        graph = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        by_graph.setdefault(graph, []).append(q)
    nodes = _node_objects(by_graph.get("", []), compactor)
    for graph in sorted(g for g in by_graph if g):
        nodes.append({"@id": compactor.iri(graph), "@graph": _node_objects(by_graph[graph], compactor)})
    return {"@context": context, "@graph": nodes}


def _lists(subjects: dict[str, dict[str, list[Any]]], references: dict[str, int]) -> dict[str, list[Any]]:
    """Well-formed RDF lists, head blank node -> members: each cell a blank node with one rdf:first, one
    rdf:rest (and at most rdf:type rdf:List), referenced once, the chain ending in rdf:nil."""
    cells = {
        key
        for key, props in subjects.items()
        if key.startswith("_:")
        and len(props.get(RDF_FIRST, [])) == 1
        and len(props.get(RDF_REST, [])) == 1
        and set(props) <= {RDF_FIRST, RDF_REST, RDF_TYPE}
        and all(isinstance(t, ox.NamedNode) and t.value == RDF_LIST for t in props.get(RDF_TYPE, []))
        and references.get(key, 0) == 1
    }
    tails = {str(subjects[key][RDF_REST][0]) for key in cells}
    found: dict[str, list[Any]] = {}
    for head in cells - tails:
        members, key, seen = [], head, set()
        while key in cells and key not in seen:
            seen.add(key)
            members.append(subjects[key][RDF_FIRST][0])
            key = str(subjects[key][RDF_REST][0])
        if key == f"<{RDF_NIL}>":
            found[head] = members
    return found


def _node_objects(quads: list[ox.Quad], compactor: _Compactor) -> list[dict[str, Any]]:
    subjects: dict[str, dict[str, list[Any]]] = {}
    ids: dict[str, ox.NamedNode | ox.BlankNode] = {}
    references: dict[str, int] = {}
    for q in quads:
        key = str(q.subject)
        ids[key] = q.subject  # type: ignore[assignment]
        subjects.setdefault(key, {}).setdefault(q.predicate.value, []).append(q.object)
        if isinstance(q.object, ox.BlankNode):
            references[str(q.object)] = references.get(str(q.object), 0) + 1
    lists = _lists(subjects, references)
    in_lists = set()
    for head in lists:
        key = head
        while key in subjects and key not in in_lists and key != f"<{RDF_NIL}>":
            in_lists.add(key)
            key = str(subjects[key][RDF_REST][0])

    def is_list(obj: Any) -> bool:
        return str(obj) in lists or (isinstance(obj, ox.NamedNode) and obj.value == RDF_NIL)

    nodes = []
    for key in sorted(subjects):
        if key in in_lists:
            continue
        node: dict[str, Any] = {"@id": compactor.node(ids[key])}
        for predicate, objects in sorted(subjects[key].items()):
            objects = sorted(objects, key=str)
            if predicate == RDF_TYPE and all(isinstance(o, ox.NamedNode) for o in objects):
                types = [compactor.type_name(o.value) for o in objects]
                node["@type"] = types[0] if len(types) == 1 else types
                continue
            if any(is_list(o) for o in objects):
                name, kind = compactor.key(predicate, [o for o in objects if not is_list(o)])
                values = [
                    {"@list": [compactor.list_item(m) for m in lists.get(str(o), [])]}
                    if is_list(o)
                    else compactor.value(o, kind)
                    for o in objects
                ]
            else:
                name, kind = compactor.key(predicate, objects)
                values = [compactor.value(o, kind) for o in objects]
            node[name] = values[0] if len(values) == 1 else values
        nodes.append(node)
    return nodes
