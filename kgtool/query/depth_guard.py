"""Refuse queries nested too deep before any parser sees them.

pyoxigraph's SPARQL parser and evaluator recurse once per nesting level, and the process dies
(SIGSEGV, exit 139, no message) at about 3,000 nested groups `{ { ... } }` or 20,000 chained UNIONs;
rdflib's pyparsing grammar hits Python's recursion limit far earlier. One linear pass over the tokens
counts the deepest nesting of `{}`, `()` and `[]` together (a group in an expression in a blank-node
list all add up) and the longest UNION chain or `||` / `&&` chain in one group, and refuses the
query past `MAX_DEPTH` / `MAX_CHAIN` with one line naming where the limit was crossed.
"""

from __future__ import annotations

from collections.abc import Sequence

from kgtool.errors import QueryError
from kgtool.query.sparql_tokens import Token

#: Deepest nesting of `{}`, `()` and `[]` accepted (pyoxigraph crashed at about 3,000 groups).
MAX_DEPTH = 500
#: Longest chain of UNION (or of `||`, `&&`) in one group accepted (pyoxigraph crashed at 20,000 UNIONs).
MAX_CHAIN = 2_000

_OPEN = {"{": "}", "(": ")", "[": "]"}
_CLOSE = frozenset(_OPEN.values())


def check_depth(tokens: Sequence[Token], source: str) -> None:
    """Raise QueryError if the query nests deeper than MAX_DEPTH or chains more than MAX_CHAIN."""
    depth = 0
    chains: list[dict[str, int]] = [{}]  # per open group: operator -> links in its current chain
    for tok in tokens:
        text = tok.text
        if tok.kind == "punct" and text in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryError(
                    f"query nested too deep: more than {MAX_DEPTH} levels of {{}}, () and [] "
                    "(a deeper query could crash the SPARQL engine)",
                    file=source,
                    line=tok.line,
                    column=tok.column,
                )
            chains.append({})
        elif tok.kind == "punct" and text in _CLOSE:
            depth = max(depth - 1, 0)
            if len(chains) > 1:
                chains.pop()
        else:
            link = (
                "UNION"
                if tok.is_word("UNION")
                else text
                if tok.kind == "punct" and text in ("||", "&&")
                else ""
            )
            if not link:
                continue
            counts = chains[-1]
            counts[link] = counts.get(link, 0) + 1
            if counts[link] > MAX_CHAIN:
                raise QueryError(
                    f"query too long: more than {MAX_CHAIN} {link} in one group "
                    "(a longer chain could crash the SPARQL engine)",
                    file=source,
                    line=tok.line,
                    column=tok.column,
                )
