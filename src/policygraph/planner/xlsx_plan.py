"""Export one plan of the store as the planner's workbook, and write the empty template."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from policygraph.errors import PolicygraphError
from policygraph.namespaces import PG
from policygraph.planner.import_run import known_from_store
from policygraph.planner.xlsx_export import PlanRows, plan_rows
from policygraph.planner.xlsx_write import workbook_bytes
from policygraph.store import GraphStore, graph_triples

__all__ = ["plan_graph", "plan_workbook", "template_workbook"]


def plan_graph(store: GraphStore, graph: URIRef) -> tuple[Graph, URIRef]:
    """The triples of a named graph and the one plan it describes.

    Raises:
        PolicygraphError: If the graph describes no plan, or several.
    """
    data = Graph()
    for triple in graph_triples(store, graph):
        data.add(triple)
    plans = sorted(p for p in data.subjects(RDF.type, PG.Plan) if isinstance(p, URIRef))
    if len(plans) != 1:
        raise PolicygraphError(
            f"<{graph}> describes {len(plans)} plans; the xlsx layout holds exactly one")
    return data, plans[0]


def plan_workbook(store: GraphStore, graph: URIRef | None) -> tuple[bytes, PlanRows]:
    """The workbook of the plan in ``graph``, and its rows (``leftover`` = what it cannot hold).

    Raises:
        PolicygraphError: Without a graph, or for a graph that is not one plan.
    """
    if graph is None:
        raise PolicygraphError("xlsx export needs the plan's graph: add -g, e.g. -g opdc-acp-2567")
    data, plan = plan_graph(store, graph)
    known = known_from_store(store)
    rows = plan_rows(data, plan, known)
    return workbook_bytes(rows.sheets, known, f"{plan}/"), rows


def template_workbook(store: GraphStore) -> bytes:
    """The empty workbook, with the store's targets and units as drop-downs."""
    return workbook_bytes({}, known_from_store(store))
