"""Where a knowledge graph lives and which files make it up.

A knowledge graph is a folder laid out like this repository: `ontology/` (OWL in Turtle, SHACL shapes in
files whose name contains `shapes`, and `context.jsonld`), `data/` (RDF files, any depth) and `queries/`
(saved `.rq` files). The shipped graph travels inside the wheel as `kgtool/_kg` and is found with
`importlib.resources`; in a source checkout the repository root is used instead.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kgtool.errors import InputError, UsageError
from kgtool.formats import GRAPH_SUFFIXES
from kgtool.options import GraphPart

ENV_VAR = "KGTOOL_KG"
#: The writer lock `kgtool add` holds in a graph folder (see `graph_lock`).
LOCK_NAME = ".kgtool.lock"


@dataclass(frozen=True)
class KnowledgeGraph:
    """A graph folder on disk; `shipped` is true for the default graph (no --kg, no $KGTOOL_KG), which
    is read-only whether it comes from an installed wheel or a source checkout."""

    root: Path
    shipped: bool = False

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def query_dir(self) -> Path:
        return self.root / "queries"

    def own_folders(self) -> list[Path]:
        """The folders the graph reads itself from: an output written there would be read back."""
        return [self.ontology_dir, self.data_dir, self.query_dir]

    @property
    def context_file(self) -> Path:
        return self.ontology_dir / "context.jsonld"

    def ontology_files(self) -> list[Path]:
        """OWL ontology files: RDF files in ontology/ that are not shapes or the JSON-LD context."""
        return [p for p in _rdf_files(self.ontology_dir, recursive=False) if not _is_shapes(p)]

    def shapes_files(self) -> list[Path]:
        """SHACL shapes files: RDF files in ontology/ whose name contains `shapes`."""
        return [p for p in _rdf_files(self.ontology_dir, recursive=False) if _is_shapes(p)]

    def data_files(self) -> list[Path]:
        """Instance data: every RDF file under data/, in a stable order."""
        return _rdf_files(self.data_dir, recursive=True)

    def files(self, only: GraphPart = GraphPart.ALL) -> list[Path]:
        """The files of one part of the graph; `all` is ontology + shapes + data."""
        if only is GraphPart.DATA:
            return self.data_files()
        if only is GraphPart.ONTOLOGY:
            return self.ontology_files()
        if only is GraphPart.SHAPES:
            return self.shapes_files()
        return self.ontology_files() + self.shapes_files() + self.data_files()

    def fingerprint(self, only: GraphPart = GraphPart.ALL) -> str:
        """A content hash of the part's files (names and bytes): the key for caches of this graph."""
        import hashlib  # here, not at the top: loading OpenSSL costs a cold `kgtool query` ~10 ms

        digest = hashlib.sha256()
        for path in self.files(only):
            digest.update(path.relative_to(self.root).as_posix().encode())
            digest.update(b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()


def _is_shapes(path: Path) -> bool:
    return "shapes" in path.name


def _rdf_files(folder: Path, *, recursive: bool) -> list[Path]:
    """The RDF files of one graph folder; a symbolic link named as one that leads nowhere (dangling or
    looping) is an error naming it, not a file silently left out of the graph."""
    if not folder.is_dir():
        return []
    candidates = folder.rglob("*") if recursive else folder.iterdir()
    named = [
        p
        for p in candidates
        if p.suffix in GRAPH_SUFFIXES and p.name != "context.jsonld" and not p.name.startswith(".")
    ]
    for path in named:
        if path.is_symlink() and not path.exists():
            raise InputError(
                "is a symbolic link to nothing (dangling or looping); the graph cannot read it: fix or "
                "remove the link",
                file=path,
            )
    return sorted((p for p in named if p.is_file()), key=lambda p: p.relative_to(folder).as_posix())


def shipped_root() -> tuple[Path, bool]:
    """The shipped graph: `kgtool/_kg` in an installed wheel, else the source checkout's root."""
    from importlib import resources  # only when the shipped graph is used (`--kg` needs none of it)

    packaged = resources.files("kgtool") / "_kg"
    if packaged.is_dir():
        return Path(str(packaged)), True
    checkout = Path(__file__).resolve().parents[2]
    return checkout, False


def locate(kg_dir: str | os.PathLike[str] | None = None) -> KnowledgeGraph:
    """Find the graph: `--kg DIR`, else `$KGTOOL_KG`, else the shipped graph."""
    chosen = kg_dir if kg_dir not in (None, "") else os.environ.get(ENV_VAR) or None
    if chosen is None:
        root, _ = shipped_root()
        return KnowledgeGraph(root=root, shipped=True)
    root = Path(chosen).expanduser()
    if not root.is_dir():
        raise UsageError(f"knowledge graph folder not found: {root}", file=root)
    if not (root / "data").is_dir() and not (root / "ontology").is_dir():
        raise UsageError(
            f"{root} is not a knowledge graph folder: it has neither data/ nor ontology/", file=root
        )
    return KnowledgeGraph(root=root.resolve())


@contextlib.contextmanager
def graph_lock(root: Path, timeout: float = 60.0) -> Iterator[None]:
    """Hold the graph folder's writer lock (a file lock in the folder) for the block."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(root / LOCK_NAME), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise InputError(
            f"another kgtool is writing this graph; gave up after {timeout:g}s", file=root
        ) from None
    except OSError as exc:
        raise InputError(f"cannot lock the graph for writing: {exc.strerror or exc}", file=root) from None
    try:
        yield
    finally:
        lock.release()
