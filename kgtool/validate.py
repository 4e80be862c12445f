"""Validate new RDF files against the graph's SHACL shapes, in the context of the existing graph.

Only the nodes the new triples add or touch (their subjects and objects), and the nodes that point at
those, are validated (each shape on its targets among them, see `shacl_report`), so a new file is
judged on what it changes, with references to known actors and sources resolving against the graph.
Blank nodes of the new files are skolemised for the run so they can be focus nodes too. Each result
carries the file:line of the triple that caused it. Graphs big enough for the on-disk index
(`disk_index.wants_index`) are not parsed whole: the context is the ontology plus the few-link neighbourhood
of the new triples' nodes read from the index. Where that context comes from (files, index, later a
remote store) is one seam, `kgtool.store.context.GraphContext`. Triples already in the graph are
counted apart from the new ones.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgtool import formats
from kgtool.errors import InputError, UsageError
from kgtool.formats import Format
from kgtool.options import InferMode, ReportFormat
from kgtool.rdf.parsing import MAX_INPUT_BYTES, ParsedFile, parse_file
from kgtool.rdf.rdflib_bridge import to_rdflib_term
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.vocab import SH, Triple

if TYPE_CHECKING:
    import rdflib

    from kgtool.progress import Progress
    from kgtool.rdf.source_lines import TripleLocator
    from kgtool.store.context import GraphContext

SKOLEM = "urn:kgtool:new-blank-node:"


@dataclass
class Result:
    """One SHACL validation result, located in the new files."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    component: str
    shape: str | None
    file: str | None = None
    line: int | None = None

    def location(self) -> str:
        if self.file is None:
            return "(existing graph)"
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass
class Report:
    """The outcome of validating some files: conformance, located results, the SHACL report graph."""

    conforms: bool
    results: list[Result]
    files: list[str]
    focus_nodes: int
    new_triples: int  # not in the graph yet (a triple with a blank node always counts as new)
    already_present: int = 0  # in the files and already in the graph
    whole_graph: bool = False  # `kgtool validate` with no FILE: every data file checked, none "new"
    graph: rdflib.Graph | None = field(default=None, repr=False)
    prefixes: dict[str, str] = field(default_factory=dict, repr=False)


@dataclass
class NewData:
    """Parsed new files and their triples as rdflib terms (new blank nodes skolemised)."""

    parsed: list[ParsedFile]
    triples: set[tuple[Any, Any, Any]]
    origin: dict[tuple[Any, Any, Any], ParsedFile]
    labels: set[str] = field(default_factory=set)


@dataclass
class GraphFiles:
    """What validation reads of the graph, each file once: its ontology and shapes, parsed by path, and
    the context its data gives (`context`: the data files parsed here, or the on-disk index; None when
    the files are checked alone)."""

    parsed: dict[Path, ParsedFile]
    context: GraphContext | None


def read_graph(
    kg: KnowledgeGraph,
    *,
    standalone: bool = False,
    shapes: bool = True,
    context: GraphContext | None = None,
) -> GraphFiles:
    """Parse the graph's files validation needs (`shapes`: its own shapes files too) and open its data
    as the context: `context` when the caller has one (issue 11: a remote store), else the index for a
    big graph or the data files parsed here."""
    from kgtool.store import disk_index
    from kgtool.store.context import FilesContext, IndexContext

    paths = kg.ontology_files() + (kg.shapes_files() if shapes else [])
    in_memory = not standalone and context is None and not disk_index.wants_index(kg)
    paths += kg.data_files() if in_memory else []
    parsed = {path: parse_file(path, max_bytes=None) for path in paths}
    if not standalone and context is None:
        context = FilesContext(kg, parsed) if in_memory else IndexContext(kg)
    return GraphFiles(parsed, None if standalone else context)


