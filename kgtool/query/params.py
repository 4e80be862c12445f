"""Typed query parameters: a user's text becomes one checked RDF term, never a piece of query text.

Types, as grlc and BASIL name them: `iri`; `string` and `literal` (a plain literal); `number` (an
integer, decimal or double literal, typed by its form as SPARQL types a number); `lang-string` (text with
a language tag, fixed by the parameter or given as `text@en`); and any datatype: XSD's built-in ones by
local name (`date`, `integer`, `decimal`, `boolean`, `gYear`, ...), checked against their lexical space,
or `prefix:name` of another datatype. The term is bound to the parameter's SPARQL variable
(`kgtool.query.substitution`), so no value can change the query's structure, whatever it contains.
A parameter may also name what it looks up (`Lookup`): its value is then a name that
`kgtool.query.lookup` resolves to the IRI of the one resource called that.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.rdf.literal_checks import BUILTIN_DATATYPES, CHECKS
from kgtool.vocab import XSD

#: The kinds of parameter that are not a datatype.
KINDS: tuple[str, ...] = ("iri", "string", "literal", "number", "lang-string")
#: What `type:` may say, for help and error messages (any other XSD datatype name is accepted too).
TYPES: tuple[str, ...] = (*KINDS, "date", "integer", "decimal", "boolean", "gYear", "dateTime")
EXAMPLES: dict[str, str] = {
    "iri": "https://w3id.org/kgtool/iraq/actor/donald-trump",
    "string": "Donald Trump",
    "literal": "Donald Trump",
    "number": "5200",
    "lang-string": "withdrawal@en",
    "date": "2020-01-05",
    "dateTime": "2020-01-05T12:00:00Z",
    "dateTimeStamp": "2020-01-05T12:00:00Z",
    "time": "12:00:00",
    "gYear": "2020",
    "gYearMonth": "2020-01",
    "gMonth": "--01",
    "gDay": "---05",
    "gMonthDay": "--01-05",
    "integer": "5200",
    "decimal": "2.5",
    "double": "2.5E3",
    "float": "2.5",
    "boolean": "true",
    "duration": "P1Y2M",
    "yearMonthDuration": "P1Y2M",
    "dayTimeDuration": "P3DT4H",
    "anyURI": "https://example.org/",
    "language": "en",
}

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
#: SPARQL's numeric literals (INTEGER, DECIMAL, DOUBLE with an optional sign) and the type each gets.
_NUMBERS = (
    (re.compile(r"^[+-]?[0-9]+$"), "integer"),
    (re.compile(r"^[+-]?[0-9]*\.[0-9]+$"), "decimal"),
    (re.compile(r"^[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+$"), "double"),
)
_INTEGERS = {
    XSD + name
    for name in BUILTIN_DATATYPES
    if name.endswith(("nteger", "ong", "nt", "hort", "yte")) and name != "anyURI"
}
_STRINGS = {XSD + name for name in ("string", "normalizedString", "token")}


@dataclass(frozen=True)
class Lookup:
    """A parameter whose value names a resource: instances of `classes` (or their subclasses) are matched
    by IRI, by the last segment of their IRI, and by the names `names` give them, in any case."""

    classes: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class Param:
    """One declared (or BASIL-inferred) parameter of a saved query."""

    name: str
    type: str = "string"  # a KIND, an XSD datatype's local name, or prefix:name of a datatype
    required: bool = False
    default: str | None = None
    example: str | None = None
    enum: tuple[str, ...] = ()
    description: str = ""
    lang: str | None = None  # fixed language of a lang-string parameter (BASIL `?_name_en`)
    variable: str = ""  # the SPARQL variable it binds, without `?` (default `_NAME`)
    datatype: str | None = None  # the datatype IRI of a datatype parameter
    lookup: Lookup | None = None

    def __post_init__(self) -> None:
        if self.datatype is None and self.type in BUILTIN_DATATYPES and self.type not in KINDS:
            object.__setattr__(self, "datatype", XSD + self.type)

    @property
    def var(self) -> str:
        return self.variable or f"_{self.name}"

    def describe_type(self) -> str:
        if self.type == "lang-string" and self.lang:
            return f"lang-string (@{self.lang})"
        if self.lookup is not None:
            return "name or iri"
        return self.type

    def example_value(self) -> str:
        """The value help and error messages show: the declared example, else one of the type's."""
        if self.example is not None:
            return self.example
        if self.enum:
            return self.enum[0]
        if self.lookup is not None:
            return "Donald Trump"
        if self.type == "lang-string" and self.lang:
            return "withdrawal"
        return EXAMPLES.get(self.type, "value")

    def example_option(self) -> str:
        """`-p 'actor=Donald Trump'`: an example that pastes into a POSIX shell as it is."""
        import shlex

        return "-p " + shlex.quote(f"{self.name}={self.example_value()}")


def datatype_of(type_name: str, prefixes: Mapping[str, str]) -> str | None:
    """The datatype IRI a `type:` names (`date`, `xsd:date`, `ex:myType`), or None if it names none."""
    if type_name in KINDS:
        return None
    if type_name in BUILTIN_DATATYPES:
        return XSD + type_name
    prefix, sep, local = type_name.partition(":")
    if not sep or not local:
        return None
    if prefix == "xsd":
        return XSD + local if local in BUILTIN_DATATYPES else None
    return prefixes[prefix] + local if prefix in prefixes else None


