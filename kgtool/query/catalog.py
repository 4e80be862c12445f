"""The saved-query catalog: `queries/*.rq` files and their self-describing `#+ key: value` headers.

The header is grlc's: YAML in `#+ ` comment lines at the top of the file (`summary`/`title`,
`description`, `tags`, `params`; grlc's `defaults` and `enumerate` are understood; `endpoint`, `method`,
`pagination`, `endpoint_in_url`, `transform` are ignored), read by `kgtool.query.yaml_header`, so a malformed
header fails naming the file and line. `defaultView` (timeline, graph, table or bar, after the Wikidata
Query Service's `#defaultView:`) is how `kgtool query NAME --view` draws the rows (`kgtool.viz.views`).
Variables named BASIL-style (`?_actor_iri`, `?__speaker`, `?_year_integer`, `?_text_en`) are
parameters even when the header does not declare them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from kgtool.errors import InputError, QueryError, UsageError
from kgtool.options import EngineName, InferMode, View
from kgtool.query import params as P
from kgtool.query.prepared import PreparedQuery, prepare
from kgtool.query.yaml_header import Node, header_error, parse_header

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
PARAM_NAME = re.compile(r"^[A-Za-z0-9_]+$")
PARAM_KEYS = ("type", "description", "default", "example", "enum", "required", "lang")
HEADER_KEYS = ("summary", "title", "description", "tags", "params", "defaults", "enumerate", "defaultView")
IGNORED_KEYS = ("endpoint", "method", "pagination", "endpoint_in_url", "transform")


@dataclass(frozen=True)
class SavedQuery:
    """One query: the prepared SPARQL (header included, so positions match the file) and its metadata."""

    name: str
    prepared: PreparedQuery
    path: Path | None = None
    title: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[P.Param, ...] = ()
    view: View | None = None  # the header's defaultView

    @property
    def text(self) -> str:
        return self.prepared.text

    @property
    def form(self) -> str:
        return self.prepared.form or "SELECT"

    @property
    def prefixes(self) -> dict[str, str]:
        return self.prepared.prefixes

    @property
    def source(self) -> str:
        return self.prepared.source


# ---------------------------------------------------------------------------------------------------
# Finding queries


def names(query_dir: Path) -> list[str]:
    """The names of the saved queries in a folder (file stems of `*.rq`), sorted."""
    if not query_dir.is_dir():
        return []
    return sorted(p.stem for p in query_dir.glob("*.rq") if p.is_file())


def find(query_dir: Path, name: str) -> Path:
    """The file of one saved query; an unknown name raises UsageError with a "did you mean"."""
    path = query_dir / f"{name}.rq"
    if NAME.match(name) and path.is_file():
        return path
    known = names(query_dir)
    close = difflib.get_close_matches(name, known, n=3)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    listing = " (run `kgtool queries` to list them)" if known else f" ({query_dir} has no .rq files)"
    raise UsageError(f"unknown query {name!r}{hint}{listing}")


def load(query_dir: Path, name: str) -> SavedQuery:
    """Find and parse one saved query."""
    return read(find(query_dir, name))


def load_all(query_dir: Path) -> list[SavedQuery]:
    """Parse every saved query in a folder (the first malformed one raises, naming file and line)."""
    return [read(query_dir / f"{n}.rq") for n in names(query_dir)]


def read(path: Path) -> SavedQuery:
    """Read and parse one `.rq` file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 (byte {exc.start})", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=path) from None
    return parse(text, name=path.stem, path=path)


# ---------------------------------------------------------------------------------------------------
# Parsing a query file


def parse(text: str, *, name: str = "query", path: Path | None = None) -> SavedQuery:
    """Parse header and body; checks the query is read-only and every parameter is used and typed."""
    source = str(path) if path is not None else "<query>"
    if not text.strip():
        raise QueryError("the query is empty", file=source)
    query = prepare(text, source)
    header = parse_header(text, source)
    meta = header.value if isinstance(header.value, dict) else {}
    for key, node in meta.items():
        if key not in HEADER_KEYS and key not in IGNORED_KEYS:
            raise _err(_unknown_key("header key", key, HEADER_KEYS + IGNORED_KEYS), source, node.line)
    declared = _declared_params(meta.get("params"), query.prefixes, source)
    inferred = _basil_params(query.variables, declared, source)
    all_params = _apply_grlc(declared + inferred, meta, query.prefixes, source)
    used = set(query.variables)
    for param, line in all_params:
        if param.var not in used:
            raise _err(
                f"parameter {param.name!r} is declared but the query never uses ?{param.var}", source, line
            )
    title = _string(meta.get("title"), source) or _string(meta.get("summary"), source)
    return SavedQuery(
        name=name,
        prepared=query,
        path=path,
        title=title,
        description=_string(meta.get("description"), source),
        tags=tuple(_strings(meta.get("tags"), source)),
        params=tuple(p for p, _ in all_params),
        view=_view(meta.get("defaultView"), source),
    )


