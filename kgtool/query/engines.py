"""Query engines behind one interface: pyoxigraph (default, fast) and rdflib (the reference).

An `Engine` takes a prepared query (`kgtool.query.prepared`) and its bindings and returns a `Result`;
opening the dataset it runs on is not its business (`kgtool.store.dataset.open_dataset`), so an engine
for a remote SPARQL endpoint fits the same protocol. Both local engines run on the same dataset:
asserted triples in the default graph, `--infer` triples in the named graph `vocab.INFERRED_GRAPH`, and
the default graph of a query is the union of all graphs unless it names its own. Parameters are bound
as RDF terms (rdflib `initBindings`; for pyoxigraph, whose `substitutions` only reach projected
variables, `kgtool.query.substitution` puts the term's own escaped form in place of the variable
token), never as the user's text. Both return the same `Result` of pyoxigraph terms.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, cast

import pyoxigraph as ox

from kgtool.errors import QueryError
from kgtool.options import EngineName
from kgtool.query.prepared import PreparedQuery
from kgtool.query.result import Bindings, Result, Row
from kgtool.query.substitution import star_variables, substitute
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


class OxigraphEngine:
    """The default engine: pyoxigraph's SPARQL evaluator over an in-memory store."""

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def execute(self, query: PreparedQuery, bindings: Bindings) -> Result:
        if bindings:
            try:
                ox.Store().query(query.text)  # syntax errors at their true position, before substitution
            except SyntaxError as exc:
                raise syntax_error(exc, query) from None
        bound = substitute(query, bindings)
        try:
            # The default graph is the union of all graphs, unless the query names its own dataset.
            answer = self.store.query(bound, use_default_graph_as_union=not query.names_dataset)
            if isinstance(answer, ox.QueryBoolean):
                return Result("ask", boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                variables = [v.value for v in answer.variables]
                width = range(len(variables))
                rows: list[Row] = [tuple(solution[i] for i in width) for solution in answer]
                extra = [v for v in star_variables(query, bindings) if v not in variables] if bindings else []
                if extra:
                    rows = [row + tuple(bindings[v] for v in extra) for row in rows]
                return Result("select", variables=variables + extra, rows=rows)
            return Result("graph", triples=list(answer))
        except SyntaxError as exc:
            if bindings:  # the text parsed without them: a value sits where its kind cannot
                reason = syntax_error(exc).message
                where = "a parameter value cannot stand where the query uses it (a literal as a predicate?)"
                raise QueryError(f"{where}: {reason}", file=query.source) from None
            raise syntax_error(exc, query) from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}", file=query.source) from None


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
        try:
            with _quiet_rdflib():
                answer = self.dataset.query(query.text, initBindings=init)
                rows = list(answer) if answer.type == "SELECT" else []
            if answer.type == "ASK":
                return Result("ask", boolean=bool(answer.askAnswer))
            if answer.type == "SELECT":
                variables = [str(v) for v in answer.vars or []]
                converted = [tuple(_from_rdflib(term) for term in cast(tuple, row)) for row in rows]
                return Result("select", variables=variables, rows=converted)
            graph = answer.graph
            triples = [_triple(triple) for triple in graph] if graph is not None else []
            return Result("graph", triples=triples)
        except ParseException as exc:
            raise syntax_error(exc, query) from None
        except QueryError as exc:
            raise QueryError(exc.message, file=query.source) from None
        except Exception as exc:  # rdflib raises bare Exception for e.g. an unknown prefix
            prefix = str(exc).partition("Unknown namespace prefix : ")[2]
            if prefix:
                raise unknown_prefix(prefix.strip(), query) from None
            raise QueryError(f"query failed (rdflib): {exc}", file=query.source) from None


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
