"""Triples derived from a source graph at load time, stored in the same named graph.

The rules are written once, in :func:`derived_triples`, over a :class:`TripleSource`: a
minimal read interface that an rdflib Graph (:func:`derive`, used by the importer and by
loads into a remote store) and a named graph of a pyoxigraph store (:func:`derive_in_store`,
the embedded store's fast load path) both provide. The terms are whatever the source yields,
so the same code derives rdflib triples from an rdflib Graph and pyoxigraph terms from a
pyoxigraph store.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Protocol, TypeVar

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from policygraph.namespaces import PG, RDF

__all__ = ["DERIVED_PREDICATES", "UPWARD", "Derivation", "TripleSource", "derive",
           "derive_in_store", "derived_triples"]

#: The structural links that lead from an element up towards the plan it belongs to.
UPWARD = (PG.partOf, PG.targetOf, PG.indicatorOf)
#: The predicates derived triples use.
DERIVED_PREDICATES = (PG.supports, PG.inPlan)

T = TypeVar("T", bound=Hashable)
T_co = TypeVar("T_co", bound=Hashable, covariant=True)


class TripleSource(Protocol[T_co]):
    """What the rules read: the (subject, object) pairs of one predicate, and how to name one."""

    def pairs(self, predicate: str) -> Iterable[tuple[T_co, T_co]]:
        """Every (subject, object) of the triples whose predicate is the IRI ``predicate``."""
        ...

    def subjects(self, predicate: str, obj: str) -> Iterable[T_co]:
        """Every subject of the triples ``(?, predicate, obj)``, both IRIs."""
        ...

    def iri(self, iri: str) -> T_co:
        """The source's term for the IRI ``iri``."""
        ...

    def is_literal(self, term: object) -> bool:
        """Whether ``term`` is a literal (which cannot be a triple's subject)."""
        ...


def derived_triples(source: TripleSource[T]) -> Iterator[tuple[T, T, T]]:
    """Yield the triples materialised beside a file's own (the one definition of the rules).

    - ``pg:supports`` for every qualified ``pg:Alignment`` (from → to);
    - ``pg:inPlan`` from every plan, and every element whose chain of ``pg:partOf``,
      ``pg:targetOf`` and ``pg:indicatorOf`` reaches a plan (a node with ``pg:planLevel``)
      in the same file, to that plan. A plan is in itself, and the chain stops at a plan.

    Derived triples live in the same named graph as the data they come from, so replacing
    a file's graph replaces its derived triples with it and they can never go stale.
    """
    alignments = list(source.subjects(str(RDF.type), str(PG.Alignment)))
    if alignments:
        sources = _grouped(source.pairs(str(PG.fromElement)))
        targets = _grouped(source.pairs(str(PG.toElement)))
        supports = source.iri(str(PG.supports))
        for node in dict.fromkeys(alignments):
            # A literal where an element belongs is the shapes' to report (the file then does
            # not load), never a crash here: it cannot be a subject.
            for start in sources.get(node, ()):
                if source.is_literal(start):
                    continue
                for end in targets.get(node, ()):
                    yield (start, supports, end)
    plans = list(dict.fromkeys(s for s, _ in source.pairs(str(PG.planLevel))))
    parents: dict[T, list[T]] = {}
    for relation in UPWARD:
        for child, parent in source.pairs(str(relation)):
            if not source.is_literal(child):
                parents.setdefault(child, []).append(parent)
    in_plan = source.iri(str(PG.inPlan))
    for node, reached in _plans_of([*plans, *parents], set(plans), parents).items():
        for plan in sorted(reached, key=str):
            yield (node, in_plan, plan)


