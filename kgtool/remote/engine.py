"""The remote engine: a query run on a SPARQL 1.1 Protocol endpoint behind the same `Engine` interface
as the local ones, so saved queries, parameters, slicing, paging and every output format work alike.

The query is the one the local engines run (read-only guard and depth check already passed, parameters
bound as checked RDF terms by `PreparedQuery.engine_text`, prefixes declared in the text); its syntax is
checked locally first, so an error points at the same line and column. It goes as a form POST (never
`application/sparql-query`, which Virtuoso 7.2 never answers) with kgtool's dataset
(`kgtool.remote.dataset`). Results are asked for in SPARQL JSON (XML accepted) or N-Triples and parsed
by pyoxigraph as they arrive; every output format (CSV, TSV, table, …) is then written from the parsed
terms, as for a local run, never the store's own CSV (Virtuoso's drops datatypes and quotes IRIs).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import httpx
import pyoxigraph as ox

from kgtool.errors import QueryError
from kgtool.query.prepared import PreparedQuery
from kgtool.query.result import Bindings, Result, Row
from kgtool.query.substitution import star_variables
from kgtool.query.syntax_errors import syntax_error
from kgtool.remote.client import Client, RemoteError, as_file, media_type
from kgtool.remote.dataset import GRAPHS_QUERY, RemoteDataset
from kgtool.vocab import Term

RESULTS_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
GRAPH_TYPES = ("application/n-triples", "text/turtle", "text/plain")
_PARSE_FAILURES = (SyntaxError, ValueError, OSError, RuntimeError)


class RemoteEngine:
    """Runs queries on a remote endpoint, on kgtool's dataset there."""

    name = "remote"

    def __init__(self, client: Client, dataset: RemoteDataset | None = None) -> None:
        self.client = client
        self.dataset = dataset if dataset is not None else discover(client)

    def execute(self, query: PreparedQuery, bindings: Bindings) -> Result:
        try:  # syntax errors at their true position, as a local run reports them
            ox.Store().query(query.text, prefixes=query.implicit_prefixes or None)
        except SyntaxError as exc:
            raise syntax_error(exc, query) from None
        text = query.engine_text(bindings, prologue=True)
        dataset = [] if query.names_dataset else self.dataset.params()
        if query.kind == "graph":
            return Result("graph", triples=self.triples(text, dataset))
        response = self._post(text, dataset, RESULTS_TYPES)
        answer = self._parse_results(response)
        if isinstance(answer, ox.QueryBoolean):
            response.close()
            return Result("ask", boolean=bool(answer))
        variables = [v.value for v in answer.variables]
        if query.kind == "ask":  # Virtuoso answers ASK with one row `__ASK_RETVAL` = 1 (none if false)
            retval = list(self._rows(answer, response, len(variables)))
            return Result("ask", boolean=any(_true(term) for row in retval for term in row))
        extra = [v for v in star_variables(query, bindings) if v not in variables] if bindings else []
        rows = self._rows(answer, response, len(variables))
        if _virtuoso(response):  # its booleans come back as "1"/"0": written canonically, from the rows
            rows = (tuple(_canonical(term) for term in row) for row in rows)
            return Result("select", variables=variables + extra, rows=_extended(rows, extra, bindings))
        if extra:  # `SELECT *` keeps a bound variable's column, as locally
            return Result("select", variables=variables + extra, rows=_extended(rows, extra, bindings))
        native = _Native(answer, response, self)
        return Result("select", variables=variables, rows=rows, native=native)

    def select(self, text: str) -> list[Row]:
        """Every row of a SELECT of kgtool's own (context lookups), on kgtool's dataset."""
        response = self._post(text, self.dataset.params(), RESULTS_TYPES)
        answer = self._parse_results(response)
        if isinstance(answer, ox.QueryBoolean):
            response.close()
            raise self._bad("a boolean where rows were expected")
        return list(self._rows(answer, response, len(answer.variables)))

    def triples(self, text: str, dataset: list[tuple[str, str]] | None = None) -> Iterator[ox.Triple]:
        """The triples a CONSTRUCT/DESCRIBE answers, parsed as they arrive."""
        params = self.dataset.params() if dataset is None else dataset
        response = self._post(text, params, GRAPH_TYPES)
        kind = media_type(response)
        fmt = ox.RdfFormat.N_TRIPLES if kind == "text/plain" else ox.RdfFormat.from_media_type(kind)
        try:
            with self.client.reading("query", self.client.endpoint.query_url):
                for quad in ox.parse(as_file(response), format=fmt):
                    yield ox.Triple(quad.subject, quad.predicate, quad.object)
        except _PARSE_FAILURES as exc:
            raise self._bad(str(exc)) from None
        finally:
            response.close()

    def _post(self, text: str, dataset: list[tuple[str, str]], accept: tuple[str, ...]) -> httpx.Response:
        url = self.client.endpoint.query_url
        return self.client.open("POST", url, what="query", form=[("query", text), *dataset], accept=accept)

    def _parse_results(self, response: httpx.Response) -> ox.QuerySolutions | ox.QueryBoolean:
        fmt = ox.QueryResultsFormat.from_media_type(media_type(response))
        try:
            with self.client.reading("query", self.client.endpoint.query_url):
                return ox.parse_query_results(as_file(response), format=fmt)
        except _PARSE_FAILURES as exc:
            response.close()
            raise self._bad(str(exc)) from None

    def _rows(self, answer: ox.QuerySolutions, response: httpx.Response, width: int) -> Iterator[Row]:
        try:
            with self.client.reading("query", self.client.endpoint.query_url):
                for solution in answer:
                    yield tuple(solution[i] for i in range(width))
        except _PARSE_FAILURES as exc:
            raise self._bad(str(exc)) from None
        finally:
            response.close()

    def _bad(self, problem: str) -> RemoteError:
        """The answer broke off or is not what SPARQL promises (Oxigraph appends "cancelled" text to a
        query it stopped, after a 200 and rows): an error, never a shortened result."""
        return self.client.error(
            "query", self.client.endpoint.query_url, f"the answer is not valid SPARQL results ({problem})"
        )


