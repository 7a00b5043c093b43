"""The upward closure: for each element, every element it reaches, and whether a stated chain does.

An element reaches another when a chain of upward links leads there: ``pg:partOf``,
``pg:targetOf``, ``pg:indicatorOf`` (the documents' own structure) and ``pg:supports`` (an
alignment), exactly the pairs the SPARQL path ``(pg:partOf|pg:supports|pg:targetOf|
pg:indicatorOf)+`` relates. The chain is *stated* when it uses only structure and alignments
whose basis is ``pg:Stated``; when every chain to an element needs an alignment an analyst
inferred, it is reached on an inferred basis only. The links are read from every graph
(:mod:`policygraph.load.facts`): a chain crosses graphs, as an agency's plan points at a master
plan in another file.

Cycles in the links (bad data, or two plans citing each other) are allowed: the links are
condensed into their strongly connected components first, so each component's reach is computed
once, sinks first. As with a SPARQL path, the members of a cycle reach each other and themselves;
no other element reaches itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import networkx as nx

__all__ = ["Closure", "closure_of", "reach"]

Link = tuple[str, str]


@dataclass(frozen=True)
class Closure:
    """Who reaches whom: ``reaches[e]`` every element above ``e``, ``stated[e]`` those a stated
    chain reaches (a subset)."""

    reaches: dict[str, frozenset[str]]
    stated: dict[str, frozenset[str]]

    def facts(self) -> Iterator[tuple[str, str, bool]]:
        """Every ``(element, reached, by a stated chain)``, elements in IRI order."""
        for element in sorted(self.reaches):
            stated = self.stated.get(element, frozenset())
            for reached in sorted(self.reaches[element]):
                yield element, reached, reached in stated


def closure_of(links: Iterable[Link], stated: Iterable[Link]) -> Closure:
    """The closure of ``links`` (every upward link), with what ``stated`` (a subset) reaches."""
    return Closure(reach(links), reach(stated))


def reach(links: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """What each element reaches, by one depth-first walk (the links are a DAG, as plans are);
    a cycle hands the work to :func:`_reach_around_cycles`."""
    pairs = list(links)
    up: dict[str, list[str]] = {}
    for source, target in pairs:
        up.setdefault(source, []).append(target)
    below: dict[str, frozenset[str]] = {}
    for root in up:
        if root in below:
            continue
        stack, walking = [(root, iter(up[root]))], {root}
        while stack:
            node, todo = stack[-1]
            for step in todo:
                if step in walking:
                    return _reach_around_cycles(pairs)
                if step not in below:
                    if step not in up:
                        below[step] = frozenset()
                        continue
                    walking.add(step)
                    stack.append((step, iter(up[step])))
                    break
            else:
                stack.pop()
                walking.discard(node)
                reached = set(up[node])
                for target in up[node]:
                    reached |= below[target]
                below[node] = frozenset(reached)
    return {node: found for node, found in below.items() if found}


def _reach_around_cycles(links: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    graph = nx.DiGraph()
    graph.add_edges_from(links)
    condensed = nx.condensation(graph)
    members: dict[int, frozenset[str]] = {
        component: frozenset(data["members"]) for component, data in condensed.nodes(data=True)}
    below: dict[int, frozenset[str]] = {}
    for component in reversed(list(nx.topological_sort(condensed))):
        reached: set[str] = set()
        for successor in condensed.successors(component):
            reached |= members[successor] | below[successor]
        if len(members[component]) > 1:  # a cycle: its members reach one another and themselves
            reached |= members[component]
        below[component] = frozenset(reached)
    mapping = condensed.graph["mapping"]
    return {node: below[mapping[node]] | ({node} if graph.has_edge(node, node) else set())
            for node in graph if below[mapping[node]] or graph.has_edge(node, node)}
