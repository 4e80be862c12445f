"""The existing graph as `validate` and `add` see it: the one seam where the context of new triples
comes from.

Validation needs, of the graph's data, what the new triples' nodes say and point to (a few links deep)
and what points at the changed subjects; `add` also asks which new triples are there already and
whether a contribution record names these very files. Those three questions are `GraphContext`:

- `FilesContext`: the graph's data files parsed in memory (graphs under the index threshold); the whole
  data is the context, as it is small;
- `IndexContext`: the on-disk index (`kgtool.store.disk_index`): the neighbourhood read from it, each
  lookup one index probe, so a 1M-triple graph costs about 60 MB, not its 700 MB in memory; after an
  add, the index of the new version is this one plus the contribution (`disk_index.add_file`);
- a remote SPARQL store (issue 11) answers the same: the neighbourhood by a CONSTRUCT, lookups by ASK.

`open_context(kg)` picks the files or the index by the graph's size (`disk_index.wants_index`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kgtool.rdf.parsing import ParsedFile
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.vocab import Term

Node = ox.NamedNode | ox.BlankNode


class GraphContext(Protocol):
    """Where validate and add read the graph they check new triples against."""

    #: True when the context is the whole data (validation then needs no neighbourhood query).
    whole: bool

    def neighbourhood(self, nodes: set[Node], pointed: set[Node], hops: int) -> list[ox.Quad]:
        """The statements about `nodes` and what they point to, `hops` links deep, and the statements
        pointing at `pointed` (see `disk_index.neighbourhood`)."""
        ...

    def contains(self, subject: Node | None, predicate: ox.NamedNode, obj: Term | None) -> bool:
        """True when the graph holds a statement matching the pattern (None matches anything)."""
        ...

    def prefixes(self) -> dict[str, str]:
        """The prefixes the graph's files declare, in the order the graph reads them."""
        ...

    def added(self, path: Path) -> None:
        """The graph gained the file `path` (a contribution): bring what this context keeps up to date."""
        ...


class FilesContext:
    """The graph's data files, parsed in memory (small graphs)."""

    whole = True

    def __init__(self, kg: KnowledgeGraph, parsed: dict[Path, ParsedFile]) -> None:
        self.kg = kg
        self.parsed = parsed  # every file this run parsed: the data files, and more
        self._store: ox.Store | None = None

    @property
    def quads(self) -> Iterable[ox.Quad]:
        return (q for path in self.kg.data_files() for q in self.parsed[path].quads)

    def neighbourhood(self, nodes: set[Node], pointed: set[Node], hops: int) -> list[ox.Quad]:
        return list(self.quads)  # small: all of it

    def contains(self, subject: Node | None, predicate: ox.NamedNode, obj: Term | None) -> bool:
        if self._store is None:
            self._store = ox.Store()
            self._store.extend(self.quads)
        return any(True for _ in self._store.quads_for_pattern(subject, predicate, obj, None))

    def prefixes(self) -> dict[str, str]:
        from kgtool.rdf.prefixes import of_files

        pf = self.parsed
        return of_files((path, pf[path].raw if path in pf else None) for path in self.kg.files())

    def added(self, path: Path) -> None:
        return None  # nothing kept: the next run parses the files again


class IndexContext:
    """The graph's on-disk index (built first if stale), opened read-only."""

    whole = False

    def __init__(self, kg: KnowledgeGraph) -> None:
        from kgtool.store import disk_index

        self.kg = kg
        self.built = disk_index.build(kg)
        self.store = disk_index.open_built(self.built)

    def neighbourhood(self, nodes: set[Node], pointed: set[Node], hops: int) -> list[ox.Quad]:
        from kgtool.store import disk_index

        return disk_index.neighbourhood(self.store, nodes, hops=hops, pointed=pointed)

    def contains(self, subject: Node | None, predicate: ox.NamedNode, obj: Term | None) -> bool:
        return any(True for _ in self.store.quads_for_pattern(subject, predicate, obj, None))

    def prefixes(self) -> dict[str, str]:
        return dict(self.built.prefixes)

    def added(self, path: Path) -> None:
        """Extend a copy of this index with the file, as the next version's index (the next query
        then opens it at once instead of rebuilding for seconds); a failure leaves that to the query."""
        import contextlib

        from kgtool.errors import KgtoolError
        from kgtool.store import disk_index

        with contextlib.suppress(OSError, KgtoolError):
            disk_index.add_file(self.kg, self.built, self.store, path)


def open_context(kg: KnowledgeGraph, parsed: dict[Path, ParsedFile]) -> GraphContext:
    """The index for a graph big enough to have one, else its data files (all in `parsed`)."""
    from kgtool.store import disk_index

    return IndexContext(kg) if disk_index.wants_index(kg) else FilesContext(kg, parsed)


def present(context: GraphContext, quads: Sequence[ox.Quad]) -> set[tuple[object, object, object]]:
    """The triples of `quads` the graph holds already (in any graph); a triple with a blank node never
    matches (its node is the file's own)."""
    found: set[tuple[object, object, object]] = set()
    for q in quads:
        triple = (q.subject, q.predicate, q.object)
        if triple in found or isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            continue
        if context.contains(q.subject, q.predicate, q.object):  # type: ignore[arg-type]
            found.add(triple)
    return found
