"""SERVICE impossible at the engine: the embedded store's query workers cannot reach the network.

A local HTTP listener counts the requests that reach it. pyoxigraph run in this process does
reach it with a SERVICE clause (so the listener and the query would show a leak); the same
query run by a worker of the endpoint's pool, past the check that refuses SERVICE in front of
the workers, fails and nothing arrives.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from policygraph.endpoint.pool import WorkerPool
from policygraph.endpoint.sandbox import isolate
from policygraph.endpoint.worker import Job, Source
from policygraph.store import OxigraphStore
from tests.helpers import sparql_listener


@pytest.fixture()
def listener() -> Iterator[tuple[str, list[str]]]:
    with sparql_listener() as (url, hits):
        yield url, hits


def _query(url: str) -> str:
    return f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"


def test_pyoxigraph_itself_does_reach_the_listener(listener: tuple[str, list[str]]) -> None:
    url, hits = listener
    assert len(list(ox.Store().query(_query(url)))) == 1  # type: ignore[arg-type]
    assert hits == ["/"]


@pytest.mark.parametrize("text", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
])
def test_a_worker_of_the_embedded_store_cannot_reach_it(
        listener: tuple[str, list[str]], tmp_path: Path, text: str) -> None:
    url, hits = listener
    with OxigraphStore(tmp_path / "store"):
        pass
    pool = WorkerPool(1, offline=True)
    try:
        job = Job(text.format(url=url), None, True, None, None, "json", "ntriples", 100)
        reply = pool.run(Source(1, path=str(tmp_path / "store")), job, 30)
        assert pool.isolation is not None
        if os.geteuid() == 0:  # root (as CI runs) can always make a network namespace
            assert pool.isolation == "network namespace"
    finally:
        pool.close()
    assert hits == []  # nothing arrived
    if "silent" in text:  # SILENT: the failed call counts as one empty solution
        assert reply.status == "ok" and b'"bindings": [{}]' in reply.body
    else:
        assert reply.status != "ok" and reply.message, reply


def test_a_worker_that_may_use_the_network_still_can(listener: tuple[str, list[str]],
                                                     tmp_path: Path) -> None:
    """The pool that forwards to a remote store is not cut off (it needs the network)."""
    url, hits = listener
    with OxigraphStore(tmp_path / "store"):
        pass
    pool = WorkerPool(1)
    try:
        job = Job(_query(url), None, True, None, None, "json", None, 100)
        reply = pool.run(Source(1, path=str(tmp_path / "store")), job, 30)
    finally:
        pool.close()
    assert reply.status == "ok" and len(hits) == 1
    assert pool.isolation is None


def test_isolate_reports_what_it_did() -> None:
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        os.write(write, isolate().encode())
        os._exit(0)
    os.waitpid(child, 0)
    os.close(write)
    said = os.read(read, 200).decode()
    os.close(read)
    assert said in ("network namespace", "user and network namespace") or \
        said.startswith("not isolated: ")
    if os.geteuid() == 0:
        assert said == "network namespace"


def test_the_endpoint_refuses_service_before_any_worker(
        listener: tuple[str, list[str]], tmp_path: Path) -> None:
    from policygraph.settings import Settings
    from policygraph.web.app import create_app

    url, hits = listener
    with OxigraphStore(tmp_path / "store"):
        pass
    app = create_app(Settings(store=tmp_path / "store"))
    with TestClient(app) as client:
        response = client.post("/sparql", data={"query": _query(url)})
    assert response.status_code == 400 and "SERVICE" in response.text
    assert hits == []
