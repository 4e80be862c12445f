"""Export the graph in a standard RDF format, byte for byte the same every time, at any size.

Determinism: blank nodes get canonical labels (`kgtool.rdf.canonical`: linear for the trees that lists and
`[ ... ]` make, a bounded search for the rest), statements are sorted, prefixes come from the graph's
files and `ontology/context.jsonld` in a fixed order, and JSON-LD is built here from the sorted quads (not
by rdflib, whose JSON-LD output varied with PYTHONHASHSEED).

Speed: each file is parsed and written back as N-Quads by pyoxigraph in one pass (no list of statements),
the lines are sorted as bytes and de-duplicated as neighbours, and only the lines that name a blank node
are parsed again for their labels. Turtle, TriG and RDF/XML are then written by pyoxigraph from the sorted
lines. 1M triples: about 6 s and 0.54 GB for Turtle, 14 s and 0.74 GB for JSON-LD (docs/benchmarks.md).

Inferred triples (the closure of the whole graph, by `kgtool.reasoning.closure.fast_closure` over the
triples read here so blank nodes match) are kept apart: in their own named graph for quad formats (trig,
nquads, json-ld), in a second document for triple formats (turtle, nt, xml). Named graphs of the data files
(each `add` contribution's graph) stay named in quad formats; triple formats merge them into the one graph.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kgtool import formats, vocab
from kgtool.errors import InputError, UsageError
from kgtool.formats import Format
from kgtool.options import GraphPart, InferMode
from kgtool.progress import Progress
from kgtool.rdf.prefixes import namespaces
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.vocab import INFERRED_GRAPH, INFERRED_OUTSIDE_GRAPH, RDF, RDF_TYPE, XSD_STRING

#: Declared in every export, whatever the graph's context says.
STANDARD_PREFIXES = vocab.prefixes("owl", "rdf", "rdfs", "xsd")
RDF_FIRST, RDF_REST, RDF_NIL, RDF_LIST = (RDF + name for name in ("first", "rest", "nil", "List"))
_NQ = ox.RdfFormat.N_QUADS


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
    *,
    progress: Progress | None = None,
) -> Export:
    """Serialise one part of the graph (and, with `infer`, the inferred triples kept apart)."""
    progress = progress if progress is not None else Progress()
    with progress:
        declared: dict[str, str] = {}
        if infer is InferMode.NONE:
            main, side = (
                canonical_nquads(_read_part(kg, only, fmt.keeps_graphs, declared, progress), progress),
                None,
            )
        else:
            main, side = _with_inferred(kg, fmt, infer, only, declared, progress)
        context = load_context(kg)
        prefixes = {**namespaces(declared), **prefixes_of(context)}
        body = serialize_nquads(main, fmt, prefixes, context, progress)
        inferred = None if side is None else serialize_nquads(side, fmt, prefixes, context, progress)
        return Export(body, inferred)


def _read_part(
    kg: KnowledgeGraph, only: GraphPart, keep_graphs: bool, declared: dict[str, str], progress: Progress
) -> list[bytes]:
    """The part's files as N-Quads documents; the prefixes of every file of the graph (in the graph's
    order, the first declaration of a name winning) collected into `declared`."""
    from kgtool.rdf.prefixes import declares_prefixes, scan

    part = set(kg.files(only))
    documents = []
    for path in kg.files():
        if path in part:
            documents.append(_read_as_nquads(path, kg, keep_graphs, declared, progress))
        elif declares_prefixes(path):
            scan(path.read_bytes(), declared)
    return documents


def _read_as_nquads(
    path: Path, kg: KnowledgeGraph, keep_graphs: bool, declared: dict[str, str], progress: Progress
) -> bytes:
    """One graph file as N-Quads (its graph names dropped unless `keep_graphs`), its prefix declarations
    collected into `declared`; pyoxigraph parses and writes in one pass, no list of statements."""
    from kgtool.rdf.parsing import format_of, iter_quads, open_kg_file, parse_errors
    from kgtool.rdf.prefixes import ScanningReader, declares_prefixes

    syntax = format_of(path)
    progress.start(f"reading {path.relative_to(kg.root).as_posix()}", total=path.stat().st_size)
    with open_kg_file(path) as handle, parse_errors(path):
        source: IO[bytes] = progress.reader(handle)
        if declares_prefixes(path):
            source = ScanningReader(source, declared)  # type: ignore[assignment]
        if syntax is formats.JSON_LD:  # parsed against a placeholder base, to refuse relative IRIs
            quads: Iterable[ox.Quad] = iter_quads([path])
        else:
            quads = ox.parse(source, format=syntax.rdf_format, rename_blank_nodes=True)
        if syntax.keeps_graphs and not keep_graphs:
            quads = (ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        return ox.serialize(quads, format=_NQ) or b""


def _with_inferred(
    kg: KnowledgeGraph,
    fmt: Format,
    infer: InferMode,
    only: GraphPart,
    declared: dict[str, str],
    progress: Progress,
) -> tuple[bytes, bytes | None]:
    """The exported part and its inferred triples, as canonical N-Quads: one document for quad formats
    (inferred triples in their own named graphs), two (asserted, inferred) for triple formats."""
    from kgtool.rdf.parsing import iter_quads

    part = set(kg.files(only))
    asserted: list[ox.Quad] = []
    everything: list[tuple[Any, Any, Any]] = []
    for path in kg.files():
        progress.start(f"reading {path.relative_to(kg.root).as_posix()}")
        for q in iter_quads([path], declared):
            everything.append((q.subject, q.predicate, q.object))
            if path in part:
                asserted.append(q)
    progress.start(f"inferring ({infer.value})")
    inferred_graph, outside_graph = ox.NamedNode(INFERRED_GRAPH), ox.NamedNode(INFERRED_OUTSIDE_GRAPH)
    added = _inferred(everything, asserted, infer, only)
    outside = _needs_outside(everything, added, infer)
    inferred = [
        ox.Quad(s, p, o, outside_graph if (s, p, o) in outside else inferred_graph) for s, p, o in added
    ]
    if fmt.keeps_graphs:
        return canonical_nquads([ox.serialize(asserted + inferred, format=_NQ) or b""], progress), None
    # A triple format: the blank nodes the inferred triples share with the asserted ones must get the
    # same labels in both documents, so they are labelled together and split afterwards.
    return _split_by_graph(asserted, inferred)


def _split_by_graph(asserted: list[ox.Quad], inferred: list[ox.Quad]) -> tuple[bytes, bytes]:
    """Asserted and inferred triples (graph names dropped) as two sorted N-Quads documents whose blank
    nodes are labelled as one dataset: the inferred ones sit in a marker graph meanwhile."""
    from kgtool.rdf.canonical import canonical_labels, relabel

    marker = ox.NamedNode("urn:kgtool:export:inferred")
    merged = [ox.Quad(q.subject, q.predicate, q.object) for q in asserted]
    merged += [ox.Quad(q.subject, q.predicate, q.object, marker) for q in inferred]
    merged = list(dict.fromkeys(merged))
    labels = canonical_labels([q for q in merged if _has_blank(q)])
    main: list[ox.Quad] = []
    side: list[ox.Quad] = []
    for q in relabel(merged, labels):
        (side if q.graph_name == marker else main).append(ox.Quad(q.subject, q.predicate, q.object))

    def document(quads: list[ox.Quad]) -> bytes:
        return canonical_nquads([ox.serialize(quads, format=_NQ) or b""], relabelled=True)

    return document(main), document(side)


def _has_blank(q: ox.Quad) -> bool:
    return any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object, q.graph_name))


def _inferred(
    everything: list[tuple[Any, Any, Any]], asserted: list[ox.Quad], mode: InferMode, only: GraphPart
) -> set[tuple[Any, Any, Any]]:
    """The closure of the whole graph, computed on the triples just read (so blank nodes match), kept
    to the nodes the exported part describes when that is not `all`."""
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
    if not added:
        return set()
    from kgtool.reasoning.closure import needs_outside

    return needs_outside(everything, added, mode)


# --- canonical order ------------------------------------------------------------------------------


def canonical_nquads(
    documents: list[bytes], progress: Progress | None = None, *, relabelled: bool = False
) -> bytes:
    """N-Quads documents merged into one (the list is emptied as it is read, to let each go): canonical
    blank node labels (unless already `relabelled`), no duplicates, lines sorted."""
    from kgtool.rdf.canonical import canonical_labels, relabel

    progress = progress if progress is not None else Progress(enabled=False)
    lines: list[bytes] = []
    while documents:  # each document is let go once split: at 1M statements that is 150 MB
        lines += documents.pop().split(b"\n")
    named = [] if relabelled else [line for line in lines if b"_:" in line]  # literals may hold "_:" too
    if named:
        progress.start(f"labelling the blank nodes of {len(named):,} statements")
        lines = [line for line in lines if b"_:" not in line]
        quads = list(ox.parse(b"\n".join(dict.fromkeys(named)), format=_NQ))  # labels as first parsed
        labels = canonical_labels([q for q in quads if _has_blank(q)])
        lines += (ox.serialize(relabel(quads, labels), format=_NQ) or b"").split(b"\n")
    progress.start(f"sorting {len(lines):,} statements")
    lines.sort()  # files are often in order already, which timsort turns into speed
    ordered = list(dict.fromkeys(lines))  # duplicates are neighbours now; keeps the order
    del lines
    if ordered and ordered[0] == b"":
        del ordered[0]
    return b"\n".join(ordered) + b"\n" if ordered else b""


def canonical_quads(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Quads with blank nodes relabelled canonically, de-duplicated and sorted."""
    return list(ox.parse(canonical_nquads([ox.serialize(quads, format=_NQ) or b""]), format=_NQ))