def to_term(param: Param, value: str, prefixes: Mapping[str, str] | None = None) -> ox.NamedNode | ox.Literal:
    """Check `value` against the parameter's type and return the RDF term. Raises UsageError."""
    kind = param.type
    if kind in ("string", "literal"):
        return ox.Literal(value)
    if kind == "iri":
        return _iri(param, value, prefixes or {})
    if kind == "lang-string":
        return _lang_string(param, value)
    if kind == "number":
        text = value.strip()
        for pattern, name in _NUMBERS:
            if pattern.match(text):
                return _typed(param, text, XSD + name)
        raise _bad(param, value, "a number (integer, decimal or double)")
    if param.datatype is None:
        raise UsageError(f"parameter {param.name!r} has unknown type {kind!r}; known: {', '.join(TYPES)}")
    return _typed(param, value if param.datatype in _STRINGS else value.strip(), param.datatype)


def _typed(param: Param, text: str, datatype: str) -> ox.Literal:
    check = CHECKS.get(datatype)
    if check is not None and not check(text):
        local = datatype[len(XSD) :] if datatype.startswith(XSD) else datatype
        example = EXAMPLES.get(local)
        what = f"an xsd:{local}" if datatype.startswith(XSD) else f"a value of datatype <{datatype}>"
        raise _bad(param, text, what + (f" like {example}" if example else ""))
    if datatype in _INTEGERS:
        text = str(int(text))  # canonical form: the term a triple pattern matches
    elif datatype == XSD + "boolean":
        text = "true" if text in ("true", "1") else "false"
    return ox.Literal(text, datatype=ox.NamedNode(datatype))


def _lang_string(param: Param, value: str) -> ox.Literal:
    if param.lang:
        # The example shows the bare text; a copy of the tagged form binds the same term.
        text, sep, lang = value.rpartition("@")
        if sep and lang.lower() == param.lang.lower():
            value = text
        return ox.Literal(value, language=param.lang.lower())
    text, sep, lang = value.rpartition("@")
    if not sep or not _LANG.match(lang):
        raise _bad(param, value, "text with a language tag, like withdrawal@en")
    return ox.Literal(text, language=lang.lower())


def _iri(param: Param, value: str, prefixes: Mapping[str, str]) -> ox.NamedNode:
    text = expand_iri(value, prefixes)
    if text is None:
        raise _bad(param, value, "an absolute IRI (or prefix:name with a prefix the query or graph declares)")
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise _bad(param, value, f"a valid IRI ({exc})") from None


def expand_iri(value: str, prefixes: Mapping[str, str]) -> str | None:
    """`<iri>`, an absolute IRI or `prefix:name` as an absolute IRI string; None if it is none of them."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    else:
        prefix, sep, local = text.partition(":")
        if sep and prefix in prefixes and not local.startswith("//"):
            text = prefixes[prefix] + local
    return text if _SCHEME.match(text) else None


def _bad(param: Param, value: str, expected: str) -> UsageError:
    example = param.example_option()
    return UsageError(f"parameter {param.name!r} expects {expected}, got {value!r}, e.g. {example}")


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """`["actor=Donald Trump", ...]` from `-p` options -> {"actor": "Donald Trump"}."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"parameter {item!r} is not name=value, e.g. -p 'actor=Donald Trump'")
        if name in values:
            raise UsageError(f"parameter {name!r} given twice")
        values[name] = value
    return values


def check_values(params: Iterable[Param], values: Mapping[str, str]) -> dict[str, tuple[Param, str]]:
    """Every given value with its parameter, defaults filled in: {name: (param, value)}. Raises UsageError.

    Unknown names get a "did you mean"; a required parameter left out is an error; an optional one
    without a default is left out.
    """
    declared = {p.name: p for p in params}
    for name in values:
        if name not in declared:
            raise UsageError(_unknown(name, list(declared)))
    chosen: dict[str, tuple[Param, str]] = {}
    for param in declared.values():
        value = values.get(param.name, param.default)
        if value is None:
            if param.required:
                raise UsageError(
                    f"missing required parameter {param.name!r} ({param.describe_type()}), "
                    f"e.g. {param.example_option()}"
                )
            continue
        if param.required and not value.strip():
            raise UsageError(
                f"required parameter {param.name!r} ({param.describe_type()}) may not be empty, "
                f"e.g. {param.example_option()}"
            )
        if param.enum and value not in param.enum:
            raise UsageError(
                f"parameter {param.name!r} must be one of {', '.join(param.enum)}; got {value!r}"
            )
        chosen[param.name] = (param, value)
    return chosen


def bind(
    params: Iterable[Param],
    values: Mapping[str, str],
    prefixes: Mapping[str, str] | None = None,
    resolve: Callable[[Param, str], ox.NamedNode] | None = None,
) -> dict[str, ox.NamedNode | ox.Literal]:
    """Check every given value, fill in defaults, and return {variable: term}. Raises UsageError.

    A lookup parameter's value goes to `resolve` (`kgtool.query.lookup.Resolver`, which asks the
    dataset); without one, only an IRI is accepted for it.
    """
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    for param, value in check_values(params, values).values():
        if param.lookup is None:
            bindings[param.var] = to_term(param, value, prefixes)
        elif resolve is not None:
            bindings[param.var] = resolve(param, value)
        elif expand_iri(value, prefixes or {}) is not None:
            bindings[param.var] = _iri(param, value, prefixes or {})
        else:
            raise UsageError(
                f"parameter {param.name!r}: {value!r} is a name; looking it up needs the dataset"
            )
    return bindings


def _unknown(name: str, known: list[str]) -> str:
    if not known:
        return f"unknown parameter {name!r}: this query takes no parameters"
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown parameter {name!r} (known: {', '.join(known)}){hint}"
