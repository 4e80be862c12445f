"""Saved-query answers materialised per graph version, for graphs served from the on-disk index.

On the index (graphs above `disk_index.threshold()`), pyoxigraph's RocksDB store answers whole-graph
listings 4-10x slower than an in-memory store of the same quads: every term it returns is a key lookup
in RocksDB, and the listings return tens of thousands of rows with labels (docs/benchmarks.md, 1M
triples). So the answer of a saved query is computed once per graph version and kept as W3C TSV next to
the index (`<index>/results/`, removed with the index when the graph changes); every later run, page or
format reads it back through pyoxigraph's parser and serializer in milliseconds.

The store is picked by the size of the answer it will likely give: a run with no parameter bound is a
whole-graph listing and is computed on an in-memory copy of the graph (a bulk load, 3 s at 1M triples,
then the in-memory speed); a run with parameters starts from the IRIs they name and is computed on the
index, which finds them at once. The key is the exact text the engine runs (parameters substituted, the
graph's prefixes), the engine, the inference mode and the versions of kgtool and pyoxigraph. Answers
over `MAX_ENTRY_BYTES` are served and not kept; the folder keeps its newest answers within
`MAX_TOTAL_BYTES`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kgtool import __version__
from kgtool.errors import QueryError
from kgtool.options import InferMode
from kgtool.query.engines import Engine
from kgtool.query.prepared import PreparedQuery
from kgtool.query.result import Bindings, Result, Row
from kgtool.query.slicing import Slice

#: An answer bigger than this is written out once and not kept.
MAX_ENTRY_BYTES = 256 * 1024 * 1024
#: The results folder of one graph version keeps its newest answers within this.
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
FOLDER = "results"


def fetch(
    folder: Path,
    query: PreparedQuery,
    bindings: Bindings,
    engine: Engine,
    compute_on: Callable[[], Engine] | None = None,
    *,
    infer: InferMode,
) -> Result:
    """The answer of `query` (its slice applied) from `folder`, computed first if it is not there yet:
    by the engine `compute_on` makes when given (over an in-memory copy), else by `engine`. `infer`
    is part of the key: each mode has its own index folder today, and an answer must not outlive that."""
    import hashlib

    whole = _unsliced(query)
    text = whole.engine_text(bindings)
    key = hashlib.sha256(
        "\0".join([__version__, ox.__version__, engine.name, infer.value, text]).encode("utf-8")
    ).hexdigest()[:40]
    path = folder / f"{key}.tsv"
    keep = True
    if not path.is_file():
        answer = (compute_on() if compute_on is not None else engine).execute(whole, bindings)
        if answer.kind != "select":
            return engine.execute(query, bindings)  # only SELECT answers are kept (ASK is one bit)
        keep = _store(answer, path)
    try:
        return _read(path, query.slice, query.source)
    finally:
        if not keep:
            with contextlib.suppress(OSError):
                os.unlink(path)  # the open file is still read to the end


def _unsliced(query: PreparedQuery) -> PreparedQuery:
    return query.for_run(query.implicit_prefixes, None) if query.slice is not None else query


def _store(answer: Result, path: Path) -> bool:
    """Write the answer as TSV (a temporary file renamed into place); False if it is too big to keep."""
    from kgtool import formats
    from kgtool.query.result_formats import write

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".answer-", suffix=".tsv")
    try:
        with os.fdopen(handle, "wb") as out:
            write(answer, formats.TSV, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if path.stat().st_size > MAX_ENTRY_BYTES:
        return False
    _prune(path.parent)
    return True


def _prune(folder: Path) -> None:
    entries = []
    for entry in folder.glob("*.tsv"):
        with contextlib.suppress(OSError):
            stat = entry.stat()
            entries.append((stat.st_mtime, stat.st_size, entry))
    total = sum(size for _, size, _ in entries)
    for _, size, entry in sorted(entries, key=lambda e: e[0]):
        if total <= MAX_TOTAL_BYTES:
            break
        with contextlib.suppress(OSError):
            entry.unlink()
        total -= size


def _read(path: Path, part: Slice | None, source: str) -> Result:
    try:
        solutions = ox.parse_query_results(path=str(path), format=ox.QueryResultsFormat.TSV)
    except (OSError, SyntaxError, ValueError) as exc:
        raise _damaged(path, exc, source) from None
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [v.value for v in solutions.variables]
    rows = _rows(solutions, len(variables), path, source)
    if part is None:
        return Result("select", variables=variables, rows=rows, native=_Stored(solutions, path, source))
    end = None if part.limit is None else part.offset + part.limit
    return Result("select", variables=variables, rows=islice(rows, part.offset, end))


def _damaged(path: Path, exc: BaseException, source: str) -> QueryError:
    """A stored answer that does not read back: removed, so the next run computes it again."""
    with contextlib.suppress(OSError):
        path.unlink()
    reason = " ".join(str(exc).split())
    return QueryError(f"stored answer unreadable ({reason}); run the query again", file=source)


def _rows(solutions: ox.QuerySolutions, width: int, path: Path, source: str) -> Iterator[Row]:
    try:
        for solution in solutions:
            yield tuple(solution[i] for i in range(width))
    except (OSError, SyntaxError, ValueError) as exc:
        raise _damaged(path, exc, source) from None


class _Stored:
    """pyoxigraph's serializer over a stored answer read back."""

    def __init__(self, solutions: ox.QuerySolutions, path: Path, source: str) -> None:
        self._solutions, self._path, self._source = solutions, path, source

    def serialize(self, output: IO[bytes], format: ox.QueryResultsFormat) -> None:
        try:
            self._solutions.serialize(output, format=format)
        except (SyntaxError, ValueError) as exc:
            raise _damaged(self._path, exc, self._source) from None
