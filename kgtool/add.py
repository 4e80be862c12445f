"""Add new triples to a graph: validate first, then write one contribution file, crash-safely.

A contribution is `data/contributions/<UTC timestamp>-<slug>.trig`: the new triples in their own named
graph, and in the default graph a PROV-O record of it (prov:generatedAtTime, the source file's
schema:name and schema:sha256, the message as rdfs:comment, void:triples). The graph's writer lock is
held from validation to the rename, so concurrent adds serialise and each sees the others' triples.
Named graphs of the input are not kept apart: all its triples go into the contribution's one graph,
and the summary says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal, Protocol

import pyoxigraph as ox

from kgtool import vocab
from kgtool.errors import InputError, UsageError
from kgtool.formats import Format
from kgtool.progress import Progress
from kgtool.rdf.parsing import ParsedFile
from kgtool.store.context import GraphContext, present
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.validate import Report, read_graph, read_new, validate
from kgtool.vocab import CONTRIBUTIONS, PROV, RDFS, SCHEMA, VOID, XSD

RDF_TYPE = ox.NamedNode(vocab.RDF_TYPE)
CONTRIBUTIONS_DIR = "contributions"

Status = Literal["added", "nothing-new", "dry-run", "invalid"]


class ContributionTarget(Protocol):
    """Where a contribution goes instead of a file of the graph folder (a remote store, issue 11)."""

    def write(
        self, name: str, triples: list[ox.Triple], stamp: datetime, files: list[ParsedFile], message: str
    ) -> str:
        """Write the contribution `name` (its triples and PROV record) in one step; say where."""
        ...


@dataclass
class AddOutcome:
    """What `add` did: the status, the validation report, and the file written (if any)."""

    status: Status
    report: Report
    new_triples: int
    already_present: int
    path: Path | None = None
    named_graphs: list[str] = field(default_factory=list)
    location: str | None = None  # where a ContributionTarget wrote it

    def summary(self) -> str:
        """One line saying what was (or would be) written, and that the input's named graphs merge."""
        text = self._outcome()
        if self.named_graphs and self.status in ("added", "dry-run"):
            names = ", ".join(f"<{g}>" for g in self.named_graphs)
            verb = "were" if self.status == "added" else "would be"
            text += f"; the input's named graph(s) {names} {verb} merged into the contribution's one graph"
        return text

    def _outcome(self) -> str:
        if self.status == "invalid":
            return "not added: the new triples do not conform to the shapes; nothing written"
        if self.status == "nothing-new":
            return (
                f"nothing to add: all {self.already_present} triple(s) are already in the graph; "
                "nothing written"
            )
        if self.status == "dry-run":
            return (
                f"dry run: would add {self.new_triples} new triple(s) "
                f"({self.already_present} already present); nothing written"
            )
        counts = f"{self.new_triples} triple(s) ({self.already_present} already present)"
        return f"added {counts} to {self.location or _shown(self.path)}"


