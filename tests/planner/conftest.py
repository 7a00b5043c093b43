"""Fixtures of the planner tests: the FY2567 plan laid out in sheets, a writable store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Graph

from policygraph.load.derive import derive
from policygraph.load.loader import load_many
from policygraph.load.validate import VALIDATOR
from policygraph.namespaces import GRAPH, ID
from policygraph.planner.import_run import known_from_store
from policygraph.planner.xlsx_export import PlanRows, plan_rows
from policygraph.resources import data_files, ontology_files
from policygraph.store import OxigraphStore, graph_triples

PLAN = "opdc-acp-2567"


@pytest.fixture(scope="module")
def rows(bundled_store: OxigraphStore) -> PlanRows:
    """The bundled FY2567 plan laid out in the workbook's sheets."""
    graph = Graph()
    for triple in graph_triples(bundled_store, GRAPH[PLAN]):
        graph.add(triple)
    return plan_rows(graph, ID[PLAN], known_from_store(bundled_store))


@pytest.fixture
def fresh_store() -> Iterator[OxigraphStore]:
    """A writable store with every bundled file (the session store must stay read-only)."""
    with OxigraphStore() as memory:
        load_many(memory, ontology_files() + data_files(), validate=VALIDATOR, derive=derive)
        yield memory
