"""A pool of query worker processes; a query that overruns its time is ended by killing its worker.

pyoxigraph cannot cancel a running query, so each SPARQL query from the endpoint runs in a
separate process (:mod:`policygraph.endpoint.worker`) that can be killed: the caller waits
on the worker's socket until the deadline, then kills the process and raises
:class:`QueryTimeout`; a new worker is started on demand. Workers are persistent (one
query after another, the store kept open), so the cost per query is one round trip over a
socket pair. A worker is a fresh ``python -m policygraph.endpoint.worker`` (not a
multiprocessing child), so it never forks the threaded server nor re-runs its main module.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import policygraph
from policygraph.endpoint.worker import Job, Reply, Source

__all__ = ["PoolBusy", "QueryTimeout", "WorkerLost", "WorkerPool"]

_WORKER_MODULE = "policygraph.endpoint.worker"
_START_SECONDS = 30
_LOG = logging.getLogger(__name__)
# Where the policygraph package lives, so workers import the same code as the server.
_PACKAGE_ROOT = str(Path(policygraph.__file__).resolve().parent.parent)


class QueryTimeout(Exception):
    """The query ran past its time limit; its worker was killed."""


class PoolBusy(Exception):
    """Every worker stayed busy until the request's deadline."""


class WorkerLost(Exception):
    """The worker process died (or its pipe broke) while running the query."""


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection
    generation: int | None = None
    isolation: str | None = None  # how an offline worker was cut off the network

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)
        self.conn.close()


def _spawn(offline: bool) -> _Worker:
    ours, theirs = socket.socketpair()
    path = os.environ.get("PYTHONPATH")
    env = os.environ | {"PYTHONPATH": os.pathsep.join([_PACKAGE_ROOT, *([path] if path else [])])}
    with ours, theirs:
        process = subprocess.Popen(
            [sys.executable, "-m", _WORKER_MODULE, str(theirs.fileno()), str(os.getpid()),
             *(["--offline"] if offline else [])],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            env=env)
        worker = _Worker(process, Connection(ours.detach()))
    if offline:
        # The worker says first how it was cut off the network (sandbox.isolate).
        try:
            if not worker.conn.poll(_START_SECONDS):
                raise WorkerLost("a query worker did not start")
            worker.isolation = str(worker.conn.recv())
        except (EOFError, OSError) as exc:
            worker.kill()
            raise WorkerLost(f"a query worker did not start: {exc}") from exc
        except WorkerLost:
            worker.kill()
            raise
        if worker.isolation.startswith("not isolated"):
            _LOG.warning("query workers can reach the network (%s); SERVICE is refused "
                         "before a query reaches them", worker.isolation)
    return worker


def _kill_all(workers: list[_Worker]) -> None:
    while workers:
        workers.pop().kill()


_pools: weakref.WeakSet[WorkerPool] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for pool in list(_pools):
        pool.close()


class WorkerPool:
    """Up to ``size`` worker processes, started on demand and reused.

    Args:
        size: The most queries that run at once; more wait for a free worker until their
            deadline.
        offline: Start each worker in a network namespace of its own
            (:func:`policygraph.endpoint.sandbox.isolate`): for the embedded store, whose
            queries never need the network. A pool that forwards to a remote store needs it.
    """

    def __init__(self, size: int | None = None, *, offline: bool = False) -> None:
        # By default one worker per CPU, at least two (a runaway query never blocks all) and
        # at most four.
        self.size = size or min(4, max(2, os.cpu_count() or 1))
        self.offline = offline
        self.isolation: str | None = None  # as the last offline worker started said
        self._available = threading.Condition()
        self._idle: list[_Worker] = []
        self._live = 0
        self._closed = False
        self._finalizer = weakref.finalize(self, _kill_all, self._idle)
        _pools.add(self)

    @property
    def busy(self) -> int:
        """How many workers are running (or starting for) a query now."""
        with self._available:
            return self._live - len(self._idle)

    def _acquire(self, deadline: float) -> _Worker:
        with self._available:
            while True:
                if self._closed:
                    raise PoolBusy("the query service is shutting down")
                if self._idle:
                    return self._idle.pop()
                if self._live < self.size:
                    self._live += 1
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise PoolBusy(f"all {self.size} query workers stayed busy")
                self._available.wait(remaining)
        try:
            worker = _spawn(self.offline)
            self.isolation = worker.isolation
            return worker
        except BaseException:
            self._forget()
            raise

    def _forget(self) -> None:
        with self._available:
            self._live -= 1
            self._available.notify()

    def _release(self, worker: _Worker) -> None:
        with self._available:
            if not self._closed:
                self._idle.append(worker)
                self._available.notify()
                return
        self._discard(worker)

    def _discard(self, worker: _Worker) -> None:
        try:
            worker.kill()
        finally:
            self._forget()

    def warm(self) -> None:
        """Make sure one worker is started, so the next query does not wait for it."""
        worker = self._acquire(time.monotonic() + 60)
        self._release(worker)

    def _replace(self) -> None:
        with self._available:
            if self._closed or self._idle or self._live >= self.size:
                return
        self.warm()

    def run(self, source: Source, job: Job, timeout: float) -> Reply:
        """Run ``job`` on ``source`` in a worker, waiting at most ``timeout`` seconds in all.

        Raises:
            QueryTimeout: The deadline passed while the query ran (its worker is killed).
            PoolBusy: No worker became free before the deadline.
            WorkerLost: The worker died.
        """
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline)
        if deadline - time.monotonic() <= 0:
            self._release(worker)
            raise PoolBusy(f"all {self.size} query workers stayed busy")
        try:
            stale = worker.generation != source.generation
            worker.conn.send((source if stale else None, job))
            ready = worker.conn.poll(max(deadline - time.monotonic(), 0))
            reply: Reply | None = worker.conn.recv() if ready else None
        except (EOFError, OSError) as exc:
            self._discard(worker)
            raise WorkerLost(f"the query worker stopped unexpectedly: {exc}") from exc
        except BaseException:
            self._discard(worker)
            raise
        if reply is None:
            self._discard(worker)
            # Start the replacement now, so the next query does not wait for it.
            threading.Thread(target=self._replace, daemon=True).start()
            raise QueryTimeout(f"the query ran longer than {timeout:g} s")
        worker.generation = None if reply.status == "store" else source.generation
        self._release(worker)
        return reply

    def close(self) -> None:
        """Stop every idle worker now; busy ones are stopped when their query returns."""
        with self._available:
            self._closed = True
            self._available.notify_all()
        self._finalizer()
