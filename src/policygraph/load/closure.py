"""The upward closure: for each element, every element it reaches, and whether a stated chain does.

An element reaches another when a chain of upward links leads there: ``pg:partOf``,
``pg:targetOf``, ``pg:indicatorOf`` (the documents' own structure) and ``pg:supports`` (an
alignment). The chain is *stated* when it uses only structure and alignments whose basis is
``pg:Stated``; when every chain to an element needs an inferred alignment, it is reached on an
inferred basis only. This is what :func:`policygraph.query.reach.reached` works out for one
element from its trace; here it is worked out for every element at once, from the links of
every graph (a chain crosses graphs: an agency's plan points at a master plan in another file),
as ``pg:reaches`` facts and, for the stated ones, ``pg:reachesStated`` (a sub-property).

Cycles in the links (bad data, or two plans citing each other) are allowed: the links are
condensed into their strongly connected components first, so each component's reach is
computed once, sinks first; an element never reaches itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from policygraph.namespaces import PG

__all__ = ["STRUCTURE", "Closure", "closure", "closure_quads", "upward_links"]

#: The structural links that lead upward (an element to its parent, target owner, measured).
STRUCTURE = (PG.partOf, PG.targetOf, PG.indicatorOf)
_FROM, _TO, _BASIS = (ox.NamedNode(str(p)) for p in (PG.fromElement, PG.toElement, PG.basis))
_STATED = ox.NamedNode(str(PG.Stated))


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


def upward_links(store: ox.Store) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The upward links between IRIs in every graph of ``store``: all of them, and the stated.

    Structural links are stated; an alignment (``pg:fromElement`` / ``pg:toElement``, with a
    ``pg:basis``) is stated when its basis is ``pg:Stated``. Links to or from blank nodes or
    literals are not elements' links and are left out.
    """
    links: set[tuple[str, str]] = set()
    stated: set[tuple[str, str]] = set()
    for predicate in STRUCTURE:
        for quad in store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
                pair = (quad.subject.value, quad.object.value)
                links.add(pair)
                stated.add(pair)
    ends: dict[object, dict[str, list[object]]] = {}
    for part, key in ((_FROM, "from"), (_TO, "to"), (_BASIS, "basis")):
        for quad in store.quads_for_pattern(None, part, None, None):
            if not isinstance(quad.subject, ox.Triple):
                ends.setdefault(quad.subject, {}).setdefault(key, []).append(quad.object)
    for alignment in ends.values():
        if not alignment.get("basis"):  # as a trace: an alignment is a hop with its basis
            continue
        for source in alignment.get("from", []):
            for target in alignment.get("to", []):
                if isinstance(source, ox.NamedNode) and isinstance(target, ox.NamedNode):
                    pair = (source.value, target.value)
                    links.add(pair)
                    if _STATED in alignment.get("basis", []):
                        stated.add(pair)
    return links, stated


def _reach(links: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
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
        if len(members[component]) > 1:  # a cycle: its members reach one another
            reached |= members[component]
        below[component] = frozenset(reached)
    mapping = condensed.graph["mapping"]
    return {node: below[mapping[node]] - {node} for node in graph
            if below[mapping[node]] - {node}}


def closure(store: ox.Store) -> Closure:
    """The upward closure of every element of ``store`` (all its graphs)."""
    links, stated = upward_links(store)
    return Closure(_reach(links), _reach(stated))


def closure_quads(result: Closure, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """The closure as ``pg:reaches`` and ``pg:reachesStated`` quads in ``graph``."""
    reaches, reaches_stated = ox.NamedNode(str(PG.reaches)), ox.NamedNode(str(PG.reachesStated))
    for element, reached, by_stated in result.facts():
        subject, target = ox.NamedNode(element), ox.NamedNode(reached)
        yield ox.Quad(subject, reaches, target, graph)
        if by_stated:
            yield ox.Quad(subject, reaches_stated, target, graph)
