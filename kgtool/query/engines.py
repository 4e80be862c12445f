"""Query engines behind one interface: pyoxigraph (default, fast) and rdflib (the reference).

The boundary: `Engine.execute(query, bindings) -> Result`. The query is a `PreparedQuery` (read once,
checked read-only and for depth, with the graph's implicit prefixes and the slice of rows a run asks
for, `PreparedQuery.for_run`); the bindings are checked RDF terms, bound by token
(`PreparedQuery.engine_text`, SEP-0007 substitution), never as the user's text. The `Result` streams:
SELECT variables and an iterator of rows (plus the engine's own serializer for them, when it has one),
an ASK boolean, or an iterator of triples. Opening the dataset an engine runs on is not its business
(`kgtool.store.dataset.open_dataset`), so an engine for a remote SPARQL endpoint fits the same protocol.
Both local engines run on the same dataset: asserted triples in the default graph, `--infer` triples in
the named graph `vocab.INFERRED_GRAPH`, and the default graph of a query is the union of all graphs
unless it names its own. An engine error met while the rows stream is a QueryError too.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Protocol, cast

import pyoxigraph as ox

from kgtool.errors import QueryError
from kgtool.options import EngineName
from kgtool.query.prepared import PreparedQuery
from kgtool.query.result import Bindings, Result, Row
from kgtool.query.substitution import star_variables
from kgtool.query.syntax_errors import syntax_error, unknown_prefix
from kgtool.vocab import Term

if TYPE_CHECKING:
    import rdflib


class Engine(Protocol):
    """Runs one prepared query with its bound parameters; raises QueryError."""

    name: str

    def execute(self, query: PreparedQuery, bindings: Bindings) -> Result:
        """Run `query` with `bindings` ({variable name without ?: term})."""
        ...


@dataclass(frozen=True)
class GraphSelection:
    """The dataset a request names (the SPARQL protocol's `default-graph-uri` and `named-graph-uri`):
    it replaces the query's FROM / FROM NAMED; graphs are only ever looked up in the store."""

    default: tuple[ox.NamedNode, ...] = ()
    named: tuple[ox.NamedNode, ...] = ()


class OxigraphEngine:
    """The default engine: pyoxigraph's SPARQL evaluator over an in-memory or on-disk store."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, graphs: GraphSelection | None = None) -> None:
        self.store = store
        self.graphs = graphs

    def execute(self, query: PreparedQuery, bindings: Bindings) -> Result:
        prefixes = query.implicit_prefixes or None
        if bindings or query.slice is not None:
            try:  # syntax errors at their true position, before substitution and slicing
                ox.Store().query(query.text, prefixes=prefixes)
            except SyntaxError as exc:
                raise syntax_error(exc, query) from None
        text = query.engine_text(bindings)
        try:
            if self.graphs is not None:  # a dataset from the request (SPARQL protocol): it overrides FROM
                answer = self.store.query(
                    text,
                    default_graph=list(self.graphs.default),
                    named_graphs=list(self.graphs.named),
                    prefixes=prefixes,
                )
            else:  # the default graph is the union of all graphs, unless the query names its own dataset
                answer = self.store.query(
                    text, use_default_graph_as_union=not query.names_dataset, prefixes=prefixes
                )
        except SyntaxError as exc:
            if bindings:  # the text parsed without them: a value sits where its kind cannot
                reason = syntax_error(exc).message
                where = "a parameter value cannot stand where the query uses it (a literal as a predicate?)"
                raise QueryError(f"{where}: {reason}", file=query.source) from None
            raise syntax_error(exc, query) from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}", file=query.source) from None
        if isinstance(answer, ox.QueryBoolean):
            return Result("ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            extra = [v for v in star_variables(query, bindings) if v not in variables] if bindings else []
            rows = _rows(answer, len(variables), query.source)
            if extra:  # `SELECT *` keeps a bound variable's column, as rdflib does
                values = tuple(bindings[v] for v in extra)
                return Result("select", variables=variables + extra, rows=(row + values for row in rows))
            return Result("select", variables=variables, rows=rows, native=_Native(answer, query.source))
        return Result("graph", triples=_guarded(answer, query.source))


def _rows(answer: ox.QuerySolutions, width: int, source: str) -> Iterator[Row]:
    try:
        for solution in answer:
            yield tuple(solution[i] for i in range(width))
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}", file=source) from None


def _guarded(triples: Iterable[ox.Triple], source: str) -> Iterator[ox.Triple]:
    try:
        yield from triples
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}", file=source) from None


class _Native:
    """pyoxigraph's serializer for the rows of a `QuerySolutions` (what `Result.native` holds)."""

    def __init__(self, answer: ox.QuerySolutions, source: str) -> None:
        self._answer, self._source = answer, source

    def serialize(self, output: IO[bytes], format: ox.QueryResultsFormat) -> None:
        try:
            self._answer.serialize(output, format=format)
        except (ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}", file=self._source) from None
        except OSError as exc:
            if isinstance(exc, BrokenPipeError) or exc.errno is not None:
                raise  # the output went away (a closed pipe, a full disk): not the query's fault
            raise QueryError(f"query failed: {exc}", file=self._source) from None


class RdflibEngine:
    """The reference engine: rdflib's SPARQL evaluator over the same quads (never loads FROM graphs)."""

    name = "rdflib"

    def __init__(self, store: ox.Store) -> None:
        import rdflib.plugins.sparql as rdflib_sparql
        from rdflib import Dataset, URIRef

        from kgtool.rdf.rdflib_bridge import to_rdflib_term

        rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # FROM never fetches (the guard refuses remote FROM too)
        rdflib_sparql.CUSTOM_EVALS["kgtool-no-service"] = _refuse_service  # and SERVICE never calls out
        with _quiet_rdflib():
            self.dataset = Dataset(default_union=True)
            graphs: dict[str, rdflib.Graph] = {}
            for quad in store:
                triple = (
                    to_rdflib_term(quad.subject),
                    to_rdflib_term(quad.predicate),
                    to_rdflib_term(quad.object),
                )
                if isinstance(quad.graph_name, ox.DefaultGraph):
                    self.dataset.add(triple)
                else:
                    key = quad.graph_name.value
                    if key not in graphs:
                        graphs[key] = self.dataset.graph(URIRef(key))
                    graphs[key].add(triple)

    def execute(self, query: PreparedQuery, bindings: Bindings) -> Result:
        from pyparsing import ParseException

        from kgtool.rdf.rdflib_bridge import to_rdflib_term

        init: dict[str, Any] = {name: to_rdflib_term(term) for name, term in bindings.items()}
        text = query.engine_text() if query.slice is not None else query.text
        try:
            with _quiet_rdflib():
                answer = self.dataset.query(text, initBindings=init, initNs=query.implicit_prefixes)
                if answer.type == "ASK":
                    return Result("ask", boolean=bool(answer.askAnswer))
                if answer.type == "SELECT":
                    variables = [str(v) for v in answer.vars or []]
                    return Result("select", variables=variables, rows=self._rows(answer, query.source))
                graph = answer.graph
                triples = [_triple(triple) for triple in graph] if graph is not None else []
                return Result("graph", triples=triples)
        except ParseException as exc:
            raise syntax_error(exc, query) from None
        except QueryError as exc:
            raise QueryError(exc.message, file=query.source) from None
        except Exception as exc:  # rdflib raises bare Exception for e.g. an unknown prefix
            raise _rdflib_error(exc, query) from None

    @staticmethod
    def _rows(answer: Any, source: str) -> Iterator[Row]:
        """rdflib's rows as pyoxigraph terms, converted one by one (rdflib evaluates lazily too)."""
        try:
            with _quiet_rdflib():
                for row in answer:
                    yield tuple(_from_rdflib(term) for term in cast(tuple, row))
        except QueryError as exc:
            raise QueryError(exc.message, file=source) from None
        except Exception as exc:
            raise QueryError(f"query failed (rdflib): {exc}", file=source) from None


def _rdflib_error(exc: Exception, query: PreparedQuery) -> QueryError:
    prefix = str(exc).partition("Unknown namespace prefix : ")[2]
    if prefix:
        return unknown_prefix(prefix.strip(), query)
    if isinstance(exc, RecursionError):
        return QueryError(
            "query nested too deep for the rdflib engine; try --engine oxigraph", file=query.source
        )
    return QueryError(f"query failed (rdflib): {exc}", file=query.source)


def _refuse_service(ctx: object, part: Any) -> object:
    """rdflib evaluation hook: a SERVICE clause past the read-only guard still never reaches the network."""
    if getattr(part, "name", None) == "ServiceGraphPattern":
        raise QueryError("SERVICE is refused: kgtool never sends queries to remote endpoints")
    raise NotImplementedError  # every other part: rdflib's own evaluation


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib 7.6's Dataset warns about its own internal use of deprecated names; keep that from users."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _triple(triple: tuple[Any, Any, Any]) -> ox.Triple:
    s, p, o = (_from_rdflib(t) for t in triple)
    return ox.Triple(s, p, o)  # type: ignore[arg-type]


def _from_rdflib(term: rdflib.term.Node | None) -> Term | None:
    from kgtool.rdf.rdflib_bridge import from_rdflib_term

    if term is None:
        return None
    try:
        return from_rdflib_term(term)
    except TypeError:
        raise QueryError(f"unsupported term in a result: {term!r}") from None


def make_engine(name: EngineName, store: ox.Store) -> Engine:
    """The engine called `name` over `store` (a dataset from `kgtool.store.dataset.open_dataset`)."""
    if name is EngineName.RDFLIB:
        return RdflibEngine(store)
    return OxigraphEngine(store)
