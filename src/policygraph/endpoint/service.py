"""The SPARQL service behind the endpoint: a narrow interface, and its Oxigraph implementation.

:class:`SparqlService` is all the HTTP layer uses; :class:`OxigraphService` serves the
embedded store and :class:`policygraph.endpoint.remote.RemoteService` a remote one, both running
queries through :func:`run_job`. :class:`OxigraphService` runs every query in a killable
worker process (:mod:`policygraph.endpoint.pool`) with the settings' time and result limits,
and runs updates and Graph Store writes in this process, on the same store object the rest
of the app reads. A readers-writer lock keeps writes and worker reads apart; after each write the
workers reopen the store (a directory is reopened read-only; an in-memory store is handed
over as a fresh N-Quads snapshot).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox
from rdflib import URIRef

from policygraph.endpoint import graphs as sparql_graphs
from policygraph.endpoint.errors import SparqlError
from policygraph.endpoint.pool import PoolBusy, QueryTimeout, WorkerLost, WorkerPool
from policygraph.endpoint.worker import Job, Source
from policygraph.load.materialise import has_facts, refresh_facts
from policygraph.namespaces import PREFIXES
from policygraph.settings import Settings
from policygraph.store.lexer import UsingError, blocked_keyword, has_dataset_clause, with_using
from policygraph.store.oxstore import OxigraphStore

__all__ = [
    "Answer",
    "OxigraphService",
    "QueryRequest",
    "SparqlService",
    "UpdateRequest",
    "busy",
    "run_job",
]


@dataclass(frozen=True)
class QueryRequest:
    """A query and the dataset the protocol gave for it (None: none given)."""

    text: str
    default_graphs: tuple[ox.NamedNode, ...] | None = None
    named_graphs: tuple[ox.NamedNode, ...] | None = None
    base_iri: str | None = None


@dataclass(frozen=True)
class UpdateRequest:
    """An update and the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` IRIs."""

    text: str
    using_graphs: tuple[ox.NamedNode, ...] = ()
    using_named_graphs: tuple[ox.NamedNode, ...] = ()
    base_iri: str | None = None


@dataclass(frozen=True)
class Answer:
    """A serialised result: its format key (a key of ``endpoint.formats.FORMATS``) and bytes."""

    format: str
    body: bytes


class SparqlService(Protocol):
    """What the endpoint, the Graph Store Protocol and the query page need from a store."""

    def query(self, request: QueryRequest, results_format: str | None,
              graph_format: str | None) -> Answer:
        """Run a query within the limits; SparqlError (400/406/413/503) if it cannot."""
        ...

    def update(self, request: UpdateRequest) -> None:
        """Run an update; SparqlError if it is invalid or the store is read-only."""
        ...

    def graphs(self) -> list[URIRef]:
        """The store's named graphs (for the service description)."""
        ...

    def graph_exists(self, graph: ox.NamedNode | None) -> bool:
        """True if the graph exists (the default graph always does)."""
        ...

    def read_graph(self, graph: ox.NamedNode | None, format: str) -> bytes:
        """Serialise one graph."""
        ...

    def write_graph(self, graph: ox.NamedNode | None, triples: list[ox.Triple], *,
                    replace: bool) -> bool:
        """Replace or merge a graph's content; True if the graph was created."""
        ...

    def delete_graph(self, graph: ox.NamedNode | None) -> bool:
        """Drop a graph; False if it did not exist."""
        ...

    def close(self) -> None:
        """Stop the workers."""
        ...


class _ReadWriteLock:
    """Many readers or one writer; a waiting writer holds new readers back."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting_writers = 0

    @contextmanager
    def reading(self, timeout: float) -> Iterator[None]:
        with self._condition:
            if not self._condition.wait_for(
                    lambda: not self._writing and not self._waiting_writers, timeout):
                raise PoolBusy("the store is being written to")
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    @contextmanager
    def writing(self, timeout: float) -> Iterator[None]:
        with self._condition:
            self._waiting_writers += 1
            try:
                if not self._condition.wait_for(
                        lambda: not self._writing and not self._readers, timeout):
                    raise PoolBusy("queries kept the store busy")
                self._writing = True
            finally:
                self._waiting_writers -= 1
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


def busy(exc: Exception) -> SparqlError:
    """The 503 for a service too busy to take the request now."""
    return SparqlError(503, f"The SPARQL service is busy ({exc}); try again shortly.",
                       {"Retry-After": "5"})


def run_job(pool: WorkerPool, source: Source, job: Job, timeout: float) -> Answer:
    """Run a query job in a worker of ``pool`` and turn every failure into a SparqlError.

    Raises:
        SparqlError: 400 invalid, 406 no acceptable format, 413 too large, 502 the remote
            server failed, 503 too slow or busy, 500 the worker or the store failed.
    """
    try:
        reply = pool.run(source, job, timeout)
    except QueryTimeout:
        raise SparqlError(503, (
            f"The query was stopped after {timeout:g} s, this endpoint's time limit "
            "(POLICYGRAPH_QUERY_TIMEOUT). Make it more selective, or add LIMIT."),
            {"Retry-After": "1"}) from None
    except PoolBusy as exc:
        raise busy(exc) from None
    except WorkerLost as exc:
        raise SparqlError(500, str(exc)) from None
    if reply.status == "ok":
        return Answer(reply.format, reply.body)
    raise _reply_error(reply.status, reply.message, job.limit)


class OxigraphService:
    """:class:`SparqlService` on an :class:`OxigraphStore`, with process-isolated queries.

    Args:
        store: The app's store; queries read it through workers, writes go to it directly.
        settings: ``query_timeout`` and ``result_limit`` apply to every query.
        workers: The most queries that run at once.
    """

    def __init__(self, store: OxigraphStore, settings: Settings,
                 workers: int | None = None) -> None:
        self.store = store
        self.timeout = settings.query_timeout
        self.limit = settings.result_limit
        self._pool = WorkerPool(workers, offline=True)  # no query here needs the network
        self._lock = _ReadWriteLock()
        self._generation = 0
        self._snapshot: Source | None = None
        self._snapshot_lock = threading.Lock()

    def warm(self) -> None:
        """Start a worker ahead of the first query."""
        self._pool.warm()

    def _source(self) -> Source:
        if self.store.path is not None:
            return Source(self._generation, path=str(self.store.path))
        with self._snapshot_lock:  # one dump per state, however many queries ask at once
            if self._snapshot is None or self._snapshot.generation != self._generation:
                data = self.store.oxigraph.dump(format=ox.RdfFormat.N_QUADS) or b""
                self._snapshot = Source(self._generation, nquads=data)
            return self._snapshot

    def query(self, request: QueryRequest, results_format: str | None,
              graph_format: str | None) -> Answer:
        """Run a query in a worker; see :class:`SparqlService`."""
        if (reason := blocked_keyword(request.text)) is not None:
            raise SparqlError(400, reason)
        given = request.default_graphs is not None or request.named_graphs is not None
        job = Job(
            query=request.text, base_iri=request.base_iri,
            union=not given and not has_dataset_clause(request.text),
            default_graphs=None if not given else tuple(g.value for g in
                                                        request.default_graphs or ()),
            named_graphs=None if not given else tuple(g.value for g in
                                                      request.named_graphs or ()),
            results_format=results_format, graph_format=graph_format,
            limit=self.limit, prefixes=PREFIXES)
        try:
            with self._lock.reading(self.timeout):
                return run_job(self._pool, self._source(), job, self.timeout)
        except PoolBusy as exc:  # from the lock: writes kept the store busy too long
            raise busy(exc) from None

    def _writable(self) -> ox.Store:
        if self.store.read_only:
            raise SparqlError(503, "The store was opened read-only, so it cannot be written; "
                                   "restart the server in admin mode.")
        return self.store.oxigraph

    @contextmanager
    def _writing(self) -> Iterator[ox.Store]:
        store = self._writable()
        try:
            with self._lock.writing(self.timeout + 5):
                try:
                    yield store
                    if has_facts(self.store):  # the change may move any derived fact
                        refresh_facts(self.store)
                finally:
                    self._generation += 1
                    self.store.mark_changed()
        except PoolBusy as exc:
            raise busy(exc) from None
        except OSError as exc:
            raise SparqlError(500, f"cannot write the store: {exc}") from None

    def update(self, request: UpdateRequest) -> None:
        """Run a SPARQL Update in this process (it is not time-limited: admins only)."""
        if (reason := blocked_keyword(request.text)) is not None:
            raise SparqlError(400, reason)
        try:
            text = with_using(request.text, request.using_graphs, request.using_named_graphs)
        except UsingError as exc:
            raise SparqlError(400, str(exc)) from None
        with self._writing() as store:
            try:
                store.update(text, base_iri=request.base_iri, prefixes=PREFIXES)
            except SyntaxError as exc:
                raise SparqlError(400, f"invalid SPARQL Update: {exc}") from None
            except (RuntimeError, ValueError) as exc:
                raise SparqlError(400, f"the update failed: {exc}") from None

    def graphs(self) -> list[URIRef]:
        """See :class:`SparqlService`."""
        return self.store.graphs()

    def graph_exists(self, graph: ox.NamedNode | None) -> bool:
        """See :class:`SparqlService`; a graph a load that died left half-written is not there
        for a read-only open (:meth:`OxigraphStore.graphs`)."""
        return graph is None or URIRef(graph.value) in self.store.graphs()

    def read_graph(self, graph: ox.NamedNode | None, format: str) -> bytes:
        """See :class:`SparqlService`."""
        return sparql_graphs.read_graph(self.store.oxigraph, graph, format, PREFIXES)

    def write_graph(self, graph: ox.NamedNode | None, triples: list[ox.Triple], *,
                    replace: bool) -> bool:
        """See :class:`SparqlService`."""
        with self._writing() as store:
            created = not sparql_graphs.graph_exists(store, graph)
            if replace:
                sparql_graphs.replace_graph(store, graph, triples)
            else:
                sparql_graphs.merge_graph(store, graph, triples)
        return created

    def delete_graph(self, graph: ox.NamedNode | None) -> bool:
        """See :class:`SparqlService`."""
        with self._writing() as store:
            return sparql_graphs.delete_graph(store, graph)

    def close(self) -> None:
        """Stop the workers."""
        self._pool.close()


def _reply_error(status: str, message: str, limit: int) -> SparqlError:
    if status == "syntax":
        return SparqlError(400, f"invalid SPARQL query: {message}")
    if status == "limit":
        return SparqlError(413, (
            f"The result is too large: {message}, this endpoint's limit "
            f"(POLICYGRAPH_RESULT_LIMIT={limit}). Add LIMIT and OFFSET to fetch it in pages."))
    if status == "not-acceptable":
        return SparqlError(406, f"None of the formats in the Accept header can express "
                                f"{message}.")
    if status == "failed":
        return SparqlError(400, f"the query failed: {message}")
    if status == "remote":
        return SparqlError(502, message[:1].upper() + message[1:] + ".")
    if status == "partial":
        return SparqlError(503, message[:1].upper() + message[1:] + ". Make the query more "
                                "selective, or add LIMIT.", {"Retry-After": "1"})
    return SparqlError(500, f"cannot read the store: {message}")