def _grouped(pairs: Iterable[tuple[T, T]]) -> dict[T, list[T]]:
    grouped: dict[T, list[T]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def _plans_of(nodes: Iterable[T], plans: set[T], parents: dict[T, list[T]]) -> dict[T, set[T]]:
    """The plans each node reaches upwards, stopping at plans; loops in the data are harmless.

    Tarjan's strongly connected components, iteratively: every node of a loop reaches the
    same plans, and components come out children-first, so each is settled from parents
    already settled. Linear in the links, and the answer does not depend on node order.
    """
    index: dict[T, int] = {}
    low: dict[T, int] = {}
    reached: dict[T, set[T]] = {}
    stack: list[T] = []
    on_stack: set[T] = set()

    def ups(node: T) -> list[T]:
        return [] if node in plans else parents.get(node, [])

    def enter(node: T) -> tuple[T, Iterator[T]]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        return node, iter(ups(node))

    for root in dict.fromkeys(nodes):
        if root in index:
            continue
        work = [enter(root)]
        while work:
            node, todo = work[-1]
            for parent in todo:
                if parent not in index:
                    work.append(enter(parent))
                    break
                if parent in on_stack:
                    low[node] = min(low[node], index[parent])
            else:
                work.pop()
                if work:
                    above = work[-1][0]
                    low[above] = min(low[above], low[node])
                if low[node] == index[node]:
                    _settle(node, stack, on_stack, plans, ups, reached)
    return {node: reached[node] for node in dict.fromkeys(nodes)}


def _settle(root: T, stack: list[T], on_stack: set[T], plans: set[T],
            ups: Callable[[T], list[T]], reached: dict[T, set[T]]) -> None:
    """Pop the component rooted at ``root`` and give all its nodes the plans it reaches."""
    members: list[T] = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        members.append(member)
        if member == root:
            break
    inside = set(members)
    found: set[T] = set()
    for member in members:
        if member in plans:
            found.add(member)
        for parent in ups(member):
            if parent not in inside:
                found |= reached[parent]
    for member in members:
        reached[member] = found


class _GraphSource:
    """An rdflib Graph as a :class:`TripleSource`."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def pairs(self, predicate: str) -> Iterable[tuple[Node, Node]]:
        return self.graph.subject_objects(URIRef(predicate))

    def subjects(self, predicate: str, obj: str) -> Iterable[Node]:
        return self.graph.subjects(URIRef(predicate), URIRef(obj))

    def iri(self, iri: str) -> Node:
        return URIRef(iri)

    def is_literal(self, term: object) -> bool:
        return isinstance(term, Literal)


class _StoreSource:
    """One named graph of a pyoxigraph store as a :class:`TripleSource`."""

    def __init__(self, store: ox.Store, graph: ox.NamedNode) -> None:
        self.store = store
        self.graph = graph

    def pairs(self, predicate: str) -> Iterable[tuple[object, object]]:
        quads = self.store.quads_for_pattern(None, ox.NamedNode(predicate), None, self.graph)
        return ((quad.subject, quad.object) for quad in quads)

    def subjects(self, predicate: str, obj: str) -> Iterable[object]:
        quads = self.store.quads_for_pattern(None, ox.NamedNode(predicate), ox.NamedNode(obj),
                                             self.graph)
        return (quad.subject for quad in quads)

    def iri(self, iri: str) -> object:
        return ox.NamedNode(iri)

    def is_literal(self, term: object) -> bool:
        return isinstance(term, ox.Literal)


def derive_in_store(store: ox.Store, graph: ox.NamedNode) -> list[ox.Quad]:
    """The quads the rules derive from one named graph of a pyoxigraph store (same rules)."""
    return [ox.Quad(s, p, o, graph)  # type: ignore[arg-type]
            for s, p, o in derived_triples(_StoreSource(store, graph))]


class Derivation:
    """The project's derivation, callable on an rdflib Graph, with a pyoxigraph entry point.

    Loaders recognise it (see :class:`policygraph.load.parsing.StoreDeriver`) and, on the embedded
    store, derive straight from the parsed quads without going through rdflib.
    """

    def __call__(self, graph: Graph) -> Iterator[tuple[Node, Node, Node]]:
        """Yield the triples derived from ``graph``; see :func:`derived_triples`."""
        return derived_triples(_GraphSource(graph))

    def in_store(self, store: ox.Store, graph: ox.NamedNode) -> list[ox.Quad]:
        """The quads derived from one named graph of ``store``; see :func:`derive_in_store`."""
        return derive_in_store(store, graph)


#: The derivation loaders use: ``derive(graph)`` yields the triples derived from ``graph``.
derive = Derivation()
