"""Keep the derived facts right: recomputed with every change, written in the same atomic step.

Whatever replaces graphs (a load, an import, a write through the SPARQL endpoint) gives the
derived graph (``DERIVED_GRAPH``, see :mod:`policygraph.load.facts`) the content a derivation
from scratch would give: the facts are derived from the store's graphs that are kept and the new
content, and written with it in one :meth:`~policygraph.store.GraphStore.replace_graphs` (or
:meth:`~policygraph.store.oxstore.OxigraphStore.write_staged`), so no reader sees new graphs with
old facts, and an interrupted load leaves both as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef

from policygraph.load.facts import Facts, Reader, derive_facts, ox_reader, read_inputs
from policygraph.load.increment import delta_after
from policygraph.namespaces import DERIVED_GRAPH
from policygraph.store import GraphStore, OxigraphStore
from policygraph.store.oxstore import LOADING_PREFIX
from policygraph.store.terms import (
    RdfTriple,
    checked_iri,
    to_oxigraph,
    triple_to_oxigraph,
    triple_to_rdflib,
)

__all__ = ["FactsCheck", "check_facts", "drop_graphs", "facts_after", "has_facts",
           "refresh_facts", "replace_with_facts", "store_reader", "write_with_facts"]


def store_reader(store: GraphStore) -> Reader:
    """A :data:`~policygraph.load.facts.Reader` over any store (pyoxigraph's own when embedded)."""
    if isinstance(store, OxigraphStore):
        return ox_reader(store.oxigraph)

    def read(query: str) -> Iterable[tuple[str | None, ...]]:
        result = store.query(query)
        for row in result.rows:
            yield tuple(None if (value := row.get(name)) is None else str(value)
                        for name in result.variables)

    return read


def _kept(replaced: Collection[str]) -> Callable[[str], bool]:
    """The graphs of a store that count, when ``replaced`` are about to get new content."""
    derived = str(DERIVED_GRAPH)
    return lambda graph: (graph != derived and graph not in replaced
                          and not graph.startswith(LOADING_PREFIX))


def facts_after(store: GraphStore, new: ox.Store, graphs: Collection[str]) -> Facts:
    """The facts once ``graphs`` of ``store`` hold what the same-named graphs of ``new`` hold."""
    wanted = set(graphs)
    inputs = read_inputs(store_reader(store), _kept(wanted))
    read_inputs(ox_reader(new), wanted.__contains__, into=inputs)
    return derive_facts(inputs)


def _as_oxigraph(contents: Mapping[URIRef, Iterable[RdfTriple]]) -> tuple[ox.Store, list[URIRef]]:
    """The contents in a new in-memory store, each in its named graph (IRIs checked)."""
    staged = ox.Store()
    for graph, triples in contents.items():
        name = checked_iri(graph)
        staged.extend(ox.Quad(*triple_to_oxigraph(triple), name) for triple in triples)
    return staged, list(contents)


def replace_with_facts(store: GraphStore, contents: Mapping[URIRef, Iterable[RdfTriple]]
                       ) -> dict[URIRef, int]:
    """``store.replace_graphs(contents)``, with the derived graph brought up to date in the
    same atomic step (an empty content removes its graph).

    Raises:
        StoreError: As :meth:`~policygraph.store.GraphStore.replace_graphs` does.
    """
    staged, graphs = _as_oxigraph(contents)
    return write_with_facts(store, staged, graphs)


def drop_graphs(store: GraphStore, graphs: Iterable[URIRef]) -> None:
    """Remove named graphs, and the facts they gave, in one atomic step."""
    replace_with_facts(store, {graph: [] for graph in graphs})


def refresh_facts(store: GraphStore) -> int:
    """Derive the facts from the store as it is and replace the derived graph; the fact count.

    For changes made without :func:`replace_with_facts` (a SPARQL update, a graph written
    through the Graph Store Protocol).
    """
    write_with_facts(store, ox.Store(), [], incremental=False)
    return store.triple_count(DERIVED_GRAPH)


def write_with_facts(store: GraphStore, staged: ox.Store, graphs: list[URIRef], *,
                     incremental: bool = True) -> dict[URIRef, int]:
    """Replace ``graphs`` with the same-named graphs of ``staged`` (other graphs there are
    ignored), and the derived graph with the facts that gives, all in one atomic step.

    On the embedded store, with ``incremental``, only the facts the change touches are
    derived again (:mod:`policygraph.load.increment`), when the store has facts to start from.

    Returns:
        Graph IRI to the number of triples now in that graph (the derived graph left out).
    """
    names = [str(graph) for graph in graphs]
    if incremental and isinstance(store, OxigraphStore) and (
            delta := delta_after(store.oxigraph, staged, names)) is not None:
        # Only what the change touches, in the same transaction as the graphs.
        return _patched(store, staged, graphs, delta.removes, delta.adds)
    facts = facts_after(store, staged, names)
    if isinstance(store, OxigraphStore) and has_facts(store):
        # Derived again from scratch, but only the difference is written: replacing the whole
        # derived graph in one transaction holds every fact in memory twice (12 GB at 5M).
        removes, adds = _difference(store.oxigraph, facts.quads())
        return _patched(store, staged, graphs, removes, adds)
    if isinstance(store, OxigraphStore):  # Oxigraph's bulk loader, no rdflib terms
        counts = store.write_staged(staged, graphs, generated={DERIVED_GRAPH: facts.quads})
    else:
        contents: dict[URIRef, list[RdfTriple]] = {
            graph: [triple_to_rdflib(quad.triple)
                    for quad in staged.quads_for_pattern(None, None, None,
                                                         ox.NamedNode(str(graph)))]
            for graph in graphs}
        contents[DERIVED_GRAPH] = [triple_to_rdflib(quad.triple) for quad in facts.quads()]
        counts = store.replace_graphs(contents)
    counts.pop(DERIVED_GRAPH, None)
    return counts


def _patched(store: OxigraphStore, staged: ox.Store, graphs: list[URIRef],
             removes: Iterable[ox.Quad], adds: Iterable[ox.Quad]) -> dict[URIRef, int]:
    """Write ``graphs`` and change the derived graph by ``removes`` and ``adds``, atomically."""
    removals, additions = (ox.NamedNode(f"{LOADING_PREFIX}facts-{part}")
                           for part in ("removals", "additions"))
    staged.extend(ox.Quad(q.subject, q.predicate, q.object, removals) for q in removes)
    staged.extend(ox.Quad(q.subject, q.predicate, q.object, additions) for q in adds)
    return store.write_staged(staged, graphs, {DERIVED_GRAPH: (removals, additions)})


def _difference(store: ox.Store, facts: Iterable[ox.Quad]) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The stored derived facts not in ``facts``, and those of ``facts`` not stored (one pass
    over each; only the stored facts are held, as triples)."""
    graph = ox.NamedNode(str(DERIVED_GRAPH))
    stored = {quad.triple for quad in store.quads_for_pattern(None, None, None, graph)}
    adds = []
    for quad in facts:
        if quad.triple in stored:
            stored.discard(quad.triple)
        else:
            adds.append(quad)
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in stored], adds


def has_facts(store: GraphStore) -> bool:
    """Whether the store holds a derived graph (a store loaded by policygraph does)."""
    return DERIVED_GRAPH in store.graphs()


@dataclass(frozen=True)
class FactsCheck:
    """How the stored derived graph differs from a derivation from scratch."""

    missing: int
    extra: int

    @property
    def current(self) -> bool:
        """True when the stored facts are exactly the facts the data gives."""
        return self.missing == 0 and self.extra == 0


def check_facts(store: GraphStore) -> FactsCheck:
    """Compare the stored derived graph with the facts derived afresh from the other graphs."""
    expected = {quad.triple for quad in facts_after(store, ox.Store(), ()).quads()}
    stored = {to_triple(t) for t in _stored(store)}
    return FactsCheck(missing=len(expected - stored), extra=len(stored - expected))


def _stored(store: GraphStore) -> list[RdfTriple]:
    from policygraph.store import graph_triples

    return graph_triples(store, DERIVED_GRAPH) if has_facts(store) else []


def to_triple(triple: RdfTriple) -> ox.Triple:
    s, p, o = triple
    return ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
