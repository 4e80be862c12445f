"""The YAML subset of saved-query headers: grlc's `#+ key: value` lines at the top of a `.rq` file.

Block mappings and lists by indentation, one-line scalars (plain, 'single' or "double" quoted),
flow lists `[a, b]` and ` # comments`; anything else (multi-line strings, anchors, flow mappings, tabs)
is refused naming the file line. Written here, not taken from PyYAML, for those line numbers and to
keep PyYAML off the query path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeAlias

from kgtool.errors import InputError

Value: TypeAlias = "str | list[Node] | dict[str, Node] | None"


@dataclass(frozen=True)
class Node:
    """A parsed YAML-subset value and the file line it came from."""

    value: Value
    line: int


def header_error(message: str, source: str, line: int | None) -> InputError:
    """A malformed-header error naming the file and line."""
    return InputError(f"malformed query header: {message}", file=source, line=line)


_KEY = re.compile(r"^([A-Za-z_][\w\-]*)\s*:(?:[ \t]+(.*))?$")


def parse_header(text: str, source: str = "<query>") -> Node:
    """The `#+` lines at the top of a query, parsed; a mapping Node (empty when there is no header)."""
    lines: list[tuple[int, int, str]] = []  # (line number, indent, content)
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#+"):
            content = stripped[2:]
            content = content[1:] if content.startswith(" ") else content
            if content.strip() == "" or content.lstrip().startswith("#"):
                continue
            if "\t" in content[: len(content) - len(content.lstrip())]:
                raise header_error("tab in indentation; indent with spaces", source, number)
            lines.append((number, len(content) - len(content.lstrip(" ")), content.strip()))
        elif stripped and not stripped.startswith("#"):
            break
    if not lines:
        return Node({}, 1)
    if lines[0][1] != 0:
        raise header_error("the first header line must not be indented", source, lines[0][0])
    value, end = _block(lines, 0, 0, source)
    if end < len(lines):
        raise header_error("unexpected indentation", source, lines[end][0])
    return Node(value, lines[0][0])


def _block(lines: list[tuple[int, int, str]], i: int, indent: int, source: str) -> tuple[Value, int]:
    if lines[i][2] == "-" or lines[i][2].startswith("- "):
        return _list(lines, i, indent, source)
    return _mapping(lines, i, indent, source)


def _mapping(lines: list[tuple[int, int, str]], i: int, indent: int, source: str) -> tuple[Value, int]:
    result: dict[str, Node] = {}
    while i < len(lines) and lines[i][1] == indent:
        number, _, content = lines[i]
        if content == "-" or content.startswith("- "):
            raise header_error("a list item where a `key: value` was expected", source, number)
        match = _KEY.match(content)
        if not match:
            raise header_error(f"expected `key: value`, got {content!r}", source, number)
        key, rest = match.group(1), (match.group(2) or "").strip()
        if key in result:
            raise header_error(f"key {key!r} appears twice", source, number)
        i += 1
        rest = _strip_comment(rest)
        if rest:
            result[key] = Node(_scalar_text(rest, source, number), number)
        elif i < len(lines) and (
            lines[i][1] > indent or (lines[i][1] == indent and lines[i][2].startswith("-"))
        ):
            value, i = _block(lines, i, lines[i][1], source)
            result[key] = Node(value, number)
        else:
            result[key] = Node(None, number)
    if i < len(lines) and lines[i][1] > indent:
        raise header_error("unexpected indentation", source, lines[i][0])
    return result, i


def _list(lines: list[tuple[int, int, str]], i: int, indent: int, source: str) -> tuple[Value, int]:
    items: list[Node] = []
    while i < len(lines) and lines[i][1] == indent and (lines[i][2] == "-" or lines[i][2].startswith("- ")):
        number, _, content = lines[i]
        rest = _strip_comment(content[1:].strip())
        if not rest:
            i += 1
            if i < len(lines) and lines[i][1] > indent:
                value, i = _block(lines, i, lines[i][1], source)
                items.append(Node(value, number))
            else:
                items.append(Node(None, number))
        elif _KEY.match(rest) and not rest.startswith(("'", '"')):
            # `- key: value` starts a mapping whose keys sit two columns further in.
            inner = indent + (len(content) - len(content[1:].lstrip()))
            lines[i] = (number, inner, rest)
            value, i = _mapping(lines, i, inner, source)
            items.append(Node(value, number))
        else:
            items.append(Node(_scalar_text(rest, source, number), number))
            i += 1
    return items, i


def _strip_comment(text: str) -> str:
    """Drop a trailing ` # comment` that is outside quotes."""
    quote = ""
    pos = 0
    while pos < len(text):
        char = text[pos]
        if quote:
            escaped = char == "\\" if quote == '"' else char == "'" and text[pos + 1 : pos + 2] == "'"
            if escaped:
                pos += 1  # skip the escaped character (or the second quote of '')
            elif char == quote:
                quote = ""
        elif char in "'\"" and (pos == 0 or text[pos - 1] in " [,"):
            quote = char
        elif char == "#" and (pos == 0 or text[pos - 1] in " \t"):
            return text[:pos].rstrip()
        pos += 1
    return text


def _scalar_text(text: str, source: str, line: int) -> Value:
    if text[0] in "|>":
        raise header_error("multi-line strings are not supported; keep the value on one line", source, line)
    if text[0] in "&*!":
        raise header_error("YAML anchors, aliases and tags are not supported", source, line)
    if text[0] == "{":
        raise header_error(
            "flow mappings {...} are not supported; use indented `key: value` lines", source, line
        )
    if text[0] == "[":
        if not text.endswith("]"):
            raise header_error("unclosed flow list: expected `]` at the end of the line", source, line)
        return [
            Node(_scalar_text(item, source, line), line) for item in _split_flow(text[1:-1], source, line)
        ]
    if text[0] in "'\"":
        return _quoted(text, source, line)
    return text


def _split_flow(text: str, source: str, line: int) -> list[str]:
    items, current, quote = [], "", ""
    for char in text:
        if quote:
            current += char
            if char == quote:
                quote = ""
        elif char in "'\"" and not current.strip():
            quote = char
            current += char
        elif char == ",":
            items.append(current.strip())
            current = ""
        elif char in "[]{}":
            raise header_error("nested flow collections are not supported", source, line)
        else:
            current += char
    if quote:
        raise header_error("unclosed quote in flow list", source, line)
    if current.strip():
        items.append(current.strip())
    if any(not item for item in items):
        raise header_error("empty item in flow list", source, line)
    return items


def _quoted(text: str, source: str, line: int) -> str:
    quote = text[0]
    out, pos = [], 1
    while pos < len(text):
        char = text[pos]
        if quote == "'" and char == "'":
            if text[pos + 1 : pos + 2] == "'":
                out.append("'")
                pos += 2
                continue
            break
        if quote == '"' and char == "\\" and pos + 1 < len(text):
            nxt = text[pos + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
            pos += 2
            continue
        if quote == '"' and char == '"':
            break
        out.append(char)
        pos += 1
    else:
        raise header_error(f"unclosed {quote} quote", source, line)
    if text[pos + 1 :].strip():
        raise header_error(
            f"unexpected text after the closing quote: {text[pos + 1 :].strip()!r}", source, line
        )
    return "".join(out)
