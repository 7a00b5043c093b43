"""Timing and memory in a benchmark's child process: latencies under a time limit, peak memory."""

from __future__ import annotations

import resource
import signal
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["TIMEOUT_S", "Measurement", "alternating", "latencies", "peak_mb"]

#: Seconds one query may take before it is stopped and reported as a timeout.
TIMEOUT_S = 60


@dataclass
class Measurement:
    """One engine on one dataset: load seconds, peak memory and per-query latencies (ms).

    For a server engine, ``peak_mb`` is the client (this child) plus the server process,
    ``server_mb`` the server's share, and ``server_queries`` the server's own latencies.
    ``error`` says why an engine could not be measured at all.
    """

    engine: str
    triples: int
    load_s: float | None
    validate_s: float | None
    peak_mb: float
    queries: dict[str, dict[str, Any]]
    key: str = ""
    server_mb: float | None = None
    server_queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: str | None = None
    #: Seconds to replace one agency's yearly plan in the loaded store (see bench.replace).
    replace_s: float | None = None
    #: The same replacement again on a store at rest.
    replace_again_s: float | None = None
    #: The served web app's report pages after a restart: path -> first and again (ms).
    pages: dict[str, dict[str, float]] | None = None
    #: A light page's p95 alone and under concurrent suggestion requests
    #: (:func:`policygraph.bench.pages.suggestion_load`).
    suggestions: dict[str, float] | None = None
    #: The peak memory when the load was done (``peak_mb`` is the whole run's: the
    #: replacement and the questions too).
    load_peak_mb: float | None = None


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def latencies(run: Callable[[], int], runs: int) -> dict[str, Any]:
    """p50/p95 of ``runs`` calls (after one warm-up), or a timeout mark past TIMEOUT_S."""
    return alternating([run], runs)[0]


def alternating(calls: list[Callable[[], int]], runs: int) -> list[dict[str, Any]]:
    """:func:`latencies` of several calls, taking turns (so that a busy moment of the machine
    falls on all of them alike); a call that fails or times out drops out of the turns."""
    signal.signal(signal.SIGALRM, _alarm)
    times: list[list[float]] = [[] for _ in calls]
    first = [0.0] * len(calls)
    rows = [0] * len(calls)
    done: list[dict[str, Any] | None] = [None] * len(calls)
    for attempt in range(runs + 1):
        for index, call in enumerate(calls):
            if done[index] is not None:
                continue
            try:
                signal.alarm(TIMEOUT_S)
                started = time.perf_counter()
                rows[index] = call()
                elapsed = time.perf_counter() - started
                signal.alarm(0)
            except _Timeout:
                done[index] = {"timeout": True}
                continue
            except Exception as exc:  # an engine that cannot answer is a result too
                done[index] = {"error": f"{type(exc).__name__}: {exc}"[:120]}
                continue
            finally:
                signal.alarm(0)
            if attempt:
                times[index].append(elapsed * 1000)
            else:
                first[index] = elapsed * 1000
            if attempt and elapsed > TIMEOUT_S / 4:  # slow engine: one timed run is enough
                done[index] = _summary(times[index], rows[index], first[index])
    return [result if result is not None else _summary(times[index], rows[index], first[index])
            for index, result in enumerate(done)]


def _summary(times: list[float], rows: int, first: float) -> dict[str, Any]:
    times = sorted(times)
    return {"p50": statistics.median(times), "p95": times[min(len(times) - 1,
                                                             int(0.95 * len(times)))],
            "rows": rows, "runs": len(times), "first": first}


def peak_mb() -> float:
    """The peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
