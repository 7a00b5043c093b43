"""The one HTTP client of SPARQL servers: a form POST (or a body POST) with the dataset as
protocol parameters, authentication, and every failure as one clear :class:`WireError`.

Both the remote store (:mod:`policygraph.store.remote.http`) and the SPARQL endpoint's
pass-through to a remote store (:mod:`policygraph.endpoint.forward`, run by query workers) send
through :func:`post`. Queries and updates go as form POSTs (Virtuoso 7.2 never answers a POST
of ``application/sparql-query``) with an explicit ``Accept`` (Virtuoso answers HTML without
one). A Virtuoso answer cut short at its own time limit (``X-SQL-State``) is a failure too: its
result would be partial. Only the standard library is used (workers start fast).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from policygraph import __version__

__all__ = ["AGENT", "Connection", "WireError", "excerpt", "network_error", "post", "post_form"]

AGENT = f"policygraph/{__version__}"
_EXCERPT = 300


@dataclass(frozen=True)
class Connection:
    """A SPARQL server's endpoint and how to authenticate to it.

    Attributes:
        url: The query (or update, or Graph Store) endpoint.
        timeout: Seconds to wait on the connection.
        user: User for HTTP authentication, with ``password``.
        password: Its password.
        token: A bearer token (sent instead of the user and password).
        auth: ``"basic"`` or ``"digest"``.
    """

    url: str
    timeout: float
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # secrets never in a repr
    token: str | None = field(default=None, repr=False)
    auth: str = "basic"


class WireError(Exception):
    """The server could not be reached, failed, or stopped early.

    Attributes:
        kind: ``"http"`` (an error status), ``"network"`` (unreachable, refused, timed out) or
            ``"partial"`` (Virtuoso stopped at its own time limit).
        status: The HTTP status of an ``"http"`` failure, else None.
        message: What happened, naming the server's URL (and a hint where one helps).
        body: The start of the server's error answer, if any.
    """

    def __init__(self, kind: str, message: str, status: int | None = None,
                 body: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status
        self.body = body


def excerpt(body: bytes | str | None) -> str:
    """The start of a server's answer, on one line."""
    if body is None:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    text = " ".join(text.split())
    return text[:_EXCERPT] + ("…" if len(text) > _EXCERPT else "")


def _http_error(url: str, what: str, status: int, body: bytes) -> WireError:
    detail = excerpt(body)
    message = f"the SPARQL server at {url} answered the {what} with HTTP {status}"
    if status in (401, 403):
        message += (" (not allowed): check --endpoint-user/--endpoint-password "
                    "(POLICYGRAPH_ENDPOINT_USER/_PASSWORD) and whether the server wants basic "
                    "or digest authentication")
    elif status == 404:
        message += " (not found): is this the right URL?"
    return WireError("http", message + (f": {detail}" if detail else ""), status, detail)


def network_error(connection: Connection, exc: BaseException) -> WireError:
    """The failure for ``exc``, raised while connecting to or reading from the server."""
    url = connection.url
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return WireError("network", f"the SPARQL server at {url} did not answer within "
                                    f"{connection.timeout:g} s (timeout)")
    if isinstance(reason, ConnectionRefusedError):
        return WireError("network", f"cannot connect to the SPARQL server at {url}: "
                                    "connection refused (is the server running, and is the "
                                    "URL right?)")
    return WireError("network", f"cannot reach the SPARQL server at {url}: {reason}")


@contextmanager
def post(connection: Connection, data: bytes, content_type: str, accept: str, what: str,
         url: str | None = None) -> Iterator[http.client.HTTPResponse]:
    """POST ``data`` to the server (or to ``url`` with its credentials); the response.

    Raises:
        WireError: An error status, a network failure, or an answer cut short.
    """
    target = url or connection.url
    request = urllib.request.Request(target, data=data, method="POST", headers={
        "Content-Type": content_type, "Accept": accept, "User-Agent": AGENT})
    handlers: list[urllib.request.BaseHandler] = []
    if connection.token is not None:
        request.add_header("Authorization", f"Bearer {connection.token}")
    elif connection.user is not None and connection.password is not None:
        if connection.auth == "digest":
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, target, connection.user, connection.password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
        else:
            pair = f"{connection.user}:{connection.password}".encode()
            request.add_header("Authorization", f"Basic {base64.b64encode(pair).decode()}")
    try:
        response = urllib.request.build_opener(*handlers).open(request,
                                                               timeout=connection.timeout)
    except urllib.error.HTTPError as exc:
        with exc:
            raise _http_error(target, what, exc.code, exc.read(_EXCERPT * 4)) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise network_error(Connection(target, connection.timeout), exc) from None
    with response:
        state = response.headers.get("X-SQL-State")
        if state:
            raise WireError("partial", (
                f"the SPARQL server at {target} stopped the {what} early, at its own time limit "
                f"(X-SQL-State {state}: {response.headers.get('X-SQL-Message', '')}), so its "
                "answer would be partial; raise the server's time limit (Virtuoso: "
                "MaxQueryExecutionTime)"))
        yield response


def post_form(connection: Connection, fields: Sequence[tuple[str, str]], accept: str,
              what: str) -> contextlib.AbstractContextManager[http.client.HTTPResponse]:
    """POST a form (``query`` or ``update`` and the dataset's protocol parameters)."""
    return post(connection, urllib.parse.urlencode(list(fields)).encode("ascii"),
                "application/x-www-form-urlencoded", accept, what)
