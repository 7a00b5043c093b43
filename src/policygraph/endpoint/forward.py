"""Send a checked query or update to a SPARQL server and read its answer.

The HTTP is the one client of SPARQL servers, :mod:`policygraph.store.remote.wire`, which the
remote store uses too; this module reads the answers as a query worker needs them.

:mod:`policygraph.endpoint.worker` runs queries through this for a remote store, so it imports
only pyoxigraph and the standard library; :mod:`policygraph.endpoint.remote` sends updates. Both
go as form POSTs (Virtuoso 7.2 never answers a POST of ``application/sparql-query``) with their
dataset as protocol parameters (``default-graph-uri`` / ``named-graph-uri``, or
``using-graph-uri`` / ``using-named-graph-uri``: Oxigraph server in union mode refuses ``USING``
in an update's text) and an explicit ``Accept`` (Virtuoso answers HTML without one).

SELECT and ASK results are read as SPARQL JSON, at most :attr:`Remote.max_bytes` of it, and
their terms checked one by one (Virtuoso's blank node labels, ``nodeID://b1``, are not valid
labels and are renamed). CONSTRUCT and DESCRIBE results are parsed as a stream of N-Triples or
Turtle, so a worker stops reading once it has one triple more than the limit. Every failure
is a :class:`RemoteFailure` whose message names the server's URL.
"""

from __future__ import annotations

import contextlib
import http.client
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from policygraph.store.remote.wire import (
    Connection,
    WireError,
    excerpt,
    network_error,
    post_form,
)

