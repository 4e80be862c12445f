"""Keep pydantic off the command line's start-up path: one adapter over typer's option coercion.

typer 0.29 coerces every non-flag option through a pydantic TypeAdapter, and importing pydantic is the
single biggest cost of a cold `kgtool query`. kgtool's options are plain str, int, float and bool (or
lists of them), Enums, and typed values built by a `parser=` (`kgtool.options`, `kgtool.formats`):
`install()` converts exactly those directly and leaves any other annotation to typer's own machinery.

Decision (issue 13): keep it, measured with `python benchmarks/startup.py --runs 15` on the shipped
graph, 2 shared cores, 2026-12-01: cold `kgtool query timeline` 224-233 ms with the adapter and
405-427 ms without it (the floor `python -c 'import typer, pyoxigraph'` 138-149 ms): 1.56-1.57x the
floor against 2.75-3.09x, i.e. about 180 ms of pydantic imports on this (loaded) machine, ~65 ms on the
quiet one of docs/benchmarks.md.

Fallback: it reaches into typer internals (`typer.core._TyperParameter.get_runtime_param`,
`typer._coercion.RuntimeParam`), so pyproject.toml pins typer's minor version, and `install()` does
nothing if those internals have moved: every option then goes through typer's own coercion, which calls
the same `parser=` functions, so values and error messages stay the same, only start-up is slower
(tests/cli/test_fast_coercion.py runs the CLI both ways).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Union, get_args, get_origin

from typer._click import Context
from typer._click.exceptions import BadParameter

try:
    from typer import core
    from typer._coercion import RuntimeParam
except ImportError:  # another typer release: keep its own (slower) coercion
    core = None  # type: ignore[assignment]
    RuntimeParam = object  # type: ignore[assignment,misc]


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on", "y", "t"):
        return True
    if text in ("0", "false", "no", "off", "n", "f"):
        return False
    raise ValueError(value)


_SCALARS: dict[Any, Callable[[Any], Any]] = {str: str, int: int, float: float, bool: _bool}


class _NotAChoice(ValueError):
    """A value that is none of an Enum option's choices (its message names them)."""


def _enum(cls: type[Enum]) -> Callable[[Any], Any]:
    """An Enum option without a parser: its members' values are the choices (as typer's own)."""

    def convert(value: Any) -> Any:
        if isinstance(value, cls):
            return value
        for member in cls:
            if str(member.value) == str(value):
                return member
        choices = ", ".join(repr(str(m.value)) for m in cls)
        raise _NotAChoice(f"{value!r} is not one of {choices}.")

    convert.__name__ = cls.__name__
    return convert


@dataclass(frozen=True)
class _Direct(RuntimeParam):
    """Coercion of one option value (or a list of them) by a plain function, without pydantic."""

    convert: Callable[[Any], Any] = str
    many: bool = False

    def _coerce_value(self, value: Any, param: Any, ctx: Context) -> Any:
        try:
            if self.many:
                return [self.convert(item) for item in value]
            return self.convert(value)
        except _NotAChoice as exc:
            raise BadParameter(str(exc), ctx=ctx, param=param) from None
        except (TypeError, ValueError):
            label = getattr(self.convert, "__name__", "value")
            raise BadParameter(f"{value!r} is not a valid {label}.", ctx=ctx, param=param) from None


def converter(
    annotation: Any, parser: Callable[[Any], Any] | None = None
) -> tuple[Callable[[Any], Any], bool] | None:
    """(converter, is_list) for an option kgtool declares, or None to leave it to typer.

    A `parser=` wins (typed values: Enums and formats checked by their own `parse`); else str, int,
    float, bool and Enums, optional or in a list.
    """
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        return converter(rest[0], parser) if len(rest) == 1 else None
    if origin is list:
        (item,) = get_args(annotation) or (str,)
        found = converter(item, parser)
        return (found[0], True) if found is not None and not found[1] else None
    if parser is not None:
        return parser, False
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _enum(annotation), False
    return (_SCALARS[annotation], False) if annotation in _SCALARS else None


def install() -> bool:
    """Route kgtool's options past pydantic (idempotent); False when typer's internals have moved."""
    cls = getattr(core, "_TyperParameter", None)
    if cls is None or not hasattr(cls, "get_runtime_param"):
        return False
    if getattr(cls, "_kgtool_fast", False):
        return True
    original = cls.get_runtime_param

    def get_runtime_param(self: Any) -> RuntimeParam:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            found = None
            if descriptor.file_annotation is None:
                found = converter(descriptor.annotation, descriptor.parameter_info.parser)
            if found is not None:
                self._runtime_param = _Direct(
                    parameter_info=descriptor.parameter_info,
                    annotation=descriptor.annotation,
                    convert=found[0],
                    many=found[1],
                )
        return original(self)

    cls.get_runtime_param = get_runtime_param
    cls._kgtool_fast = True
    return True
