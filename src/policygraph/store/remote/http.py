"""HTTP to a SPARQL 1.1 endpoint through SPARQLWrapper; every failure becomes a clear error.

Queries go as form POSTs (``application/x-www-form-urlencoded``: Virtuoso 7.2 never answers a
POST of ``application/sparql-query``) with an explicit ``Accept`` header (Virtuoso answers HTML
without one). An ``X-SQL-State`` response header (Virtuoso's partial "anytime" result) is an
error, not an answer.
"""

from __future__ import annotations

import ast
import base64
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field

from SPARQLWrapper import BASIC, DIGEST, INSERT, POST, SELECT, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from policygraph import __version__
from policygraph.errors import QueryError, StoreError

__all__ = ["AUTH_SCHEMES", "Endpoint", "Response"]

#: HTTP authentication schemes for ``user``/``password``.
AUTH_SCHEMES = ("basic", "digest")
_AGENT = f"policygraph/{__version__}"
_EXCERPT = 300


@dataclass(frozen=True)
class Response:
    """A successful answer: body, content type and the server's ``Server`` header."""

    body: bytes
    content_type: str
    server: str = ""


def _excerpt(body: bytes | str | None) -> str:
    if body is None:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    text = " ".join(text.split())
    return text[:_EXCERPT] + ("…" if len(text) > _EXCERPT else "")


@dataclass
class Endpoint:
    """One SPARQL server: its query, update and Graph Store URLs, credentials and time limit."""

    query_url: str
    update_url: str
    graph_store_url: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # secrets never in a repr
    token: str | None = field(default=None, repr=False)
    auth: str = "basic"
    timeout: float = 60.0

    def _wrapper(self, url: str, update: bool) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(url if not update else self.query_url, updateEndpoint=url,
                                agent=_AGENT)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)  # no format=… parameters: Virtuoso obeys them over Accept
        wrapper.setTimeout(max(1, round(self.timeout)))
        if self.user is not None and self.password is not None:
            wrapper.setHTTPAuth(DIGEST if self.auth == "digest" else BASIC)
            wrapper.setCredentials(self.user, self.password)
        if self.token is not None:
            wrapper.addCustomHttpHeader("Authorization", f"Bearer {self.token}")
        return wrapper

    def query(self, text: str, accept: str, default_graphs: Sequence[str] = (),
              named_graphs: Sequence[str] = ()) -> Response:
        """Send a query; ``default_graphs``/``named_graphs`` are the protocol's dataset.

        Raises:
            StoreError: The server cannot be reached, fails, or answers with an error.
            QueryError: The server rejects the query (HTTP 400).
        """
        wrapper = self._wrapper(self.query_url, update=False)
        wrapper.setQuery(text)
        wrapper.queryType = SELECT  # only used to pick the endpoint and the "query" parameter
        for graph in default_graphs:
            wrapper.addDefaultGraph(graph)
        for graph in named_graphs:
            wrapper.addNamedGraph(graph)
        wrapper.addCustomHttpHeader("Accept", accept)
        return self._send(wrapper, self.query_url, "query")

    def update(self, text: str) -> None:
        """Send a SPARQL Update.

        Raises:
            StoreError: As for :meth:`query`; an update the server rejects is a StoreError too.
        """
        wrapper = self._wrapper(self.update_url, update=True)
        wrapper.setQuery(text)
        wrapper.queryType = INSERT  # any update form: picks the update URL and parameter
        wrapper.addCustomHttpHeader("Accept", "application/sparql-results+json, */*;q=0.1")
        self._send(wrapper, self.update_url, "update")

    def post_graph(self, graph: str, ntriples: str) -> None:
        """Add N-Triples to ``graph`` with a Graph Store Protocol POST.

        Raises:
            StoreError: As for :meth:`query`.
        """
        if self.graph_store_url is None:
            raise StoreError("no Graph Store Protocol URL is configured")
        url = f"{self.graph_store_url}?{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(url, data=ntriples.encode("utf-8"), method="POST",
                                         headers={"Content-Type": "application/n-triples",
                                                  "Accept": "*/*", "User-Agent": _AGENT})
        if self.token is not None:
            request.add_header("Authorization", f"Bearer {self.token}")
        elif self.user is not None and self.password is not None and self.auth == "basic":
            pair = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            request.add_header("Authorization", f"Basic {pair}")
        opener = urllib.request.build_opener()
        if self.user is not None and self.password is not None and self.auth == "digest":
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, self.graph_store_url, self.user, self.password)
            opener.add_handler(urllib.request.HTTPDigestAuthHandler(manager))
        try:
            with opener.open(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            raise self._http_error(self.graph_store_url, "Graph Store request", exc.code,
                                   exc.read()) from None
        except (urllib.error.URLError, OSError) as exc:
            raise self._network_error(self.graph_store_url, exc) from None

    def _send(self, wrapper: SPARQLWrapper, url: str, what: str) -> Response:
        try:
            result = wrapper.query()
            response = result.response
            body: bytes = response.read()
            state = response.headers.get("X-SQL-State")
            content_type = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            raise self._http_error(url, what, exc.code, exc.read()) from None
        except SPARQLWrapperException as exc:
            raise self._http_error(url, what, _status_of(exc), _body_of(exc)) from None
        except (urllib.error.URLError, OSError) as exc:
            raise self._network_error(url, exc) from None
        if state:
            raise StoreError(f"the SPARQL server at {url} stopped the {what} early (X-SQL-State "
                             f"{state}: {response.headers.get('X-SQL-Message', '')}); its result "
                             "would be partial. Raise the server's time limit "
                             "(Virtuoso: MaxQueryExecutionTime).")
        return Response(body, content_type, response.headers.get("Server", ""))

    def _http_error(self, url: str, what: str, status: int, body: bytes | str | None) -> Exception:
        detail = _excerpt(body)
        message = f"the SPARQL server at {url} answered the {what} with HTTP {status}"
        if status in (401, 403):
            hint = ("check --endpoint-user/--endpoint-password (POLICYGRAPH_ENDPOINT_USER/"
                    "_PASSWORD) and whether the server wants basic or digest authentication")
            return StoreError(f"{message} (not allowed): {hint}"
                              + (f"; {detail}" if detail else ""))
        if status == 404:
            return StoreError(f"{message} (not found): is this the right URL?"
                              + (f" {detail}" if detail else ""))
        if status == 400 and what == "query":
            return QueryError(f"{message}: the server rejected the query: {detail}")
        return StoreError(f"{message}" + (f": {detail}" if detail else ""))

    def _network_error(self, url: str, exc: BaseException) -> StoreError:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError | socket.timeout):
            return StoreError(f"the SPARQL server at {url} did not answer within "
                              f"{self.timeout:g} s (timeout)")
        if isinstance(reason, ConnectionRefusedError):
            return StoreError(f"cannot connect to the SPARQL server at {url}: connection refused "
                              "(is the server running, and is the URL right?)")
        return StoreError(f"cannot reach the SPARQL server at {url}: {reason}")


def _body_of(exc: SPARQLWrapperException) -> bytes | str:
    # SPARQLWrapper keeps the body only in its message, as the repr of the bytes.
    message = str(exc)
    _, found, body = message.partition("Response:\n")
    if not found:
        return ""
    try:
        value = ast.literal_eval(body.strip())
    except (ValueError, SyntaxError):
        return body
    return value if isinstance(value, bytes | str) else body


def _status_of(exc: SPARQLWrapperException) -> int:
    return {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404,
            "URITooLong": 414, "EndPointInternalError": 500}.get(type(exc).__name__, 500)