def _shown(path: Path | None) -> str:
    """A path relative to the working folder when it lies inside it, else absolute."""
    if path is None:
        return ""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def slug(text: str) -> str:
    """A short file-name-safe slug."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "contribution"


def add(
    kg: KnowledgeGraph,
    files: Sequence[Path],
    *,
    message: str = "",
    dry_run: bool = False,
    now: datetime | None = None,
    syntax: Format | None = None,
    context: GraphContext | None = None,
    target: ContributionTarget | None = None,
) -> AddOutcome:
    """Validate `files` against the graph and, if they conform, write their new triples as a contribution.

    Each file is read once: the new files by `read_new`, the graph's by `read_graph`. Which triples are
    already there, validation's context and earlier contributions all come from one `GraphContext`:
    the data files parsed in memory for a small graph, the on-disk index for a big one (`context` when
    the caller brings its own). With `target`, the contribution is written there (a remote store, whose
    `context` the caller gives) and the graph folder only lends its ontology and shapes."""
    from kgtool.rdf.atomic_write import write_atomic
    from kgtool.store.graph_folder import graph_lock

    if kg.shipped and not dry_run and target is None:
        raise UsageError(
            "the shipped graph is read-only; copy it with `kgtool init DIR` "
            "and add to it with `kgtool --kg DIR add`"
        )
    progress = Progress()
    with progress:
        progress.start("reading the new triples")
        new = read_new(files, syntax=syntax)
    with graph_lock(kg.root) if not dry_run and target is None else _no_lock():
        with progress:
            progress.start("reading the graph")
            graph = read_graph(kg, context=context)
        assert graph.context is not None  # never standalone
        report = validate(kg, files, new=new, graph=graph, progress=progress)
        quads = [q for pf in new.parsed for q in pf.quads]
        fresh = _fresh_triples(quads, graph.context)
        if fresh and _already_added(new.parsed, graph.context) and all(_has_blank(t) for t in fresh):
            fresh = []  # blank nodes cannot be matched, but these very files were added before
        present = len({(q.subject, q.predicate, q.object) for q in quads}) - len(fresh)
        graphs = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
        if not report.conforms:
            return AddOutcome("invalid", report, len(fresh), present)
        if not fresh:
            return AddOutcome("nothing-new", report, 0, present)
        if dry_run:
            return AddOutcome("dry-run", report, len(fresh), present, named_graphs=graphs)
        stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        name = f"{stamp.strftime('%Y%m%dT%H%M%S%fZ')}-{slug(message or Path(files[0]).stem)}"
        if target is not None:
            where = target.write(name, fresh, stamp, new.parsed, message)
            return AddOutcome("added", report, len(fresh), present, None, graphs, where)
        folder = contributions_folder(kg)
        _remove_stale_temp_files(folder)
        path = folder / f"{name}.trig"
        body = contribution(fresh, name, stamp, new.parsed, message)
        write_atomic(path, body)
        graph.context.added(path)  # the index of the new version, at once (not at the next query)
        return AddOutcome("added", report, len(fresh), present, path, graphs)


def contributions_folder(kg: KnowledgeGraph) -> Path:
    """`data/contributions`, created if missing; refused when it leads outside the graph's data folder
    (a symlink elsewhere): the graph reads only what lies under data/, so a contribution written there
    would be reported added, never read back, and added again next time."""
    folder = kg.data_dir / CONTRIBUTIONS_DIR
    data = kg.data_dir.resolve()
    real = folder.resolve()
    if folder.is_symlink() or (real != data and data not in real.parents):
        raise InputError(
            f"data/{CONTRIBUTIONS_DIR} leads to {real}, outside the graph's data folder, which the graph "
            f"never reads; make data/{CONTRIBUTIONS_DIR} a plain folder",
            file=folder,
        )
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create: {exc.strerror or exc}", file=folder) from None
    return folder


class _no_lock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _fresh_triples(quads: list[ox.Quad], context: GraphContext) -> list[ox.Triple]:
    """The triples not already in the graph (triples with blank nodes always count as new)."""
    there = present(context, quads)
    fresh = {}
    for q in quads:
        if (q.subject, q.predicate, q.object) not in there:
            triple = ox.Triple(q.subject, q.predicate, q.object)
            fresh[str(triple)] = triple
    return [fresh[k] for k in sorted(fresh)]


def _remove_stale_temp_files(folder: Path) -> None:
    """Temp files left by a writer that was killed; safe to remove while holding the writer lock."""
    for stale in folder.glob(".*.tmp"):
        stale.unlink(missing_ok=True)


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _already_added(files: list[ParsedFile], context: GraphContext) -> bool:
    """True if an earlier contribution's PROV record names each of these files' SHA-256."""
    sha = ox.NamedNode(SCHEMA + "sha256")
    return all(context.contains(None, sha, ox.Literal(pf.sha256)) for pf in files)


def contribution(
    triples: list[ox.Triple], name: str, stamp: datetime, files: list[ParsedFile], message: str
) -> bytes:
    """TriG: the triples in the contribution's named graph plus its PROV-O record in the default graph."""
    quads = contribution_quads(triples, name, stamp, files, message)
    prefixes = vocab.prefixes("prov", "rdfs", "schema", "void", "xsd")
    note = " ".join((message or "(no message)").split())
    header = f"# kgtool contribution {name}: {note}\n".encode()
    body = ox.serialize(sorted(quads, key=str), format=ox.RdfFormat.TRIG, prefixes=prefixes)
    return header + (body or b"")


