"""Real SPARQL servers for the remote-store tests: Oxigraph server and OpenLink Virtuoso.

The servers themselves are started and stopped by :mod:`policygraph.bench.servers` (also used by
``policygraph bench``); this module wraps them in session fixtures. Import the fixtures into a
test module (``from servers import oxigraph_server``) to use them; a server whose program is
missing is skipped unless ``POLICYGRAPH_REQUIRE_SERVERS=1``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from policygraph.bench.servers import (
    Server,
    free_port,
    remote_store,
    start_oxigraph,
    start_virtuoso,
    stop,
    wait_until,
)
from policygraph.store import GraphStore
from policygraph.store.remote.store import RemoteStore

__all__ = [
    "ENGINES",
    "REQUIRE_ENV",
    "Server",
    "bundled_on",
    "embedded_bundled",
    "engine_store",
    "free_port",
    "oxigraph_bundled",
    "oxigraph_server",
    "remote_store",
    "running",
    "start_oxigraph",
    "start_virtuoso",
    "stop",
    "virtuoso_bundled",
    "virtuoso_server",
    "wait_until",
]

REQUIRE_ENV = "POLICYGRAPH_REQUIRE_SERVERS"


def _required() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


@contextlib.contextmanager
def running(start: Callable[[Path], Server], folder: Path) -> Iterator[Server]:
    """Start a server in ``folder`` and stop it after; skip if its program is missing (unless
    required)."""
    try:
        server = start(folder)
    except FileNotFoundError as exc:
        if _required():
            raise
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        stop(server)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An empty Oxigraph server with ``--union-default-graph`` for the session."""
    with running(start_oxigraph, tmp_path_factory.mktemp("oxigraph-server")) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An empty Virtuoso (its own database and ports) for the session."""
    with running(start_virtuoso, tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


#: The stores the answer tests run on.
ENGINES = ["embedded", "oxigraph-server", "virtuoso"]


def bundled_on(server: Server) -> RemoteStore:
    """Load every bundled ontology and data file into ``server`` as ``policygraph load`` does."""
    from policygraph.load.derive import derive
    from policygraph.load.loader import load_many
    from policygraph.load.validate import VALIDATOR
    from policygraph.resources import data_files, ontology_files

    store = remote_store(server)
    load_many(store, ontology_files() + data_files(), validate=VALIDATOR, derive=derive)
    return store


@pytest.fixture(scope="session")
def oxigraph_bundled(oxigraph_server: Server) -> Iterator[RemoteStore]:
    """The bundled files on the session's Oxigraph server (tests must not write to it)."""
    with bundled_on(oxigraph_server) as store:
        yield store


@pytest.fixture(scope="session")
def virtuoso_bundled(virtuoso_server: Server) -> Iterator[RemoteStore]:
    """The bundled files on the session's Virtuoso (tests must not write to it)."""
    with bundled_on(virtuoso_server) as store:
        yield store


@pytest.fixture(scope="session")
def embedded_bundled() -> Iterator[GraphStore]:
    """The bundled files in an in-memory embedded store (as conftest's ``bundled_store``)."""
    from policygraph.load.derive import derive
    from policygraph.load.loader import load_many
    from policygraph.load.validate import VALIDATOR
    from policygraph.resources import data_files, ontology_files
    from policygraph.store import OxigraphStore

    with OxigraphStore() as store:
        load_many(store, ontology_files() + data_files(), validate=VALIDATOR, derive=derive)
        yield store


def engine_store(request: pytest.FixtureRequest) -> GraphStore:
    """The bundled store for ``request.param``: the embedded one, or a loaded server."""
    fixture = {"embedded": "embedded_bundled", "oxigraph-server": "oxigraph_bundled",
               "virtuoso": "virtuoso_bundled"}[request.param]
    store: GraphStore = request.getfixturevalue(fixture)
    return store


@pytest.fixture(params=ENGINES, name="bundled_store")
def bundled_store_on_each_engine(request: pytest.FixtureRequest) -> GraphStore:
    """The bundled data on each engine: embedded, Oxigraph server and Virtuoso.

    Importing it into a test module runs that module's ``bundled_store`` tests on all three.
    """
    return engine_store(request)
