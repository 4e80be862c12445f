"""A prepared query: SPARQL text read once, tokenized once, checked read-only once.

`prepare(text, source)` is what every query goes through before an engine sees it: saved queries (by
`kgtool.query.catalog`), ad-hoc ones and test queries alike. The `PreparedQuery` it returns carries the
tokens and what they say (form, prefixes, variables, whether the query names its own dataset), so the
engines, parameter substitution and error positions never tokenize the text again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kgtool.query.read_only_guard import check_read_only
from kgtool.query.sparql_tokens import Token, declared_prefixes, expand_codepoints, tokenize

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class PreparedQuery:
    """A SPARQL query and what its tokens say. Build it with `prepare` unless the read-only check is
    deliberately skipped (a test of what an engine does past the guard)."""

    text: str
    source: str = "<query>"  # the file it came from, for error messages
    tokens: tuple[Token, ...] = field(init=False, repr=False)
    form: str = field(init=False)  # SELECT, ASK, CONSTRUCT or DESCRIBE ("" if none was found)
    prefixes: dict[str, str] = field(init=False, repr=False)
    variables: dict[str, int] = field(init=False, repr=False)  # name (no ?) -> line of first use
    names_dataset: bool = field(init=False)  # FROM / FROM NAMED: the query picks its default graph

    def __post_init__(self) -> None:
        tokens = tuple(tokenize(self.text))
        # A parser may expand \u escapes before it reads anything (rdflib does): read what it reads.
        decoded = expand_codepoints(self.text)
        read = tokens if decoded == self.text else tuple(tokenize(decoded))
        variables: dict[str, int] = {}
        for tok in read:
            if tok.kind == "var":
                variables.setdefault(tok.text[1:], tok.line)
        form = next((tok.upper for tok in read if tok.is_word(*QUERY_FORMS)), "")
        initial = {
            "tokens": tokens,
            "form": form,
            "prefixes": declared_prefixes(read),
            "variables": variables,
            "names_dataset": any(tok.is_word("FROM") for tok in tokens),
        }
        for name, value in initial.items():
            object.__setattr__(self, name, value)

    @property
    def kind(self) -> str:
        """The kind of result it gives: "select", "ask" or "graph" (CONSTRUCT and DESCRIBE)."""
        return "graph" if self.form in ("CONSTRUCT", "DESCRIBE") else (self.form or "SELECT").lower()


def prepare(text: str, source: str = "<query>") -> PreparedQuery:
    """Tokenize a query and refuse what is not read-only (SPARQL Update, SERVICE, remote FROM)."""
    query = PreparedQuery(text, source)
    check_read_only(query)
    return query
