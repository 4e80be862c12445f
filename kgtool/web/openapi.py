"""The OpenAPI 3.1 document of the Web API (`/api/openapi.json`), generated from the saved queries'
`#+` headers: one GET operation per query, named after it, with its summary, description and tags;
each parameter typed as its header types it (a JSON Schema type and format, its enum, default and
example), the `page` of a paginated query, the formats it answers in, and its error answers. The
SPARQL endpoint is described too.
"""

from __future__ import annotations

from typing import Any

from kgtool import __version__
from kgtool.query.catalog import SavedQuery
from kgtool.query.params import Param
from kgtool.vocab import XSD
from kgtool.web.api import GRAPH_SUFFIXES, PAGE, RESULT_SUFFIXES

#: JSON Schema for a parameter type: (type, format or pattern-free extra keywords).
_SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "format": "iri"},
    "string": {"type": "string"},
    "literal": {"type": "string"},
    "lang-string": {"type": "string", "description": "text@language, e.g. withdrawal@en"},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "double": {"type": "number"},
    "float": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "dateTime": {"type": "string", "format": "date-time"},
    "time": {"type": "string", "format": "time"},
    "duration": {"type": "string", "format": "duration"},
    "anyURI": {"type": "string", "format": "uri"},
    "gYear": {"type": "string", "pattern": "^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$"},
    "gYearMonth": {"type": "string", "pattern": "^-?[0-9]{4,}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$"},
}
_INTEGER_TYPES = (
    "nonNegativeInteger",
    "positiveInteger",
    "negativeInteger",
    "nonPositiveInteger",
    "long",
    "int",
    "short",
    "byte",
)
_TEXT = {"text/plain": {"schema": {"type": "string"}}}


def document(queries: list[SavedQuery], *, timeout: float, max_rows: int) -> dict[str, Any]:
    """The OpenAPI 3.1 document for these queries."""
    paths: dict[str, Any] = {"/sparql": _sparql(timeout, max_rows)}
    for saved in queries:
        paths[f"/api/{saved.name}"] = {"get": _operation(saved, timeout, max_rows)}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "kgtool: the US military presence in Iraq, 2011-2021",
            "version": __version__,
            "description": "Saved SPARQL queries of the graph as a Web API (as grlc serves a query "
            "repository): one operation per query, typed parameters, every result format by Accept or "
            "by a suffix (/api/NAME.csv). Read-only; each query stops after "
            f"{timeout:g} s (503) and an answer after {max_rows} rows (X-Kgtool-Truncated: true).",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
    }


def schema(param: Param) -> dict[str, Any]:
    """The JSON Schema of a parameter's values, from its declared type."""
    kind = param.type
    if kind in _SCHEMAS:
        found = dict(_SCHEMAS[kind])
    elif kind in _INTEGER_TYPES:
        found = {"type": "integer"}
    else:
        found = {"type": "string"}
        if param.datatype and not param.datatype.startswith(XSD):
            found["description"] = f"a value of datatype <{param.datatype}>"
    if param.lookup is not None:
        found = {"type": "string", "description": "a name, a slug or an IRI"}
    if param.enum:
        found["enum"] = list(param.enum)
    if param.default is not None:
        found["default"] = param.default
    return found


def _parameter(param: Param) -> dict[str, Any]:
    described = param.description or f"{param.describe_type()} (binds ?{param.var})"
    found: dict[str, Any] = {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": described,
        "schema": schema(param),
    }
    found["example"] = param.example_value()
    return found


def _content(kind: str) -> dict[str, Any]:
    from kgtool.web.sparql import offers

    content: dict[str, Any] = {}
    for offer in offers(kind):
        content[offer.media_types[0]] = {"schema": {"type": "string"}}
    content["text/html"] = {"schema": {"type": "string"}}
    return content


def _errors(timeout: float) -> dict[str, Any]:
    return {
        "400": {
            "description": "A parameter's value does not fit its type (the one line names it).",
            "content": _TEXT,
        },
        "406": {"description": "No format the query gives is acceptable.", "content": _TEXT},
        "503": {
            "description": f"The query ran past the server's time limit ({timeout:g} s), "
            "or needed more memory than the server's limit, or every worker was busy that long.",
            "content": _TEXT,
        },
    }


