"""Triples derived from a source graph at load time, stored in the same named graph."""

from collections.abc import Iterable, Iterator

from rdflib import Graph
from rdflib.term import Node

from policygraph.namespaces import PG, RDF

__all__ = ["UPWARD", "derive"]

#: The structural links that lead from an element up towards the plan it belongs to.
UPWARD = (PG.partOf, PG.targetOf, PG.indicatorOf)


def derive(graph: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """Yield the triples materialised beside a file's own.

    - ``pg:supports`` for every qualified ``pg:Alignment`` (from → to);
    - ``pg:inPlan`` from every plan, and every element whose chain of ``pg:partOf``,
      ``pg:targetOf`` and ``pg:indicatorOf`` reaches a plan (a node with ``pg:planLevel``)
      in the same file, to that plan. A plan is in itself, and the chain stops at a plan.

    Derived triples live in the same named graph as the data they come from, so replacing
    a file's graph replaces its derived triples with it and they can never go stale.
    """
    for alignment in graph.subjects(RDF.type, PG.Alignment):
        sources: Iterable[Node] = graph.objects(alignment, PG.fromElement)
        targets = list(graph.objects(alignment, PG.toElement))
        for source in sources:
            for target in targets:
                yield (source, PG.supports, target)
    yield from _in_plan(graph)


def _in_plan(graph: Graph) -> Iterator[tuple[Node, Node, Node]]:
    plans = set(graph.subjects(PG.planLevel, None))
    parents: dict[Node, list[Node]] = {}
    for relation in UPWARD:
        for child, parent in graph.subject_objects(relation):
            parents.setdefault(child, []).append(parent)
    found: dict[Node, frozenset[Node]] = {plan: frozenset([plan]) for plan in plans}

    def plans_of(node: Node, seen: frozenset[Node]) -> frozenset[Node]:
        if node in found:
            return found[node]
        if node in seen:  # a loop in the data: SHACL reports it, deriving must not hang
            return frozenset()
        reached = frozenset().union(*(plans_of(parent, seen | {node})
                                      for parent in parents.get(node, ())))
        found[node] = reached
        return reached

    for node in [*plans, *parents]:
        for plan in sorted(plans_of(node, frozenset()), key=str):
            yield (node, PG.inPlan, plan)
