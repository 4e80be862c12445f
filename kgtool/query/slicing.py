"""Paging: `--limit`, `--offset` and grlc's `pagination` as the query's own LIMIT and OFFSET.

The slice becomes part of the query text, so the engine (pyoxigraph, rdflib, a remote endpoint) stops
early where it can, and a query's own top-level LIMIT/OFFSET still hold: the slice is taken from inside
them (`LIMIT 10` with `--offset 4 --limit 100` gives rows 5-10). Subqueries keep theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from kgtool.query.sparql_tokens import tokenize


@dataclass(frozen=True)
class Slice:
    """Rows `offset` to `offset + limit` of an answer (`limit` None: all the rest)."""

    offset: int = 0
    limit: int | None = None

    @classmethod
    def page(cls, number: int, size: int) -> Slice:
        """Page `number` (from 1) of `size` rows each."""
        return cls(offset=(number - 1) * size, limit=size)

    def within(self, offset: int, limit: int | None) -> Slice:
        """This slice of an answer already cut to `OFFSET offset LIMIT limit`, as one slice."""
        start = offset + self.offset
        if limit is None:
            return Slice(start, self.limit)
        room = max(0, limit - self.offset)
        return Slice(start, room if self.limit is None else min(room, self.limit))


def apply(text: str, part: Slice) -> str:
    """The query with its top-level LIMIT/OFFSET replaced by `part` taken within them.

    The old clauses are blanked (so every other token keeps its line and column) and the new one goes
    before a trailing VALUES block, or on a line of its own at the end.
    """
    depth = 0
    old_offset, old_limit = 0, None
    spans: list[tuple[int, int]] = []
    values_at = None
    tokens = list(tokenize(text))
    for i, tok in enumerate(tokens):
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
        elif depth == 0 and tok.is_word("LIMIT", "OFFSET") and i + 1 < len(tokens):
            number = tokens[i + 1]
            if number.kind == "number" and number.text.isdigit():
                if tok.upper == "LIMIT":
                    old_limit = int(number.text)
                else:
                    old_offset = int(number.text)
                spans.append((tok.offset, number.offset + len(number.text)))
        elif depth == 0 and tok.is_word("VALUES"):
            values_at = tok.offset
    wanted = part.within(old_offset, old_limit)
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    clause = f"LIMIT {wanted.limit} " if wanted.limit is not None else ""
    clause += f"OFFSET {wanted.offset}" if wanted.offset else ""
    if not clause:
        return "".join(chars)
    if values_at is not None:
        chars.insert(values_at, clause.rstrip() + " ")
        return "".join(chars)
    return "".join(chars) + "\n" + clause.rstrip() + "\n"
