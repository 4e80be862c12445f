"""The saved-query catalog: `queries/*.rq` files and their self-describing grlc headers.

The header is grlc's: the `#+` lines of the file, read as one YAML document (`kgtool.query.yaml_header`),
so a malformed header fails naming the file and line. Understood: `summary`/`title`, `description`,
`tags`, `params` (kgtool's typed parameters), grlc's `defaults`, `enumerate` and `pagination` (paging:
`kgtool query NAME --page K`), and `endpoint`, which kgtool never calls (it says so in the query's help);
`method`, `endpoint_in_url` and `transform` are ignored. Variables named BASIL-style are parameters
even when the header does not declare them, typed by their suffix as grlc types them: `?_o3_number`
is a required number `o3`, `?__label_en` an optional English lang-string, `?_day_xsd_date` an
`xsd:date`, `?_year_gYear` an `xsd:gYear`, `?_who_iri` an IRI.
`defaultView` (timeline, graph, table or bar, after the Wikidata Query Service's `#defaultView:`)
is how `kgtool query NAME --view` draws the rows (`kgtool.viz.views`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from kgtool.errors import InputError, KgtoolError, QueryError, UsageError
from kgtool.options import EngineName, InferMode, View
from kgtool.query import params as P
from kgtool.query.prepared import PreparedQuery, prepare
from kgtool.query.yaml_header import Node, header_error, parse_header
from kgtool.rdf.literal_checks import BUILTIN_DATATYPES
from kgtool.vocab import RDFS, XSD

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
PARAM_NAME = re.compile(r"^[A-Za-z0-9_]+$")
PARAM_KEYS = ("type", "description", "default", "example", "enum", "required", "lang", "lookup")
LOOKUP_KEYS = ("class", "names")
HEADER_KEYS = (
    "summary",
    "title",
    "description",
    "tags",
    "params",
    "defaults",
    "enumerate",
    "pagination",
    "endpoint",
    "defaultView",
)
IGNORED_KEYS = ("method", "endpoint_in_url", "transform")
#: grlc/BASIL variable names: `?_name` (required) or `?__name` (optional), then a type and a
#: user-defined datatype's local name (`?_day_xsd_date`); the name itself has no underscore.
BASIL = re.compile(
    r"^(?P<required>_{1,2})(?P<name>[^_]+)(?:_(?P<type>[A-Za-z0-9]+))?(?:_(?P<local>[A-Za-z0-9]+))?"
)
_TWO_LETTERS = re.compile(r"^[A-Za-z]{2}$")


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
    pagination: int | None = None  # grlc's `#+ pagination: N`: rows per page
    endpoint: str | None = None  # grlc's `#+ endpoint:`, shown in help and never called

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


def load_each(query_dir: Path) -> tuple[list[SavedQuery], list[KgtoolError]]:
    """Parse every saved query in a folder: the good ones, and one error for each file that is not."""
    good: list[SavedQuery] = []
    bad: list[KgtoolError] = []
    for name in names(query_dir):
        try:
            good.append(read(query_dir / f"{name}.rq"))
        except KgtoolError as exc:
            bad.append(exc)
    return good, bad


def read(path: Path) -> SavedQuery:
    """Read and parse one `.rq` file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=path) from None
    return parse(_decoded(data, path), name=path.stem, path=path)


def read_argument(argument: str) -> SavedQuery:
    """The query of `kgtool sparql --file ARG`: standard input for `-`, else a local file; a URL, a
    folder or a missing file is one line naming it."""
    import sys

    from kgtool.rdf.parsing import STDIN_NAME, input_path

    if argument == "-":
        return parse(_decoded(sys.stdin.buffer.read(), STDIN_NAME), name="stdin")
    path = input_path(argument)
    if path.is_dir():
        raise InputError("is a folder, not a query file", file=path)
    if not path.exists():
        raise InputError("no such query file", file=path)
    return read(path)


