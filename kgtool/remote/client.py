"""The HTTP client every remote operation goes through: credentials, timeouts, and every way a server
can fail turned into one `RemoteError` line (exit status 2) that never holds a secret.

Built on httpx (separate connect and read timeouts, streamed bodies, basic and digest auth). A
response counts only when it is a 2xx of the expected kind: a login page, a plain `200` text, a
4xx/5xx, or a store's partial-result signals (Virtuoso's `X-SQL-State: S1TAT` after a timeout and
`X-SPARQL-MaxRows` after its row cap) are errors, never results.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import IO

import httpx

from kgtool import __version__
from kgtool.errors import KgtoolError, one_line
from kgtool.remote.endpoint import REQUEST_TIMEOUT_ENV, TOKEN_ENV, USER_ENV, Endpoint, redact

#: Headers by which a store says the answer is cut short (Virtuoso: timeout, result-size cap).
PARTIAL_HEADERS = {"x-sql-state": "S1TAT", "x-sparql-maxrows": None}


class RemoteError(KgtoolError):
    """A remote store that cannot be reached, refuses, fails, times out or does not speak SPARQL."""


class Client:
    """One connection pool to one endpoint; use as a context manager."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        creds = endpoint.credentials
        auth: httpx.Auth | None = None
        headers = {"User-Agent": f"kgtool/{__version__}"}
        if creds.token:
            headers["Authorization"] = f"Bearer {creds.token}"
        elif creds.user is not None and creds.password is not None:
            auth = (
                httpx.DigestAuth(creds.user, creds.password)
                if creds.digest
                else httpx.BasicAuth(creds.user, creds.password)
            )
        timeout = httpx.Timeout(
            endpoint.read_timeout, connect=endpoint.connect_timeout, pool=endpoint.connect_timeout
        )
        self._http = httpx.Client(auth=auth, headers=headers, timeout=timeout, trust_env=False)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def open(
        self,
        method: str,
        url: str,
        *,
        what: str,
        params: Iterable[tuple[str, str]] | None = None,
        form: list[tuple[str, str]] | None = None,
        content: bytes | Iterable[bytes] | None = None,
        headers: Mapping[str, str] | None = None,
        accept: tuple[str, ...] = (),
        ok_statuses: tuple[int, ...] = (),
    ) -> httpx.Response:
        """Send a request and return the streamed response once it is known good: a 2xx (or one of
        `ok_statuses`) whose Content-Type is one of `accept` (when given), with no partial-result
        signal; the caller closes it. Anything else raises RemoteError naming `what` was asked of
        which URL."""
        headers = {**(headers or {}), **({"Accept": ", ".join(accept)} if accept else {})}
        if form is not None:
            from urllib.parse import urlencode

            content, headers = urlencode(form).encode(), {**headers, "Content-Type": _FORM}
        request = self._http.build_request(
            method, url, params=list(params) if params is not None else None, content=content, headers=headers
        )
        deadline = time.monotonic() + self.endpoint.request_timeout
        with self.reading(what, url):
            response = self._http.send(request, stream=True)
            assert isinstance(response.stream, httpx.SyncByteStream)  # a sync client's
            response.stream = _Deadline(response.stream, deadline)
        try:
            with self.reading(what, url):
                _Deadline.check(deadline)
                self._check(response, what, url, accept, ok_statuses)
        except BaseException:
            response.close()
            raise
        return response

    @contextmanager
    def request(self, method: str, url: str, *, what: str, **options: object) -> Iterator[httpx.Response]:
        """`open` as a context manager that closes the response and turns a failure while its body
        is read into RemoteError."""
        response = self.open(method, url, what=what, **options)  # type: ignore[arg-type]
        try:
            with self.reading(what, url):
                yield response
        finally:
            response.close()

    @contextmanager
    def reading(self, what: str, url: str) -> Iterator[None]:
        """Turn httpx's failures (connect, timeouts, a body that breaks off) into one RemoteError."""
        try:
            yield
        except httpx.TimeoutException as exc:
            raise self.error(what, url, _timeout_text(exc, self.endpoint)) from None
        except httpx.ConnectError as exc:
            raise self.error(what, url, f"cannot reach the server ({_reason(exc)})") from None
        except httpx.HTTPError as exc:
            raise self.error(what, url, f"the exchange failed ({_reason(exc)})") from None

    def _check(
        self,
        response: httpx.Response,
        what: str,
        url: str,
        accept: tuple[str, ...],
        ok_statuses: tuple[int, ...],
    ) -> None:
        status = response.status_code
        if not (200 <= status < 300 or status in ok_statuses):
            raise self.error(what, url, self._refusal(response))
        for header, value in PARTIAL_HEADERS.items():
            found = response.headers.get(header)
            if found is not None and (value is None or found.strip().upper() == value):
                raise self.error(
                    what, url, f"the store sent a partial answer ({header}: {found}); nothing written"
                )
        kind = media_type(response)
        if accept and status < 300 and not any(kind == a.split(";")[0] for a in accept):
            shown = kind or "no Content-Type"
            raise self.error(what, url, f"answered {shown}, not {accept[0]}: is this a SPARQL 1.1 endpoint?")

    def _refusal(self, response: httpx.Response) -> str:
        status = response.status_code
        if status in (401, 403):
            hint = (
                f"set ${TOKEN_ENV} or ${USER_ENV}/$KGTOOL_ENDPOINT_PASSWORD"
                if status == 401
                else "the credentials do not allow this, or the store is read-only"
            )
            return f"refused: HTTP {status} ({hint}){_excerpt(response)}"
        if status == 404:
            return f"HTTP 404: no such endpoint (check the URL){_excerpt(response)}"
        return f"HTTP {status}{_excerpt(response)}"

    def error(self, what: str, url: str, problem: str) -> RemoteError:
        """One line: what was asked of which (redacted) URL and what went wrong, secrets masked."""
        text = f"{what} at {redact(_without_query(url))}: {problem}"
        for secret in self.endpoint.credentials.secrets:
            # as given, and as httpx quotes it (bytes repr: `\\r` for a carriage return)
            for form in {secret, repr(secret.encode("utf-8", "backslashreplace"))[2:-1]}:
                text = text.replace(form, "***")
        return RemoteError(one_line(text))


