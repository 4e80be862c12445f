"""Help that names values, never Python types.

typer 0.29 writes an argument in help as `FILE... <list[str]>`, its usage as `{FILE...}...`, and an
option without a metavar as `--message <str>`. `install()` makes every command's help read the way
click and POSIX tools write it: an argument shows its metavar alone (`FILE...` in the list; in the usage
line `FILE...` when required, `[FILE]...` when optional), and an option without a metavar shows its
name in capitals (`--message MESSAGE`). It applies to every command, including ones added later.

Like `fast_coercion`, it replaces methods of typer's parameter classes (`typer.core.TyperArgument`,
`typer.core.TyperOption`), so pyproject.toml pins typer's minor version; if they have moved, `install()`
does nothing and help keeps typer's own spelling (tests/cli/test_plain_help.py fails then).
"""

from __future__ import annotations

from typing import Any

try:
    from typer import core
except ImportError:  # pragma: no cover - another typer layout: keep its own help
    core = None  # type: ignore[assignment]


def _argument_name(self: Any) -> str:
    """`FILE...` for a list argument, `DIR` for one value: its metavar (or name), no type."""
    name = str(self.metavar or self.name.upper())
    return name + "..." if self.nargs != 1 else name


def _argument_usage(self: Any) -> str:
    """`FILE...` (required) or `[FILE]...` (optional), as click writes them."""
    name = str(self.metavar or self.name.upper())
    name = name if self.required else f"[{name}]"
    return name + "..." if self.nargs != 1 else name


def _no_type(self: Any, ctx: Any) -> None:
    return None


def _option_value(self: Any, ctx: Any) -> str | None:
    """An option's value as help shows it: its metavar, else its name in capitals."""
    if self.metavar is not None:
        return str(self.metavar)
    name = str(self.name or "value").upper()
    return name + "..." if self.nargs != 1 else name


def install() -> bool:
    """Make help name values instead of Python types (idempotent); False if typer's classes moved."""
    argument = getattr(core, "TyperArgument", None)
    option = getattr(core, "TyperOption", None)
    needed = ("_rich_display_name", "_usage_display_name", "display_type_rich")
    if argument is None or option is None or not all(hasattr(argument, n) for n in needed):
        return False
    argument._rich_display_name = _argument_name
    argument._usage_display_name = _argument_usage
    argument.display_type_rich = _no_type
    option.display_type_rich = _option_value
    return True
