"""The SPARQL tokenizer: strings, IRIs and comments are single tokens, positions are exact."""

from __future__ import annotations

from kgtool.query.sparql_tokens import tokenize


def test_tokenizer_skips_strings_iris_and_comments():
    text = "SELECT ?x # DELETE\nWHERE { ?x <http://e/p> \"INSERT \\\" SERVICE\" ; ex:drop '''LOAD\n''' }"
    kinds = [(t.kind, t.text) for t in tokenize(text)]
    assert kinds == [
        ("word", "SELECT"),
        ("var", "?x"),
        ("word", "WHERE"),
        ("punct", "{"),
        ("var", "?x"),
        ("iri", "<http://e/p>"),
        ("string", '"INSERT \\" SERVICE"'),
        ("punct", ";"),
        ("pname", "ex:drop"),
        ("string", "'''LOAD\n'''"),
        ("punct", "}"),
    ]
    assert [(t.line, t.column) for t in tokenize(text)][2] == (2, 1)


def test_less_than_is_not_an_iri():
    assert [t.kind for t in tokenize("FILTER(?a < 3 && ?b<=?c)")] == [
        "word", "punct", "var", "punct", "number", "punct", "var", "punct", "var", "punct",
    ]  # fmt: skip


def test_prefixed_names_keep_their_escapes():
    text = "?a ex:a\\'b\\,c. 'x'"
    assert [(t.kind, t.text) for t in tokenize(text)] == [
        ("var", "?a"),
        ("pname", "ex:a\\'b\\,c"),
        ("punct", "."),
        ("string", "'x'"),
    ]
