"""The one narrow store interface (:class:`GraphStore`) and its embedded implementation.

:class:`OxigraphStore` lives in :mod:`policygraph.store.oxstore` and is re-exported here.
Code outside the store modules talks only to :class:`GraphStore`, so a remote
SPARQL endpoint can be substituted later. The default graph seen by queries is
the union of all named graphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Protocol, Self

from rdflib import URIRef
from rdflib.term import Identifier

from policygraph.store.oxstore import DUMP_FORMATS, OxigraphStore, checked_iri
from policygraph.store.results import QueryResult
from policygraph.store.terms import RdfTriple

__all__ = [
    "DUMP_FORMATS",
    "GraphStore",
    "OxigraphStore",
    "QueryResult",
    "checked_iri",
    "graph_triples",
]


class GraphStore(Protocol):
    """What policygraph needs from an RDF store; nothing more.

    The default graph seen by queries is the union of all named graphs.
    """

    def query(
        self, sparql: str, bindings: Mapping[str, Identifier] | None = None
    ) -> QueryResult:
        """Run a read-only SPARQL query with variables pre-bound to RDF terms."""
        ...

    def replace_graph(self, graph: URIRef, triples: Iterable[RdfTriple]) -> int:
        """Atomically replace a named graph's content; return its new triple count."""
        ...

    def replace_graphs(self, contents: Mapping[URIRef, Iterable[RdfTriple]]) -> dict[URIRef, int]:
        """Atomically replace several named graphs at once (all or nothing)."""
        ...

    def drop_graph(self, graph: URIRef) -> None:
        """Remove a named graph and its triples (no error if absent)."""
        ...

    def graphs(self) -> list[URIRef]:
        """List the named graphs, sorted."""
        ...

    def triple_count(self, graph: URIRef | None = None) -> int:
        """Count triples in one named graph, or quads in the whole store."""
        ...

    def dump(self, format: str, graph: URIRef | None = None) -> bytes:
        """Serialise one graph, or the whole store, in one of :data:`DUMP_FORMATS`."""
        ...

    def close(self) -> None:
        """Release the store (and its lock)."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


def graph_triples(store: GraphStore, graph: URIRef) -> list[RdfTriple]:
    """Return the triples of one named graph, through the query interface only."""
    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph})
    return result.triples
