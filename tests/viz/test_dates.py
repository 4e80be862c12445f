"""Dates keep their precision: a month is a month long, a year a year, a day a day."""

from __future__ import annotations

import datetime as dt

import pytest

from kgtool.viz import dates
from kgtool.viz.dates import Precision
from kgtool.vocab import XSD


@pytest.mark.parametrize(
    ("lexical", "datatype", "start", "end", "precision", "words"),
    [
        ("2020-01-05", "date", dt.date(2020, 1, 5), dt.date(2020, 1, 6), Precision.DAY, "5 January 2020"),
        ("2020-01-05Z", "date", dt.date(2020, 1, 5), dt.date(2020, 1, 6), Precision.DAY, "5 January 2020"),
        (
            "2020-01-05T10:00:00",
            "dateTime",
            dt.date(2020, 1, 5),
            dt.date(2020, 1, 6),
            Precision.DAY,
            "5 January 2020",
        ),
        ("2020-01", "gYearMonth", dt.date(2020, 1, 1), dt.date(2020, 2, 1), Precision.MONTH, "January 2020"),
        (
            "2021-12",
            "gYearMonth",
            dt.date(2021, 12, 1),
            dt.date(2022, 1, 1),
            Precision.MONTH,
            "December 2021",
        ),
        ("2014", "gYear", dt.date(2014, 1, 1), dt.date(2015, 1, 1), Precision.YEAR, "2014"),
    ],
)
def test_a_date_is_the_span_of_its_precision(lexical, datatype, start, end, precision, words):
    span = dates.parse(lexical, XSD + datatype)
    assert span == dates.Span(start, end, precision)
    assert span.text() == words


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("2020-13-45", "date"),
        ("2020-02-30", "date"),
        ("January", "gYear"),
        ("2020-01", "string"),
        ("", "date"),
    ],
)
def test_what_is_no_date_is_none(lexical, datatype):
    assert dates.parse(lexical, XSD + datatype) is None


def test_the_iso_form_keeps_the_precision():
    assert [
        dates.parse(v, XSD + t).iso()
        for v, t in [("2020-01-05", "date"), ("2020-01", "gYearMonth"), ("2014", "gYear")]
    ] == [
        "2020-01-05",
        "2020-01",
        "2014",
    ]
