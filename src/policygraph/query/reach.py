"""What an element reaches upward, and on what basis: stated all the way, or needing inference."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from rdflib import URIRef

from policygraph.namespaces import PG
from policygraph.query.trace import Trace

__all__ = ["Reached", "reached"]


@dataclass(frozen=True)
class Reached:
    """A higher element reached by a trace, its plan level, and the strongest basis of any chain.

    ``basis`` is ``"stated"`` when some chain to it uses only the document's structure and stated
    alignments, ``"inferred"`` when every chain needs at least one inferred alignment.
    """

    node: URIRef
    label: str
    level: str
    basis: str


def reached(trace: Trace) -> list[Reached]:
    """Every element above ``trace.element``, sorted by level then label."""
    graph = trace.graph()
    stated = nx.MultiDiGraph()
    stated.add_node(trace.element)
    stated.add_edges_from(
        (u, v, k) for u, v, k, hop in graph.edges(keys=True, data="hop") if hop.basis != PG.Inferred
    )
    via_stated = nx.descendants(stated, trace.element)
    found = [
        Reached(
            node=node,
            label=trace.label(node),
            level=trace.levels.get(node, ""),
            basis="stated" if node in via_stated else "inferred",
        )
        for node in nx.descendants(graph, trace.element)
    ]
    return sorted(found, key=lambda r: (r.level, r.label, str(r.node)))