def _by_graph(data: bytes, fmt: Format) -> Iterator[ox.Quad]:
    """Sorted N-Quads as quads, for a dataset format the default graph first and then each named graph
    in order (TriG writes one block per graph; the sort is stable, so each graph keeps the sorted order).
    A triple format's statements stream straight from the parser."""
    if not fmt.keeps_graphs:
        return iter(ox.parse(data, format=_NQ))
    quads = list(ox.parse(data, format=_NQ))
    if any(not isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
        quads.sort(key=lambda q: "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name))
    return iter(quads)


def serialize(quads: list[ox.Quad], fmt: Format, prefixes: dict[str, str], context: dict[str, Any]) -> bytes:
    """Serialise already-canonical, sorted quads."""
    return serialize_nquads(ox.serialize(quads, format=_NQ) or b"", fmt, prefixes, context)


def serialize_nquads(
    data: bytes,
    fmt: Format,
    prefixes: dict[str, str],
    context: dict[str, Any],
    progress: Progress | None = None,
) -> bytes:
    """Serialise sorted N-Quads (`canonical_nquads`) in `fmt`."""
    if progress is not None:
        progress.start(f"writing {fmt}")
    if fmt in (formats.N_QUADS, formats.N_TRIPLES):
        return data
    if fmt is formats.JSON_LD:  # one pass over the parser: it groups by graph itself
        return jsonld_text(jsonld_document(ox.parse(data, format=_NQ), context)).encode()
    quads: Iterable[ox.Quad] = _by_graph(data, fmt)
    if fmt is formats.RDF_XML:
        quads = list(quads)
        _check_xml_names(quads)
    used = {p: ns for p, ns in prefixes.items() if b"<" + ns.encode() in data} if fmt.prefixed else {}
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
    """Write an export (and its inferred side file) with kgtool's output writer; returns the files."""
    from kgtool.rdf.atomic_write import write_output

    write_output(output, result.body)
    if result.inferred is None:
        return [output]
    write_output(inferred_path(output), result.inferred)
    return [output, inferred_path(output)]


_XML_LOCAL_NAME = re.compile(r"[A-Za-z_][\w.-]*$")


def _check_xml_names(quads: list[ox.Quad]) -> None:
    """RDF/XML writes predicates as XML element names; refuse those that have no such spelling."""
    for predicate in {q.predicate.value for q in quads}:
        if not _XML_LOCAL_NAME.search(predicate):
            raise UsageError(
                f"predicate <{predicate}> cannot be written in RDF/XML (it does not end in an "
                "XML name); use another format"
            )


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
        self._compact: dict[str, str] = {}  # the same IRIs come back again and again: compact each once

    def iri(self, iri: str) -> str:
        found = self._compact.get(iri)
        if found is None:
            found = self._compact[iri] = self._compacted(iri)
        return found

    def _compacted(self, iri: str) -> str:
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


def jsonld_document(quads: Iterable[ox.Quad], context: dict[str, Any]) -> dict[str, Any]:
    """A compacted JSON-LD 1.1 document of sorted quads, with the graph's context inline: the default
    graph's node objects, then one object per named graph (in order) holding its own."""
    context = {**{p: ns for p, ns in STANDARD_PREFIXES.items() if p not in context}, **context}
    compactor = _Compactor(context)
    graphs = _collect(quads)
    nodes = _node_objects(graphs.pop("", _Subjects()), compactor)
    for graph in sorted(graphs):
        nodes.append({"@id": compactor.iri(graph), "@graph": _node_objects(graphs[graph], compactor)})
    return {"@context": context, "@graph": nodes}


@dataclass
class _Subjects:
    """One graph's statements by subject: subject key -> predicate IRI -> objects."""

    props: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)  # subject key -> its term
    references: dict[str, int] = field(default_factory=dict)  # blank node key -> times it is an object


def _collect(quads: Iterable[ox.Quad]) -> dict[str, _Subjects]:
    """Graph IRI ('' for the default graph) -> its statements by subject, in one pass over the quads
    (a stream: at 1M statements a list of quads alone takes seconds to build)."""
    graphs: dict[str, _Subjects] = {}
    blank, default = ox.BlankNode, ox.DefaultGraph
    current_name: object = None
    current = _Subjects()
    for subject, predicate, obj, graph_name in quads:
        if graph_name != current_name:
            current_name = graph_name
            name = "" if type(graph_name) is default else graph_name.value
            current = graphs.setdefault(name, _Subjects())
        key = str(subject)
        props = current.props.get(key)
        if props is None:
            props = current.props[key] = {}
            current.ids[key] = subject
        objects = props.get(predicate.value)
        if objects is None:
            props[predicate.value] = [obj]
        else:
            objects.append(obj)
        if type(obj) is blank:
            name_of = str(obj)
            current.references[name_of] = current.references.get(name_of, 0) + 1
    return graphs


def jsonld_text(document: dict[str, Any]) -> str:
    """A JSON-LD document as text: the context indented, then one node object per line (sorted keys),
    a named graph's nodes one per line inside it. Readable, diff-friendly, the same bytes every time,
    and written by json's C encoder (an indented dump goes through its pure-Python one: 20 s at 1M)."""
    line = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": ")).encode
    context = json.dumps(document["@context"], indent=2, sort_keys=True, ensure_ascii=False)
    nodes = []
    for node in document["@graph"]:
        if "@graph" in node and set(node) == {"@id", "@graph"}:
            inner = ",\n".join("      " + line(n) for n in node["@graph"])
            nodes.append(f'    {{"@id": {line(node["@id"])}, "@graph": [\n{inner}\n    ]}}')
        else:
            nodes.append("    " + line(node))
    body = ",\n".join(nodes)
    graph = f"[\n{body}\n  ]" if nodes else "[]"
    return f'{{\n  "@context": {context.replace(chr(10), chr(10) + "  ")},\n  "@graph": {graph}\n}}\n'


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


def _node_objects(graph: _Subjects, compactor: _Compactor) -> list[dict[str, Any]]:
    subjects, ids = graph.props, graph.ids
    blank = ox.BlankNode
    lists = _lists(subjects, graph.references)
    in_lists = set()
    for head in lists:
        key = head
        while key in subjects and key not in in_lists and key != f"<{RDF_NIL}>":
            in_lists.add(key)
            key = str(subjects[key][RDF_REST][0])

    def is_list(obj: Any) -> bool:
        if type(obj) is ox.NamedNode:
            return obj.value == RDF_NIL
        return type(obj) is blank and bool(lists) and str(obj) in lists

    nodes = []
    for key in sorted(subjects):
        if key in in_lists:
            continue
        node: dict[str, Any] = {"@id": compactor.node(ids[key])}
        for predicate, objects in sorted(subjects[key].items()):
            if len(objects) > 1:
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
