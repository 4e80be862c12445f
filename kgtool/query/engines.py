"""Query engines: pyoxigraph (default, fast) and rdflib (the reference), behind one interface.

Both query the same dataset, built once from the graph's files by `open_store`: asserted triples in the
default graph, `--infer` triples in the named graph INFERRED_GRAPH, and the default graph of a query is
the union of all graphs. Parameters are bound as RDF terms (rdflib `initBindings`; for pyoxigraph,
whose `substitutions` only reach projected variables, `sparql.substitute` puts the term's own escaped
form in place of the variable token), never as the user's text. Both engines return the same `Result`
of pyoxigraph terms, so formatting and comparisons do not care which engine ran.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

import pyoxigraph as ox

from kgtool.errors import QueryError, check_choice
from kgtool.query.read_only_guard import (
    check_read_only,
    names_dataset,
    star_variables,
    substitute,
    syntax_error,
    unknown_prefix,
)
from kgtool.store.graph_folder import KnowledgeGraph
from kgtool.vocab import Term

if TYPE_CHECKING:
    import rdflib

    from kgtool.query.catalog import SavedQuery

ENGINES: tuple[str, ...] = ("oxigraph", "rdflib")
Row = tuple[Term | None, ...]


@dataclass
class Result:
    """An engine-neutral query result: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    kind: Literal["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)


class Engine(Protocol):
    """Runs one SPARQL query with bound parameters over a prepared dataset."""

    name: str

    def execute(self, text: str, bindings: Mapping[str, Term], *, source: str | Path | None = None) -> Result:
        """Run `text` with `bindings` ({variable name without ?: term}); raises QueryError."""
        ...


def open_store(kg: KnowledgeGraph, infer: str = "none") -> ox.Store:
    """The dataset queries run on: every file of the graph, plus inferred triples in INFERRED_GRAPH.

    Small graphs are parsed into memory; above `disk_index.threshold()` bytes the read-only on-disk index
    serves them (one per graph version and inference mode, the closure built into it once).
    """
    from kgtool.rdf.parsing import load_kg_store
    from kgtool.store import disk_index  # light: its heavy helpers load only when an index is opened

    if disk_index.wants_index(kg):
        if infer != "none":
            from kgtool.reasoning.closure import check_mode

            check_mode(infer)
        return disk_index.open_store(kg, infer)
    if infer == "none":  # kgtool.reasoning.closure (and the reasoner) load only when inference is asked for
        return load_kg_store(kg, "all")
    from kgtool.reasoning.closure import check_mode, inferred_quads

    mode = check_mode(infer)
    store = load_kg_store(kg, "all")
    store.extend(inferred_quads(kg, mode, store))
    return store


class OxigraphEngine:
    """The default engine: pyoxigraph's SPARQL evaluator over an in-memory store."""

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def execute(self, text: str, bindings: Mapping[str, Term], *, source: str | Path | None = None) -> Result:
        if bindings:
            try:
                ox.Store().query(text)  # syntax errors at their true position, before substitution
            except SyntaxError as exc:
                raise syntax_error(exc, source=source, query=text) from None
        bound = substitute(text, bindings, source=source)
        try:
            # The default graph is the union of all graphs, unless the query names its own dataset.
            answer = self.store.query(bound, use_default_graph_as_union=not names_dataset(text))
            if isinstance(answer, ox.QueryBoolean):
                return Result("ask", boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                variables = [v.value for v in answer.variables]
                width = range(len(variables))
                rows: list[Row] = [tuple(solution[i] for i in width) for solution in answer]
                extra = [v for v in star_variables(text, bindings) if v not in variables] if bindings else []
                if extra:
                    rows = [row + tuple(bindings[v] for v in extra) for row in rows]
                return Result("select", variables=variables + extra, rows=rows)
            return Result("graph", triples=list(answer))
        except SyntaxError as exc:
            if bindings:  # the text parsed without them: a value sits where its kind cannot
                reason = syntax_error(exc).message
                where = "a parameter value cannot stand where the query uses it (a literal as a predicate?)"
                raise QueryError(f"{where}: {reason}", file=source) from None
            raise syntax_error(exc, source=source, query=text) from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}", file=source) from None


class RdflibEngine:
    """The reference engine: rdflib's SPARQL evaluator over the same quads (never loads FROM graphs)."""

    name = "rdflib"

    def __init__(self, store: ox.Store) -> None:
        import rdflib.plugins.sparql as rdflib_sparql
        from rdflib import Dataset, URIRef

        from kgtool.rdf.parsing import to_rdflib_term

        rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # FROM never fetches; sparql.py refuses remote FROM too
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

    def execute(self, text: str, bindings: Mapping[str, Term], *, source: str | Path | None = None) -> Result:
        from pyparsing import ParseException

        from kgtool.rdf.parsing import to_rdflib_term

        init: dict[str, Any] = {name: to_rdflib_term(term) for name, term in bindings.items()}
        try:
            with _quiet_rdflib():
                answer = self.dataset.query(text, initBindings=init)
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
            raise syntax_error(exc, source=source, query=text) from None
        except QueryError as exc:
            raise QueryError(exc.message, file=source) from None
        except Exception as exc:  # rdflib raises bare Exception for e.g. an unknown prefix
            prefix = str(exc).partition("Unknown namespace prefix : ")[2]
            if prefix:
                raise unknown_prefix(prefix.strip(), text, source=source) from None
            raise QueryError(f"query failed (rdflib): {exc}", file=source) from None


def _refuse_service(ctx: object, part: Any) -> object:
    """rdflib evaluation hook: a SERVICE clause that got past sparql.py still never reaches the network."""
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
    from kgtool.rdf.parsing import from_rdflib_term

    if term is None:
        return None
    try:
        return from_rdflib_term(term)
    except TypeError:
        raise QueryError(f"unsupported term in a result: {term!r}") from None


def check_engine(name: str) -> str:
    """Validate an --engine value (before any file is read)."""
    return check_choice(name, ENGINES, "engine")


def make_engine(name: str, store: ox.Store) -> Engine:
    """The engine called `name` over `store`."""
    if check_engine(name) == "rdflib":
        return RdflibEngine(store)
    return OxigraphEngine(store)


def run(
    kg: KnowledgeGraph,
    text: str,
    bindings: Mapping[str, Term] | None = None,
    *,
    engine: str = "oxigraph",
    infer: str = "none",
    source: str | Path | None = None,
) -> Result:
    """Run an ad-hoc query on the graph (read-only check first); the entry point for differential tests."""
    check_read_only(text, source=source)
    check_engine(engine)
    return make_engine(engine, open_store(kg, infer)).execute(text, bindings or {}, source=source)


def run_query(
    kg: KnowledgeGraph,
    query: SavedQuery,
    values: Mapping[str, str] | None = None,
    *,
    engine: str = "oxigraph",
    infer: str = "none",
) -> Result:
    """Bind a parsed query's parameters from the user's text values and run it."""
    from kgtool.query.params import bind

    bindings = bind(query.params, values or {}, query.prefixes)
    check_engine(engine)
    return make_engine(engine, open_store(kg, infer)).execute(query.text, bindings, source=query.source)


def run_saved(
    kg: KnowledgeGraph,
    name: str,
    values: Mapping[str, str] | None = None,
    *,
    engine: str = "oxigraph",
    infer: str = "none",
) -> Result:
    """Run the saved query `name` of the graph with parameters given as text (as a user types them)."""
    from kgtool.query.catalog import load

    return run_query(kg, load(kg.query_dir, name), values, engine=engine, infer=infer)
