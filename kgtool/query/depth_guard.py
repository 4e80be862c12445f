"""Refuse queries nested too deep or chained too long before any parser sees them.

pyoxigraph's SPARQL parser and evaluator recurse once per nesting level and once per link of several
chains, and the process dies (SIGSEGV, exit 139, no message) when the stack runs out; some shapes are
superlinear well before that. Measured with pyoxigraph 0.5.13 on an empty store, 8 MiB main-thread
stack, 2 cores (2026-12-01; crash = first size that crashed, bisected to within 2%):

- nesting: `{ { ... } }` crashed at 2,226 levels, `FILTER(((...)))` at 4,687, `COALESCE(COALESCE(...`
  at 927, `FILTER EXISTS { FILTER EXISTS { ...` at 839, nested `OPTIONAL { OPTIONAL {` at 2,617,
  blank nodes `[ ?p [ ?p ... ] ]` at 3,476;
- chains in one group or expression: `!!!...true` at 9,375 `!`, `1+1+...` (also `*`, `/`) at 6,953
  terms, a path `<p:a>/<p:a>/...` at 8,281 steps (`|`: 10,937), 10,000 UNIONs or `||`;
- patterns in one group: 2,617 `MINUS {}` or `BIND()`, 6,171 `OPTIONAL {}`, 8,281 `{}` groups, 9,375
  FILTERs; and one collection `( 1 1 ... )` of 4,101 items;
- nested terms in triple position (collections `( ( ... ) )` and blank nodes `[ ?p [ ... ] ]`) are
  superlinear in the parser: 50 levels 0.1 s, 80 levels 0.6 s, 120 levels 2-3 s, 160 levels 4.2 s
  (collections), 250 levels 57 s (blank nodes).

rdflib's pyparsing grammar hits Python's recursion limit far earlier. One linear pass over the tokens
keeps a stack of open brackets, each knowing whether it is a group `{}`, an expression `()`, or a
nested term (a collection `()` or a blank node `[]` in a triple), and counts per open bracket the
links of each chain and the patterns it holds; the query is refused past the limits below, each far
under the crash points and far above any query people write, with one line naming where the limit
was crossed.
"""

from __future__ import annotations

from collections.abc import Sequence

from kgtool.errors import QueryError
from kgtool.query.sparql_tokens import Token

#: Deepest nesting of `{}`, `()` and `[]` together (the lowest crash: 839 nested FILTER EXISTS).
MAX_DEPTH = 250
#: Longest chain in one group or expression: UNION, `||`, `&&`, the operators `+ - * / | !` together
#: (a path's `/` and `|` included), and items in one collection (lowest crash: 4,101 collection items).
MAX_CHAIN = 2_000
#: Most OPTIONAL, MINUS, BIND, FILTER and sub-groups `{}` in one group (lowest crash: 2,617 MINUS/BIND).
MAX_PATTERNS = 1_000
#: Deepest nesting of collections and blank nodes in triple position (superlinear: 120 levels take 3 s).
MAX_TERM_DEPTH = 50

_OPEN = {"{": "}", "(": ")", "[": "]"}
_CLOSE = frozenset(_OPEN.values())
_OPERATORS = frozenset("+-*/|!")
_PATTERN_WORDS = frozenset({"OPTIONAL", "MINUS", "BIND", "FILTER"})
_ITEM_KINDS = frozenset({"iri", "pname", "var", "string", "number", "word"})


class _Frame:
    """One open bracket: a group `{`, an expression `(`, or a nested term in a triple (`coll` for a
    collection, `bnode` for a blank node), and the links and patterns counted in it."""

    __slots__ = ("counts", "kind")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.counts: dict[str, int] = {}

    def add(self, link: str, limit: int, message: str, tok: Token, source: str) -> None:
        """Count one more `link` here; past `limit`, refuse the query at `tok`."""
        self.counts[link] = self.counts.get(link, 0) + 1
        if self.counts[link] > limit:
            _refuse(message, tok, source)


