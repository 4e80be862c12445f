"""Where in a file a triple was written: the line a violation points at.

Turtle and TriG are cut into statements by a small scanner that knows strings, IRIs, comments and
brackets; each statement is parsed alone to learn its triples, and the line of a triple is the line of its
object (or predicate) inside that statement. N-Triples and N-Quads are one triple per line. JSON-LD: the
node object whose "@id" names the subject (written in full or as a compact IRI of the file's inline
@context, as `kgtool export` writes it), and in it the key that expands to the predicate. RDF/XML falls
back to the first line that mentions the subject.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kgtool import formats
from kgtool.rdf.parsing import ParsedFile
from kgtool.vocab import RDF_TYPE, Term


@dataclass
class _Statement:
    start: int
    text: str
    triples: list[tuple[Term, Term, Term]]


def _same(a: object, b: object) -> bool:
    return a == b or (isinstance(a, ox.BlankNode) and isinstance(b, ox.BlankNode))


class TripleLocator:
    """Finds the 1-based line where a triple (or a subject) was written in one parsed file."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed
        self.text = parsed.raw.decode("utf-8")
        self.format = parsed.syntax
        self.prefixes = parsed.prefixes
        self.terms: dict[str, str] = {}
        if self.format is formats.JSON_LD:
            self.prefixes, self.terms = _jsonld_names(self.text)
        self._statements: list[_Statement] | None = None

    def line(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def statements(self) -> list[_Statement]:
        if self._statements is None:
            self._statements = self._split()
        return self._statements

    def _split(self) -> list[_Statement]:
        if self.format in (formats.N_TRIPLES, formats.N_QUADS):
            chunks, offset = [], 0
            for raw_line in self.text.splitlines(keepends=True):
                chunks.append((offset, raw_line))
                offset += len(raw_line)
        elif self.format in (formats.TURTLE, formats.TRIG):
            chunks = split_statements(self.text)
        else:
            return []
        header = "".join(f"@prefix {p}: <{ns}> . " for p, ns in self.prefixes.items())
        base = self.parsed.path.resolve().as_uri()
        line_based = self.format in (formats.N_TRIPLES, formats.N_QUADS)
        fmt = ox.RdfFormat.N_QUADS if line_based else ox.RdfFormat.TURTLE
        found = []
        for start, chunk in chunks:
            if not chunk.strip() or _is_directive(chunk):
                continue
            try:
                quads = list(ox.parse((header + chunk).encode(), format=fmt, base_iri=base))
            except SyntaxError:
                continue
            triples = [(q.subject, q.predicate, q.object) for q in quads]
            found.append(_Statement(start, chunk, triples))
        return found

    def spellings(self, term: Term) -> list[str]:
        """The ways a term can be written in this file (full IRI, prefixed name, `a`, literal text)."""
        if isinstance(term, ox.NamedNode):
            forms = [f"<{term.value}>"]
            forms += [
                f"{p}:{term.value[len(ns) :]}" for p, ns in self.prefixes.items() if term.value.startswith(ns)
            ]
            if term.value == RDF_TYPE:
                forms.append("a")
            return forms + [term.value]
        if isinstance(term, ox.Literal):
            return [f'"{term.value}', f"'{term.value}", term.value]
        return []

    def _find(self, text: str, term: Term, start: int = 0) -> int:
        best = -1
        for form in self.spellings(term):
            pattern = re.escape(form)
            if form[0].isalnum() or form[0] == "_":
                pattern = r"(?<![\w:.-])" + pattern + (r"(?![\w:-])" if form[-1].isalnum() else "")
            match = re.compile(pattern).search(text, start)
            if match and (best < 0 or match.start() < best):
                best = match.start()
        return best

    def triple_line(self, s: Term, p: Term, o: Term | None) -> int | None:
        """Line of the triple (any object when `o` is None), or None if this file does not hold it."""
        for st in self.statements():
            if not any(_same(t[0], s) and t[1] == p and (o is None or _same(t[2], o)) for t in st.triples):
                continue
            at_p = self._find(st.text, p)
            at_o = self._find(st.text, o, max(at_p, 0)) if o is not None else -1
            offset = at_o if at_o >= 0 else at_p if at_p >= 0 else _first_token(st.text)
            return self.line(st.start + offset)
        if self.format is formats.JSON_LD:
            return self._jsonld_line(s, p)
        if not self.statements():
            return self.subject_line(s)
        return None

    def _jsonld_line(self, s: Term, p: Term | None) -> int | None:
        """Line of the key for `p` in the node object whose "@id" is `s`, or of that "@id"."""
        node = _node_object(self.text, [f for f in self.spellings(s) if not f.startswith("<")])
        if node is None:
            return self.subject_line(s)
        at, start, end = node
        if isinstance(p, ox.NamedNode):
            for key, offset in _direct_keys(self.text, start, end):
                if self._expand(key) == p.value or (key == "@type" and p.value == RDF_TYPE):
                    return self.line(offset)
        return self.line(at)

    def _expand(self, key: str) -> str:
        if key in self.terms:
            return self.terms[key]
        head, _, tail = key.partition(":")
        return self.prefixes[head] + tail if head in self.prefixes and not tail.startswith("//") else key

    def subject_line(self, s: Term) -> int | None:
        """Line of the first statement about `s` (or of its first mention in formats we cannot split)."""
        for st in self.statements():
            if any(_same(t[0], s) for t in st.triples):
                at = self._find(st.text, s)
                return self.line(st.start + (at if at >= 0 else _first_token(st.text)))
        if self.format is formats.JSON_LD:
            node = _node_object(self.text, [f for f in self.spellings(s) if not f.startswith("<")])
            if node is not None:
                return self.line(node[0])
        if self.format not in (formats.N_TRIPLES, formats.N_QUADS, formats.TURTLE, formats.TRIG):
            at = self._find(self.text, s)
            return self.line(at) if at >= 0 else None
        return None


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]')


