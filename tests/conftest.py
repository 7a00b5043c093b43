"""Shared fixtures: the test resources and real (in-memory) stores."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Namespace

from policygraph.store import OxigraphStore

RESOURCES = Path(__file__).parent / "resources"
QUERIES = RESOURCES / "queries"
EX = Namespace("https://example.org/ns#")


@dataclass
class FakeReport:
    """A validation report as policygraph.validate returns it (conforms + text())."""

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
