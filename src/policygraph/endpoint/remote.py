"""The SPARQL endpoint on a remote store: queries checked here, answered by the SPARQL server.

:class:`RemoteService` is the :class:`policygraph.endpoint.service.SparqlService` of a
:class:`policygraph.store.remote.store.RemoteStore`. A query is refused here if the embedded store
would refuse it (SERVICE, LOAD, a syntax error, a function it does not have) or if it names a
server procedure (Virtuoso's ``bif:`` and ``sql:`` IRIs); otherwise it runs in a killable
worker process (:mod:`policygraph.endpoint.worker`), under the same time and result-size limits
as on the embedded store, which parses it once more, sends it to the server and serialises
the answer itself, so the formats are the embedded endpoint's.

The dataset is always the protocol's, never the query's text: ``FROM`` / ``FROM NAMED``
clauses are taken out of the text (:mod:`policygraph.endpoint.dataset`) and, like
``default-graph-uri`` / ``named-graph-uri``, sent as protocol parameters restricted to the
store's graphs; without either the store's graphs are both the default graph (their union)
and the named graphs, as :class:`RemoteStore` does for named queries. So a server's system
graphs (Virtuoso's ``virtrdf#`` …) and the staging graphs of a load never show.

Updates (admin mode) go to the server's update endpoint once they parse; Graph Store
Protocol reads run as a query of the one graph, writes are staged like
``policygraph load``: PUT replaces a graph in one final ``MOVE``, POST adds with one ``ADD``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence

import pyoxigraph as ox
from rdflib import URIRef

from policygraph.endpoint.dataset import iri_value, resolve_iri, split_dataset
from policygraph.endpoint.errors import SparqlError
from policygraph.endpoint.forward import Connection, Remote, RemoteFailure, send_update
from policygraph.endpoint.pool import WorkerPool
from policygraph.endpoint.service import Answer, QueryRequest, UpdateRequest, run_job
from policygraph.endpoint.worker import Job, Source
from policygraph.errors import PolicygraphError
from policygraph.load.materialise import has_facts, refresh_facts
from policygraph.namespaces import PREFIXES
from policygraph.settings import Settings
from policygraph.store.lexer import UsingError, blocked_keyword, tokens, with_using
from policygraph.store.remote.store import RemoteStore
from policygraph.store.terms import RdfTriple, checked_named_node, to_rdflib

__all__ = ["RemoteService", "prepared", "server_procedure"]

#: What the workers of a remote store open: an empty store, on which queries are checked.
_CHECKS = Source(0, nquads=b"")
#: A graph that never exists: the dataset when none of the graphs asked for is the store's.
_NO_GRAPH = "urn:x-policygraph:no-graph"
#: RemoteStore's staging prefix: graphs under it are invisible, and swept when stale.
_STAGING = "urn:x-policygraph:loading:"
_GRAPH_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_PROCEDURE_SCHEMES = ("bif:", "sql:")
_MIB = 1 << 20


def server_procedure(text: str) -> str | None:
    """Why a query or update is refused for naming a server procedure, or None.

    Virtuoso runs ``<bif:…>`` and ``<sql:…>`` IRIs as its built-in and SQL procedures (one of
    them fetches URLs). A prefixed name can only reach them through a ``PREFIX`` or ``BASE``
    written as such an IRI, so looking at every ``<…>`` is enough.
    """
    for token in tokens(text):
        if token.kind == "iri" and iri_value(token).lower().startswith(_PROCEDURE_SCHEMES):
            return (f"{token.text} is refused: IRIs in the bif: and sql: schemes call the "
                    "SPARQL server's own procedures")
    return None


def _failed(exc: PolicygraphError) -> SparqlError:
    """The 502 for an error of the server (RemoteStore's errors name its URL)."""
    message = str(exc)
    return SparqlError(502, message[:1].upper() + message[1:])


def _absolute(iri: str | None, what: str) -> str:
    try:
        return str(checked_named_node(iri or ""))
    except ValueError as exc:
        raise SparqlError(400, f"{what} is not a usable base IRI: {exc}") from None


def prepared(text: str, base_iri: str | None) -> str:
    """The text to send: its IRIs meaning what they meant here, the project prefixes declared.

    Relative IRIs must resolve against ``base_iri`` (the endpoint's URL) on the server too,
    but Virtuoso accepts one ``BASE``, and only before any ``PREFIX``. So a text without
    ``BASE`` gets ``BASE <base_iri>`` first; in a text with its own, each ``BASE`` IRI is
    replaced by the absolute IRI it stands for (which leaves every other IRI's meaning as it
    was). The ``PREFIX`` lines of the predeclared prefixes the text does not declare go after
    its own prologue.
    """
    top = [token for token in tokens(text) if token.depth == 0]
    declared: set[str] = set()
    bases: list[tuple[int, int, str]] = []
    insert_at: int | None = None
    base = base_iri
    for index, token in enumerate(top):
        following = top[index + 1] if index + 1 < len(top) else None
        if token.is_word("BASE") and following is not None and following.kind == "iri":
            base = resolve_iri(iri_value(following), base)
            end = following.start + len(following.text)
            bases.append((following.start, end, _absolute(base, f"BASE {following.text}")))
        elif token.is_word("PREFIX") and following is not None and following.kind == "word":
            if insert_at is None:  # a later update operation's own does not count
                declared.add(following.text.removesuffix(":"))
        elif insert_at is None and token.kind != "iri" and not (
                index > 0 and top[index - 1].is_word("PREFIX", "BASE")):
            insert_at = token.start
    position = len(text) if insert_at is None else insert_at
    lines = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items()
                    if name not in declared)
    text = f"{text[:position]}{lines}{text[position:]}"
    for start, end, iri in reversed(bases):
        if start >= position:  # a later update operation's BASE, shifted by the lines
            start, end = start + len(lines), end + len(lines)
        text = f"{text[:start]}{iri}{text[end:]}"
    if base_iri is None or any(start < position for start, _, _ in bases):
        return text
    return f"BASE {_absolute(base_iri, 'The endpoint URL')}\n{text}"