def read_new(
    files: Sequence[Path], *, max_bytes: int | None = MAX_INPUT_BYTES, syntax: Format | None = None
) -> NewData:
    """Parse the user's files (`-`: standard input) in `syntax`, or each in the one its suffix names
    (any bad input raises InputError with file:line:col)."""
    from kgtool.rdf.parsing import STDIN

    if not files:
        raise UsageError("give at least one RDF file")
    if sum(1 for f in files if Path(f) == STDIN) > 1:
        raise UsageError("standard input (-) can be read only once")
    parsed = [parse_file(Path(f), max_bytes=max_bytes, syntax=syntax) for f in files]
    triples: set[tuple[Any, Any, Any]] = set()
    origin: dict[tuple[Any, Any, Any], ParsedFile] = {}
    labels: dict[str, str] = {}
    for pf in parsed:
        pf.quads = [_relabel(q, labels) for q in pf.quads]
        for q in pf.quads:
            triple = (_skolem(q.subject), to_rdflib_term(q.predicate), _skolem(q.object))
            triples.add(triple)
            origin.setdefault(triple, pf)
    return NewData(parsed, triples, origin, set(labels.values()))


def _relabel(quad: Any, labels: dict[str, str]) -> Any:
    """Give the new files' blank nodes stable labels (b1, b2... in reading order) for stable reports."""
    import pyoxigraph as ox

    def label(term: Any) -> Any:
        if not isinstance(term, ox.BlankNode):
            return term
        return ox.BlankNode(labels.setdefault(term.value, f"b{len(labels) + 1}"))

    return ox.Quad(label(quad.subject), quad.predicate, label(quad.object), quad.graph_name)


def _skolem(term: Any, labels: set[str] | None = None) -> Any:
    """rdflib term; blank nodes of the new files (all, or those in `labels`) become skolem IRIs."""
    import pyoxigraph as ox
    from rdflib import URIRef

    if isinstance(term, ox.BlankNode) and (labels is None or term.value in labels):
        return URIRef(SKOLEM + term.value)
    return to_rdflib_term(term)


def add_inferred(graph: rdflib.Graph, known: list[Triple], new: NewData, mode: InferMode) -> int:
    """Add to `graph` what the closure of the known and new triples adds (the one place validation
    infers); computed on the triples just read, so its blank nodes are the graph's. Returns the count."""
    from kgtool.reasoning.closure import fast_closure

    if mode is InferMode.NONE:
        return 0
    triples: list[Any] = known + [(q.subject, q.predicate, q.object) for pf in new.parsed for q in pf.quads]
    inferred = fast_closure(triples, mode)
    for s, p, o in inferred:
        graph.add((_skolem(s, new.labels), to_rdflib_term(p), _skolem(o, new.labels)))
    return len(inferred)


def validate(
    kg: KnowledgeGraph,
    files: Sequence[Path],
    *,
    shapes: Path | None = None,
    infer: InferMode = InferMode.NONE,
    standalone: bool = False,
    new: NewData | None = None,
    graph: GraphFiles | None = None,
    syntax: Format | None = None,
    progress: Progress | None = None,
) -> Report:
    """Validate `files` (with the graph's data unless `standalone`) on the nodes they add or touch.

    `new` and `graph` are the files already read (`read_new`, `read_graph`), for a caller that needs
    them too; otherwise they are read here (each in `syntax`, or the one its suffix names). Each step
    shows on `progress` (by default a bar when stderr is a terminal): big files take minutes."""
    from kgtool.progress import Progress

    progress = progress if progress is not None else Progress()
    with progress:
        return _validate(kg, files, shapes, infer, standalone, new, graph, syntax, progress)