def _view(node: Node | None, source: str) -> View | None:
    """The header's `defaultView`, checked against the views kgtool draws."""
    value = _scalar(node, source)
    if value is None:
        return None
    try:
        return View.parse(value.strip().lower())
    except UsageError as exc:
        raise _err(exc.message, source, node.line if node else None) from None


def _declared_params(node: Node | None, prefixes: dict[str, str], source: str) -> list[tuple[P.Param, int]]:
    if node is None or node.value is None:
        return []
    if not isinstance(node.value, dict):
        raise _err("`params` must be a mapping of parameter name to its settings", source, node.line)
    found = []
    for pname, spec in node.value.items():
        if not PARAM_NAME.match(pname):
            raise _err(f"parameter name {pname!r} may use only letters, digits and _", source, spec.line)
        settings = spec.value if isinstance(spec.value, dict) else {}
        if spec.value is not None and not isinstance(spec.value, dict):
            raise _err(
                f"parameter {pname!r}: expected its settings (type, description, ...)", source, spec.line
            )
        for key, sub in settings.items():
            if key not in PARAM_KEYS:
                raise _err(_unknown_key(f"setting of parameter {pname!r}", key, PARAM_KEYS), source, sub.line)
        ptype = _string(settings.get("type"), source) or "string"
        if ptype not in P.TYPES:
            line = settings["type"].line
            raise _err(
                f"parameter {pname!r}: unknown type {ptype!r}; choose one of {', '.join(P.TYPES)}",
                source,
                line,
            )
        required = _boolean(settings.get("required"), source)
        default = _scalar(settings.get("default"), source)
        if required and default is not None:
            raise _err(f"parameter {pname!r} is required and has a default; choose one", source, spec.line)
        param = P.Param(
            name=pname,
            type=ptype,
            required=required,
            default=default,
            example=_scalar(settings.get("example"), source),
            enum=tuple(_strings(settings.get("enum"), source)),
            description=_string(settings.get("description"), source),
            lang=_string(settings.get("lang"), source) or None,
        )
        for key in ("default", "example"):
            value = _scalar(settings.get(key), source)
            if value is not None:
                _check_value(param, value, prefixes, source, settings[key].line)
        for value in param.enum:
            _check_value(param, value, prefixes, source, settings["enum"].line)
        found.append((param, spec.line))
    return found


_BASIL_SUFFIX = {"iri": "iri", "integer": "integer", "date": "date", "string": "string", "literal": "string"}


def _basil_params(
    variables: dict[str, int], declared: list[tuple[P.Param, int]], source: str
) -> list[tuple[P.Param, int]]:
    """Parameters named by BASIL-style variables the header does not declare."""
    taken = {p.var for p, _ in declared}
    by_name = {p.name: p.var for p, _ in declared}
    found: list[tuple[P.Param, int]] = []
    for var, line in variables.items():
        if not var.startswith("_") or var in taken or var.strip("_") == "":
            continue
        required = not var.startswith("__")
        parts = var.lstrip("_").split("_")
        ptype, lang = "string", None
        if len(parts) > 2 and parts[-2] == "xsd" and parts[-1] in _BASIL_SUFFIX:
            ptype, parts = _BASIL_SUFFIX[parts[-1]], parts[:-2]
        elif len(parts) > 1 and parts[-1] in _BASIL_SUFFIX:
            ptype, parts = _BASIL_SUFFIX[parts[-1]], parts[:-1]
        elif len(parts) > 1 and len(parts[-1]) == 2 and parts[-1].isalpha() and parts[-1].islower():
            ptype, lang, parts = "lang-string", parts[-1], parts[:-1]
        name = "_".join(parts)
        if name in by_name:
            raise _err(
                f"parameter {name!r} is bound both as ?{by_name[name]} and ?{var}; rename one", source, line
            )
        by_name[name] = var
        found.append((P.Param(name=name, type=ptype, required=required, lang=lang, variable=var), line))
    return found


def _apply_grlc(
    found: list[tuple[P.Param, int]], meta: dict[str, Node], prefixes: dict[str, str], source: str
) -> list[tuple[P.Param, int]]:
    """Fold grlc's `defaults` and `enumerate` sections into the parameters they name."""
    extra: dict[str, dict[str, object]] = {}
    for key, attr in (("defaults", "default"), ("enumerate", "enum")):
        for pname, node in _named_entries(meta.get(key), source):
            if attr == "default":
                value: object = _scalar(node, source)
            else:
                value = tuple(_strings(node, source))
            by_name = {p.name: p for p, _ in found}
            if pname not in by_name:
                raise _err(
                    f"`{key}` names {pname!r}, which is not a parameter of this query", source, node.line
                )
            for item in value if isinstance(value, tuple) else [value]:
                if item is not None:
                    _check_value(by_name[pname], str(item), prefixes, source, node.line)
            extra.setdefault(pname, {})[attr] = value
    result = []
    for param, line in found:
        changes = extra.get(param.name, {})
        if changes.get("default") is not None:
            param = replace(param, default=str(changes["default"]), required=False)
        if changes.get("enum"):
            param = replace(param, enum=changes["enum"])  # type: ignore[arg-type]
        result.append((param, line))
    return result


