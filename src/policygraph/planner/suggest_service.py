"""Suggestions for the web pages, bounded: one index per state of the store, built in the
background, a fixed number of suggestion requests at a time, and, for a store on disk opened
read-only (what ``serve`` opens), all of that work in a worker process of its own, so that
ranking (pure Python) never holds the web server's interpreter lock.

Ranking targets for one element is light once every target's words are read and segmented
(Thai word segmentation is the slow part); reading them is done once per store generation
(:attr:`policygraph.store.oxstore.OxigraphStore.generation`; a remote store, whose data may
change at any time, every :data:`REMOTE_REFRESH` seconds), in a background thread, from the
bounded ``suggestion-facts`` query. A request that comes before the index is ready is told so
(``None``), never made to build it; beyond :attr:`SuggestionService.slots` requests at once,
the next waits at most ``wait`` seconds and is then refused (:class:`SuggestionsBusy`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from multiprocessing import get_context
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from policygraph.errors import PolicygraphError
from policygraph.planner.suggest import Suggester, Suggestion
from policygraph.query.registry import run_query
from policygraph.store import GraphStore, OxigraphStore

__all__ = ["REMOTE_REFRESH", "SuggestionService", "SuggestionsBusy", "suggestion_graph",
           "target_label"]

#: How often the index of a store without a generation (a remote one) is read again.
REMOTE_REFRESH = 600.0


class SuggestionsBusy(PolicygraphError):
    """Every suggestion slot stayed busy for the request's wait."""


def suggestion_graph(store: GraphStore) -> Graph:
    """What suggestions read from the store (the ``suggestion-facts`` query)."""
    graph = Graph()
    for triple in run_query(store, "suggestion-facts").triples:
        graph.add(triple)
    return graph


_WORKER: tuple[Hashable, Suggester] | None = None


def _worker_build(path: str, state: Hashable) -> int:
    """In the worker process: read the index of the store at ``path`` for ``state``."""
    global _WORKER
    with OxigraphStore(path, read_only=True, create=False) as store:
        suggester = Suggester(suggestion_graph(store))
    suggester.warm()
    _WORKER = (state, suggester)
    return len(suggester.graph)


def _worker_suggest(state: Hashable, element: str, limit: int) -> list[Suggestion] | None:
    """In the worker process: rank for ``element``; None if its index is of another state."""
    if _WORKER is None or _WORKER[0] != state:
        return None
    return _WORKER[1].suggest(URIRef(element), limit)


def target_label(store: GraphStore, target: URIRef, lang: str) -> str:
    """A suggested target's label in ``lang`` (else English, else any, else its IRI)."""
    labels = {getattr(row["l"], "language", None): str(row["l"]) for row in store.query(
        f"SELECT ?t ?l WHERE {{ ?t <{SKOS.prefLabel}> ?l }}", {"t": target}).rows}
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), str(target))


class SuggestionService:
    """Ranked targets for the element pages, from an index kept per store state.

    Args:
        store: The app's store.
        slots: The most suggestion requests ranked (or waiting in the worker) at once.
        wait: How long a request waits for a free slot before it is refused.
        timeout: How long a ranking in the worker may take (the app gives its SPARQL time
            limit); past it the worker is killed, and a new one reads the index again.
    """

    def __init__(self, store: GraphStore, *, slots: int = 2, wait: float = 2.0,
                 timeout: float = 10.0) -> None:
        self.store = store
        self.slots = slots
        self.wait = wait
        self.timeout = timeout
        path = getattr(store, "path", None)
        # A worker process reads a store on disk that nothing here writes (not admin mode:
        # a read-only open beside a writer is undefined); else the work stays in this process.
        self._path = str(path) if isinstance(store, OxigraphStore) and store.read_only and \
            isinstance(path, Path) else None
        self._pool = self._new_pool() if self._path is not None else None
        self._free = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self._ready: tuple[Hashable, Suggester | None] | None = None  # None: in the worker
        self._building: Hashable | None = None
        self.builds = 0  # how many indexes were read (for tests and the bench)
        self.error: str | None = None  # why the last build failed, if it did

    def _state(self) -> Hashable:
        generation = getattr(self.store, "generation", None)
        return generation if isinstance(generation, int) else \
            int(time.monotonic() // REMOTE_REFRESH)

    def start(self) -> None:
        """Begin reading the index for the store's current state, if not already."""
        state = self._state()
        with self._lock:
            if self._building == state or (self._ready and self._ready[0] == state):
                return
            self._building = state
        threading.Thread(target=self._build, args=(state,), daemon=True,
                         name="policygraph-suggestions").start()

    def _build(self, state: Hashable) -> None:
        try:
            suggester: Suggester | None = None
            if self._pool is not None:
                self._pool.submit(_worker_build, str(self._path), state).result()
            else:
                suggester = Suggester(suggestion_graph(self.store))
                suggester.warm()
        except Exception as exc:  # noqa: BLE001 - reported on the page, retried next time
            with self._lock:
                self.error = f"{type(exc).__name__}: {exc}"
                self._building = None
            return
        with self._lock:
            self.builds += 1
            self.error = None
            if self._building == state:
                self._building = None
            if self._ready is None or self._ready[0] != self._state():
                self._ready = (state, suggester)

    @staticmethod
    def _new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(1, mp_context=get_context("spawn"))

    def close(self) -> None:
        """Stop the worker process, if there is one."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def _kill_worker(self) -> None:
        """End a worker that overran its time (with the index it held) and start afresh."""
        assert self._pool is not None
        processes = list(getattr(self._pool, "_processes", {}).values())
        for process in processes:
            process.kill()
        for process in processes:
            process.join(5)
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            self._pool = self._new_pool()
            self._ready = None

    def ready(self) -> bool:
        """Whether suggestions for the store's current state can be given now."""
        with self._lock:
            return self._ready is not None and self._ready[0] == self._state()

    def suggest(self, element: URIRef, limit: int = 5) -> list[Suggestion] | None:
        """The best targets for ``element``; None while the index is being read.

        Raises:
            SuggestionsBusy: If every slot stayed busy for ``wait`` seconds.
        """
        with self._lock:
            current = self._ready
        if current is None or current[0] != self._state():
            self.start()
            return None
        if not self._free.acquire(timeout=self.wait):
            raise SuggestionsBusy(f"all {self.slots} suggestion slots stayed busy; try again")
        try:
            if current[1] is not None:
                return current[1].suggest(element, limit)
            assert self._pool is not None
            future = self._pool.submit(_worker_suggest, current[0], str(element), limit)
            try:
                return future.result(timeout=self.timeout)
            except FutureTimeout:
                self._kill_worker()
                raise SuggestionsBusy(f"the ranking took over {self.timeout:g} s and was stopped; "
                                      "try again") from None
        finally:
            self._free.release()
