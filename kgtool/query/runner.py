"""One run of a query, as `kgtool query` and `kgtool sparql` make it: the library side of the command.

Open the dataset (`kgtool.store.dataset`), make the engine, bind the parameters (`params.bind`, names
looked up through the engine by `lookup.Resolver`), give the query the graph's prefixes and the slice
of rows asked for (`PreparedQuery.for_run`), execute, and write the result to a binary stream as it
streams (`result_formats.write`). Notes for the user (a name that matched nothing, more pages) go to
`note`; errors are raised. `kgtool.query.worker` runs the same function in a child process when a
time limit is set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from kgtool import formats
from kgtool.errors import ExitStatus
from kgtool.formats import Format
from kgtool.options import EngineName, InferMode
from kgtool.query.catalog import SavedQuery
from kgtool.query.engines import Engine
from kgtool.query.result import Result, Row
from kgtool.query.slicing import Slice
from kgtool.store.graph_folder import KnowledgeGraph

if TYPE_CHECKING:
    from pathlib import Path

    from kgtool.remote.endpoint import Endpoint


@dataclass(frozen=True)
class Page:
    """Page `number` of `size` rows (grlc's pagination, `--page`)."""

    number: int
    size: int


@dataclass(frozen=True)
class Options:
    """How to run and print: every value already checked at the command line."""

    fmt: Format
    infer: InferMode = InferMode.NONE
    engine: EngineName = EngineName.OXIGRAPH
    part: Slice | None = None  # --limit / --offset
    page: Page | None = None  # --page, or page 1 of a query with `#+ pagination`
    width: int | None = None  # a terminal's columns, for a table
    keep_answer: bool = False  # a saved query: on the on-disk index its answer is kept (result_cache)
    endpoint: Endpoint | None = None  # --endpoint: run on a remote store (kgtool.remote) instead


def paging(
    pagination: int | None, limit: int | None, offset: int | None, page: int | None
) -> tuple[Slice | None, Page | None]:
    """The slice and page of a run from --limit, --offset, --page and the query's `pagination`.

    `--page K` takes pages of the query's `pagination` rows, or of `--limit` rows; without options a
    query with `pagination` shows page 1, as grlc does; `--limit`/`--offset` alone slice the answer.
    """
    from kgtool.errors import UsageError

    if page is not None:
        if offset is not None:
            raise UsageError("--page and --offset both say where to start; give one of them")
        size = limit if limit is not None else pagination
        if size is None:
            raise UsageError(
                "--page needs a page size: --limit N, or `#+ pagination: N` in the query's header"
            )
        return None, Page(page, size)
    if limit is not None or offset is not None:
        return Slice(offset or 0, limit), None
    if pagination is not None:
        return None, Page(1, pagination)
    return None, None


def run(
    kg: KnowledgeGraph,
    saved: SavedQuery,
    values: Mapping[str, str],
    options: Options,
    out: IO[bytes],
    note: Callable[[str], None],
) -> ExitStatus:
    """Run a saved (or ad-hoc) query and write its result; ASK answering false is CHECK_FAILED."""
    if options.endpoint is not None:
        from kgtool.remote.session import open_remote

        with open_remote(options.endpoint, kg, options.infer) as remote:
            return _run(kg, saved, values, options, out, note, remote.engine, remote.prefixes, None)
    from kgtool.query.engines import make_engine
    from kgtool.store.dataset import open_dataset

    dataset = open_dataset(kg, options.infer)
    engine = make_engine(options.engine, dataset.store)
    return _run(kg, saved, values, options, out, note, engine, dataset.prefixes, dataset.results)


def _run(
    kg: KnowledgeGraph,
    saved: SavedQuery,
    values: Mapping[str, str],
    options: Options,
    out: IO[bytes],
    note: Callable[[str], None],
    engine: Engine,
    prefixes: dict[str, str],
    results: Path | None,
) -> ExitStatus:
    from kgtool.query.lookup import bind_all
    from kgtool.query.result_formats import TABLE_PAGE, write

    known = {**prefixes, **saved.prefixes}
    bindings = bind_all(engine, saved.params, values, known, note)
    part = options.part
    if options.page is not None:  # one row more than the page, to know whether another follows
        part = Slice((options.page.number - 1) * options.page.size, options.page.size + 1)
    query = saved.prepared.for_run(prefixes, part)
    if options.keep_answer and results is not None and query.kind == "select":
        from kgtool.query.engines import make_engine
        from kgtool.query.result_cache import fetch
        from kgtool.store.dataset import open_dataset

        def in_memory() -> Engine:  # a whole-graph listing: faster on an in-memory copy
            return make_engine(options.engine, open_dataset(kg, options.infer, in_memory=True).store)

        compute_on = None if bindings else in_memory
        result = fetch(results, query, bindings, engine, compute_on, infer=options.infer)
    else:
        result = engine.execute(query, bindings)
    more: list[bool] = []
    if options.page is not None and result.kind == "select":
        result = Result("select", result.variables, _page(result.row_iterator(), options.page.size, more))
    shown = {**prefixes, **saved.prefixes} if options.fmt.prefixed else {}
    table_page = TABLE_PAGE if options.fmt is formats.TABLE and part is None else None
    offset = part.offset if part is not None else 0
    write(result, options.fmt, out, shown, width=options.width, page=table_page, offset=offset)
    if more and options.page is not None:
        number, size = options.page.number, options.page.size
        note(f"page {number} of {size} rows; --page {number + 1} shows the next")
    if result.kind == "ask" and not result.boolean:
        return ExitStatus.CHECK_FAILED
    return ExitStatus.OK


def _page(rows: Iterator[Row], size: int, more: list[bool]) -> Iterator[Row]:
    """The first `size` rows; `more` gets True if another one follows."""
    for count, row in enumerate(rows):
        if count == size:
            more.append(True)
            return
        yield row
