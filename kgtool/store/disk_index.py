"""A persistent on-disk Oxigraph index of a graph, for graphs too big to parse on every query.

The index is built by bulk load from the graph's files into `<cache>/index/<folder key>/<fingerprint>`
(`kgtool.store.cache`), reused while the files are unchanged and rebuilt when one changes. It is built in a
temporary folder and renamed into place (a crash leaves no half-built index); older versions of the
same graph are pruned. `kgtool.store.dataset` opens it for queries (`build`, then `open_built`) and
validation reads a neighbourhood from `open_store(kg)`; `wants_index(kg)` says
whether the graph is big enough for the index to beat an in-memory load (threshold measured, see
docs/benchmarks.md). With `infer` = rdfs or owlrl the index is a second one per graph version and mode
that also holds the closure in INFERRED_GRAPH (built once: the read-only store cannot take it later).
The prefixes the files declare are recorded while the bulk load reads them (`prefixes.json`), so a
query on the index reads no graph file at all.
hashlib, shutil and tempfile are imported inside functions: `wants_index` is on the cold query path of
small graphs, which never open an index.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kgtool.errors import InputError, UsageError
from kgtool.options import InferMode
from kgtool.progress import Progress
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.vocab import INFERRED_GRAPH, INFERRED_OUTSIDE_GRAPH

#: Graphs whose files total more bytes than this are queried through the index (about 13k triples;
#: below it, parsing into memory takes less time than opening the on-disk store, see benchmarks).
#: `$KGTOOL_INDEX_THRESHOLD` (bytes) overrides it, e.g. to exercise the index on a small graph.
INDEX_THRESHOLD_BYTES = 2 * 1024 * 1024
THRESHOLD_ENV_VAR = "KGTOOL_INDEX_THRESHOLD"


@dataclass(frozen=True)
class IndexStatus:
    """Where the index of a graph lives and whether it matches the graph's current files."""

    path: Path
    fingerprint: str
    exists: bool
    triples: int | None = None
    seconds: float | None = None
    prefixes: dict[str, str] = field(default_factory=dict)  # declared by the graph's files


#: Written last into a finished index: its triple count and build time.
READY = "READY"
#: The prefixes the graph's files declare, recorded while they were read for the build.
PREFIXES = "prefixes.json"


def _graph_dir(kg: KnowledgeGraph) -> Path:
    import hashlib

    from kgtool.store.cache import cache_dir

    key = hashlib.sha256(str(kg.root).encode()).hexdigest()[:16]
    return cache_dir() / "index" / key


def status(kg: KnowledgeGraph, infer: InferMode = InferMode.NONE) -> IndexStatus:
    """The current index location for the graph's files (and inference mode), and whether it is built."""
    from kgtool.store.cache import fingerprint

    fp = fingerprint(kg)
    path = _graph_dir(kg) / (fp if infer is InferMode.NONE else f"{fp}-{infer.value}")
    return IndexStatus(path=path, fingerprint=fp, exists=all((path / n).is_file() for n in (READY, PREFIXES)))


def threshold() -> int:
    """The size in bytes above which a graph is served from the index (`$KGTOOL_INDEX_THRESHOLD` wins)."""
    explicit = os.environ.get(THRESHOLD_ENV_VAR, "").strip()
    if explicit:
        try:
            return int(explicit)
        except ValueError:
            raise UsageError(f"{THRESHOLD_ENV_VAR} must be a number of bytes, not {explicit!r}") from None
    return INDEX_THRESHOLD_BYTES


def wants_index(kg: KnowledgeGraph) -> bool:
    """True when the graph is big enough that querying the on-disk index is faster."""
    limit = threshold()
    total = 0
    for path in kg.files():
        total += path.stat().st_size
        if total > limit:
            return True
    return False


def build(
    kg: KnowledgeGraph,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    infer: InferMode = InferMode.NONE,
) -> IndexStatus:
    """Build the index for the graph's current files unless it exists (or `rebuild`); prune old ones.

    With `infer` = rdfs or owlrl the index also holds the closure (`kgtool.reasoning.closure.inferred_quads`,
    computed from this store's own quads so that blank nodes match) in INFERRED_GRAPH. A build shows
    its progress (`progress`, by default a bar when stderr is a terminal): it takes seconds at 1M triples.
    """
    current = status(kg, infer)
    if current.exists and not rebuild:
        return _read_status(current)
    progress = progress if progress is not None else Progress()
    with progress:
        return _build(kg, current, infer, progress)