def _headers(max_rows: int) -> dict[str, Any]:
    return {
        "X-Kgtool-Row-Cap": {
            "description": "The most rows an answer holds.",
            "schema": {"type": "integer", "const": max_rows},
        },
        "X-Kgtool-Truncated": {
            "description": "`true` when the answer was cut at the row cap.",
            "schema": {"type": "string", "enum": ["true"]},
        },
    }


def _operation(saved: SavedQuery, timeout: float, max_rows: int) -> dict[str, Any]:
    kind = saved.prepared.kind
    parameters = [_parameter(p) for p in saved.params]
    headers = _headers(max_rows)
    if saved.pagination and not any(p.name == PAGE for p in saved.params):
        parameters.append(
            {
                "name": PAGE,
                "in": "query",
                "required": False,
                "description": f"Page of {saved.pagination} rows (the header's `pagination`); "
                "the Link header names the first, previous and next pages.",
                "schema": {"type": "integer", "minimum": 1, "default": 1},
            }
        )
        headers["Link"] = {
            "description": "first, prev and next pages (RFC 8288)",
            "schema": {"type": "string"},
        }
    suffixes = list(GRAPH_SUFFIXES if kind == "graph" else RESULT_SUFFIXES)
    description = saved.description or saved.title
    forced = ",".join([*suffixes, "html"])
    description += f"\n\nFormats by Accept or by a suffix: /api/{saved.name}.{{{forced}}}."
    description += f"\n\n```sparql\n{saved.text.strip()}\n```"
    operation: dict[str, Any] = {
        "operationId": saved.name,
        "summary": saved.title or saved.name,
        "description": description,
        "parameters": parameters,
        "responses": {
            "200": {
                "description": "The rows" if kind != "graph" else "The triples",
                "headers": headers,
                "content": _content(kind),
            },
            **_errors(timeout),
        },
    }
    if saved.tags:
        operation["tags"] = list(saved.tags)
    return operation


def _sparql(timeout: float, max_rows: int) -> dict[str, Any]:
    query = {
        "name": "query",
        "in": "query",
        "required": True,
        "description": "A read-only SPARQL 1.1 query.",
        "schema": {"type": "string"},
        "example": "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
    }
    graphs = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": what,
            "schema": {"type": "array", "items": {"type": "string", "format": "iri"}},
            "style": "form",
            "explode": True,
        }
        for name, what in (
            ("default-graph-uri", "A graph of the default graph (replaces FROM)."),
            ("named-graph-uri", "A named graph (replaces FROM NAMED)."),
        )
    ]
    content = {**_content("select"), **_content("graph")}
    content.pop("text/html")
    responses = {
        "200": {"description": "The result", "headers": _headers(max_rows), "content": content},
        "400": {"description": "A syntax error or a refused query (SERVICE), in one line.", "content": _TEXT},
        "403": {"description": "SPARQL Update is refused: the endpoint is read-only.", "content": _TEXT},
        "406": {"description": "No acceptable format for the result.", "content": _TEXT},
        "413": {"description": "The request body is too large.", "content": _TEXT},
        "415": {"description": "The body is neither a form nor application/sparql-query.", "content": _TEXT},
        "503": {
            "description": f"The query ran past {timeout:g} s, needed more memory than the server's "
            "limit, or every worker was busy that long.",
            "content": _TEXT,
        },
    }
    form = {
        "type": "object",
        "properties": {
            "query": {"type": "string"},
            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["query"],
    }
    return {
        "get": {
            "operationId": "sparqlGet",
            "summary": "SPARQL 1.1 Protocol query (GET)",
            "parameters": [query, *graphs],
            "responses": responses,
        },
        "post": {
            "operationId": "sparqlPost",
            "summary": "SPARQL 1.1 Protocol query (POST form or application/sparql-query)",
            "parameters": graphs,
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {"schema": form},
                    "application/sparql-query": {"schema": {"type": "string"}},
                },
            },
            "responses": responses,
        },
    }
