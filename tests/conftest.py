"""Fixtures every folder shares: real (in-memory) stores and test clients of the web app.

Helpers that are not fixtures live in :mod:`tests.helpers`; each folder's own conftest.py
holds the fixtures only its tests use.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policygraph.store import OxigraphStore
from tests.helpers import RESOURCES


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    """A fresh in-memory store."""
    with OxigraphStore() as memory_store:
        yield memory_store


@pytest.fixture(scope="session")
def bundled_store() -> Iterator[OxigraphStore]:
    """An in-memory store with every bundled ontology and data file, loaded as `load` does.

    Session-scoped because loading validates everything; tests must not write to it.
    """
    from policygraph.load.derive import derive
    from policygraph.load.loader import load_many
    from policygraph.load.validate import VALIDATOR
    from policygraph.resources import data_files, ontology_files

    with OxigraphStore() as memory_store:
        load_many(memory_store, ontology_files() + data_files(), validate=VALIDATOR, derive=derive)
        yield memory_store


@pytest.fixture(scope="session")
def client(bundled_store: OxigraphStore) -> Iterator[Any]:
    """A test client of the web app on the bundled store (read-only use)."""
    from fastapi.testclient import TestClient

    from policygraph.settings import Settings
    from policygraph.web.app import create_app

    app = create_app(Settings(store=Path("/nonexistent-store-unused")), store=bundled_store)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def hostile_client() -> Iterator[Any]:
    """A test client on the bundled data plus a plan whose labels carry hostile text."""
    from fastapi.testclient import TestClient

    from policygraph.load.derive import derive
    from policygraph.load.loader import load_many
    from policygraph.load.validate import VALIDATOR
    from policygraph.resources import data_files, ontology_files
    from policygraph.settings import Settings
    from policygraph.web.app import create_app

    with OxigraphStore() as memory_store:
        load_many(memory_store, [*ontology_files(), *data_files(), RESOURCES / "hostile-plan.ttl"],
                  validate=VALIDATOR, derive=derive)
        app = create_app(Settings(store=Path("/nonexistent-store-unused")), store=memory_store)
        with TestClient(app) as test_client:
            yield test_client