def _refuse(message: str, tok: Token, source: str) -> None:
    raise QueryError(
        f"{message} (a larger query could crash the SPARQL engine)",
        file=source,
        line=tok.line,
        column=tok.column,
    )


def _is_collection(frames: list[_Frame], before: Sequence[Token]) -> bool:
    """Whether a `(` opens a collection in a triple (not an expression): it sits in a group, blank
    node or collection, and does not follow a keyword or function name (`FILTER(`, `regex(`, `BIND(`,
    `FILTER ex:f(`); a `(` in an expression, or outside every group (SELECT, ORDER BY), never does."""
    if not frames or frames[-1].kind == "(":
        return False
    if frames[-1].kind in _TERMS:
        return True
    prev = before[-1] if before else None
    if prev is None:
        return True
    if prev.kind == "word":
        return prev.upper == "A"
    if prev.kind in ("iri", "pname") and len(before) > 1:
        return not (before[-2].kind == "word" and before[-2].upper != "A")
    return True


_TOO_DEEP = f"query nested too deep: more than {MAX_DEPTH} levels of {{}}, () and []"
_TERMS_TOO_DEEP = (
    f"query nested too deep: more than {MAX_TERM_DEPTH} levels of collections () and blank nodes [] "
    "in a triple"
)
_TOO_MANY_ITEMS = f"query too long: more than {MAX_CHAIN} items in one collection"
_TOO_MANY_PATTERNS = (
    f"query too long: more than {MAX_PATTERNS} patterns (OPTIONAL, MINUS, BIND, FILTER, {{}}) in one group"
)
_TOO_MANY_OPERATORS = f"query too long: more than {MAX_CHAIN} operators (+ - * / | !) in one group"
_TERMS = frozenset({"coll", "bnode"})


def check_depth(tokens: Sequence[Token], source: str) -> None:
    """Raise QueryError if the query nests deeper or chains longer than the limits above."""
    frames: list[_Frame] = []
    top = _Frame("{")  # outside every bracket
    terms = 0  # collections and blank nodes open now
    prev: Token | None = None
    for index, tok in enumerate(tokens):
        text, kind = tok.text, tok.kind
        here = frames[-1] if frames else top
        if kind == "punct" and text in _OPEN:
            if len(frames) >= MAX_DEPTH:
                _refuse(_TOO_DEEP, tok, source)
            if here.kind == "coll":
                here.add("item", MAX_CHAIN, _TOO_MANY_ITEMS, tok, source)
            opened = text
            if text == "[":
                opened = "bnode"
            elif text == "(" and _is_collection(frames, tokens[max(index - 2, 0) : index]):
                opened = "coll"
            elif text == "{" and here.kind == "{" and (prev is None or prev.text in ("{", "}", ".")):
                here.add("pattern", MAX_PATTERNS, _TOO_MANY_PATTERNS, tok, source)  # a bare sub-group
            if opened in _TERMS:
                terms += 1
                if terms > MAX_TERM_DEPTH:
                    _refuse(_TERMS_TOO_DEEP, tok, source)
            frames.append(_Frame(opened))
        elif kind == "punct" and text in _CLOSE:
            if frames and frames.pop().kind in _TERMS:
                terms -= 1
        elif tok.is_word("UNION") or (kind == "punct" and text in ("||", "&&")):
            link = tok.upper
            here.add(
                link, MAX_CHAIN, f"query too long: more than {MAX_CHAIN} {link} in one group", tok, source
            )
        elif kind == "punct" and text in _OPERATORS:
            here.add("operator", MAX_CHAIN, _TOO_MANY_OPERATORS, tok, source)
        elif kind == "word" and tok.upper in _PATTERN_WORDS and here.kind == "{":
            here.add("pattern", MAX_PATTERNS, _TOO_MANY_PATTERNS, tok, source)
        elif here.kind == "coll" and kind in _ITEM_KINDS:
            here.add("item", MAX_CHAIN, _TOO_MANY_ITEMS, tok, source)
        prev = tok
