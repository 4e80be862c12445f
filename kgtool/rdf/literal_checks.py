"""Lexical checks for XSD-typed literals, which pyoxigraph's parsers accept unchecked.

`"2020-13-45"^^xsd:date` parses fine but is ill-typed; `kgtool.rdf.parsing` calls `first_ill_typed`
so such a literal becomes an input error with the file, line and column where it was written.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from kgtool.vocab import XSD

_TZ = r"(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)?"
_DATE = re.compile(r"^(-?\d{4,})-(\d\d)-(\d\d)" + _TZ + "$")
_DATETIME = re.compile(r"^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?" + _TZ + "$")
_GYEARMONTH = re.compile(r"^-?\d{4,}-(0[1-9]|1[0-2])" + _TZ + "$")
_GYEAR = re.compile(r"^-?\d{4,}" + _TZ + "$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DOUBLE = re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$")
_BOOLEAN = re.compile(r"^(true|false|1|0)$")
_TIME = re.compile(r"^(([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?|24:00:00(\.0+)?)" + _TZ + "$")
_GMONTH = re.compile(r"^--(0[1-9]|1[0-2])" + _TZ + "$")
_GDAY = re.compile(r"^---(0[1-9]|[12]\d|3[01])" + _TZ + "$")
_GMONTHDAY = re.compile(r"^--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])" + _TZ + "$")
_DURATION = re.compile(r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_YM_DURATION = re.compile(r"^-?P(?=\d)(\d+Y)?(\d+M)?$")
_DT_DURATION = re.compile(r"^-?P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_HEX = re.compile(r"^([0-9A-Fa-f]{2})*$")
_BASE64 = re.compile(r"^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")
_LANGUAGE = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


def _valid_day(year: str, month: str, day: str) -> bool:
    m, d = int(month), int(day)
    if not 1 <= m <= 12:
        return False
    leap_year = int(year) if int(year) > 0 else 2000  # years <= 0: allow 29 Feb leniently
    return 1 <= d <= calendar.monthrange(leap_year, m)[1]


def _date(value: str) -> bool:
    match = _DATE.match(value)
    return match is not None and _valid_day(*match.group(1, 2, 3))


def _datetime(value: str) -> bool:
    match = _DATETIME.match(value)
    if not match or not _valid_day(*match.group(1, 2, 3)):
        return False
    hour, minute, second = (int(x) for x in match.group(4, 5, 6))
    if hour == 24:
        return minute == 0 and second == 0 and not (match.group(7) or "").strip(".0")
    return hour < 24 and minute < 60 and second < 60


def _pattern(regex: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda value: bool(regex.match(value))


def _ranged(low: int | None, high: int | None) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        if not _INTEGER.match(value):
            return False
        number = int(value)
        return (low is None or number >= low) and (high is None or number <= high)

    return check


CHECKS: dict[str, Callable[[str], bool]] = {
    XSD + "date": _date,
    XSD + "dateTime": _datetime,
    XSD + "dateTimeStamp": lambda v: _datetime(v) and bool(re.search(r"(Z|[+-]\d\d:\d\d)$", v)),
    XSD + "gYearMonth": _pattern(_GYEARMONTH),
    XSD + "gYear": _pattern(_GYEAR),
    XSD + "integer": _ranged(None, None),
    XSD + "int": _ranged(-(2**31), 2**31 - 1),
    XSD + "long": _ranged(-(2**63), 2**63 - 1),
    XSD + "short": _ranged(-(2**15), 2**15 - 1),
    XSD + "nonNegativeInteger": _ranged(0, None),
    XSD + "positiveInteger": _ranged(1, None),
    XSD + "nonPositiveInteger": _ranged(None, 0),
    XSD + "negativeInteger": _ranged(None, -1),
    XSD + "decimal": _pattern(_DECIMAL),
    XSD + "double": _pattern(_DOUBLE),
    XSD + "float": _pattern(_DOUBLE),
    XSD + "boolean": _pattern(_BOOLEAN),
    XSD + "time": _pattern(_TIME),
    XSD + "gMonth": _pattern(_GMONTH),
    XSD + "gDay": _pattern(_GDAY),
    XSD + "gMonthDay": _pattern(_GMONTHDAY),
    XSD + "duration": _pattern(_DURATION),
    XSD + "yearMonthDuration": _pattern(_YM_DURATION),
    XSD + "dayTimeDuration": _pattern(_DT_DURATION),
    XSD + "byte": _ranged(-(2**7), 2**7 - 1),
    XSD + "unsignedLong": _ranged(0, 2**64 - 1),
    XSD + "unsignedInt": _ranged(0, 2**32 - 1),
    XSD + "unsignedShort": _ranged(0, 2**16 - 1),
    XSD + "unsignedByte": _ranged(0, 2**8 - 1),
    XSD + "hexBinary": _pattern(_HEX),
    XSD + "base64Binary": _pattern(_BASE64),
    XSD + "language": _pattern(_LANGUAGE),
}

#: The local names of XSD's built-in datatypes (XML Schema 1.1 Part 2, section 3), checked or not.
BUILTIN_DATATYPES: tuple[str, ...] = (
    *(iri[len(XSD) :] for iri in CHECKS),
    "string",
    "normalizedString",
    "token",
    "NMTOKEN",
    "Name",
    "NCName",
    "anyURI",
)


def is_ill_typed(literal: ox.Literal) -> bool:
    """True if the literal's lexical form is not valid for its (checked) XSD datatype."""
    check = CHECKS.get(literal.datatype.value)
    return check is not None and not check(literal.value)


def first_ill_typed(quads: Iterable[ox.Quad]) -> ox.Literal | None:
    """The first ill-typed literal among the quads' objects, if any."""
    for quad in quads:
        obj = quad.object
        if isinstance(obj, ox.Literal) and is_ill_typed(obj):
            return obj
    return None


def short_datatype(literal: ox.Literal) -> str:
    """`xsd:date` for XSD datatypes, else the full IRI in angle brackets."""
    iri = literal.datatype.value
    return "xsd:" + iri[len(XSD) :] if iri.startswith(XSD) else f"<{iri}>"
