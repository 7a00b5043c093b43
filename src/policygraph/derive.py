"""Triples derived from a source graph at load time, stored in the same named graph."""

from collections.abc import Iterable, Iterator

from rdflib import Graph
from rdflib.term import Node

from policygraph.namespaces import PG, RDF

__all__ = ["derive"]


def derive(graph: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """Yield the plain ``pg:supports`` triple for every qualified ``pg:Alignment`` in ``graph``.

    Derived triples live in the same named graph as the alignment they come from, so replacing
    a file's graph replaces its derived triples with it and they can never go stale.
    """
    for alignment in graph.subjects(RDF.type, PG.Alignment):
        sources: Iterable[Node] = graph.objects(alignment, PG.fromElement)
        targets = list(graph.objects(alignment, PG.toElement))
        for source in sources:
            for target in targets:
                yield (source, PG.supports, target)
