"""Where a remote store answers: its query, update and Graph Store URLs, the timeouts, and the
credentials, read from the environment only (never from an option, so never in shell history or
`ps`), and URLs redacted (`user:password@` never shown).

Default URLs follow the two layouts seen in practice: a query URL ending in `/query` (Oxigraph, Fuseki)
has its update URL at `…/update` and Oxigraph's Graph Store at `…/store`; any other URL (Virtuoso's
`/sparql`) takes updates itself, and its Graph Store is `…/sparql-graph-crud` when the path ends in
`/sparql`. A wrong guess (404) costs nothing: `push` and `add` fall back to `INSERT DATA`; a URL given
with `--store-endpoint` must answer (only a 405 or 501, "no Graph Store here", falls back).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from kgtool.errors import UsageError

ENDPOINT_ENV = "KGTOOL_ENDPOINT"
TOKEN_ENV = "KGTOOL_ENDPOINT_TOKEN"
USER_ENV = "KGTOOL_ENDPOINT_USER"
PASSWORD_ENV = "KGTOOL_ENDPOINT_PASSWORD"
#: `basic` (default) or `digest` (Virtuoso's `…-auth` routes) for the user and password.
AUTH_ENV = "KGTOOL_ENDPOINT_AUTH"
CONNECT_TIMEOUT_ENV = "KGTOOL_CONNECT_TIMEOUT"
READ_TIMEOUT_ENV = "KGTOOL_READ_TIMEOUT"
#: The whole of one request, answer included: a server that drips bytes never trips the read timeout.
REQUEST_TIMEOUT_ENV = "KGTOOL_REQUEST_TIMEOUT"
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 60.0
#: Generous: a push of a large graph is one request.
DEFAULT_REQUEST_TIMEOUT = 3600.0


@dataclass(frozen=True)
class Credentials:
    """A bearer token, or a user and password (basic or digest); `secrets` are what no message shows."""

    token: str | None = None
    user: str | None = None
    password: str | None = None
    digest: bool = False

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.token, self.password) if s)

    @staticmethod
    def from_environment() -> Credentials:
        token = _credential(TOKEN_ENV)
        user = _credential(USER_ENV)
        password = _credential(PASSWORD_ENV)
        scheme = (os.environ.get(AUTH_ENV) or "basic").strip().lower()
        if scheme not in ("basic", "digest"):
            raise UsageError(f"${AUTH_ENV} must be basic or digest, not {scheme!r}")
        if token and user:
            raise UsageError(f"set ${TOKEN_ENV} or ${USER_ENV}/${PASSWORD_ENV}, not both")
        if (user is None) != (password is None):
            raise UsageError(f"set both ${USER_ENV} and ${PASSWORD_ENV} (or neither)")
        return Credentials(token, user, password, scheme == "digest")

    def __repr__(self) -> str:  # never the secret, even in a traceback or a debugger
        kind = "token" if self.token else "user/password" if self.user else "none"
        return f"Credentials({kind})"


def _credential(name: str) -> str | None:
    """A credential from the environment, checked once here: printable ASCII only, since a header
    cannot carry anything else (a stray `\\r` or `é` would make httpx fail with a message quoting
    the value). The message names the variable, never the value."""
    value = os.environ.get(name) or None
    if value is not None and not all(" " <= c <= "~" for c in value):
        raise UsageError(
            f"${name} holds a character that is not printable ASCII (a line break, tab or accented "
            "letter?): set it to the credential alone"
        )
    return value


@dataclass(frozen=True)
class Endpoint:
    """A remote store: where to query, update and reach the Graph Store, and how long to wait."""

    query_url: str
    update_url: str
    store_url: str | None
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    credentials: Credentials = field(default_factory=Credentials)
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    #: True when `store_url` came from --store-endpoint, False when derived from the query URL (a
    #: guess, which a 404 may disprove; a URL the user gave must answer).
    store_given: bool = False

    def shown(self, url: str | None = None) -> str:
        """A URL as messages show it: userinfo redacted."""
        return redact(url or self.query_url)


def endpoint(
    query_url: str,
    update_url: str | None = None,
    store_url: str | None = None,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
) -> Endpoint:
    """The endpoint the options and environment describe (URLs checked here, once)."""
    query_url = _checked(query_url, "--endpoint")
    update = _checked(update_url, "--update-endpoint") if update_url else _default_update(query_url)
    store = _checked(store_url, "--store-endpoint") if store_url else _default_store(query_url)
    return Endpoint(
        query_url,
        update,
        store,
        connect_timeout if connect_timeout is not None else _env_seconds(CONNECT_TIMEOUT_ENV, 10.0),
        read_timeout if read_timeout is not None else _env_seconds(READ_TIMEOUT_ENV, 60.0),
        Credentials.from_environment(),
        _env_seconds(REQUEST_TIMEOUT_ENV, DEFAULT_REQUEST_TIMEOUT),
        store_given=bool(store_url),
    )


def redact(url: str) -> str:
    """`http://user:secret@host/…` as `http://***@host/…`: userinfo is never shown."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))


def _checked(url: str, option: str) -> str:
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - parsing the port is the check: `:99999` or `:x` raise here
    except ValueError as exc:  # `http://[::1/query`: the URL cannot be parsed, so is not shown
        raise UsageError(f"{option}: not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option}: not an http(s) URL: {redact(url)}")
    return url.strip()


def _default_update(query_url: str) -> str:
    path = _path(query_url)
    return (
        _with_path(query_url, path.removesuffix("/query") + "/update")
        if path.endswith("/query")
        else query_url
    )


def _default_store(query_url: str) -> str | None:
    path = _path(query_url)
    if path.endswith("/query"):
        return _with_path(query_url, path.removesuffix("/query") + "/store")
    if path.endswith("/sparql"):
        return _with_path(query_url, path + "-graph-crud")
    return None


def _with_path(url: str, path: str) -> str:
    """`url` with its path replaced (a query string stays: some stores take an API key there)."""
    return urlunsplit(urlsplit(url)._replace(path=path))


def _path(url: str) -> str:
    return urlsplit(url).path.rstrip("/")


def _env_seconds(name: str, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise UsageError(f"${name} must be a positive number of seconds, not {text!r}")
    return value