def _validate(
    kg: KnowledgeGraph,
    files: Sequence[Path],
    shapes: Path | None,
    infer: InferMode,
    standalone: bool,
    new: NewData | None,
    graph: GraphFiles | None,
    syntax: Format | None,
    progress: Progress,
) -> Report:
    from rdflib import Graph

    from kgtool.rdf.rdflib_bridge import load_rdflib, rdflib_graph

    if new is None:
        progress.start(f"reading {', '.join(str(f) for f in files)}"[:60])
        new = read_new(files, syntax=syntax)
    shapes_files = [shapes] if shapes is not None else kg.shapes_files()
    if not shapes_files:
        raise UsageError("the graph has no SHACL shapes (ontology/*shapes*.ttl); give --shapes FILE")
    if graph is None:
        progress.start("reading the graph")
        graph = read_graph(kg, standalone=standalone, shapes=shapes is None)
    if shapes is None:
        shapes_graph = rdflib_graph(graph.parsed[path] for path in shapes_files)
    else:
        shapes_graph = load_rdflib(shapes_files)
    ontology: list[Any] = [
        (q.subject, q.predicate, q.object) for path in kg.ontology_files() for q in graph.parsed[path].quads
    ]
    known: list[Any] = list(ontology)
    present: set[Any] = set()
    if graph.context is not None:
        from kgtool.store.context import present as already_there

        progress.start(f"reading what the graph says around {len(new.triples):,} new triples")
        known = list(dict.fromkeys(known + around(graph.context, new)))
        present = already_there(graph.context, [q for pf in new.parsed for q in pf.quads])
    data = Graph()
    for s, p, o in known:
        data.add((to_rdflib_term(s), to_rdflib_term(p), to_rdflib_term(o)))
    for triple in new.triples:
        data.add(triple)
    if infer is not InferMode.NONE:
        progress.start(f"inferring ({infer.value})")
    add_inferred(data, known, new, infer)
    focus = focus_nodes(data, new.triples)
    report_graph, results = _run_shacl(data, shapes_graph, focus, shapes_files, progress)
    progress.start(f"locating {len(results):,} result(s) in the files")
    prefixes = {**{p: ns for pf in new.parsed for p, ns in pf.prefixes.items()}, **_prefixes(kg, graph)}
    vocabulary = vocabulary_results(ontology, new, prefixes)
    locators = _locators(new)
    for result in results + vocabulary:
        if result.file is None:
            _locate(result, new, locators)
    results += vocabulary
    results.sort(key=lambda r: (r.file or "~", r.line or 0, r.focus, r.path or "", r.component))
    conforms = not any(r.severity == "Violation" for r in results)
    _add_to_report(report_graph, vocabulary, conforms)
    return Report(
        conforms=conforms,
        results=results,
        files=[p.name for p in new.parsed],
        focus_nodes=len(focus),
        new_triples=len(new.triples) - len(present),
        already_present=len(present),
        graph=report_graph,
        prefixes=prefixes,
    )


def vocabulary_results(ontology: list[Triple], new: NewData, prefixes: dict[str, str]) -> list[Result]:
    """The vocabulary check (`kgtool.term_check`) of the new files: terms the ontology does not define or
    declare, and JSON-LD keys their context leaves unmapped."""
    import pyoxigraph as ox

    from kgtool.term_check import UNMAPPED_KEY, Vocabulary, check_terms, unmapped_keys

    vocabulary = Vocabulary.of(
        (s.value, p.value, o.value) for s, p, o in ontology if isinstance(o, ox.NamedNode)
    )
    namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    def short(iri: str) -> str:
        for prefix, ns in namespaces:
            if iri.startswith(ns) and iri != ns:
                return f"{prefix}:{iri[len(ns) :]}"
        return f"<{iri}>"

    def name(term: Any) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term.value)

    quads = [q for pf in new.parsed for q in pf.quads]
    used = (
        (name(q.subject), q.predicate.value, name(q.object), isinstance(q.object, ox.NamedNode))
        for q in quads
    )
    results = [
        Result(f.subject, f.predicate, f.obj, f.message, f.severity, f.component, None)
        for f in check_terms(used, vocabulary, short)
    ]
    for pf in new.parsed:
        if pf.syntax is not formats.JSON_LD:
            continue
        for key in unmapped_keys(pf.raw.decode("utf-8")):
            focus = key.node or "(a JSON-LD node)"
            results.append(
                Result(
                    focus,
                    None,
                    f'"{key.key}"',
                    key.message,
                    "Violation",
                    UNMAPPED_KEY,
                    None,
                    pf.name,
                    key.line,
                )
            )
    return results


