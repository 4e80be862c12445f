"""A run in a child process that the parent stops at the time limit, relaying output, notes and errors."""

from __future__ import annotations

import io
import os
import time

import pytest

from kgtool.errors import ExitStatus, InputError, QueryError
from kgtool.query.worker import run_with_timeout


def test_output_notes_and_status_come_back_unchanged():
    payload = os.urandom(3 * 1024 * 1024)

    def work(sink, note):
        note("first")
        sink.write(payload)
        note("second")
        return ExitStatus.CHECK_FAILED

    out, notes = io.BytesIO(), []
    assert run_with_timeout(30, work, out, notes.append) is ExitStatus.CHECK_FAILED
    assert out.getvalue() == payload
    assert notes == ["first", "second"]


def test_a_typed_error_is_raised_again_in_the_parent():
    def work(sink, note):
        raise InputError("bad file", file="x.ttl", line=3, column=4)

    with pytest.raises(InputError) as info:
        run_with_timeout(30, work, io.BytesIO(), print)
    assert (str(info.value), info.value.exit_status) == ("x.ttl:3:4: bad file", ExitStatus.USAGE)


def test_the_time_limit_stops_the_child():
    def work(sink, note):
        sink.write(b"partial\n")
        sink.flush()
        time.sleep(600)
        return ExitStatus.OK

    out = io.BytesIO()
    with pytest.raises(QueryError) as info:
        run_with_timeout(0.3, work, out, print, "slow.rq")
    assert str(info.value) == "slow.rq: query stopped after 0.3 s (--timeout 0.3)"
    assert out.getvalue() == b"partial\n"


def test_a_child_that_dies_without_a_word_is_one_error():
    def work(sink, note):
        os._exit(3)

    with pytest.raises(QueryError, match="ended without an answer"):
        run_with_timeout(30, work, io.BytesIO(), print)
