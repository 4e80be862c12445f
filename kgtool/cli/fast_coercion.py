"""Keep pydantic off the command line's start-up path.

typer 0.29 coerces every non-flag option through a pydantic TypeAdapter, and importing pydantic costs
more than the rest of a cold `kgtool query` (about 50 ms). kgtool's options are plain str, int, float,
bool and lists of them, which need no pydantic: `install()` gives those a direct conversion and leaves
any other annotation to typer's own machinery. It reaches into typer internals, so pyproject.toml pins
typer's minor version, and `install()` does nothing (typer's own coercion stays) if those internals
have moved.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Direct(RuntimeParam):
    """Coercion of a plain scalar (or list of scalars) without pydantic."""

    convert: Callable[[Any], Any] = str
    many: bool = False

    def _coerce_value(self, value: Any, param: Any, ctx: Context) -> Any:
        try:
            if self.many:
                return [self.convert(item) for item in value]
            return self.convert(value)
        except (TypeError, ValueError):
            label = getattr(self.convert, "__name__", "value")
            raise BadParameter(f"{value!r} is not a valid {label}.", ctx=ctx, param=param) from None


def _plain(annotation: Any) -> tuple[Callable[[Any], Any], bool] | None:
    """(converter, is_list) for str/int/float/bool (optional or in a list), else None."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        return _plain(rest[0]) if len(rest) == 1 else None
    if origin is list:
        (item,) = get_args(annotation) or (str,)
        return (_SCALARS[item], True) if item in _SCALARS else None
    return (_SCALARS[annotation], False) if annotation in _SCALARS else None


def install() -> None:
    """Route plain options of every typer parameter past pydantic (idempotent)."""
    cls = getattr(core, "_TyperParameter", None)
    if cls is None or not hasattr(cls, "get_runtime_param") or getattr(cls, "_kgtool_fast", False):
        return
    original = cls.get_runtime_param

    def get_runtime_param(self: Any) -> RuntimeParam:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            plain = None if descriptor.file_annotation is not None else _plain(descriptor.annotation)
            if plain is not None:
                self._runtime_param = _Direct(
                    parameter_info=descriptor.parameter_info,
                    annotation=descriptor.annotation,
                    convert=plain[0],
                    many=plain[1],
                )
        return original(self)

    cls.get_runtime_param = get_runtime_param
    cls._kgtool_fast = True