def _decoded(data: bytes, source: Path | str) -> str:
    """A query file's text; bytes that are not UTF-8 are one error naming the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 (byte {exc.start})", file=source) from None


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
    inferred = _basil_params(query.variables, declared, query.prefixes, source)
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
        title=" ".join(title.split()),
        description=_string(meta.get("description"), source).strip(),
        tags=tuple(_strings(meta.get("tags"), source)),
        params=tuple(p for p, _ in all_params),
        view=_view(meta.get("defaultView"), source),
        pagination=_count(meta.get("pagination"), source),
        endpoint=_scalar(meta.get("endpoint"), source),
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
        datatype = P.datatype_of(ptype, prefixes)
        if ptype not in P.KINDS and datatype is None:
            raise _err(
                f"parameter {pname!r}: unknown type {ptype!r}; choose one of {', '.join(P.TYPES)}, "
                "another XSD datatype or prefix:name of a datatype the query declares",
                source,
                settings["type"].line,
            )
        if ptype.startswith("xsd:"):
            ptype = ptype[4:]
        required = _boolean(settings.get("required"), source)
        default = _scalar(settings.get("default"), source)
        if required and default is not None:
            raise _err(f"parameter {pname!r} is required and has a default; choose one", source, spec.line)
        lookup = _lookup(pname, ptype, settings.get("lookup"), prefixes, source)
        param = P.Param(
            name=pname,
            type=ptype,
            required=required,
            default=default,
            example=_scalar(settings.get("example"), source),
            enum=tuple(_strings(settings.get("enum"), source)),
            description=_string(settings.get("description"), source).strip(),
            lang=_string(settings.get("lang"), source) or None,
            datatype=datatype,
            lookup=lookup,
        )
        if lookup is None:
            for key in ("default", "example"):
                value = _scalar(settings.get(key), source)
                if value is not None:
                    _check_value(param, value, prefixes, source, settings[key].line)
            for value in param.enum:
                _check_value(param, value, prefixes, source, settings["enum"].line)
        found.append((param, spec.line))
    return found


def _lookup(
    pname: str, ptype: str, node: Node | None, prefixes: dict[str, str], source: str
) -> P.Lookup | None:
    """`lookup: {class: kgo:Actor, names: [rdfs:label, kgo:alsoCalled]}` on an `iri` parameter."""
    if node is None or node.value is None:
        return None
    if ptype != "iri":
        raise _err(f"parameter {pname!r}: only an iri parameter can look a name up", source, node.line)
    settings = node.value if isinstance(node.value, dict) else {"class": node}
    for key, sub in settings.items():
        if key not in LOOKUP_KEYS:
            message = _unknown_key(f"lookup setting of parameter {pname!r}", key, LOOKUP_KEYS)
            raise _err(message, source, sub.line)

    def iris(key: str, default: list[str]) -> tuple[str, ...]:
        sub = settings.get(key)
        out = []
        for text in _strings(sub, source) or default:
            iri = P.expand_iri(text, {"rdfs": RDFS, **prefixes})
            if iri is None:
                line = sub.line if sub is not None else node.line
                message = f"parameter {pname!r}: lookup {key} {text!r} is not an IRI or prefix:name"
                raise _err(message, source, line)
            out.append(iri)
        return tuple(out)

    classes = iris("class", [])
    if not classes:
        raise _err(f"parameter {pname!r}: lookup needs the class of what it names", source, node.line)
    return P.Lookup(classes=classes, names=iris("names", ["rdfs:label"]))


def _basil_params(
    variables: dict[str, int], declared: list[tuple[P.Param, int]], prefixes: dict[str, str], source: str
) -> list[tuple[P.Param, int]]:
    """Parameters named by BASIL-style variables the header does not declare, typed as grlc types them."""
    taken = {p.var for p, _ in declared}
    by_name = {p.name: p.var for p, _ in declared}
    found: list[tuple[P.Param, int]] = []
    for var, line in variables.items():
        match = BASIL.match(var)
        if match is None or var in taken:
            continue
        name, kind, local = match.group("name", "type", "local")
        ptype, lang, datatype = "string", None, None
        if kind in ("iri", "number", "literal", "string"):
            ptype = kind
        elif kind in BUILTIN_DATATYPES:
            ptype, datatype = kind, XSD + kind
        elif kind is not None and _TWO_LETTERS.match(kind):
            ptype, lang = "lang-string", kind.lower()
        elif kind is not None and local is not None:
            datatype = P.datatype_of(f"{kind}:{local}", prefixes)
            if datatype is None:
                raise _err(
                    f"?{var}: the datatype {kind}:{local} needs PREFIX {kind}: <...> in the query"
                    if kind != "xsd"
                    else f"?{var}: xsd:{local} is not an XSD datatype",
                    source,
                    line,
                )
            ptype = local if kind == "xsd" else f"{kind}:{local}"
        if name in by_name:
            raise _err(
                f"parameter {name!r} is bound both as ?{by_name[name]} and ?{var}; rename one", source, line
            )
        by_name[name] = var
        param = P.Param(
            name=name,
            type=ptype,
            required=match.group("required") == "_",
            lang=lang,
            variable=var,
            datatype=datatype,
        )
        found.append((param, line))
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
    """grlc writes `defaults` and `enumerate` as lists of one-key mappings; a plain mapping is accepted
    too. A bare name in `enumerate` (grlc then asks the endpoint for the values) limits nothing."""
    if node is None or node.value is None:
        return []
    if isinstance(node.value, dict):
        return list(node.value.items())
    if isinstance(node.value, list):
        entries: list[tuple[str, Node]] = []
        for item in node.value:
            if isinstance(item.value, str):
                continue
            if not isinstance(item.value, dict):
                raise _err("expected `- name: value` entries", source, item.line)
            entries.extend(item.value.items())
        return entries
    if isinstance(node.value, str):
        return []
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
        raise _err("expected a single value, not a list or mapping", source, node.line)
    return node.value


def _count(node: Node | None, source: str) -> int | None:
    value = _scalar(node, source)
    if value is None:
        return None
    if not value.strip().isdigit() or int(value) < 1:
        raise _err(f"expected a positive number of rows, got {value!r}", source, node.line if node else None)
    return int(value)


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
    if param.required:
        extra = "required"
    else:
        extra = f"default {param.default}" if param.default is not None else "optional"
    return f"{param.name} ({param.describe_type()}, {extra})"


def listing(queries: list[SavedQuery]) -> str:
    """The `kgtool queries` table: name, title, parameters."""
    rows = [("NAME", "TITLE", "PARAMETERS")]
    rows += [(q.name, q.title, "; ".join(param_summary(p) for p in q.params) or "-") for q in queries]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    return "".join(f"{r[0].ljust(widths[0])}  {r[1].ljust(widths[1])}  {r[2]}".rstrip() + "\n" for r in rows)


def help_text(query: SavedQuery) -> str:
    """`kgtool query NAME --help`: the query's own summary, description, parameters and an example."""
    lines = [f"{query.name}: {query.title}" if query.title else query.name]
    if query.description:
        lines += ["", query.description]
    usage = f"kgtool query {query.name}"
    if query.params:
        usage += " [-p NAME=VALUE ...]"
    paging = "[--limit N] [--offset N]" + (" [--page K]" if query.pagination else "")
    choices = f"[--infer {InferMode.listing('|')}] [--engine {EngineName.listing('|')}]"
    lines += ["", f"Usage: {usage} [--format FORMAT] {paging} [--timeout SECONDS] {choices}"]
    if query.params:
        lines += ["", "Parameters (type-checked, bound as RDF terms; a value never becomes SPARQL syntax):"]
        for param in query.params:
            lines.append(f"  {param_summary(param)}  ?{param.var}")
            if param.description:
                lines.append(f"      {param.description}")
            if param.lookup is not None:
                lines.append(f"      {_lookup_text(param.lookup, query.prefixes)}")
            if param.enum:
                lines.append(f"      one of: {', '.join(param.enum)}")
            lines.append(f"      example: {param.example_option()}{_binds(param, query.prefixes)}")
    kind = "CONSTRUCT/DESCRIBE: RDF" if query.form in ("CONSTRUCT", "DESCRIBE") else f"{query.form}: rows"
    lines += ["", f"Result: {kind}"]
    if query.view is not None:
        lines.append(f"View: {query.view} (kgtool query {query.name} --view -o FILE draws it)")
    if query.pagination:
        lines.append(
            f"Pages: {query.pagination} rows each (the header's `pagination`); --page K shows page K, "
            "page 1 by default"
        )
    if query.endpoint:
        lines.append(
            f"Endpoint: {query.endpoint} (the header's `endpoint`; kgtool never calls it: "
            "the query runs on the local graph)"
        )
    if query.tags:
        lines.append(f"Tags: {', '.join(query.tags)}")
    example = [p.example_option() for p in query.params if p.required]
    lines.append(f"Example: kgtool query {' '.join([query.name, *example])}")
    if query.path is not None:
        lines.append(f"File: {query.path}")
    return "\n".join(lines) + "\n"


def _lookup_text(lookup: P.Lookup, prefixes: dict[str, str]) -> str:
    def short(iri: str) -> str:
        for name, ns in {"rdfs": RDFS, **prefixes}.items():
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{name}:{iri[len(ns) :]}"
        return f"<{iri}>"

    classes = " or ".join(short(c) for c in lookup.classes)
    names = ", ".join(short(n) for n in lookup.names)
    return (
        f"names a {classes}: its IRI, the last part of its IRI, or its {names} in any case "
        "(a family name too, if only one has it)"
    )


def _binds(param: P.Param, prefixes: dict[str, str]) -> str:
    """`  (binds "2020"^^xsd:gYear)` for typed and language-tagged examples: what the value becomes."""
    if param.lookup is not None or param.type in ("string", "literal", "iri"):
        return ""
    try:
        term = P.to_term(param, param.example_value(), prefixes)
    except UsageError:
        return ""
    text = str(term)
    if text.endswith(f"^^<{XSD}{text.rpartition('#')[2][:-1]}>"):
        text = text.rpartition("^^")[0] + "^^xsd:" + text.rpartition("#")[2][:-1]
    return f"  (binds {text})"