def contribution_quads(
    triples: list[ox.Triple], name: str, stamp: datetime, files: list[ParsedFile], message: str
) -> list[ox.Quad]:
    """The triples in the contribution's named graph, and its PROV-O record in the default graph."""
    graph = ox.NamedNode(CONTRIBUTIONS + name)
    activity = ox.NamedNode(CONTRIBUTIONS + name + "#activity")
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    when = ox.Literal(stamp.isoformat().replace("+00:00", "Z"), datatype=ox.NamedNode(XSD + "dateTime"))
    record = [
        (graph, RDF_TYPE, ox.NamedNode(PROV + "Entity")),
        (graph, RDF_TYPE, ox.NamedNode(VOID + "Dataset")),
        (graph, ox.NamedNode(PROV + "generatedAtTime"), when),
        (graph, ox.NamedNode(PROV + "wasGeneratedBy"), activity),
        (
            graph,
            ox.NamedNode(VOID + "triples"),
            ox.Literal(str(len(triples)), datatype=ox.NamedNode(XSD + "integer")),
        ),
        (activity, RDF_TYPE, ox.NamedNode(PROV + "Activity")),
        (activity, ox.NamedNode(PROV + "endedAtTime"), when),
    ]
    if message:
        record.append((activity, ox.NamedNode(RDFS + "comment"), ox.Literal(message)))
    for index, pf in enumerate(files):
        source = ox.NamedNode(f"{CONTRIBUTIONS}{name}#source-{index + 1}")
        record += [
            (activity, ox.NamedNode(PROV + "used"), source),
            (graph, ox.NamedNode(PROV + "wasDerivedFrom"), source),
            (source, RDF_TYPE, ox.NamedNode(PROV + "Entity")),
            (source, ox.NamedNode(SCHEMA + "name"), ox.Literal(Path(pf.name).name)),
            (source, ox.NamedNode(SCHEMA + "sha256"), ox.Literal(pf.sha256)),
        ]
    return quads + [ox.Quad(s, p, o) for s, p, o in record]  # type: ignore[arg-type]


def init_graph(dest: Path) -> list[Path]:
    """Copy the shipped graph (ontology/, data/, queries/) into a new folder the user can add to;
    always the shipped one, whatever --kg or $KGTOOL_KG select (copy a graph of your own with `cp -r`)."""
    import shutil

    from kgtool.store import graph_folder

    if dest.exists() and not dest.is_dir():
        raise UsageError("is a file, not a folder; give a new or empty folder", file=dest)
    if not dest.parent.is_dir():
        problem = "is not a folder" if dest.parent.exists() else "does not exist"
        raise UsageError(
            f"folder {dest.parent} {problem}; kgtool creates no folders but DIR itself", file=dest
        )
    if dest.is_dir() and any(dest.iterdir()):
        raise UsageError("folder exists and is not empty; give a new or empty folder", file=dest)
    source, _ = graph_folder.shipped_root()
    copied = []
    for part in ("ontology", "data", "queries"):
        if (source / part).is_dir():
            try:
                shutil.copytree(
                    source / part, dest / part, ignore=shutil.ignore_patterns("__pycache__", ".*")
                )
            except OSError as exc:
                raise InputError(f"cannot copy the graph here: {exc.strerror or exc}", file=dest) from None
            copied.append(dest / part)
    if not copied:
        raise UsageError("the shipped graph has no ontology/, data/ or queries/ to copy", file=source)
    return copied
