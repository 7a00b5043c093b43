"""Limits: a runaway query is stopped at the time limit while the server keeps answering;
results over the size limit are refused; the cost of running queries in worker processes.

The time limit is shown on both kinds of store: the in-memory store (workers get a snapshot)
and a store on disk opened as in production (read-only; workers open it read-only too).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from policygraph.endpoint.pool import PoolBusy, QueryTimeout, WorkerPool
from policygraph.endpoint.service import OxigraphService, QueryRequest
from policygraph.endpoint.worker import Job, Source
from policygraph.settings import Settings
from policygraph.store import OxigraphStore
from policygraph.web.app import create_app

# Long enough that a busy machine still answers the fast query well inside it; no test asserts
# how long anything took (performance is measured in BENCHMARKS.md, not here).
TIMEOUT = 3.0
# About 3,500 triples cubed: far beyond any time limit, and COUNT yields nothing until done.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FAST = "ASK { id:ns a pg:Plan }"


@pytest.fixture(params=["memory", "disk"])
def limited(request: pytest.FixtureRequest, bundled_store: OxigraphStore,
            tmp_path: Path) -> Iterator[TestClient]:
    """An app with a 3 s time limit, on the in-memory store or on a read-only store on disk."""
    if request.param == "memory":
        settings = Settings(store=Path("/nonexistent-store-unused"), query_timeout=TIMEOUT)
        app = create_app(settings, store=bundled_store)
    else:
        path = tmp_path / "store"
        with OxigraphStore(path) as copy:
            copy.oxigraph.load(input=bundled_store.dump("nquads"), format=ox.RdfFormat.N_QUADS)
        app = create_app(Settings(store=path, query_timeout=TIMEOUT))  # opened read-only
    with TestClient(app) as client:
        yield client


def _fast(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": FAST})
    assert response.status_code == 200 and response.json()["boolean"] is True


def test_a_runaway_query_is_stopped_and_the_server_keeps_answering(limited: TestClient) -> None:
    outcome: dict[str, Any] = {}

    def slow() -> None:
        outcome["response"] = limited.get("/sparql", params={"query": SLOW})

    runner = threading.Thread(target=slow)
    runner.start()
    _fast(limited)  # answered meanwhile…
    assert runner.is_alive()  # …while the slow query was still running (it never ends alone)
    runner.join(timeout=TIMEOUT + 60)
    assert not runner.is_alive()
    response = outcome["response"]
    assert response.status_code == 503  # stopped by the limit: SLOW would run for hours
    assert response.headers["content-type"].startswith("text/plain")
    assert "time limit" in response.text and "3 s" in response.text
    _fast(limited)  # and afterwards


def test_the_query_page_shows_the_time_limit(limited: TestClient) -> None:
    page = limited.post("/query?lang=en", data={"query": SLOW})
    assert page.status_code == 503
    assert "time limit" in page.text and 'role="alert"' in page.text


@pytest.fixture(scope="module")
def small_limit(bundled_store: OxigraphStore) -> Iterator[TestClient]:
    """An app that returns at most 5 rows or triples."""
    settings = Settings(store=Path("/nonexistent-store-unused"), result_limit=5)
    with TestClient(create_app(settings, store=bundled_store)) as client:
        yield client


@pytest.mark.parametrize(("query", "what"), [
    ("SELECT ?plan WHERE { ?plan a pg:Plan }", "rows"),
    ("CONSTRUCT WHERE { ?plan a pg:Plan }", "triples"),
])
def test_results_over_the_size_limit_are_refused(small_limit: TestClient, query: str,
                                                 what: str) -> None:
    response = small_limit.get("/sparql", params={"query": query})
    assert response.status_code == 413
    assert f"more than 5 {what}" in response.text
    assert "POLICYGRAPH_RESULT_LIMIT=5" in response.text and "LIMIT" in response.text
    paged = small_limit.get("/sparql", params={"query": query + " LIMIT 5"})
    assert paged.status_code == 200


def test_a_result_at_the_limit_is_complete(small_limit: TestClient) -> None:
    response = small_limit.get("/sparql", params={
        "query": "SELECT ?plan WHERE { ?plan a pg:Plan } ORDER BY ?plan LIMIT 5"})
    assert len(response.json()["results"]["bindings"]) == 5


def _job(query: str) -> Job:
    return Job(query, None, True, None, None, "json", "turtle", 100)


def test_a_pool_with_every_worker_busy_answers_busy_then_recovers() -> None:
    pool = WorkerPool(size=1)
    source = Source(0, nquads=b"".join(
        f"<http://e/{i}> <http://e/p> <http://e/{i + 1}> .\n".encode() for i in range(400)))
    outcome: list[BaseException] = []

    def stuck() -> None:
        try:
            pool.run(source, _job(SLOW), 3.0)
        except BaseException as exc:  # noqa: BLE001 - checked below
            outcome.append(exc)

    try:
        runner = threading.Thread(target=stuck)
        runner.start()
        while pool.busy < 1 and runner.is_alive():  # the slow job holds the one worker
            time.sleep(0.01)
        with pytest.raises(PoolBusy):
            pool.run(source, _job("ASK {}"), 0.3)
        runner.join()
        assert [type(exc) for exc in outcome] == [QueryTimeout]
        assert pool.run(source, _job("ASK {}"), 5).body.endswith(b"true}")
    finally:
        pool.close()


def test_a_worker_answers_as_the_store_does(bundled_store: OxigraphStore) -> None:
    """A query through a worker answers as the store does in-process (what the isolation
    costs is a benchmark's question, not a test's)."""
    service = OxigraphService(bundled_store, Settings(store=Path("/nonexistent")), workers=1)
    missing = "ASK { id:ns a pg:Activity }"
    try:
        service.warm()
        by_worker = {query: json.loads(service.query(QueryRequest(query), "json", None).body)
                     for query in (FAST, missing)}
    finally:
        service.close()
    assert by_worker[FAST]["boolean"] is bundled_store.query(FAST).boolean is True
    assert by_worker[missing]["boolean"] is bundled_store.query(missing).boolean is False


def _damaged_store(path: Path) -> list[Path]:
    """A store on disk whose file list names table files that are gone, as a read-only view
    sees it when the writer compacts meanwhile; returns the table files it moved away."""
    store = ox.Store(str(path))
    store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x")))
    store.flush()
    store.optimize()
    del store
    tables = sorted(path.glob("*.sst"))
    for table in tables:
        table.rename(table.with_suffix(".moved"))
    return tables


def test_a_store_that_cannot_be_opened_is_an_error_and_the_worker_lives_on(
        tmp_path: Path) -> None:
    _damaged_store(tmp_path / "store")
    pool = WorkerPool(size=1)
    try:
        reply = pool.run(Source(1, path=str(tmp_path / "store")), _job("ASK {}"), 60)
        assert reply.status == "store" and "cannot open the store" in reply.message
        assert pool.busy == 0  # the same worker answers the next job
        good = Source(2, nquads=b"<http://e/a> <http://e/p> <http://e/b> .\n")
        assert pool.run(good, _job("ASK { ?s ?p ?o }"), 60).body.endswith(b"true}")
    finally:
        pool.close()


def test_opening_read_only_is_retried_while_the_files_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policygraph.endpoint import worker

    path = tmp_path / "store"
    tables = _damaged_store(path)
    pauses: list[float] = []

    def writer_done(seconds: float) -> None:  # the files are whole again before the retry
        pauses.append(seconds)
        for table in tables:
            table.with_suffix(".moved").rename(table)

    monkeypatch.setattr(worker, "_pause", writer_done)
    store = worker.open_source(Source(1, path=str(path)))
    assert len(store) == 1 and len(pauses) == 1
