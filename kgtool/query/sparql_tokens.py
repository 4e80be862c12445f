"""A small SPARQL tokenizer: enough to read a query's structure without parsing it.

Strings, IRIs and comments are single tokens, so a keyword inside a literal is never mistaken for one.
A query is tokenized once, when it is prepared (`kgtool.query.prepared`); the read-only guard, parameter
substitution and error positions all read those tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<pname>(?:[^\W\d_][\w.\-]*)?:
              (?:(?:[\w\-.:%]|\\[_~.\-!$&'()*+,;=/?\#@%])*
                 (?:[\w\-:%]|\\[_~.\-!$&'()*+,;=/?\#@%]))?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[{}()\[\];,.*=<>!+\-/|^@])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One SPARQL token with its 1-based line and column."""

    kind: str  # comment, string, iri, var, pname, word, number, punct, other
    text: str
    line: int
    column: int
    offset: int = 0  # character offset in the text

    @property
    def upper(self) -> str:
        return self.text.upper()

    def is_word(self, *words: str) -> bool:
        """True for a keyword-like word token spelled (in any case) as one of `words`."""
        return self.kind == "word" and self.upper in words


def tokenize(text: str, *, keep_comments: bool = False) -> Iterator[Token]:
    """Yield the tokens of a SPARQL text (whitespace dropped; comments only when asked for)."""
    line, line_start = 1, 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        value = match.group()
        if kind != "ws" and (kind != "comment" or keep_comments):
            yield Token(kind, value, line, match.start() - line_start + 1, match.start())
        newlines = value.count("\n")
        if newlines:
            line += newlines
            line_start = match.start() + value.rfind("\n") + 1


def declared_prefixes(tokens: Sequence[Token]) -> dict[str, str]:
    """The `PREFIX name: <iri>` declarations among the tokens."""
    prefixes: dict[str, str] = {}
    for i, tok in enumerate(tokens[:-2]):
        name, iri = tokens[i + 1], tokens[i + 2]
        if tok.is_word("PREFIX") and name.kind == "pname" and iri.kind == "iri":
            prefixes[name.text.rstrip(":")] = iri.text[1:-1]
    return prefixes


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def expand_codepoints(text: str) -> str:
    """SPARQL's `\\uXXXX` / `\\UXXXXXXXX` escapes, which a parser may expand before reading any keyword."""
    if "\\u" not in text and "\\U" not in text:
        return text

    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _CODEPOINT.sub(expand, text)


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def offset(text: str, line: int, column: int) -> int:
    """The character offset of a 1-based line and column."""
    lines = text.split("\n")
    return sum(len(part) + 1 for part in lines[: line - 1]) + column - 1
