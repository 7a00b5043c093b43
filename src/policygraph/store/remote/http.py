"""HTTP to a SPARQL 1.1 endpoint for the remote store; every failure becomes a clear error.

The requests are made by the one client of SPARQL servers, :mod:`policygraph.store.remote.wire`
(which the SPARQL endpoint's pass-through uses too): queries and updates as form POSTs
(Virtuoso 7.2 never answers a POST of ``application/sparql-query``) with an explicit ``Accept``
header (Virtuoso answers HTML without one); a Virtuoso answer cut short at its time limit
(``X-SQL-State``) is an error, not an answer. Here its failures become the store's errors.
"""

from __future__ import annotations

import http.client
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field

from policygraph.errors import QueryError, StoreError
from policygraph.store.remote.wire import Connection, WireError, network_error, post, post_form

__all__ = ["AUTH_SCHEMES", "Endpoint", "Response"]

#: HTTP authentication schemes for ``user``/``password``.
AUTH_SCHEMES = ("basic", "digest")


@dataclass(frozen=True)
class Response:
    """A successful answer: body, content type and the server's ``Server`` header."""

    body: bytes
    content_type: str
    server: str = ""


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

    def _connection(self, url: str) -> Connection:
        return Connection(url, self.timeout, self.user, self.password, self.token, self.auth)

    def query(self, text: str, accept: str, default_graphs: Sequence[str] = (),
              named_graphs: Sequence[str] = ()) -> Response:
        """Send a query; ``default_graphs``/``named_graphs`` are the protocol's dataset.

        Raises:
            StoreError: The server cannot be reached, fails, or answers with an error.
            QueryError: The server rejects the query (HTTP 400).
        """
        fields = [("query", text), *(("default-graph-uri", g) for g in default_graphs),
                  *(("named-graph-uri", g) for g in named_graphs)]
        connection = self._connection(self.query_url)
        try:
            with post_form(connection, fields, accept, "query") as response:
                body = _read(connection, response)
                return Response(body, response.headers.get("Content-Type", ""),
                                response.headers.get("Server", ""))
        except WireError as exc:
            if exc.status == 400:
                raise QueryError(f"the SPARQL server at {self.query_url} answered the query "
                                 f"with HTTP 400: the server rejected the query: {exc.body}"
                                 ) from None
            raise StoreError(exc.message) from None

    def update(self, text: str) -> None:
        """Send a SPARQL Update.

        Raises:
            StoreError: As for :meth:`query`; an update the server rejects is a StoreError too.
        """
        connection = self._connection(self.update_url)
        try:
            with post_form(connection, [("update", text)],
                           "application/sparql-results+json, */*;q=0.1", "update") as response:
                _read(connection, response)
        except WireError as exc:
            raise StoreError(exc.message) from None

    def post_graph(self, graph: str, ntriples: str) -> None:
        """Add N-Triples to ``graph`` with a Graph Store Protocol POST.

        Raises:
            StoreError: As for :meth:`query`.
        """
        if self.graph_store_url is None:
            raise StoreError("no Graph Store Protocol URL is configured")
        url = f"{self.graph_store_url}?{urllib.parse.urlencode({'graph': graph})}"
        connection = self._connection(self.graph_store_url)
        try:
            with post(connection, ntriples.encode("utf-8"), "application/n-triples", "*/*",
                      "Graph Store request", url=url) as response:
                _read(connection, response)
        except WireError as exc:
            raise StoreError(exc.message) from None


def _read(connection: Connection, response: http.client.HTTPResponse) -> bytes:
    try:
        return response.read()
    except (OSError, http.client.HTTPException) as exc:
        raise network_error(connection, exc) from None