def _add_to_report(report: rdflib.Graph | None, results: list[Result], conforms: bool) -> None:
    """Write the vocabulary results into the SHACL report graph, as sh:ValidationResult nodes."""
    from rdflib import BNode, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, XSD

    if report is None:
        return
    sh = Namespace(SH)
    top = next(report.subjects(RDF.type, sh.ValidationReport), None)
    if top is None:
        top = BNode()
        report.add((top, RDF.type, sh.ValidationReport))
    report.set((top, sh.conforms, Literal(conforms, datatype=XSD.boolean)))
    for result in results:
        node = BNode()
        report.add((top, sh.result, node))
        report.add((node, RDF.type, sh.ValidationResult))
        focus = result.focus
        report.add(
            (
                node,
                sh.focusNode,
                BNode(focus[2:])
                if focus.startswith("_:")
                else URIRef(focus)
                if ":" in focus and " " not in focus
                else Literal(focus),
            )
        )
        if result.path:
            report.add((node, sh.resultPath, URIRef(result.path)))
        if result.value:
            value = result.value
            report.add(
                (
                    node,
                    sh.value,
                    URIRef(value) if result.path and not value.startswith('"') else Literal(value.strip('"')),
                )
            )
        report.add((node, sh.resultMessage, Literal(result.message, lang="en")))
        report.add((node, sh.resultSeverity, sh[result.severity]))
        report.add((node, sh.sourceConstraintComponent, URIRef(result.component)))


def validate_graph(
    kg: KnowledgeGraph, *, shapes: Path | None = None, infer: InferMode = InferMode.NONE
) -> Report:
    """Validate the whole graph: every data file is read as new (so each result names its file:line),
    against the ontology alone; an empty data folder is a usage error."""
    files = kg.data_files()
    if not files:
        raise UsageError(f"the graph has no data files to validate (no RDF files under {kg.data_dir})")
    from dataclasses import replace

    new = read_new(files, max_bytes=None)
    return replace(
        validate(kg, files, shapes=shapes, infer=infer, standalone=True, new=new), whole_graph=True
    )


def around(context: GraphContext, new: NewData, hops: int = 2) -> list[Triple]:
    """What the graph says about the new triples' nodes, `hops` links deep, and the triples pointing at
    their subjects (`GraphContext.neighbourhood`; all of it for a small graph read from its files): the
    context validation needs, since the shapes look at most a few links away (sh:class, sh:node, the
    SPARQL constraints' paths)."""
    import pyoxigraph as ox

    quads = [q for pf in new.parsed for q in pf.quads]
    subjects = {q.subject for q in quads if not isinstance(q.subject, ox.Triple)}
    nodes = subjects | {q.object for q in quads if isinstance(q.object, ox.NamedNode | ox.BlankNode)}
    found = context.neighbourhood(nodes, subjects, hops)
    return [(q.subject, q.predicate, q.object) for q in found]  # type: ignore[misc]


def _prefixes(kg: KnowledgeGraph, graph: GraphFiles) -> dict[str, str]:
    """The graph's prefixes, for the report: from its context, or (files checked alone) its files."""
    from kgtool.rdf.export import load_context, prefixes_of
    from kgtool.rdf.prefixes import namespaces, of_files

    if graph.context is not None:
        declared = graph.context.prefixes()
    else:  # data files this run did not parse (--standalone) are read here, once
        pf = graph.parsed
        declared = of_files((path, pf[path].raw if path in pf else None) for path in kg.files())
    return {**namespaces(declared), **prefixes_of(load_context(kg))}


