"""Worker processes that answer requests, each stopped by killing it when the time limit passes.

pyoxigraph evaluates a query without holding the GIL and has no way to interrupt it, so a thread can
never stop a runaway query: only a process can be stopped. At start-up, before the web server starts
any thread, the server forks a *zygote*: a single-threaded copy of itself holding the loaded graph.
The zygote forks the workers (now, and whenever one must be replaced), so every worker starts in
milliseconds with the graph already in memory (shared copy-on-write) and never inherits a lock held
by another thread. Each worker answers one job at a time over its own socket: the server sends the job
as JSON, the worker answers with a head (status and headers) and then the body in chunks.

The server side (`WorkerPool`, asyncio) hands each job to an idle worker and sets a watchdog for its
deadline; when it passes (whether the worker is still computing or the client has stopped reading the
answer) or the client goes away mid-answer, the worker is killed (SIGKILL) and the zygote forks a
fresh one. A job that finds every worker busy waits for one, up to the same limit.

Frames on a worker's socket: one type byte, a 4-byte big-endian length, the payload. `J` a job (JSON),
`H` the head (JSON `{"status": int, "headers": [[name, value], ...]}`), `D` body bytes, `E` the end,
`C` the end of an answer cut at the byte cap.

Each worker may be given an address-space limit (`RLIMIT_AS`, `cap_memory`): a query that needs more
makes it raise MemoryError or die; either way it ends without answering, the server reports it
(`WorkerLost`) and the zygote forks a replacement.
Needs `os.fork` and `socket.send_fds` (Linux, macOS).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import struct
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: A worker's job: what the server read from the request, as plain JSON values.
Job = dict[str, Any]
_FRAME = struct.Struct(">cI")
MIB = 1 << 20
_CHUNK = 1 << 16


class TooLarge(Exception):
    """The answer reached the byte cap: `Reply.write` raises it to stop the writer; the worker then
    ends the answer as cut."""


class Reply:
    """How a job handler answers: `head` once, then `write` the body (buffered into chunks), at most
    `max_bytes` of it (`TooLarge` past that)."""

    def __init__(self, sock: socket.socket, max_bytes: int | None = None) -> None:
        self._sock = sock
        self._buffer = bytearray()
        self._room = max_bytes
        self.started = False

    def head(self, status: int, headers: list[tuple[str, str]]) -> None:
        """Send the status and headers; the body follows with `write`."""
        assert not self.started, "the head is sent once"
        self.started = True
        _send(self._sock, b"H", json.dumps({"status": status, "headers": headers}).encode())

    def write(self, data: bytes) -> int:
        """Add body bytes (sent in chunks of 64 KiB); a file-like sink for the result writers."""
        if self._room is not None:
            if len(data) > self._room:
                self._buffer += data[: self._room]
                self._room = 0
                raise TooLarge
            self._room -= len(data)
        self._buffer += data
        if len(self._buffer) >= _CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            _send(self._sock, b"D", bytes(self._buffer))
            self._buffer.clear()

    def end(self) -> None:
        self.flush()
        _send(self._sock, b"E", b"")

    def cut(self) -> None:
        """End an answer that reached the byte cap: what fits is sent, then `C` instead of `E`."""
        self.flush()
        _send(self._sock, b"C", b"")


def _send(sock: socket.socket, kind: bytes, payload: bytes) -> None:
    sock.sendall(_FRAME.pack(kind, len(payload)) + payload)


def _receive(sock: socket.socket) -> tuple[bytes, bytes] | None:
    head = _read_exactly(sock, _FRAME.size)
    if head is None:
        return None
    kind, size = _FRAME.unpack(head)
    payload = _read_exactly(sock, size) if size else b""
    return None if payload is None else (kind, payload)


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


# --- the zygote and its workers (child processes) ---------------------------------------------------

#: What a worker does with a job: answers it through the Reply (head, body); raises only on bugs.
Handler = Callable[[Job, Reply], None]


class Zygote:
    """A single-threaded process forked at start-up that forks workers on request.

    `make_handler` runs in each new worker (after the fork) and returns its job handler; whatever it
    needs that cannot cross a fork (an on-disk store) it opens there. Then the worker's memory is
    capped at what it holds plus `max_memory` bytes (`cap_memory`), and each answer at `max_bytes`.
    """

    def __init__(
        self,
        make_handler: Callable[[], Handler],
        *,
        max_bytes: int | None = None,
        max_memory: int | None = None,
    ) -> None:
        self._make_handler = make_handler
        self.max_bytes, self.max_memory = max_bytes, max_memory
        self._control: socket.socket | None = None
        self._lock = threading.Lock()
        self.pid = 0

    def start(self) -> None:
        """Fork the zygote. Call before any thread starts (before the web server runs)."""
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            _zygote_main(theirs, self._make_handler, self.max_bytes, self.max_memory)
        theirs.close()
        self._control, self.pid = ours, pid

    def spawn(self) -> tuple[int, socket.socket]:
        """A new worker: its process id and the server's end of its socket (blocking; thread-safe)."""
        assert self._control is not None, "start() first"
        with self._lock:
            self._control.sendall(b"s")
            message, fds, _, _ = socket.recv_fds(self._control, 64, 1)
        if not fds:
            raise RuntimeError("the worker zygote has stopped")
        return int(message), socket.socket(fileno=fds[0])

    def stop(self) -> None:
        """Close the zygote's socket: it exits, and so do idle workers once their sockets close."""
        if self._control is not None:
            self._control.close()
            self._control = None
        if self.pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0