def _check_update(text: str, base_iri: str | None) -> None:
    """Parse an update (by running it on an empty throwaway store).

    Only syntax errors count: errors of running it on nothing (``CLEAR GRAPH <g>`` of a graph
    the throwaway store lacks) say nothing about the server.
    """
    try:
        ox.Store().update(text, base_iri=base_iri, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise SparqlError(400, f"invalid SPARQL Update: {exc}") from None
    except (RuntimeError, ValueError, OSError):
        pass


class RemoteService:
    """:class:`policygraph.endpoint.service.SparqlService` on a :class:`RemoteStore`.

    Args:
        store: The app's remote store.
        settings: ``query_timeout`` and ``result_limit`` apply to every query.
        workers: The most queries that run at once.
    """

    def __init__(self, store: RemoteStore, settings: Settings,
                 workers: int | None = None) -> None:
        self.store = store
        self.timeout = settings.query_timeout
        self.limit = settings.result_limit
        self._pool = WorkerPool(workers)

    def warm(self) -> None:
        """Start a worker ahead of the first query."""
        self._pool.warm()

    def _visible(self, fresh: bool = False) -> tuple[str, ...]:
        """The store's graphs (kept by the store between queries, see ``RemoteStore.graphs``)."""
        try:
            return tuple(str(graph) for graph in self.store.graphs(fresh=fresh))
        except PolicygraphError as exc:
            raise _failed(exc) from None

    def _connection(self, url: str, timeout: float) -> Connection:
        endpoint = self.store.endpoint
        return Connection(url, timeout, endpoint.user, endpoint.password, endpoint.token,
                          endpoint.auth)

    def _job(self, query: str, sent: str, default: Sequence[str] | None,
             named: Sequence[str] | None, results_format: str | None,
             graph_format: str | None, limit: int, base_iri: str | None = None) -> Job:
        """A worker job: ``query`` checked as given, ``sent`` sent with the dataset
        (None: the store's graphs), kept to the store's graphs."""
        visible = self._visible()
        allowed = set(visible)
        default_graphs = visible if default is None else tuple(
            graph for graph in dict.fromkeys(default) if graph in allowed)
        named_graphs = visible if named is None else tuple(
            graph for graph in dict.fromkeys(named) if graph in allowed)
        remote = Remote(
            self._connection(self.store.endpoint.query_url, self.timeout + 5), query=sent,
            default_graphs=default_graphs or (_NO_GRAPH,),
            named_graphs=named_graphs or (_NO_GRAPH,),
            max_bytes=max(16 * _MIB, self.limit * 4096))
        return Job(query=query, base_iri=base_iri, union=False, default_graphs=None,
                   named_graphs=None, results_format=results_format,
                   graph_format=graph_format, limit=limit, prefixes=PREFIXES, remote=remote)

    def query(self, request: QueryRequest, results_format: str | None,
              graph_format: str | None) -> Answer:
        """Check a query, run it on the server; see the module docstring.

        Raises:
            SparqlError: As :func:`policygraph.endpoint.service.run_job`; 502 names the server.
        """
        if (reason := blocked_keyword(request.text) or server_procedure(request.text)):
            raise SparqlError(400, reason)
        clauses = split_dataset(request.text, request.base_iri, PREFIXES)
        default: Sequence[str] | None = None
        named: Sequence[str] | None = None
        if request.default_graphs is not None or request.named_graphs is not None:
            default = [graph.value for graph in request.default_graphs or ()]
            named = [graph.value for graph in request.named_graphs or ()]
        elif clauses.given:
            default, named = clauses.default_graphs, clauses.named_graphs
        sent = prepared(clauses.text, request.base_iri)
        job = self._job(request.text, sent, default, named, results_format, graph_format,
                        self.limit, request.base_iri)
        return run_job(self._pool, _CHECKS, job, self.timeout)

    def update(self, request: UpdateRequest) -> None:
        """Check an update and send it to the server's update endpoint (admin mode only).

        It acts as the server does, on the server's graphs, not only the store's (on Oxigraph
        server ``CLEAR ALL`` clears everything).

        Raises:
            SparqlError: 400 invalid or refused, 503 the store is read-only, 502 the server
                failed.
        """
        if (reason := blocked_keyword(request.text) or server_procedure(request.text)):
            raise SparqlError(400, reason)
        try:  # refuses what the embedded store refuses, e.g. USING and using-graph-uri both
            _check_update(with_using(request.text, request.using_graphs,
                                     request.using_named_graphs), request.base_iri)
        except UsingError as exc:
            raise SparqlError(400, str(exc)) from None
        sent = prepared(request.text, request.base_iri)
        _check_update(sent, None)
        self._writable()
        endpoint = self.store.endpoint
        try:
            send_update(self._connection(endpoint.update_url, endpoint.timeout), sent,
                        [graph.value for graph in request.using_graphs],
                        [graph.value for graph in request.using_named_graphs])
        except RemoteFailure as exc:
            status = 503 if exc.kind == "partial" else 502
            raise SparqlError(status, exc.message[:1].upper() + exc.message[1:] + ".") from None
        finally:
            self.store.forget_graphs()
        self._refresh_facts()

    def _refresh_facts(self) -> None:
        """After a change, derive the facts again if the store keeps them (see ``load``)."""
        try:
            if has_facts(self.store):
                refresh_facts(self.store)
        except PolicygraphError as exc:
            raise _failed(exc) from None

    def graphs(self) -> list[URIRef]:
        """The store's named graphs, listed now."""
        return [URIRef(graph) for graph in self._visible(fresh=True)]

    def _named(self, graph: ox.NamedNode | None) -> ox.NamedNode:
        if graph is None:
            raise SparqlError(501, (
                f"On the SPARQL server at {self.store.query_url} this store keeps its data in "
                "named graphs only, so there is no default graph to read or write here "
                "(queries see the union of the named graphs). Name a graph: ?graph=IRI; the "
                "service description (GET /sparql) lists them."))
        return graph

    def graph_exists(self, graph: ox.NamedNode | None) -> bool:
        """True if the graph is one of the store's (a graph with no triples is none)."""
        return self._named(graph).value in self._visible()

    def read_graph(self, graph: ox.NamedNode | None, format: str) -> bytes:
        """The graph's triples, fetched as a query under the time limit (not the size limit)."""
        name = self._named(graph).value
        job = self._job(_GRAPH_QUERY, _GRAPH_QUERY, [_NO_GRAPH], [name], None, format,
                        limit=1 << 62)
        return run_job(self._pool, _CHECKS, job, self.timeout).body

    def _writable(self) -> None:
        if self.store.read_only:
            raise SparqlError(503, "The store was opened read-only, so it cannot be written; "
                                   "restart the server in admin mode.")

    def write_graph(self, graph: ox.NamedNode | None, triples: list[ox.Triple], *,
                    replace: bool) -> bool:
        """Replace or add to a graph, staged so that readers never see half of it.

        A graph with no triples does not exist on a SPARQL server: PUT of an empty body
        removes the graph. Returns True if the graph was created.
        """
        target = URIRef(self._named(graph).value)
        self._writable()
        try:
            content: list[RdfTriple] = [
                (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                for t in triples]
        except TypeError as exc:
            raise SparqlError(400, f"cannot store this on a SPARQL server: {exc}") from None
        existed = str(target) in self._visible(fresh=True)
        try:
            if replace:
                self.store.replace_graph(target, content)
            elif content:
                self._add(target, content)
        except PolicygraphError as exc:
            raise _failed(exc) from None
        self._refresh_facts()
        return not existed and bool(content)

    def _add(self, target: URIRef, content: list[RdfTriple]) -> None:
        """Stage the triples in a graph of their own, then ``ADD`` it to the target at once."""
        staged = URIRef(f"{_STAGING}{int(time.time())}-{uuid.uuid4().hex}")
        self.store.replace_graph(staged, content)
        try:
            self.store.endpoint.update(
                f"ADD GRAPH {checked_named_node(str(staged))} "
                f"TO GRAPH {checked_named_node(str(target))}")
        finally:
            self.store.drop_graph(staged)

    def delete_graph(self, graph: ox.NamedNode | None) -> bool:
        """Drop a graph; False if it is not one of the store's."""
        target = self._named(graph)
        self._writable()
        if target.value not in self._visible(fresh=True):
            return False
        try:
            self.store.drop_graph(URIRef(target.value))
        except PolicygraphError as exc:
            raise _failed(exc) from None
        self._refresh_facts()
        return True

    def close(self) -> None:
        """Stop the workers."""
        self._pool.close()