_FORM = "application/x-www-form-urlencoded"


def media_type(response: httpx.Response) -> str:
    """The response's media type, without parameters, lower case ('' if none)."""
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _excerpt(response: httpx.Response, limit: int = 200) -> str:
    """The start of an error body, on one line (servers explain there: Oxigraph, Virtuoso do)."""
    try:
        raw = b""
        for chunk in response.iter_bytes():
            raw += chunk
            if len(raw) >= 4096:
                break
    except httpx.HTTPError:
        return ""
    if "html" in media_type(response):
        return ": an HTML page"
    text = " ".join(raw.decode("utf-8", "replace").split())
    if not text:
        return ""
    return ": " + (text[:limit] + "…" if len(text) > limit else text)


class DeadlinePassed(httpx.ReadTimeout):
    """The request as a whole took longer than the endpoint's `request_timeout`."""


class _Deadline(httpx.SyncByteStream):
    """A response body that stops at the request's deadline: checked as each chunk arrives, so a
    server sending a byte now and then (each read within the read timeout) is still stopped."""

    def __init__(self, stream: httpx.SyncByteStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    @staticmethod
    def check(deadline: float) -> None:
        if time.monotonic() > deadline:
            raise DeadlinePassed("deadline passed")

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            self.check(self._deadline)
            yield chunk

    def close(self) -> None:
        self._stream.close()


def _timeout_text(exc: httpx.TimeoutException, endpoint: Endpoint) -> str:
    if isinstance(exc, DeadlinePassed):
        return f"no complete answer within {endpoint.request_timeout:g} s (${REQUEST_TIMEOUT_ENV})"
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return f"no connection within {endpoint.connect_timeout:g} s (--connect-timeout)"
    if isinstance(exc, httpx.WriteTimeout):
        return f"the server stopped reading the request for {endpoint.read_timeout:g} s"
    return f"no answer for {endpoint.read_timeout:g} s (--read-timeout)"


def _reason(exc: httpx.HTTPError) -> str:
    text = str(exc) or type(exc).__name__
    return text.split("] ")[-1] if text.startswith("[") else text


def _without_query(url: str) -> str:
    return url.split("?", 1)[0]


class ResponseReader:
    """A streamed response body as a binary file (`read(n)`), for parsers that read files
    (pyoxigraph's result and RDF parsers): rows are parsed as their bytes arrive."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def readable(self) -> bool:
        return True


def as_file(response: httpx.Response) -> IO[bytes]:
    """The response body as a binary file read as it streams."""
    return ResponseReader(response.iter_bytes())  # type: ignore[return-value]