__all__ = ["Connection", "Remote", "RemoteFailure", "Term", "read_results", "read_triples",
           "send_update"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
_RESULTS = "application/sparql-results+json"
_GRAPHS = "application/n-triples, text/turtle;q=0.9"
_RDF_FORMATS = {"application/n-triples": ox.RdfFormat.N_TRIPLES,
                "text/plain": ox.RdfFormat.N_TRIPLES,
                "text/turtle": ox.RdfFormat.TURTLE,
                "application/x-turtle": ox.RdfFormat.TURTLE,
                "application/turtle": ox.RdfFormat.TURTLE}


@dataclass(frozen=True)
class Remote:
    """A query for a SPARQL server.

    Attributes:
        connection: The server's query endpoint.
        query: The text to send (already checked, its dataset clauses taken out).
        default_graphs: The ``default-graph-uri`` IRIs (never empty: the server would
            otherwise choose).
        named_graphs: The ``named-graph-uri`` IRIs (never empty, likewise).
        max_bytes: The most bytes of SELECT/ASK results to read.
    """

    connection: Connection
    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    max_bytes: int

    @property
    def url(self) -> str:
        """The server's query endpoint."""
        return self.connection.url


class RemoteFailure(Exception):
    """The server could not be asked, failed, or answered something unusable.

    Attributes:
        kind: ``"remote"`` (the server failed or cannot be reached), ``"partial"`` (it
            stopped the query at its own time limit) or ``"limit"`` (the answer is too big).
        message: What happened, naming the server's URL.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def _network_failure(connection: Connection, exc: BaseException) -> RemoteFailure:
    return RemoteFailure("remote", network_error(connection, exc).message)


@contextmanager
def _post(connection: Connection, fields: list[tuple[str, str]], accept: str,
          what: str) -> Iterator[http.client.HTTPResponse]:
    """POST a form through the one SPARQL client (:mod:`policygraph.store.remote.wire`); its
    failures become RemoteFailures."""
    try:
        with post_form(connection, fields, accept, what) as response:
            yield response
    except WireError as exc:
        raise RemoteFailure("partial" if exc.kind == "partial" else "remote",
                            exc.message) from None


def _query(remote: Remote, accept: str) -> contextlib.AbstractContextManager[
        http.client.HTTPResponse]:
    fields = [("query", remote.query)]
    fields += [("default-graph-uri", graph) for graph in remote.default_graphs]
    fields += [("named-graph-uri", graph) for graph in remote.named_graphs]
    return _post(remote.connection, fields, accept, "query")


def send_update(connection: Connection, text: str, using_graphs: Sequence[str] = (),
                using_named_graphs: Sequence[str] = ()) -> None:
    """Send a SPARQL Update with the protocol's ``using-graph-uri`` / ``using-named-graph-uri``.

    Raises:
        RemoteFailure: The server cannot be reached, or refuses or fails the update.
    """
    fields = [("update", text)]
    fields += [("using-graph-uri", graph) for graph in using_graphs]
    fields += [("using-named-graph-uri", graph) for graph in using_named_graphs]
    with _post(connection, fields, "application/sparql-results+json, */*;q=0.1",
               "update") as response:
        try:
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            raise _network_failure(connection, exc) from None


def _malformed(remote: Remote, problem: object) -> RemoteFailure:
    return RemoteFailure("remote", f"the SPARQL server at {remote.url} sent a malformed "
                                   f"result: {problem}")


def _blank_node(label: str) -> ox.BlankNode:
    try:
        return ox.BlankNode(label)
    except ValueError:  # Virtuoso's "nodeID://b10001"; the same label gets the same name
        return ox.BlankNode("x" + label.encode("utf-8").hex())


def _term(value: Any) -> Term:
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return _blank_node(text)
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return ox.Literal(text, language=value["xml:lang"])
        if value.get("datatype"):
            return ox.Literal(text, datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(text)
    if kind == "triple":
        subject, predicate = _term(text["subject"]), _term(text["predicate"])
        if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
            raise ValueError("a triple term with a literal subject or a non-IRI predicate")
        return ox.Triple(subject, predicate, _term(text["object"]))
    raise ValueError(f"unknown term type {kind!r}")


def _rows(remote: Remote, names: list[str], bindings: list[Any]
          ) -> Iterator[dict[str, Term | None]]:
    try:
        for binding in bindings:
            yield {name: _term(binding[name]) if name in binding else None for name in names}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _malformed(remote, f"a binding is not a SPARQL JSON term ({exc})") from None


def read_results(remote: Remote) -> bool | tuple[list[str], Iterator[dict[str, Term | None]]]:
    """Run a SELECT or ASK query on the server.

    Returns:
        The boolean of an ASK; for a SELECT its variables and its rows (every variable a key,
        None where unbound), checked as they are iterated.

    Raises:
        RemoteFailure: As described in the module docstring.
    """
    with _query(remote, _RESULTS) as response:
        try:
            body = response.read(remote.max_bytes + 1)
        except (OSError, http.client.HTTPException) as exc:
            raise _network_failure(remote.connection, exc) from None
    if len(body) > remote.max_bytes:
        raise RemoteFailure("limit", f"the server's answer is over "
                                     f"{remote.max_bytes // (1 << 20)} MiB")
    try:
        document = json.loads(body.decode("utf-8"))
        if isinstance(document.get("boolean"), bool):
            return bool(document["boolean"])
        names = [str(name) for name in document["head"]["vars"]]
        bindings = document["results"]["bindings"]
        if not isinstance(bindings, list):
            raise TypeError("bindings is not a list")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _malformed(remote, f"not SPARQL results JSON ({exc}): {excerpt(body[:80])}") \
            from None
    return names, _rows(remote, names, bindings)


@contextmanager
def read_triples(remote: Remote) -> Iterator[Iterator[ox.Triple]]:
    """Run a CONSTRUCT or DESCRIBE query on the server; its triples, parsed as they arrive.

    Raises:
        RemoteFailure: As described in the module docstring, also while iterating.
    """
    with _query(remote, _GRAPHS) as response:
        media = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        rdf_format = _RDF_FORMATS.get(media)
        if rdf_format is None:
            raise _malformed(remote, f"a graph as {media or 'no content type'}, not N-Triples "
                                     "or Turtle")

        def triples() -> Iterator[ox.Triple]:
            try:
                for quad in ox.parse(response, format=rdf_format):
                    yield quad.triple
            except SyntaxError as exc:
                raise _malformed(remote, exc) from None
            except (OSError, http.client.HTTPException) as exc:
                raise _network_failure(remote.connection, exc) from None

        yield triples()
