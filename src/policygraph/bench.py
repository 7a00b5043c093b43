"""Benchmarks run on demand (not tests): load time, peak memory and query latency per engine.

Each engine is measured in its own child process (``python -m policygraph.bench ENGINE DIR``)
so that its peak memory is its own and a runaway baseline query can be stopped. The parent
(`policygraph bench`) collects the results and writes a Markdown table.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

__all__ = ["BENCH_QUERIES", "Measurement", "measure", "run_engine", "table"]

SYNTH = "https://w3id.org/policygraph/id/synth/"
#: The questions benchmarked, as named queries with their parameters on the synthetic data.
BENCH_QUERIES: dict[str, tuple[str, dict[str, str]]] = {
    "trace-up (1 activity)": ("trace-up", {"element": SYNTH + "agency-1/2024/s1-a1"}),
    "trace-down (1 master-plan target)": ("trace-down", {"target": SYNTH + "mp1/sp1-target"}),
    "coverage gaps (1 fiscal year)": ("coverage-gaps-year", {"year": "2024"}),
    "budget roll-up (per national strategy)": ("budget-rollup", {"plan": SYNTH + "ns"}),
}
TIMEOUT_S = 60


@dataclass
class Measurement:
    """One engine on one dataset: load seconds, peak memory and per-query latencies (ms)."""

    engine: str
    triples: int
    load_s: float | None
    validate_s: float | None
    peak_mb: float
    queries: dict[str, dict[str, Any]]


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def _latencies(run: Callable[[], int], runs: int) -> dict[str, Any]:
    """p50/p95 of ``runs`` calls (after one warm-up), or a timeout mark past TIMEOUT_S."""
    signal.signal(signal.SIGALRM, _alarm)
    times: list[float] = []
    rows = 0
    try:
        for attempt in range(runs + 1):
            signal.alarm(TIMEOUT_S)
            started = time.perf_counter()
            rows = run()
            elapsed = time.perf_counter() - started
            signal.alarm(0)
            if attempt:
                times.append(elapsed * 1000)
            if elapsed > TIMEOUT_S / 4:  # slow engine: a single timed run is enough
                times = times or [elapsed * 1000]
                break
    except _Timeout:
        return {"timeout": True}
    except Exception as exc:  # an engine that cannot answer is a result too, not a crash
        return {"error": f"{type(exc).__name__}: {exc}"[:120]}
    finally:
        signal.alarm(0)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[min(len(times) - 1,
                                                             int(0.95 * len(times)))],
            "rows": rows, "runs": len(times)}


def _files(directory: Path) -> list[Path]:
    from policygraph.resources import ontology_files

    return [*ontology_files(), *sorted(directory.glob("synth-*.ttl"))]


def _embedded(directory: Path, runs: int, validate: bool) -> Measurement:
    from policygraph.derive import derive
    from policygraph.loader import load_many
    from policygraph.queries import run_query
    from policygraph.store import OxigraphStore
    from policygraph.validate import VALIDATOR

    store = OxigraphStore()
    started = time.perf_counter()
    reports = load_many(store, _files(directory), derive=derive,
                        validate=VALIDATOR if validate else None)
    load_s = time.perf_counter() - started
    def run(name: str, params: dict[str, str]) -> int:
        return len(run_query(store, name, params).rows)

    queries = {label: _latencies(partial(run, name, params), runs)
               for label, (name, params) in BENCH_QUERIES.items()}
    return Measurement("embedded (pyoxigraph)" + (" + SHACL" if validate else ""),
                       sum(r.triples for r in reports), load_s, None, _peak_mb(), queries)


def _rdflib(directory: Path, runs: int) -> Measurement:
    from rdflib import Dataset, URIRef

    from policygraph.derive import derive
    from policygraph.namespaces import PREFIXES
    from policygraph.params import coerce
    from policygraph.queries import get_query

    dataset = Dataset(default_union=True)
    started = time.perf_counter()
    for path in _files(directory):
        graph = dataset.graph(URIRef("urn:bench:" + path.stem))
        graph.parse(path, format="turtle")
        for triple in list(derive(graph)):
            graph.add(triple)
    load_s = time.perf_counter() - started

    def run(name: str, params: dict[str, str]) -> int:
        query = get_query(name)
        bindings = {p.name: coerce(p.type, params.get(p.name) or p.default or "")
                    for p in query.params if p.name in params or p.default is not None}
        return len(list(dataset.query(query.text, initNs=PREFIXES, initBindings=bindings)))

    queries = {label: _latencies(partial(run, name, params), runs)
               for label, (name, params) in BENCH_QUERIES.items()}
    return Measurement("rdflib (in memory)", len(dataset), load_s, None, _peak_mb(), queries)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


ENGINES: dict[str, Callable[[Path, int], Measurement]] = {
    "embedded": lambda d, r: _embedded(d, r, validate=False),
    "embedded+shacl": lambda d, r: _embedded(d, r, validate=True),
    "rdflib": _rdflib,
}


def run_engine(engine: str, directory: Path, runs: int) -> Measurement:
    """Measure one engine in this process (the child side)."""
    return ENGINES[engine](directory, runs)


def measure(engine: str, directory: Path, runs: int, timeout_s: int = 3600) -> Measurement:
    """Measure one engine in a child process (the parent side); a crash or timeout is reported."""
    command = [sys.executable, "-m", "policygraph.bench", engine, str(directory), str(runs)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s,
                              env=dict(os.environ), check=False)
    except subprocess.TimeoutExpired:
        return Measurement(engine, 0, None, None, 0.0, {"error": {"timeout": True}})
    if done.returncode != 0:
        return Measurement(engine, 0, None, None, 0.0,
                           {"error": {"message": done.stderr.strip()[-300:]}})
    return Measurement(**json.loads(done.stdout.strip().splitlines()[-1]))


def table(size: str, results: list[Measurement]) -> Iterator[str]:
    """Markdown rows: one per engine, load, peak memory and p50/p95 per question."""
    labels = list(BENCH_QUERIES)
    yield f"\n### {size}\n"
    yield "| engine | triples | load (s) | peak RSS (MB) | " + " | ".join(
        f"{label} p50 / p95 (ms)" for label in labels) + " |"
    yield "|" + "---|" * (4 + len(labels))
    for m in results:
        cells = []
        for label in labels:
            q = m.queries.get(label, m.queries.get("error", {}))
            if q.get("timeout"):
                cells.append(f"timeout (> {TIMEOUT_S} s)")
            elif "p50" in q:
                cells.append(f"{q['p50']:.2f} / {q['p95']:.2f}")
            else:
                cells.append("error: " + str(q.get("error", q.get("message", "?")))[:60])
        load = f"{m.load_s:.1f}" if m.load_s is not None else "—"
        row = f"| {m.engine} | {m.triples:,} | {load} | {m.peak_mb:.0f} | "
        yield row + " | ".join(cells) + " |"


if __name__ == "__main__":
    engine_name, folder, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    result = run_engine(engine_name, folder, count)
    print(json.dumps(result.__dict__))
