"""Typed query parameters: a user's text becomes one checked RDF term, never a piece of query text.

Types: iri, string, lang-string (`text@en`), date (`YYYY-MM-DD`), integer. The term is bound to the
parameter's SPARQL variable (pyoxigraph `substitutions`, rdflib `initBindings`), so no value can change
the query's structure, whatever it contains.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.vocab import XSD

TYPES: tuple[str, ...] = ("iri", "string", "lang-string", "date", "integer")
EXAMPLES: dict[str, str] = {
    "iri": "https://w3id.org/kgtool/iraq/actor/donald-trump",
    "string": "Donald Trump",
    "lang-string": "withdrawal@en",
    "date": "2020-01-05",
    "integer": "5200",
}

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DATE = re.compile(r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}$")


@dataclass(frozen=True)
class Param:
    """One declared (or BASIL-inferred) parameter of a saved query."""

    name: str
    type: str = "string"
    required: bool = False
    default: str | None = None
    example: str | None = None
    enum: tuple[str, ...] = ()
    description: str = ""
    lang: str | None = None  # fixed language of a BASIL `?_name_en` lang-string parameter
    variable: str = ""  # the SPARQL variable it binds, without `?` (default `_NAME`)

    @property
    def var(self) -> str:
        return self.variable or f"_{self.name}"

    def describe_type(self) -> str:
        return f"lang-string (@{self.lang})" if self.type == "lang-string" and self.lang else self.type


def to_term(param: Param, value: str, prefixes: Mapping[str, str] | None = None) -> ox.NamedNode | ox.Literal:
    """Check `value` against the parameter's type and return the RDF term. Raises UsageError."""
    kind = param.type
    if kind == "string":
        return ox.Literal(value)
    if kind == "integer":
        if not _INTEGER.match(value.strip()):
            raise _bad(param, value, "an integer")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "date":
        if not _DATE.match(value.strip()) or not _valid_date(value.strip()):
            raise _bad(param, value, "a date YYYY-MM-DD")
        return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "date"))
    if kind == "lang-string":
        return _lang_string(param, value)
    if kind == "iri":
        return _iri(param, value, prefixes or {})
    raise UsageError(f"parameter {param.name!r} has unknown type {kind!r}; known: {', '.join(TYPES)}")


def _valid_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _lang_string(param: Param, value: str) -> ox.Literal:
    if param.lang:
        return ox.Literal(value, language=param.lang)
    text, sep, lang = value.rpartition("@")
    if not sep or not _LANG.match(lang):
        raise _bad(param, value, "text with a language tag, like withdrawal@en")
    return ox.Literal(text, language=lang.lower())


def _iri(param: Param, value: str, prefixes: Mapping[str, str]) -> ox.NamedNode:
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    else:
        prefix, sep, local = text.partition(":")
        if sep and prefix in prefixes and not local.startswith("//"):
            text = prefixes[prefix] + local
    if not _SCHEME.match(text):
        raise _bad(param, value, "an absolute IRI (or prefix:name with a prefix the query declares)")
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise _bad(param, value, f"a valid IRI ({exc})") from None


def _bad(param: Param, value: str, expected: str) -> UsageError:
    example = param.example or EXAMPLES.get(param.type, "")
    hint = f", e.g. -p {param.name}={example}" if example else ""
    return UsageError(f"parameter {param.name!r} expects {expected}, got {value!r}{hint}")


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """`["actor=Donald Trump", ...]` from `-p` options -> {"actor": "Donald Trump"}."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"parameter {item!r} is not name=value, e.g. -p actor=Donald Trump")
        if name in values:
            raise UsageError(f"parameter {name!r} given twice")
        values[name] = value
    return values


def bind(
    params: Iterable[Param], values: Mapping[str, str], prefixes: Mapping[str, str] | None = None
) -> dict[str, ox.NamedNode | ox.Literal]:
    """Check every given value, fill in defaults, and return {variable: term}. Raises UsageError.

    Unknown names get a "did you mean"; a required parameter left out is an error; an optional one
    without a default stays unbound.
    """
    declared = {p.name: p for p in params}
    for name in values:
        if name not in declared:
            raise UsageError(_unknown(name, list(declared)))
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in declared.values():
        value = values.get(param.name, param.default)
        example = param.example or EXAMPLES.get(param.type, "")
        if value is None:
            if param.required:
                raise UsageError(
                    f"missing required parameter {param.name!r} ({param.describe_type()}), "
                    f"e.g. -p {param.name}={example}"
                )
            continue
        if param.required and not value.strip():
            raise UsageError(
                f"required parameter {param.name!r} ({param.describe_type()}) may not be empty, "
                f"e.g. -p {param.name}={example}"
            )
        if param.enum and value not in param.enum:
            raise UsageError(
                f"parameter {param.name!r} must be one of {', '.join(param.enum)}; got {value!r}"
            )
        bindings[param.var] = to_term(param, value, prefixes)
    return bindings


def _unknown(name: str, known: list[str]) -> str:
    if not known:
        return f"unknown parameter {name!r}: this query takes no parameters"
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown parameter {name!r} (known: {', '.join(known)}){hint}"
