"""Queries nested too deep for the engines are refused before any parser sees them."""

from __future__ import annotations

import pytest

from kgtool.errors import QueryError
from kgtool.query.depth_guard import MAX_CHAIN, MAX_DEPTH
from kgtool.query.prepared import prepare


def groups(n: int) -> str:
    return "SELECT * WHERE " + "{ " * n + "?s ?p ?o " + "} " * n


def parens(n: int) -> str:
    return "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * n + "?o" + ")" * n + ") }"


def unions(n: int) -> str:
    return "SELECT * WHERE {\n" + " UNION ".join("{ ?s ?p ?o }" for _ in range(n)) + "\n}"


def ors(n: int) -> str:
    return "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join("?o = 1" for _ in range(n)) + ") }"


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        (groups(MAX_DEPTH + 1), f"query nested too deep: more than {MAX_DEPTH} levels", 16 + 2 * MAX_DEPTH),
        (groups(5000), f"query nested too deep: more than {MAX_DEPTH} levels", 16 + 2 * MAX_DEPTH),
        (parens(MAX_DEPTH), f"query nested too deep: more than {MAX_DEPTH} levels", 33 + MAX_DEPTH - 1),
        (unions(MAX_CHAIN + 2), f"query too long: more than {MAX_CHAIN} UNION in one group", None),
        (unions(20_000), f"query too long: more than {MAX_CHAIN} UNION in one group", None),
        (ors(MAX_CHAIN + 2), f"query too long: more than {MAX_CHAIN} || in one group", None),
    ],
)
def test_too_deep_or_too_long_is_refused_with_a_position(text, message, column):
    with pytest.raises(QueryError) as info:
        prepare(text, "deep.rq")
    assert info.value.message.startswith(message)
    assert info.value.file == "deep.rq"
    if column is not None:
        assert (info.value.line, info.value.column) == (1, column)


def test_escaped_braces_count_too():
    with pytest.raises(QueryError, match="nested too deep"):
        prepare("SELECT * WHERE " + "\\u007B " * (MAX_DEPTH + 1) + "?s ?p ?o" + " }" * (MAX_DEPTH + 1))


@pytest.mark.parametrize(
    "text", [groups(MAX_DEPTH), parens(MAX_DEPTH - 3), unions(MAX_CHAIN + 1), ors(MAX_CHAIN + 1)]
)
def test_the_largest_accepted_queries_run_on_pyoxigraph(text, run, shipped_kg):
    """At the limits the engine still answers: the limits leave pyoxigraph's crash points far away."""
    result = run.text(shipped_kg, text.replace("SELECT *", "SELECT (COUNT(*) AS ?n)"))
    assert len(result.all_rows()) == 1


def test_braces_inside_strings_iris_and_comments_do_not_count():
    text = 'SELECT * WHERE { ?s ?p "' + "{" * 5000 + '" # ' + "{" * 5000 + "\n}"
    assert prepare(text).form == "SELECT"
