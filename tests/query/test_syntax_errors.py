"""Syntax errors from either parser become one line with the query's line and column."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgtool.query.syntax_errors import syntax_error


def test_syntax_error_positions_from_both_parsers():
    with pytest.raises(SyntaxError) as ox_info:
        ox.Store().query("SELECT ?x WHERE {\n ?x ?p \n}")
    error = syntax_error(ox_info.value, source="q.rq")
    assert (error.line, error.column, error.message) == (3, 2, "SPARQL syntax error: expected OPTIONAL")

    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    with pytest.raises(ParseException) as rdflib_info:
        prepareQuery("SELECT ?x WHERE {\n ?x ?p \n}")
    error = syntax_error(rdflib_info.value, source="q.rq")
    assert (error.file, error.line, error.column) == ("q.rq", 2, 2)
    assert error.message.startswith("SPARQL syntax error: ")