def _named_entries(node: Node | None, source: str) -> list[tuple[str, Node]]:
    """grlc writes `defaults` as a list of one-key mappings; a plain mapping is accepted too."""
    if node is None or node.value is None:
        return []
    if isinstance(node.value, dict):
        return list(node.value.items())
    if isinstance(node.value, list):
        entries: list[tuple[str, Node]] = []
        for item in node.value:
            if not isinstance(item.value, dict):
                raise _err("expected `- name: value` entries", source, item.line)
            entries.extend(item.value.items())
        return entries
    raise _err("expected a list of `- name: value` entries", source, node.line)


def _check_value(param: P.Param, value: str, prefixes: dict[str, str], source: str, line: int) -> None:
    try:
        P.to_term(param, value, prefixes)
    except UsageError as exc:
        raise _err(exc.message, source, line) from None


def _string(node: Node | None, source: str) -> str:
    value = _scalar(node, source)
    return value if value is not None else ""


def _scalar(node: Node | None, source: str) -> str | None:
    if node is None or node.value is None:
        return None
    if not isinstance(node.value, str):
        raise _err("expected a single value on one line", source, node.line)
    return node.value


def _strings(node: Node | None, source: str) -> list[str]:
    if node is None or node.value is None:
        return []
    if isinstance(node.value, str):
        return [node.value]
    if isinstance(node.value, list):
        return [_string(item, source) for item in node.value]
    raise _err("expected a list of values", source, node.line)


def _boolean(node: Node | None, source: str) -> bool:
    value = _scalar(node, source)
    if value is None:
        return False
    lowered = value.lower()
    if lowered in ("true", "yes"):
        return True
    if lowered in ("false", "no"):
        return False
    raise _err(f"expected true or false, got {value!r}", source, node.line if node else None)


def _unknown_key(what: str, key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(known)})"
    return f"unknown {what} {key!r}{hint}"


def _err(message: str, source: str, line: int | None) -> InputError:
    return header_error(message, source, line)


# ---------------------------------------------------------------------------------------------------
# Self-documentation: `kgtool queries` and `kgtool query NAME --help`


def param_summary(param: P.Param) -> str:
    """`actor (string, required)` / `from (date, default 2020-01-01)`."""
    extra = "required" if param.required else f"default {param.default}" if param.default else "optional"
    return f"{param.name} ({param.describe_type()}, {extra})"


def listing(queries: list[SavedQuery]) -> str:
    """The `kgtool queries` table: name, title, parameters."""
    rows = [("NAME", "TITLE", "PARAMETERS")]
    rows += [(q.name, q.title, "; ".join(param_summary(p) for p in q.params) or "-") for q in queries]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    return "".join(f"{r[0].ljust(widths[0])}  {r[1].ljust(widths[1])}  {r[2]}".rstrip() + "\n" for r in rows)


def help_text(query: SavedQuery) -> str:
    """`kgtool query NAME --help`: the query's own summary, description, parameters and an example."""
    import shlex

    lines = [f"{query.name}: {query.title}" if query.title else query.name]
    if query.description:
        lines += ["", query.description]
    usage = f"kgtool query {query.name}"
    if query.params:
        usage += " [-p NAME=VALUE ...]"
    choices = f"[--infer {InferMode.listing('|')}] [--engine {EngineName.listing('|')}]"
    lines += ["", f"Usage: {usage} [--format FORMAT] {choices}"]
    if query.params:
        lines += ["", "Parameters (type-checked, bound as RDF terms; a value never becomes SPARQL syntax):"]
        for param in query.params:
            lines.append(f"  {param_summary(param)}  ?{param.var}")
            if param.description:
                lines.append(f"      {param.description}")
            if param.enum:
                lines.append(f"      one of: {', '.join(param.enum)}")
            lines.append(f"      example: {param.example or P.EXAMPLES.get(param.type, '')}")
    kind = "CONSTRUCT/DESCRIBE: RDF" if query.form in ("CONSTRUCT", "DESCRIBE") else f"{query.form}: rows"
    lines += ["", f"Result: {kind}"]
    if query.view is not None:
        lines.append(f"View: {query.view} (kgtool query {query.name} --view -o FILE draws it)")
    if query.tags:
        lines.append(f"Tags: {', '.join(query.tags)}")
    example = [
        "-p " + shlex.quote(f"{p.name}={p.example or P.EXAMPLES.get(p.type, '')}")
        for p in query.params
        if p.required
    ]
    lines.append(f"Example: kgtool query {' '.join([query.name, *example])}")
    if query.path is not None:
        lines.append(f"File: {query.path}")
    return "\n".join(lines) + "\n"
