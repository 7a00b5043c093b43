"""Shared fixtures: the test resources and real (in-memory) stores."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Namespace

from policygraph.store import OxigraphStore

RESOURCES = Path(__file__).parent / "resources"
QUERIES = RESOURCES / "queries"
EX = Namespace("https://example.org/ns#")


@dataclass
class FakeReport:
    """A validation report as policygraph.load.validate returns it (conforms + text())."""

    conforms: bool
    message: str = ""

    def text(self) -> str:
        """Return the report text."""
        return self.message or f"Conforms: {self.conforms}"


def conforming(data: Graph, context: Graph | None) -> FakeReport:
    """A validator that accepts everything."""
    return FakeReport(True)


def rejects_hostile(data: Graph, context: Graph | None) -> FakeReport:
    """A validator that rejects any graph typing something ex:Hostile."""
    from rdflib.namespace import RDF

    bad = sorted(str(s) for s in data.subjects(RDF.type, EX.Hostile))
    if bad:
        return FakeReport(False, "Violation: ex:Hostile is not allowed: " + ", ".join(bad))
    return FakeReport(True)


def snapshot(store: OxigraphStore) -> set[str]:
    """The whole store as a set of N-Quads lines (order-independent)."""
    return set(store.dump("nquads").decode("utf-8").splitlines())


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


def derived_graph(*paths: Path) -> Graph:
    """The Turtle files parsed into one graph with the triples loading derives from them."""
    from policygraph.load.derive import derive

    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    for triple in list(derive(graph)):
        graph.add(triple)
    return graph


def canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` with xsd:decimal literals in one lexical form (57, 57.0 and 57.00 are
    the same value; stores may return any of them), for comparison by isomorphism."""
    from decimal import Decimal

    from rdflib import Literal
    from rdflib.namespace import XSD

    def fix(term: object) -> object:
        if isinstance(term, Literal) and term.datatype == XSD.decimal:
            text = format(Decimal(str(term)), "f")
            text = text.rstrip("0").rstrip(".") if "." in text else text
            return Literal(text, datatype=XSD.decimal, normalize=False)
        return term

    out = Graph()
    for s, p, o in graph:
        out.add((s, p, fix(o)))  # type: ignore[arg-type]
    return out


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
