"""The typed values of command-line options: each is parsed and checked once, at the CLI edge, and the
library takes the typed value and never checks it again.

`Choice.parse` is that one check for the closed choice lists (an unknown value is a UsageError that
names the option and its choices); formats live in `kgtool.formats`. Help strings list the choices with
`Choice.listing`, so no choice list is copied by hand.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from kgtool.errors import UsageError

C = TypeVar("C", bound="Choice")


class Choice(Enum):
    """A closed list of option values; members' values are what users type. A subclass names what it
    is for error messages: `class EngineName(Choice, what="engine")`."""

    _what: str

    def __init_subclass__(cls, what: str = "", **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls._what = what

    @classmethod
    def what(cls) -> str:
        """What the option is called in an error message ("engine", "inference mode")."""
        return cls._what

    @classmethod
    def parse(cls: type[C], value: str | C) -> C:
        """The member a user named, or a UsageError listing the choices (the one check of the value)."""
        if isinstance(value, cls):
            return value
        for member in cls:
            if member.value == value:
                return member
        raise UsageError(f"unknown {cls.what()} {value!r}; choose one of {cls.listing()}")

    @classmethod
    def listing(cls, sep: str = ", ", last: str | None = None) -> str:
        """`a, b, c` (`a, b or c` with last=" or ", `a|b|c` with sep="|"), for help texts and errors."""
        values = [str(member.value) for member in cls]
        return (
            sep.join(values[:-1]) + (sep if last is None else last) + values[-1] if values[1:] else values[0]
        )

    def __str__(self) -> str:
        return str(self.value)


class EngineName(Choice, what="engine"):
    """`--engine`: which SPARQL engine runs a query on the local dataset."""

    OXIGRAPH = "oxigraph"  # pyoxigraph: the default, fast
    RDFLIB = "rdflib"  # rdflib: the reference the differential tests compare against


class InferMode(Choice, what="inference mode"):
    """`--infer`: which closure is added, kept apart in its own named graph."""

    NONE = "none"
    RDFS = "rdfs"
    OWLRL = "owlrl"


class GraphPart(Choice, what="graph part"):
    """`--only`: which files of a graph folder a command reads."""

    DATA = "data"
    ONTOLOGY = "ontology"
    SHAPES = "shapes"
    ALL = "all"


class ReportFormat(Choice, what="report format"):
    """`validate --format`: a table for people, a stable JSON document, or the SHACL report in Turtle."""

    TEXT = "text"
    JSON = "json"
    TURTLE = "turtle"


class StatsFormat(Choice, what="stats format"):
    """`stats --format`."""

    TEXT = "text"
    JSON = "json"


class View(Choice, what="view"):
    """How a saved query's rows are drawn (`#+ defaultView:` in its header, `kgtool query NAME --view`),
    after the Wikidata Query Service's `#defaultView:`."""

    TABLE = "table"
    TIMELINE = "timeline"
    BAR = "bar"
    GRAPH = "graph"


# --- numbers: each checked once, here ----------------------------------------------------------------


def row_count(value: str | int) -> int:
    """`--limit N` / `--offset N`: a whole number of rows, 0 or more."""
    return _whole(value, "a number of rows", 0)


def row_cap(value: str | int) -> int:
    """`serve --max-rows N`: a cap on the rows of an answer, 1 or more."""
    return _whole(value, "a number of rows (1, 2, ...)", 1)


def page_number(value: str | int) -> int:
    """`--page K`: pages count from 1."""
    return _whole(value, "a page number (1, 2, ...)", 1)


#: The longest --timeout (about 11.6 days): far beyond any query, and small enough that the deadline
#: arithmetic and `select` never overflow (1e12 did, leaving the query's child process running).
MAX_SECONDS = 1_000_000


def seconds(value: str | float) -> float:
    """`--timeout SECONDS`: a positive number of seconds (fractions allowed), at most `MAX_SECONDS`."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not number > 0 or number == float("inf"):
        raise UsageError(f"expected a positive number of seconds, got {value!r}")
    if number > MAX_SECONDS:
        raise UsageError(f"expected at most {MAX_SECONDS} seconds, got {value!r}")
    return number


def _whole(value: str | int, what: str, least: int) -> int:
    text = str(value).strip()
    if not text.isdigit() or int(text) < least:
        raise UsageError(f"expected {what}, got {value!r}")
    return int(text)


def port_number(value: str | int) -> int:
    """`--port N`: a TCP port, 0 (any free port) to 65535."""
    port = _whole(value, "a port number (0-65535)", 0)
    if port > 65535:
        raise UsageError(f"expected a port number (0-65535), got {value!r}")
    return port


def worker_count(value: str | int) -> int:
    """`--workers N`: query worker processes, 1 or more."""
    return _whole(value, "a number of workers (1, 2, ...)", 1)
