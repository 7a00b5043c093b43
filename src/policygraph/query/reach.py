"""What an element reaches upward, and on what basis (stated all the way, or needing inference).

Also a trace as JSON-ready data (:func:`trace_as_dict`), which lists what it reaches.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from rdflib import URIRef

from policygraph.namespaces import PG
from policygraph.query.trace import Trace

__all__ = ["Reached", "reached", "trace_as_dict"]


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


def trace_as_dict(trace: Trace) -> dict[str, object]:
    """A trace as JSON-ready data: entry points, every chain with its hops, what it reaches."""
    return {
        "element": str(trace.element),
        "label": trace.label(trace.element),
        "level1": [str(end) for end in trace.level1()],
        "chains": [[{
            "from": str(h.source), "relation": str(h.relation), "to": str(h.target),
            "basis": str(h.basis) if h.basis else None, "evidence": h.evidence or None,
            "location": h.location or None,
        } for h in chain] for chain in trace.chains()],
        "reached": [{"element": str(r.node), "label": r.label, "level": r.level, "basis": r.basis}
                    for r in reached(trace)],
    }