def _quiet_signals() -> None:
    """Ctrl-C reaches the whole process group: only the server handles it; children end with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _zygote_main(
    control: socket.socket, make_handler: Callable[[], Handler], max_bytes: int | None, max_memory: int | None
) -> None:
    code = 0
    try:
        _quiet_signals()
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the system
        while control.recv(1):
            server_end, worker_end = socket.socketpair()
            pid = os.fork()
            if pid == 0:
                control.close()
                server_end.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _worker_main(worker_end, make_handler, max_bytes, max_memory)
            worker_end.close()
            socket.send_fds(control, [str(pid).encode()], [server_end.fileno()])
            server_end.close()
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _worker_main(
    sock: socket.socket, make_handler: Callable[[], Handler], max_bytes: int | None, max_memory: int | None
) -> None:
    code = 0
    try:
        handler = make_handler()
        if max_memory is not None:
            cap_memory(max_memory)
        while True:
            frame = _receive(sock)
            if frame is None:
                break
            reply = Reply(sock, max_bytes)
            try:
                handler(json.loads(frame[1]), reply)
            except TooLarge:
                reply.cut()
                continue
            except MemoryError:  # past the memory cap: end without answering (reported, replaced)
                code = 1
                break
            except (BrokenPipeError, ConnectionResetError):
                break
            except Exception as exc:  # a bug: one line to the client, the worker carries on
                if not reply.started:
                    reply.head(500, [("Content-Type", "text/plain; charset=utf-8")])
                    reply.write(f"internal error: {type(exc).__name__}: {exc}\n".encode())
            reply.end()
    except BaseException:
        code = 1
    finally:
        os._exit(code)


# --- the server side ---------------------------------------------------------------------------------


class Overdue(Exception):
    """The job did not finish within the time limit (its worker was killed), or found no idle worker."""

    def __init__(self, busy: bool) -> None:
        super().__init__("every worker is busy" if busy else "time limit passed")
        self.busy = busy


class WorkerLost(Exception):
    """The worker's process ended before it answered (past its memory cap, killed from outside, or
    crashed)."""


class Cut(Exception):
    """The answer reached the byte cap: the body so far is all there is (the worker is reused)."""


def cap_memory(extra: int) -> None:
    """Limit this process's address space to what it maps now plus `extra` bytes (call in a worker,
    after it has opened what it needs): past that, allocations fail."""
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # no /proc (macOS, which does not enforce RLIMIT_AS anyway)
        mapped = 0
    limit = mapped + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@dataclass
class _Worker:
    pid: int
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter


class WorkerPool:
    """`size` workers from `zygote`; `run(job)` answers within `timeout` seconds or raises Overdue."""

    def __init__(self, zygote: Zygote, size: int, timeout: float) -> None:
        self.zygote = zygote
        self.size = size
        self.timeout = timeout
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._spawning: set[asyncio.Task[None]] = set()
        self.killed = 0  # workers stopped for a time limit or a vanished client

    async def start(self) -> None:
        for _ in range(self.size):
            self._idle.put_nowait(await self._spawn())

    async def close(self) -> None:
        for task in list(self._spawning):
            task.cancel()
        while not self._idle.empty():
            self._idle.get_nowait().writer.close()

    async def run(self, job: Job) -> Answer:
        """Give `job` to an idle worker; its head within the time limit, then its body as it streams.

        A watchdog kills the worker when the deadline passes, whatever the answer is doing: waiting for
        its head, or stalled because the client does not read the body (`Answer.deadline` tells the
        response to end then too)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout)
        except asyncio.TimeoutError:
            raise Overdue(busy=True) from None
        body = _Body(self, worker, deadline)
        with body.failures():
            _write(worker.writer, b"J", json.dumps(job).encode())
            kind, payload = await asyncio.wait_for(_frame(worker.reader), deadline - loop.time())
            if kind != b"H":
                raise WorkerLost(f"the worker answered {kind!r} before its head")
            head = json.loads(payload)
        headers = [(str(name), str(value)) for name, value in head["headers"]]
        return Answer(int(head["status"]), headers, body, deadline)

    def _release(self, worker: _Worker) -> None:
        self._idle.put_nowait(worker)

    def _discard(self, worker: _Worker) -> None:
        """Kill a worker that may still be busy and fork a replacement (in the background: this also
        runs where awaiting is not possible, in a cancelled task or a finalizer)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        worker.writer.close()
        self.killed += 1
        task = asyncio.get_running_loop().create_task(self._respawn())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    async def _respawn(self) -> None:
        self._idle.put_nowait(await self._spawn())

    async def _spawn(self) -> _Worker:
        pid, sock = await asyncio.get_running_loop().run_in_executor(None, self.zygote.spawn)
        sock.setblocking(False)
        reader, writer = await asyncio.open_connection(sock=sock, limit=2 * _CHUNK)
        return _Worker(pid, reader, writer)


@dataclass
class Answer:
    """A worker's answer: status and headers now, the body as it comes (iterate it once)."""

    status: int
    headers: list[tuple[str, str]]
    body: _Body = field(repr=False)
    deadline: float = 0.0  #: when the answer must have ended, in the event loop's clock (`loop.time()`)