def focus_nodes(data: rdflib.Graph, new: set[tuple[Any, Any, Any]]) -> list[Any]:
    """Subjects and objects of the new triples (not classes named by rdf:type), and the nodes that point
    at a changed subject, whose sh:class / sh:node checks on it can change."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    subjects = {s for s, _, _ in new}
    objects = {o for _, p, o in new if isinstance(o, URIRef) and p != RDF.type}
    pointing = {s for node in subjects for s in data.subjects(None, node)}
    return sorted(n for n in subjects | objects | pointing if isinstance(n, URIRef))


def _run_shacl(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    focus: list[Any],
    shapes_files: Sequence[Path],
    progress: Progress | None = None,
) -> tuple[rdflib.Graph, list[Result]]:
    """pyshacl on the focus nodes only; malformed shapes become an input error naming the shapes file."""
    from pyshacl.errors import ReportableRuntimeError
    from rdflib import BNode, Graph, Literal, Namespace
    from rdflib.namespace import RDF, XSD

    if not focus:
        sh = Namespace(SH)
        empty, node = Graph(), BNode()
        empty.add((node, RDF.type, sh.ValidationReport))
        empty.add((node, sh.conforms, Literal(True, datatype=XSD.boolean)))
        return empty, []
    logging.disable(logging.CRITICAL)  # pyshacl logs (and mis-formats) its own errors on stderr
    try:
        report = shacl_report(data, shapes, set(focus), progress)
    except ReportableRuntimeError as exc:
        reason = (str(exc).strip().splitlines() or ["unreadable shapes"])[0]
        where = shapes_files[0] if len(shapes_files) == 1 else ", ".join(str(p) for p in shapes_files)
        raise InputError(f"not valid SHACL: {reason}", file=where) from None
    finally:
        logging.disable(logging.NOTSET)
    return report, _results(report)


def shacl_report(
    data: rdflib.Graph, shapes: rdflib.Graph, focus: set[Any] | None = None, progress: Progress | None = None
) -> rdflib.Graph:
    """The SHACL report of a whole-graph run, restricted to the shapes' targets among `focus` if given.

    pyshacl's own `focus_nodes` option also filters the nodes that nested shapes (sh:not, sh:node,
    sh:or...) are checked on, so `sh:not [ sh:class X ]` on a value outside `focus` wrongly fails;
    here the restriction applies to each shape's targets only, and nested shapes see every value.
    That takes pyshacl internals (DataGraph, make_executor, Shape.validate, create_validation_report:
    pyshacl 0.40, pinned in pyproject.toml)."""
    from pyshacl import Validator
    from pyshacl.graph_abstraction import DataGraph

    graph = DataGraph.from_rdflib(data)
    _parse_queries_once(graph)
    validator = Validator(graph, shacl_graph=shapes, options={"inference": "none", "inplace": True})
    executor = validator.make_executor()
    conforms, found = True, list[Any]()
    work = []
    for shape in validator.shacl_graph.shapes:
        targeted = sorted(n for n in shape.focus_nodes(graph) if focus is None or n in focus)
        if targeted:
            work.append((shape, targeted))
    if progress is not None:
        nodes = "all" if focus is None else f"{len(focus):,}"
        progress.start(f"validating {nodes} focus node(s)", total=sum(len(t) for _, t in work))
    for shape, targeted in work:
        ok, reports = shape.validate(executor, graph, focus=targeted)
        conforms, found = conforms and ok, found + list(reports)
        if progress is not None:
            progress.advance(len(targeted))
    report, _ = validator.create_validation_report(validator.shacl_graph, conforms, found)
    return report


def _parse_queries_once(graph: Any) -> None:
    """pyshacl hands rdflib each SPARQL constraint's text once per focus node, and rdflib parses it every
    time (about 0.1 s a query): parse each distinct text once for this run."""
    from functools import lru_cache

    from rdflib.plugins.sparql import prepareQuery

    run = graph.query
    prepared = lru_cache(maxsize=512)(prepareQuery)

    def query(query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            query_object = prepared(query_object)
        return run(query_object, *args, **kwargs)

    graph.query = query


def _results(report: rdflib.Graph) -> list[Result]:
    from rdflib import Namespace, URIRef
    from rdflib.namespace import RDF

    sh = Namespace(SH)
    found = []
    for node in report.subjects(RDF.type, sh.ValidationResult):
        path = report.value(node, sh.resultPath)
        value = report.value(node, sh.value)
        messages = sorted(str(m) for m in report.objects(node, sh.resultMessage))
        severity = str(report.value(node, sh.resultSeverity) or SH + "Violation")
        shape = report.value(node, sh.sourceShape)
        found.append(
            Result(
                focus=_show(report.value(node, sh.focusNode)),
                path=_show(path) if path is not None else None,
                value=_show(value) if value is not None else None,
                message="; ".join(messages),
                severity=severity.removeprefix(SH),
                component=str(report.value(node, sh.sourceConstraintComponent)).removeprefix(SH),
                shape=str(shape) if isinstance(shape, URIRef) else None,
            )
        )
    return found


def _show(term: Any) -> str:
    from rdflib import BNode, Literal

    text = str(term)
    if text.startswith(SKOLEM):
        return "_:" + text[len(SKOLEM) :]
    if isinstance(term, BNode):
        return "_:" + text
    if isinstance(term, Literal):
        return term.n3()
    return text


def _locators(new: NewData) -> dict[int, TripleLocator]:
    """One locator per new file, made once per run: each cuts its file into statements once (made per
    result, a file with 700 results was cut 700 times: 145 s for 8,000 triples)."""
    from kgtool.rdf.source_lines import TripleLocator

    return {id(pf): TripleLocator(pf) for pf in new.parsed}


def _locate(result: Result, new: NewData, locators: dict[int, TripleLocator]) -> None:
    """Point a result at the triple in the new files that caused it (best match first)."""

    def unskolem(text: str) -> Any:
        import pyoxigraph as ox

        return ox.BlankNode(text[2:]) if text.startswith("_:") else ox.NamedNode(text)

    focus = unskolem(result.focus)
    path = unskolem(result.path) if result.path and not result.path.startswith("_:") else None
    value = None
    if result.value is not None and not result.value.startswith(('"', "_:")):
        value = unskolem(result.value)
    attempts = []
    if path is not None:
        attempts.append((focus, path, value))
        if value is not None:
            attempts.append((focus, path, None))
    for pf in new.parsed:
        for s, p, o in attempts:
            line = locators[id(pf)].triple_line(s, p, o)
            if line is not None:
                result.file, result.line = pf.name, line
                return
    for node in [focus] + ([value] if value is not None else []):
        for pf in new.parsed:
            line = locators[id(pf)].subject_line(node)
            if line is not None:
                result.file, result.line = pf.name, line
                return
    for triple, pf in new.origin.items():
        if _show(triple[2]) == result.focus:
            result.file = pf.name
            result.line = locators[id(pf)].triple_line(
                unskolem(_show(triple[0])), unskolem(str(triple[1])), unskolem(_show(triple[2]))
            )
            return


# --- rendering ------------------------------------------------------------------------------------


def render(report: Report, fmt: ReportFormat) -> str:
    """The report as a readable table (text), a stable JSON document, or the SHACL report in Turtle."""
    if fmt is ReportFormat.JSON:
        document = {
            "alreadyPresent": report.already_present,
            "conforms": report.conforms,
            "files": report.files,
            "focusNodes": report.focus_nodes,
            "newTriples": report.new_triples,
            "results": [asdict(r) for r in report.results],
        }
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if fmt is ReportFormat.TURTLE:
        import pyoxigraph as ox

        from kgtool import formats, vocab
        from kgtool.rdf.export import canonical_quads, serialize
        from kgtool.rdf.rdflib_bridge import from_rdflib_term as _to_ox

        def term(node: Any) -> Any:
            text = str(node)
            return ox.BlankNode(text[len(SKOLEM) :]) if text.startswith(SKOLEM) else _to_ox(node)

        graph: Any = report.graph if report.graph is not None else []
        quads = [ox.Quad(term(s), term(p), term(o)) for s, p, o in graph]
        prefixes = {**vocab.prefixes("sh", "xsd"), **report.prefixes}
        return serialize(canonical_quads(quads), formats.TURTLE, prefixes, {}).decode()
    return _table(report)


def _table(report: Report) -> str:
    present = f" ({report.already_present} already in the graph)" if report.already_present else ""
    checked = (
        f"the whole graph: {report.new_triples} triple(s)"
        if report.whole_graph
        else f"{report.new_triples} new triple(s){present}"
    )
    head = (
        f"{'conforms' if report.conforms else 'does not conform'}: {len(report.results)} result(s) "
        f"on {report.focus_nodes} focus node(s) from {checked}\n"
    )
    if not report.results:
        return head
    columns = ("location", "severity", "focus node", "path", "value", "message")
    namespaces = sorted(report.prefixes.items(), key=lambda item: -len(item[1]))

    def short(text: str | None) -> str:
        for prefix, ns in namespaces:
            if text and text.startswith(ns) and "/" not in text[len(ns) :]:
                return f"{prefix}:{text[len(ns) :]}"
        return text or ""

    rows = [
        (r.location(), r.severity, short(r.focus), short(r.path), short(r.value), r.message or r.component)
        for r in report.results
    ]
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(columns)]
    widths[-1] = len(columns[-1])

    def fmt_row(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=False)).rstrip() + "\n"

    lines = [fmt_row(columns), fmt_row(["-" * w for w in widths])] + [fmt_row(row) for row in rows]
    return head + "".join(lines)
