"""Benchmarks run on demand (not tests): load time, peak memory and query latency per engine.

Each engine is measured in its own child process (``python -m policygraph.bench.run ENGINE DIR``)
so that its peak memory is its own and a runaway baseline query can be stopped. The parent
(`policygraph bench`) collects the results and writes a Markdown table.

The server engines (``oxigraph-server``, ``virtuoso``) start their server from the child (in a
temporary folder, stopped at the end even on errors), load through
:class:`~policygraph.store.remote.store.RemoteStore`, and time each question twice: through
the remote store, and as the very request the remote store makes (same text, dataset and
bindings) sent straight to the server with urllib, the answer read but not parsed: the
server's own time.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from policygraph.bench.pages import first_pages
from policygraph.bench.replace import replace_agency_year
from policygraph.bench.timing import TIMEOUT_S, Measurement, alternating, latencies, peak_mb

__all__ = ["BENCH_QUERIES", "ENGINES", "SERVER_ENGINES", "Measurement", "measure", "run_engine"]


SYNTH = "https://w3id.org/policygraph/id/synth/"
#: The questions benchmarked, as named queries with their parameters on the synthetic data.
BENCH_QUERIES: dict[str, tuple[str, dict[str, str]]] = {
    "trace-up (1 activity)": ("trace-up", {"element": SYNTH + "agency-1/2024/s1-a1"}),
    "trace-down (1 master-plan target)": ("trace-down", {"target": SYNTH + "mp1/sp1-target"}),
    "coverage gaps (1 fiscal year)": ("coverage-gaps-year", {"year": "2024"}),
    "budget roll-up (per national strategy)": ("budget-rollup", {"plan": SYNTH + "ns"}),
}
#: The questions where the embedded store is compared with Virtuoso's own time.
VIRTUOSO_GOAL = ("coverage gaps (1 fiscal year)", "budget roll-up (per national strategy)")
#: A server's time limit per request of a load (the final MOVE of a million triples on Oxigraph
#: server takes over a minute); each query is still stopped at TIMEOUT_S.
LOAD_TIMEOUT_S = 1800
#: The remote store may add at most this factor over the server's own time (a goal).
REMOTE_OVERHEAD_GOAL = 2.0
#: Virtuoso's page cache for the bench (NumberOfBuffers, 8 KiB each: about 1.3 GB at most).
VIRTUOSO_BUFFERS = 170_000
_RESULTS = "application/sparql-results+json"


def _files(directory: Path) -> list[Path]:
    from policygraph.resources import ontology_files

    return [*ontology_files(), *sorted(directory.glob("synth-*.ttl"))]


def _embedded(directory: Path, runs: int, validate: bool = False, where: str = "disk"
              ) -> Measurement:
    """``where``: "disk", "memory", or as ``policygraph serve`` opens the loaded store:
    "served" (read-only on disk) or "served-memory" (``serve --memory``), answers kept."""
    from policygraph.load.derive import derive
    from policygraph.load.loader import load_many
    from policygraph.load.validate import VALIDATOR
    from policygraph.store import OxigraphStore

    # On disk, in a folder of its own, like the store `policygraph load` and `serve` use;
    # or pyoxigraph's in-memory store.
    replace_s = replace_again_s = None
    pages = suggestions = None
    with tempfile.TemporaryDirectory(prefix="policygraph-bench-") as folder:
        path = Path(folder) / "store"
        with OxigraphStore(None if where == "memory" else path) as loading:
            started = time.perf_counter()
            reports = load_many(loading, _files(directory), derive=derive,
                                validate=VALIDATOR if validate else None)
            load_s = time.perf_counter() - started
            load_peak = peak_mb()
            if where in ("disk", "memory"):
                queries = _questions(loading, runs)
            if where == "disk":
                replaced = replace_agency_year(
                    directory, Path(folder) / "replace",
                    lambda files: load_many(loading, files, derive=derive))  # not validated
                replace_s, replace_again_s = replaced["seconds"], replaced["again"]
        if where == "served":
            with OxigraphStore(path, read_only=True) as served:
                queries = _questions(served, runs)
                work = [str(row["w"]) for row in served.query(
                    "SELECT ?w WHERE { ?w a <https://w3id.org/policygraph/ontology#Activity> } "
                    "ORDER BY ?w LIMIT 60").rows]
            # The web app started on it, as after a restart; then suggestions asked at once.
            pages, suggestions = first_pages(path, work)
        elif where == "served-memory":
            started = time.perf_counter()
            with OxigraphStore.in_memory_copy(path) as served:
                load_s += time.perf_counter() - started
                queries = _questions(served, runs)
    engine = {"disk": "embedded (pyoxigraph, on disk)",
              "memory": "embedded (pyoxigraph, in memory)",
              "served": "embedded, served (`serve`: read-only on disk, answers kept)",
              "served-memory": "embedded, served (`serve --memory`: answers kept)"}[where]
    return Measurement(engine + (" + SHACL" if validate else ""),
                       sum(r.triples for r in reports), load_s, None, peak_mb(), queries,
                       replace_s=replace_s, replace_again_s=replace_again_s,
                       pages=pages, load_peak_mb=load_peak, suggestions=suggestions)


def _questions(store: Any, runs: int) -> dict[str, dict[str, Any]]:
    """Latencies of every benchmarked question through ``run_query``."""
    from policygraph.query.registry import run_query

    def run(name: str, params: dict[str, str]) -> int:
        return len(run_query(store, name, params).rows)

    return {label: latencies(partial(run, name, params), runs)
            for label, (name, params) in BENCH_QUERIES.items()}


def _rdflib(directory: Path, runs: int) -> Measurement:
    from rdflib import Dataset, URIRef

    from policygraph.load.derive import derive
    from policygraph.namespaces import PREFIXES
    from policygraph.query.params import coerce
    from policygraph.query.registry import get_query
    from policygraph.resources import queries_dir

    dataset = Dataset(default_union=True)
    started = time.perf_counter()
    for path in _files(directory):
        graph = dataset.graph(URIRef("urn:bench:" + path.stem))
        graph.parse(path, format="turtle")
        for triple in list(derive(graph)):
            graph.add(triple)
    load_s = time.perf_counter() - started

    def run(name: str, params: dict[str, str]) -> int:
        # rdflib has no derived facts: it runs the plain form of each question.
        query = get_query(name, queries_dir() / "plain")
        bindings = {p.name: coerce(p.type, params.get(p.name) or p.default or "")
                    for p in query.params if p.name in params or p.default is not None}
        with warnings.catch_warnings():  # rdflib's own use of its deprecated Dataset API
            warnings.simplefilter("ignore", DeprecationWarning)
            return len(list(dataset.query(query.text, initNs=PREFIXES, initBindings=bindings)))

    queries = {label: latencies(partial(run, name, params), runs)
               for label, (name, params) in BENCH_QUERIES.items()}
    return Measurement("rdflib (in memory)", len(dataset), load_s, None, peak_mb(), queries)


def _post_query(url: str, text: str, graphs: list[str]) -> bytes:
    """POST a query as the remote store does (form-encoded, same dataset); the body, unparsed."""
    form = [("query", text), *(("default-graph-uri", g) for g in graphs),
            *(("named-graph-uri", g) for g in graphs)]
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(form).encode("ascii"), method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": _RESULTS})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            body: bytes = response.read()
            if response.headers.get("X-SQL-State"):  # Virtuoso's partial "anytime" answer
                raise RuntimeError("partial answer: X-SQL-State "
                                   + response.headers.get("X-SQL-State", ""))
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"HTTP {exc.code}: {exc.read()[:200]!r}") from None
    return body


def _own_call(store: Any, url: str, query: Any, params: dict[str, str]
              ) -> tuple[Callable[[], int], list[bytes]]:
    """The request the remote store makes for ``query``, sent straight to the server; and
    where the last answer's body is kept."""
    from policygraph.query.registry import bind_params
    from policygraph.store.remote.sparql import with_bindings, with_prefixes

    text = with_prefixes(with_bindings(query.text, bind_params(query, params),
                                       substitute=not store.virtuoso))
    graphs = [str(graph) for graph in store.graphs()]
    bodies: list[bytes] = []

    def own() -> int:
        bodies[:] = [_post_query(url, text, graphs)]
        return 0

    return own, bodies