class _Native:
    """pyoxigraph's serializer for the parsed rows still to come (what `Result.native` holds)."""

    def __init__(self, answer: ox.QuerySolutions, response: httpx.Response, engine: RemoteEngine) -> None:
        self._answer, self._response, self._engine = answer, response, engine

    def serialize(self, output: IO[bytes], format: ox.QueryResultsFormat) -> None:
        client = self._engine.client
        try:
            with client.reading("query", client.endpoint.query_url):
                self._answer.serialize(output, format=format)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError) or exc.errno is not None:
                raise  # the output went away (a closed pipe, a full disk): not the store's fault
            raise self._engine._bad(str(exc)) from None
        except (SyntaxError, ValueError, RuntimeError) as exc:
            raise self._engine._bad(str(exc)) from None
        finally:
            self._response.close()


def _virtuoso(response: httpx.Response) -> bool:
    return response.headers.get("server", "").lower().startswith("virtuoso")


_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
_CANONICAL_BOOLEANS = {"1": "true", "0": "false"}


def _canonical(term: Term | None) -> Term | None:
    """A boolean literal in its canonical lexical form (Virtuoso writes `"1"^^xsd:boolean`)."""
    if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN and term.value in _CANONICAL_BOOLEANS:
        return ox.Literal(_CANONICAL_BOOLEANS[term.value], datatype=_BOOLEAN)
    return term


def _extended(rows: Iterator[Row], extra: list[str], bindings: Bindings) -> Iterator[Row]:
    values = tuple(bindings[v] for v in extra)
    return (row + values for row in rows) if values else rows


def _true(term: object) -> bool:
    return isinstance(term, ox.Literal) and term.value in ("1", "true")


def discover(client: Client) -> RemoteDataset:
    """kgtool's graphs on the store (one query): the dataset every query of this run is sent with."""
    engine = RemoteEngine(client, RemoteDataset())
    rows = engine.select(GRAPHS_QUERY)
    return RemoteDataset.of([row[0].value for row in rows if isinstance(row[0], ox.NamedNode)])


def check_no_infer(infer: object) -> None:
    """`--infer` computes a closure over local files: refused with --endpoint (the store answers with
    what it holds)."""
    from kgtool.options import InferMode

    if infer is not InferMode.NONE:
        raise QueryError(
            "--infer works on local graph folders; with --endpoint the store answers with "
            "what it holds (push the graph, then query it without --infer)"
        )