class _Body:
    """The body frames of one answer. Read to the end, the worker goes back to the pool; dropped or
    closed before that, or past the deadline (its watchdog fires then, even if nobody reads), the
    worker is killed and replaced."""

    def __init__(self, pool: WorkerPool, worker: _Worker, deadline: float) -> None:
        self._pool, self._worker, self._deadline = pool, worker, deadline
        self._done = False
        self.overdue = False  # the watchdog stopped it
        # A weak reference: a body nobody holds any more is still abandoned at once (`__del__`).
        self._watchdog = asyncio.get_running_loop().call_at(deadline, _expire, weakref.ref(self))

    def expire(self) -> None:
        """The deadline passed: stop the worker, whatever the answer is doing."""
        if not self._done:
            self.overdue = True
            self.abandon()

    def __aiter__(self) -> _Body:
        return self

    async def __anext__(self) -> bytes:
        if self.overdue:  # the watchdog stopped it: the answer is cut, never silently short
            raise Overdue(busy=False)
        if self._done:
            raise StopAsyncIteration
        with self.failures():
            remaining = self._deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise asyncio.TimeoutError
            kind, payload = await asyncio.wait_for(_frame(self._worker.reader), remaining)
        if kind in (b"E", b"C"):
            self._done = True
            self._watchdog.cancel()
            self._pool._release(self._worker)
            if kind == b"C":
                raise Cut
            raise StopAsyncIteration
        return payload

    async def read(self) -> bytes:
        """The whole body (for small answers)."""
        return b"".join([chunk async for chunk in self])

    @contextlib.contextmanager
    def failures(self) -> Iterator[None]:
        """Talking to the worker: past the deadline is Overdue, a broken pipe WorkerLost (or Overdue when
        the watchdog broke it); on any failure, cancellation included, the worker is never reused."""
        try:
            yield
        except asyncio.TimeoutError:
            self.abandon()
            raise Overdue(busy=False) from None
        except (OSError, asyncio.IncompleteReadError) as exc:
            self.abandon()
            if self.overdue:
                raise Overdue(busy=False) from None
            raise WorkerLost(str(exc) or type(exc).__name__) from None
        except BaseException:
            self.abandon()
            raise

    def abandon(self) -> None:
        """Stop reading: the worker may still be writing, so it is replaced."""
        if not self._done:
            self._done = True
            self._watchdog.cancel()
            with contextlib.suppress(RuntimeError):  # no running loop: the server is shutting down
                self._pool._discard(self._worker)

    async def aclose(self) -> None:
        self.abandon()

    def __del__(self) -> None:
        self.abandon()


def _expire(body: weakref.ref[_Body]) -> None:
    alive = body()
    if alive is not None:
        alive.expire()


def _write(writer: asyncio.StreamWriter, kind: bytes, payload: bytes) -> None:
    writer.write(_FRAME.pack(kind, len(payload)) + payload)


async def _frame(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    kind, size = _FRAME.unpack(await reader.readexactly(_FRAME.size))
    return kind, (await reader.readexactly(size) if size else b"")