def _rows_of(latency: dict[str, Any], bodies: list[bytes]) -> dict[str, Any]:
    if bodies and "p50" in latency:  # rows counted after the timing, to compare answers
        latency["rows"] = len(json.loads(bodies[0])["results"]["bindings"])
    return latency


def _timed_pair(store: Any, url: str, name: str, params: dict[str, str],
                runs: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Latencies of ``run_query(store, name, params)`` and of the server's own time for the
    request it makes, taking turns."""
    from policygraph.query.registry import get_query, run_query

    own, bodies = _own_call(store, url, get_query(name), params)

    def remote() -> int:
        return len(run_query(store, name, params).rows)

    server, through_store = alternating([own, remote], runs)
    return through_store, _rows_of(server, bodies)


#: Other forms of the questions timed on Virtuoso (its own time), to find it at its best: the
#: plain forms (no derived facts, property paths) and the forms written for Virtuoso.
VIRTUOSO_FORMS = ("plain", "virtuoso")


def _other_forms(store: Any, url: str, runs: int) -> dict[str, dict[str, Any]]:
    """Virtuoso's own time for each question in each of :data:`VIRTUOSO_FORMS` that has it,
    keyed ``"<label> [<form>]"``."""
    from policygraph.query.registry import load_query
    from policygraph.resources import queries_dir

    timed: dict[str, dict[str, Any]] = {}
    for form in VIRTUOSO_FORMS:
        for label, (name, params) in BENCH_QUERIES.items():
            path = queries_dir() / form / f"{name}.rq"
            if path.is_file():
                own, bodies = _own_call(store, url, load_query(path), params)
                timed[f"{label} [{form}]"] = _rows_of(latencies(own, runs), bodies)
    return timed


def _server(kind: str, directory: Path, runs: int) -> Measurement:
    """Start the server, load through the remote store, time both ways, stop the server."""
    from policygraph.bench.servers import server_version, start_oxigraph, start_virtuoso, stop
    from policygraph.load.derive import derive
    from policygraph.load.loader import load_many
    from policygraph.store.remote.store import RemoteStore

    version = server_version(kind)
    engine = ("remote store → Oxigraph server" if kind == "oxigraph-server"
              else "remote store → Virtuoso") + (f" {version}" if version else "")
    with tempfile.TemporaryDirectory(prefix=f"policygraph-bench-{kind}-") as folder:
        try:
            if kind == "oxigraph-server":
                server = start_oxigraph(Path(folder) / "server")
            else:
                server = start_virtuoso(Path(folder) / "server", buffers=VIRTUOSO_BUFFERS)
        except (FileNotFoundError, RuntimeError) as exc:
            return Measurement(engine, 0, None, None, peak_mb(), {}, key=kind,
                               error=f"cannot start the server: {exc}".splitlines()[0])
        try:
            store = RemoteStore(server.query_url, server.update_url,
                                graph_store_url=server.graph_store_url, timeout=LOAD_TIMEOUT_S)
            started = time.perf_counter()
            try:
                reports = load_many(store, _files(directory), derive=derive)
            except Exception as exc:  # the row says so; the other engines still run
                return Measurement(engine, 0, None, None, peak_mb(), {}, key=kind,
                                   error=f"load failed: {type(exc).__name__}: {exc}")
            load_s = time.perf_counter() - started

            queries: dict[str, dict[str, Any]] = {}
            own: dict[str, dict[str, Any]] = {}
            for label, (name, params) in BENCH_QUERIES.items():
                queries[label], own[label] = _timed_pair(store, server.query_url, name, params,
                                                         runs)
            if kind == "virtuoso":
                own.update(_other_forms(store, server.query_url, runs))
            server_mb = server.peak_rss_mb()
        finally:
            stop(server)
    client_mb = peak_mb()
    return Measurement(engine, sum(r.triples for r in reports), load_s, None,
                       client_mb + (server_mb or 0.0), queries, key=kind, server_mb=server_mb,
                       server_queries=own)


ENGINES: dict[str, Callable[[Path, int], Measurement]] = {
    "embedded": _embedded,
    "embedded+shacl": partial(_embedded, validate=True),
    "embedded-memory": partial(_embedded, where="memory"),
    "served": partial(_embedded, where="served"),
    "served-memory": partial(_embedded, where="served-memory"),
    "oxigraph-server": partial(_server, "oxigraph-server"),
    "virtuoso": partial(_server, "virtuoso"),
    "rdflib": _rdflib,
}
#: What each engine is, for ``--help``.
ENGINE_HELP: dict[str, str] = {
    "embedded": "the embedded store (pyoxigraph, on disk in a temporary folder)",
    "embedded+shacl": "the same, loading with SHACL validation",
    "embedded-memory": "the embedded store in memory (pyoxigraph's Store())",
    "served": "the loaded store reopened as `serve` does: read-only, answers kept",
    "served-memory": "the same as `serve --memory` (a read-only copy in memory)",
    "oxigraph-server": "RemoteStore on `oxigraph serve`, started for the run",
    "virtuoso": "RemoteStore on OpenLink Virtuoso (virtuoso-t), started for the run",
    "rdflib": "rdflib's in-memory Dataset (the baseline)",
}
#: The engines that start a server and also measure its own time.
SERVER_ENGINES = ("oxigraph-server", "virtuoso")


def run_engine(engine: str, directory: Path, runs: int) -> Measurement:
    """Measure one engine in this process (the child side)."""
    result = ENGINES[engine](directory, runs)
    result.key = engine
    return result


def _stop_group(process: subprocess.Popen[str]) -> None:
    """End the child and any server it started (they share its process group): SIGTERM, so
    that the child stops its server, then SIGKILL for whatever is left after a grace time."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if process.poll() is not None:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def measure(engine: str, directory: Path, runs: int, timeout_s: int = 3600) -> Measurement:
    """Measure one engine in a child process (the parent side); a crash or timeout is reported.

    The child runs in a process group of its own, so that on a timeout or an interrupt the
    servers it started are stopped with it.
    """
    if engine not in ENGINES:
        return Measurement(engine, 0, None, None, 0.0, {}, key=engine,
                           error=f"unknown engine (known: {', '.join(ENGINES)})")
    command = [sys.executable, "-m", "policygraph.bench.run", engine, str(directory), str(runs)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=dict(os.environ), start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _stop_group(process)
        return Measurement(engine, 0, None, None, 0.0, {}, key=engine,
                           error=f"timeout: the engine took over {timeout_s} s")
    except BaseException:
        _stop_group(process)
        raise
    lines = stdout.strip().splitlines()
    if process.returncode != 0 or not lines:
        last = [line for line in stderr.strip().splitlines() if line.strip()][-1:]
        return Measurement(engine, 0, None, None, 0.0, {}, key=engine,
                           error=f"the engine's process failed ({process.returncode}): "
                                 + (last[0] if last else "no output"))
    return Measurement(**json.loads(lines[-1]))


def _main(argv: list[str]) -> None:
    engine_name, folder, count = argv[0], Path(argv[1]), int(argv[2])
    # A SIGTERM from the parent (timeout) unwinds normally, so that servers are stopped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        result = run_engine(engine_name, folder, count)
    except Exception as exc:  # reported as the engine's row; the traceback goes to stderr
        traceback.print_exc()
        result = Measurement(engine_name, 0, None, None, peak_mb(), {}, key=engine_name,
                             error=f"{type(exc).__name__}: {exc}".splitlines()[0])
    print(json.dumps(result.__dict__))


if __name__ == "__main__":
    _main(sys.argv[1:])
