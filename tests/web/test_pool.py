"""Worker processes: forked from the zygote, killed past the time limit, replaced, never reused when
an answer is abandoned; the parts that need no HTTP server."""

from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from kgtool.web.pool import Cut, Overdue, Reply, WorkerLost, WorkerPool, Zygote


def handler():
    def handle(job: dict, reply: Reply) -> None:
        if "sleep" in job:
            time.sleep(job["sleep"])
        if job.get("fail"):
            raise ValueError("a bug")
        if job.get("exit"):
            os._exit(3)
        if job.get("oom"):
            raise MemoryError
        reply.head(200, [("X-Pid", str(os.getpid()))])
        reply.write(b"x" * job.get("size", 1))

    return handle


@pytest.fixture
def zygote():
    started = Zygote(handler)
    started.start()
    yield started
    started.stop()


def run(coroutine):
    """Run on a thread of its own: Playwright's sync API (the session's browser) keeps an event loop
    running on the main thread, where asyncio.run would refuse to start."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def test_jobs_are_answered_and_workers_reused(zygote):
    async def scenario():
        pool = WorkerPool(zygote, 2, 5.0)
        await pool.start()
        pids = set()
        for size in (1, 200_000, 3):
            answer = await pool.run({"size": size})
            assert answer.status == 200
            assert len(await answer.body.read()) == size
            pids.add(dict(answer.headers)["X-Pid"])
        await pool.close()
        return pids, pool.killed

    pids, killed = run(scenario())
    assert len(pids) <= 2 and killed == 0


def test_a_job_past_the_limit_kills_its_worker_and_a_new_one_takes_its_place(zygote):
    async def scenario():
        pool = WorkerPool(zygote, 1, 0.5)
        await pool.start()
        first = dict((await pool.run({})).headers)  # body never read: abandoned, replaced
        with pytest.raises(Overdue) as stopped:  # the job sleeps 30 s: only the 0.5 s limit ends it
            await pool.run({"sleep": 30})
        answer = await pool.run({"size": 2})
        body = await answer.body.read()
        await pool.close()
        return first, stopped.value.busy, dict(answer.headers), body, pool.killed

    first, busy, second, body, killed = run(scenario())
    assert not busy
    assert body == b"xx" and second["X-Pid"] != first["X-Pid"]
    assert killed == 2


def test_a_bug_is_a_500_line_and_a_dead_worker_is_reported(zygote):
    async def scenario():
        pool = WorkerPool(zygote, 1, 5.0)
        await pool.start()
        bug = await pool.run({"fail": True})
        text = await bug.body.read()
        with pytest.raises(WorkerLost):
            await pool.run({"exit": True})
        with pytest.raises(WorkerLost):  # past the memory cap: the worker ends, the server says so
            await pool.run({"oom": True})
        after = await pool.run({"size": 1})
        await after.body.read()
        await pool.close()
        return bug.status, text, after.status

    assert run(scenario()) == (500, b"internal error: ValueError: a bug\n", 200)


def test_every_worker_busy_past_the_limit_is_overdue_busy(zygote):
    async def scenario():
        pool = WorkerPool(zygote, 1, 0.3)
        await pool.start()
        taken = await pool._idle.get()  # the one worker is busy (as with a long answer being read)
        started = time.monotonic()
        with pytest.raises(Overdue) as waited:
            await pool.run({})
        took = time.monotonic() - started
        pool._release(taken)
        answer = await pool.run({})
        await answer.body.read()
        await pool.close()
        return waited.value.busy, took, answer.status

    busy, took, status = run(scenario())
    assert busy and took >= 0.25 and status == 200  # it waited for the 0.3 s limit, then gave up


def test_an_answer_nobody_reads_loses_its_worker_at_the_deadline(zygote):
    async def scenario():
        pool = WorkerPool(zygote, 1, 0.5)
        await pool.start()
        stalled = await pool.run({"size": 50_000_000})  # held, never read: the worker blocks writing
        await asyncio.sleep(0.8)
        answer = await pool.run({"size": 2})  # the only worker: only the watchdog frees it
        body = await answer.body.read()
        with pytest.raises(Overdue):
            await stalled.body.read()
        await pool.close()
        return dict(stalled.headers)["X-Pid"] != dict(answer.headers)["X-Pid"], body, pool.killed

    assert run(scenario()) == (True, b"xx", 1)


def test_an_answer_past_the_byte_cap_is_cut_and_its_worker_reused():
    capped = Zygote(handler, max_bytes=100)
    capped.start()

    async def scenario():
        pool = WorkerPool(capped, 1, 5.0)
        await pool.start()
        answer = await pool.run({"size": 1000})
        got = bytearray()
        with pytest.raises(Cut):
            async for chunk in answer.body:
                got += chunk
        whole = await pool.run({"size": 100})
        body = await whole.body.read()
        await pool.close()
        return bytes(got), body, dict(answer.headers)["X-Pid"] == dict(whole.headers)["X-Pid"], pool.killed

    try:
        assert run(scenario()) == (b"x" * 100, b"x" * 100, True, 0)
    finally:
        capped.stop()
