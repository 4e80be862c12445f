"""Dates at the precision a source gives them: an `xsd:date` is one day, an `xsd:gYearMonth` a whole
month, an `xsd:gYear` a whole year. A `Span` is that stretch of time (start inclusive, end exclusive),
so a picture draws "January 2020" over the month and never on an invented day."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

from kgtool.vocab import XSD


class Precision(Enum):
    """How precisely a date is known, finest first."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


# xsd:date, xsd:dateTime (its day), xsd:gYearMonth, xsd:gYear; an optional time zone is ignored: a
# picture places whole days.
_FORMS = {
    XSD + "date": (re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$"), Precision.DAY),
    XSD + "dateTime": (re.compile(r"^(\d{4})-(\d{2})-(\d{2})T"), Precision.DAY),
    XSD + "gYearMonth": (re.compile(r"^(\d{4})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$"), Precision.MONTH),
    XSD + "gYear": (re.compile(r"^(\d{4})(?:Z|[+-]\d{2}:\d{2})?$"), Precision.YEAR),
}
DATE_TYPES = frozenset(_FORMS)


@dataclass(frozen=True, order=True)
class Span:
    """The stretch of time one date stands for: [start, end) at its precision."""

    start: dt.date
    end: dt.date
    precision: Precision

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def text(self) -> str:
        """The date in words at its precision: `5 January 2020`, `January 2020`, `2014`."""
        if self.precision is Precision.DAY:
            return f"{self.start.day} {self.start:%B %Y}"
        if self.precision is Precision.MONTH:
            return f"{self.start:%B %Y}"
        return f"{self.start.year}"

    def iso(self) -> str:
        """The date as the graph writes it: `2020-01-05`, `2020-01`, `2014`."""
        full = self.start.isoformat()
        return {Precision.DAY: full, Precision.MONTH: full[:7], Precision.YEAR: full[:4]}[self.precision]


def parse(lexical: str, datatype: str) -> Span | None:
    """The span of a date literal, or None when the datatype is no date or the value is not one."""
    form = _FORMS.get(datatype)
    if form is None:
        return None
    pattern, precision = form
    match = pattern.match(lexical.strip())
    if match is None:
        return None
    try:
        year = int(match.group(1))
        if precision is Precision.YEAR:
            return Span(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), precision)
        month = int(match.group(2))
        if precision is Precision.MONTH:
            return Span(dt.date(year, month, 1), next_month(dt.date(year, month, 1)), precision)
        day = dt.date(year, month, int(match.group(3)))
        return Span(day, day + dt.timedelta(days=1), precision)
    except (ValueError, OverflowError):
        return None


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def month_floor(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_ceil(day: dt.date) -> dt.date:
    """The first day of a month at or after `day`."""
    return day if day.day == 1 else next_month(day)


def cover(spans: list[Span]) -> tuple[dt.date, dt.date]:
    """The smallest stretch [start, end) holding every span."""
    return min(s.start for s in spans), max(s.end for s in spans)