def _jsonld_names(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """(prefix -> namespace, term -> IRI) of a JSON-LD document's top-level inline @context."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):  # a parse error is reported elsewhere; deep JSON has no context
        return {}, {}
    contexts: Any = document.get("@context") if isinstance(document, dict) else None
    raw: dict[str, str] = {}
    for context in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(context, dict):
            for name, value in context.items():
                iri = value.get("@id") if isinstance(value, dict) else value
                if not name.startswith("@") and isinstance(iri, str):
                    raw[name] = iri
    prefixes = {n: i for n, i in raw.items() if ":" in i and i.endswith(("/", "#")) and "://" in i}

    def expand(iri: str) -> str:
        head, _, tail = iri.partition(":")
        return prefixes[head] + tail if head in prefixes and not tail.startswith("//") else iri

    return prefixes, {n: expand(i) for n, i in raw.items()}


def _node_object(text: str, forms: list[str]) -> tuple[int, int, int] | None:
    """(offset of the "@id" key, start and end of its object) of the node object with one of these ids."""
    for form in forms:
        match = re.search(r'"@id"\s*:\s*' + re.escape(json.dumps(form)), text)
        if match is None:
            continue
        depth_starts: list[int] = []
        for token in _JSON_TOKEN.finditer(text):
            if token.start() >= match.start():
                break
            if token.group() == "{":
                depth_starts.append(token.start())
            elif token.group() == "}" and depth_starts:
                depth_starts.pop()
        if not depth_starts:
            return match.start(), 0, len(text)
        start, depth = depth_starts[-1], 0
        for token in _JSON_TOKEN.finditer(text, start):
            if token.group() in "{[":
                depth += 1
            elif token.group() in "}]":
                depth -= 1
                if depth == 0:
                    return match.start(), start, token.end()
        return match.start(), start, len(text)
    return None


def _direct_keys(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """The keys (and their offsets) directly inside the JSON object text[start:end]."""
    keys, depth = [], 0
    tokens = list(_JSON_TOKEN.finditer(text, start, end))
    for i, token in enumerate(tokens):
        value = token.group()
        if value in "{[":
            depth += 1
        elif value in "}]":
            depth -= 1
        elif depth == 1 and value.startswith('"') and i + 1 < len(tokens) and tokens[i + 1].group() == ":":
            keys.append((json.loads(value), token.start()))
    return keys


def _first_token(chunk: str) -> int:
    """Offset of the first character that is not white space or part of a comment."""
    match = re.search(r"^(?:\s|#[^\n]*)*", chunk)
    return match.end() if match else 0


def _is_directive(chunk: str) -> bool:
    head = chunk.lstrip().lower()
    return head.startswith(("@prefix", "@base", "prefix ", "base "))


def split_statements(text: str) -> list[tuple[int, str]]:
    """Cut Turtle/TriG text into (offset, statement) pieces at top-level `.`, `{` and `}`."""
    pieces: list[tuple[int, str]] = []
    start, depth, i, n = 0, 0, 0, len(text)

    def cut(end: int) -> None:
        nonlocal start
        pieces.append((start, text[start:end]))
        start = end

    while i < n:
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
            continue
        if c == "<":
            close = text.find(">", i)
            i = n if close < 0 else close + 1
            continue
        if c in "\"'":
            i = _skip_string(text, i)
            continue
        if c in "[(":
            depth += 1
        elif c in "])":
            depth = max(depth - 1, 0)
        elif c in "{}" and depth == 0:
            cut(i)
            start = i + 1
        elif (
            c == "."
            and depth == 0
            and (i + 1 == n or text[i + 1] in " \t\r\n#")
            or c == "\n"
            and depth == 0
            and _is_directive(text[start:i])
            and not text[start:i].strip().startswith("@")
        ):
            cut(i + 1)
        i += 1
    if text[start:].strip():
        pieces.append((start, text[start:]))
    return pieces


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    long = text.startswith(quote * 3, i)
    delim = quote * 3 if long else quote
    j = i + len(delim)
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text.startswith(delim, j):
            return j + len(delim)
        if not long and text[j] == "\n":
            return j
        j += 1
    return j