def _build(kg: KnowledgeGraph, current: IndexStatus, infer: InferMode, progress: Progress) -> IndexStatus:
    import shutil
    import tempfile

    from kgtool import formats
    from kgtool.rdf.parsing import format_of, iter_quads, open_kg_file, parse_errors
    from kgtool.rdf.prefixes import ScanningReader, declares_prefixes

    inferred = _closure_first(kg, infer, progress)
    current.path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=current.path.parent, prefix=".build-"))
    started = time.perf_counter()
    prefixes: dict[str, str] = {}
    try:
        store = ox.Store(str(tmp / "store"))
        for path in kg.files():
            syntax = format_of(path)
            progress.start(f"indexing {path.relative_to(kg.root).as_posix()}", total=path.stat().st_size)
            if syntax is formats.JSON_LD:  # parsed against a placeholder base to refuse relative IRIs
                store.bulk_extend(iter_quads([path]))
                continue
            try:
                with open_kg_file(path) as handle, parse_errors(path):
                    source: IO[bytes] = progress.reader(handle)
                    if declares_prefixes(path):
                        source = ScanningReader(source, prefixes)  # type: ignore[assignment]
                    store.bulk_load(source, syntax.rdf_format)  # no base: relative IRIs are refused
            except OSError as exc:
                raise InputError(f"cannot index: {exc}", file=path) from None
        if isinstance(inferred, Path):
            graph = ox.NamedNode(INFERRED_GRAPH)
            store.bulk_load(path=str(inferred), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        else:
            if inferred is None and infer is not InferMode.NONE:  # blank nodes: the store's ids
                from kgtool.reasoning.closure import inferred_quads

                inferred = inferred_quads(kg, infer, store)
            if inferred:
                store.bulk_extend(inferred)
        if isinstance(inferred, Path) or (inferred and infer is not InferMode.NONE):
            _move_outside_inferred(kg, infer, store)
        progress.start("writing the index")
        triples = len(store)
        store.flush()
        del store
        seconds = time.perf_counter() - started
        (tmp / PREFIXES).write_text(json.dumps(prefixes, sort_keys=True))
        (tmp / READY).write_text(f"{triples}\n{seconds:.3f}\n")
        progress.done(f"indexed {triples} triples in {seconds:.1f} s")
        if current.path.exists():
            shutil.rmtree(current.path, ignore_errors=True)
        try:
            os.replace(tmp, current.path)
        except OSError:
            if not (current.path / READY).is_file():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    _prune(kg, keep=current.fingerprint)
    return _read_status(current)


def add_file(
    kg: KnowledgeGraph, before: IndexStatus, store: ox.Store, path: Path, progress: Progress | None = None
) -> IndexStatus | None:
    """After `path` joined the graph's files (the contribution `kgtool add` just wrote), make the index
    of the new version from `store`, the open index of the version before it (`before`): a backup of
    that store (hard links: RocksDB's files are immutable) plus the file's statements. At 1M triples
    that takes well under a second, where the rebuild the next query would otherwise start takes
    5-10 s. None, leaving the rebuild to the next query, when the file declares a prefix the graph
    binds to another namespace (a rebuild decides which declaration wins)."""
    import shutil
    import tempfile

    from kgtool.rdf.parsing import iter_quads

    after = status(kg)
    if after.exists:
        return _read_status(after)
    old = _read_status(before)
    declared: dict[str, str] = {}
    quads = list(dict.fromkeys(iter_quads([path], declared)))
    if any(old.prefixes.get(name, iri) != iri for name, iri in declared.items()):
        return None
    progress = progress if progress is not None else Progress()
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(dir=after.path.parent, prefix=".build-"))
    try:
        with progress:
            progress.start(f"adding {path.name} to the index")
            added = sum(1 for q in quads if q not in store)
            store.backup(str(tmp / "store"))
            extended = ox.Store(str(tmp / "store"))
            extended.extend(quads)
            extended.flush()
            del extended
        (tmp / PREFIXES).write_text(json.dumps({**old.prefixes, **declared}, sort_keys=True))
        (tmp / READY).write_text(f"{(old.triples or 0) + added}\n{time.perf_counter() - started:.3f}\n")
        os.replace(tmp, after.path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    _prune(kg, keep=after.fingerprint)
    return _read_status(after)


def _move_outside_inferred(kg: KnowledgeGraph, infer: InferMode, store: ox.Store) -> None:
    """Move the inferred triples that need a triple from outside the post into their own named graph
    (`vocab.INFERRED_OUTSIDE_GRAPH`), as `inferred_quads` does for in-memory stores."""
    from kgtool.reasoning.closure import outside_closure

    inferred, outside = ox.NamedNode(INFERRED_GRAPH), ox.NamedNode(INFERRED_OUTSIDE_GRAPH)
    for s, p, o in outside_closure(kg, infer):
        quad = ox.Quad(s, p, o, inferred)  # type: ignore[arg-type]
        if quad in store:
            store.remove(quad)
            store.add(ox.Quad(s, p, o, outside))  # type: ignore[arg-type]


def _closure_first(kg: KnowledgeGraph, infer: InferMode, progress: Progress) -> Path | list[ox.Quad] | None:
    """The closure, computed (or found in the cache) before the bulk load opens the store, as the
    cache's N-Triples file to bulk load, so the reasoner's and RocksDB's memory peaks do not add up
    (1.6 GB against about 1 GB at 1M triples); as quads if the cache is not writable. None when there
    is nothing to infer, or when the closure names blank nodes, whose ids only the store can give."""
    if infer is InferMode.NONE:
        return None
    from kgtool.reasoning.closure import closure, closure_file

    progress.start(f"inferring ({infer.value})")
    added = closure(kg, infer)
    cached = closure_file(kg, infer)
    if cached is not None:
        return cached
    if any(isinstance(term, ox.BlankNode) for triple in added for term in triple):
        return None
    graph = ox.NamedNode(INFERRED_GRAPH)
    return [ox.Quad(s, p, o, graph) for s, p, o in added]  # type: ignore[arg-type]


def _read_status(current: IndexStatus) -> IndexStatus:
    try:
        count, secs = (current.path / READY).read_text().split()
        prefixes = json.loads((current.path / PREFIXES).read_text())
        return IndexStatus(current.path, current.fingerprint, True, int(count), float(secs), prefixes)
    except (OSError, ValueError):
        return current


def recorded_prefixes(kg: KnowledgeGraph) -> dict[str, str]:
    """The prefixes the graph's files declare, as recorded when its current index was built."""
    return _read_status(status(kg)).prefixes


def info(kg: KnowledgeGraph, infer: InferMode = InferMode.NONE) -> IndexStatus:
    """Status with the triple count and build time when the index exists."""
    current = status(kg, infer)
    return _read_status(current) if current.exists else current


def _prune(kg: KnowledgeGraph, keep: str) -> None:
    """Remove the indexes of older versions of the graph (every mode of the current one stays)."""
    import shutil

    for old in _graph_dir(kg).iterdir():
        if old.name.split("-")[0] != keep and not old.name.startswith(".build-"):
            shutil.rmtree(old, ignore_errors=True)


def neighbourhood(
    store: ox.Store,
    nodes: set[ox.NamedNode | ox.BlankNode],
    hops: int = 2,
    pointed: set[ox.NamedNode | ox.BlankNode] | None = None,
) -> list[ox.Quad]:
    """What `store` says about `nodes` and what they point to, `hops` links deep, plus the triples
    pointing at `pointed` (and at what those come from, same depth): enough data to validate the
    nodes against shapes that look a few links away (sh:class, sh:node, property paths) without
    loading the whole graph. Keep `pointed` to changed subjects: hubs have huge in-degrees."""
    seen: set[ox.NamedNode | ox.BlankNode] = set()
    found: dict[ox.Quad, None] = {}
    frontier = set(nodes)
    for node in pointed or ():
        for quad in store.quads_for_pattern(None, None, node, None):
            found[quad] = None
            frontier.add(quad.subject)  # type: ignore[arg-type]
    for _ in range(hops + 1):
        following: set[ox.NamedNode | ox.BlankNode] = set()
        for node in frontier - seen:
            seen.add(node)
            for quad in store.quads_for_pattern(node, None, None, None):
                found[quad] = None
                if isinstance(quad.object, (ox.NamedNode, ox.BlankNode)):
                    following.add(quad.object)
        frontier = following
    return list(found)


def open_store(kg: KnowledgeGraph, infer: InferMode = InferMode.NONE) -> ox.Store:
    """A read-only Oxigraph store holding the graph's files (and with `infer`, their closure in
    INFERRED_GRAPH), from the index (built first if stale)."""
    return open_built(build(kg, infer=infer))


def open_built(current: IndexStatus) -> ox.Store:
    """The read-only store of an index `build` returned; an unreadable one is removed (rebuilt next)."""
    import shutil

    try:
        return ox.Store.read_only(str(current.path / "store"))
    except OSError as exc:
        with contextlib.suppress(OSError):
            shutil.rmtree(current.path)
        message = f"index unreadable ({exc}); run `kgtool index --rebuild`"
        raise InputError(message, file=current.path) from None
