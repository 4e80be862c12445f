"""Saved-query headers as grlc reads them: every line that starts with `#+` loses its leading `#` and `+`
characters, and what is left is one YAML document, parsed by PyYAML's safe loader (libyaml when built).

Block scalars (`|`, `>`), multi-line plain scalars, flow collections, anchors and merge keys all work as
YAML defines them; a malformed header fails naming the file line and column PyYAML reports. Scalars are
kept as the text the file writes (`required: yes` stays "yes", `example: 2020-01-05` stays a string):
the catalog decides what each key means, not YAML 1.1's implicit typing.

Importing PyYAML costs a cold `kgtool query` about 10-20 ms, so a parsed header is cached by its own
text under the cache folder (`kgtool.store.cache`), and the next run reads a small JSON file instead.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any, TypeAlias

from kgtool.errors import InputError

Value: TypeAlias = "str | list[Node] | dict[str, Node] | None"

#: A header YAML that expands to more nodes than this (aliases of aliases) is refused.
MAX_NODES = 10_000
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_CACHE_FOLDER = "query-headers"
_CACHE_VERSION = 1


@dataclass(frozen=True)
class Node:
    """A header value and the file line it starts on."""

    value: Value
    line: int


def header_error(message: str, source: str, line: int | None, column: int | None = None) -> InputError:
    """A malformed-header error naming the file, line and (when known) column."""
    return InputError(f"malformed query header: {message}", file=source, line=line, column=column)


@dataclass(frozen=True)
class _Lines:
    """The `#+` lines of a file as one YAML text, and where each of its lines sits in the file."""

    yaml: str
    numbers: tuple[int, ...]  # file line of each YAML line (1-based)
    cut: tuple[int, ...]  # characters taken off the front of each (the `#+`)


def _collect(text: str) -> _Lines:
    lines, numbers, cut = [], [], []
    for number, raw in enumerate(text.split("\n"), start=1):
        if raw.startswith("#+"):
            content = raw.lstrip("#+").rstrip("\r")
            lines.append(content)
            numbers.append(number)
            cut.append(len(raw) - len(raw.lstrip("#+")))
    return _Lines("\n".join(lines), tuple(numbers), tuple(cut))


def parse_header(text: str, source: str = "<query>") -> Node:
    """The header of a query file, parsed: a mapping Node (empty when the file has no `#+` lines)."""
    lines = _collect(text)
    if not lines.yaml.strip():
        return Node({}, lines.numbers[0] if lines.numbers else 1)
    tree = _cached(lines.yaml)
    if tree is None:
        tree = _parse(lines, source)
        _store(lines.yaml, tree)
    node = _node(tree, lines.numbers)
    if not isinstance(node.value, dict):
        raise header_error("the header must be `key: value` lines (a YAML mapping)", source, node.line)
    return node


# --- parsing with PyYAML ------------------------------------------------------------------------------

# The cached tree: [yaml line, value], where value is a str, None, a list of trees or [[key, tree], ...]
# marked as a mapping by a leading "{" entry, so that JSON keeps key order and file lines.
Tree: TypeAlias = list[Any]


def _parse(lines: _Lines, source: str) -> Tree:
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(lines.yaml)
    try:
        root = loader.get_single_node()
        if root is None:
            return [0, {}]
        return _tree(root, loader, lines, source, [0], set())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(part for part in (exc.problem, exc.context) if part) or "invalid YAML"
        if mark is None:
            raise header_error(f"invalid YAML: {problem}", source, lines.numbers[0]) from None
        line, column = _position(lines, mark.line, mark.column)
        text = lines.yaml.split("\n")[min(mark.line, len(lines.numbers) - 1)]
        if "\t" in text[: len(text) - len(text.lstrip())]:
            problem += " (a tab in the indentation: YAML indents with spaces only)"
        raise header_error(f"invalid YAML: {problem}", source, line, column) from None
    except yaml.YAMLError as exc:
        raise header_error(f"invalid YAML: {exc}", source, lines.numbers[0]) from None
    finally:
        loader.dispose()


def _position(lines: _Lines, line: int, column: int) -> tuple[int, int]:
    index = min(max(line, 0), len(lines.numbers) - 1)
    return lines.numbers[index], column + lines.cut[index] + 1


def _tree(node: Any, loader: Any, lines: _Lines, source: str, count: list[int], path: set[int]) -> Tree:
    import yaml

    count[0] += 1
    at = node.start_mark.line
    if count[0] > MAX_NODES:
        raise header_error(f"the header expands to more than {MAX_NODES} values", source, lines.numbers[0])
    if id(node) in path:
        where = _position(lines, at, node.start_mark.column)
        raise header_error("a YAML alias refers to itself", source, *where)
    path = path | {id(node)}
    if isinstance(node, yaml.ScalarNode):
        return [at, None if node.tag == _NULL else node.value]
    if isinstance(node, yaml.SequenceNode):
        return [at, [_tree(item, loader, lines, source, count, path) for item in node.value]]
    seen: set[str] = set()
    for key_node, _ in node.value:
        where = _position(lines, key_node.start_mark.line, key_node.start_mark.column)
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL:
            raise header_error("a key must be a plain name", source, *where)
        if key_node.tag != _MERGE and key_node.value in seen:
            raise header_error(f"key {key_node.value!r} appears twice", source, *where)
        seen.add(key_node.value)
    loader.flatten_mapping(node)  # merge keys (`<<: *defaults`): merged entries first, own keys win
    entries: dict[str, Any] = {}
    for key_node, value_node in node.value:
        value = _tree(value_node, loader, lines, source, count, path)
        entries.pop(key_node.value, None)
        entries[key_node.value] = [key_node.start_mark.line, value[1]]  # an entry starts at its key
    return [at, ["{", *([key, sub] for key, sub in entries.items())]]


def _node(tree: Tree, numbers: tuple[int, ...]) -> Node:
    at, value = tree
    line = numbers[min(at, len(numbers) - 1)]
    if isinstance(value, list) and value[:1] == ["{"]:
        return Node({key: _node(sub, numbers) for key, sub in value[1:]}, line)
    if isinstance(value, list):
        return Node([_node(sub, numbers) for sub in value], line)
    if isinstance(value, dict):  # the empty document
        return Node({}, line)
    return Node(value, line)


# --- the cache of parsed headers ---------------------------------------------------------------------


def _cache_file(yaml_text: str) -> Any:
    from kgtool.store.cache import cache_dir

    data = yaml_text.encode("utf-8")
    name = f"{zlib.crc32(data):08x}-{len(data)}.json"
    return cache_dir() / _CACHE_FOLDER / name


def _cached(yaml_text: str) -> Tree | None:
    """The parsed tree of exactly this header text, if an earlier run cached it."""
    try:
        entry = json.loads(_cache_file(yaml_text).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("v") != _CACHE_VERSION or entry.get("yaml") != yaml_text:
        return None
    tree = entry.get("tree")
    return tree if isinstance(tree, list) else None


def _store(yaml_text: str, tree: Tree) -> None:
    from kgtool.store.cache import write_entry

    entry = {"v": _CACHE_VERSION, "yaml": yaml_text, "tree": tree}
    write_entry(_cache_file(yaml_text), json.dumps(entry, ensure_ascii=False).encode("utf-8"))
