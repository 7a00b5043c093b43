"""The alignment graph as networkx, and traces through it: up to Level 1, down to activities."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
from rdflib import URIRef
from rdflib.term import Literal, Node

from policygraph.namespaces import PG
from policygraph.query.registry import run_query
from policygraph.store import GraphStore

__all__ = ["Hop", "Trace", "alignment_graph", "trace_up"]

#: Upward relations and how they read in a chain.
RELATION_NAMES = {
    PG.partOf: "part of",
    PG.targetOf: "target of",
    PG.indicatorOf: "indicator of",
    PG.supports: "supports",
}


def _text(term: Node | None) -> str:
    return "" if term is None else str(term)


@dataclass(frozen=True)
class Hop:
    """One upward step: ``source`` is part of / a target of / supports ``target``."""

    source: URIRef
    relation: URIRef
    target: URIRef
    basis: URIRef | None = None
    evidence: str = ""
    location: str = ""

    @property
    def relation_name(self) -> str:
        """The relation in words, with the basis for alignments (e.g. 'supports [inferred]')."""
        name = RELATION_NAMES.get(self.relation, str(self.relation))
        if self.basis is not None:
            name += f" [{'stated' if self.basis == PG.Stated else 'inferred'}]"
        return name


@dataclass
class Trace:
    """The upward closure of one element: its hops, and every chain that ends at Level 1."""

    element: URIRef
    labels: dict[URIRef, str] = field(default_factory=dict)
    levels: dict[URIRef, str] = field(default_factory=dict)
    hops: list[Hop] = field(default_factory=list)

    def graph(self) -> nx.MultiDiGraph:
        """The hops as a directed multigraph (edge key = relation)."""
        graph = nx.MultiDiGraph()
        graph.add_node(self.element)
        for hop in self.hops:
            graph.add_edge(hop.source, hop.target, key=hop.relation, hop=hop)
        return graph

    def level1(self) -> list[URIRef]:
        """Where the trace enters Level 1: Level-1 nodes reached by a hop from outside Level 1."""
        entries = {
            hop.target for hop in self.hops
            if self.levels.get(hop.target) == "1" and self.levels.get(hop.source) != "1"
        }
        if self.levels.get(self.element) == "1":
            entries.discard(self.element)
        return sorted(entries, key=str)

    def chains(self, limit: int = 1000) -> list[list[Hop]]:
        """Every simple chain of hops from the element to a Level-1 element, shortest first."""
        graph = self.graph()
        ends = set(self.level1())
        chains: list[list[Hop]] = []
        for end in sorted(ends, key=str):
            for path in nx.all_simple_edge_paths(graph, self.element, end):
                chains.append([graph.edges[edge]["hop"] for edge in path])
                if len(chains) >= limit:
                    break
        chains.sort(key=lambda chain: (len(chain), [str(h.target) for h in chain]))
        return chains

    def shortest_chains(self) -> list[list[Hop]]:
        """One shortest chain to each Level-1 entry point, shortest first."""
        best: dict[URIRef, list[Hop]] = {}
        for chain in self.chains():  # shortest first
            best.setdefault(chain[-1].target, chain)
        return list(best.values())

    def label(self, node: URIRef) -> str:
        """The node's label in the trace's language, or its IRI."""
        return self.labels.get(node, str(node))


def trace_up(store: GraphStore, element: URIRef, lang: str = "th") -> Trace:
    """Run ``trace-up.rq`` for ``element`` and return its hops as a :class:`Trace`."""
    result = run_query(store, "trace-up", {"element": str(element), "lang": lang})
    trace = Trace(element=element)
    for row in result.rows:
        source, target, relation = row["from"], row["to"], row["relation"]
        if not isinstance(source, URIRef) or not isinstance(target, URIRef):
            continue
        for node, label in ((source, row.get("fromLabel")), (target, row.get("toLabel"))):
            if isinstance(label, Literal):
                trace.labels[node] = str(label)
        for node, level in ((source, row.get("fromLevel")), (target, row.get("toLevel"))):
            if isinstance(level, Literal):
                trace.levels[node] = str(level)
        basis = row.get("basis")
        trace.hops.append(Hop(
            source=source,
            relation=URIRef(str(relation)),
            target=target,
            basis=basis if isinstance(basis, URIRef) else None,
            evidence=_text(row.get("evidence")),
            location=_text(row.get("location")),
        ))
    return trace


def alignment_graph(store: GraphStore) -> nx.MultiDiGraph:
    """The whole alignment graph: nodes with kind, level and labels; edges with relation and basis.

    Edges point upward (from the supporting element to the supported one), as in the data.
    """
    graph = nx.MultiDiGraph()
    for row in run_query(store, "graph-nodes").rows:
        node = row["node"]
        graph.add_node(
            str(node),
            kind=_text(row.get("kind")).removeprefix(str(PG)),
            level=_text(row.get("level")),
            label_th=_text(row.get("labelTh")),
            label_en=_text(row.get("labelEn")),
        )
    for row in run_query(store, "graph-edges").rows:
        relation = _text(row["relation"]).removeprefix(str(PG))
        basis = _text(row.get("basis")).removeprefix(str(PG))
        graph.add_edge(str(row["source"]), str(row["target"]), key=relation,
                       relation=relation, basis=basis)
    return graph

