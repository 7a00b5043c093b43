"""Graph Store Protocol operations on a pyoxigraph store: read, replace, merge and drop one graph.

A graph is a validated ``NamedNode``, or None for the store's own default graph. (The
project keeps its data in named graphs, and queries see their union as the default graph;
the store's own default graph is what ``?default`` reads and writes.) Writes are atomic.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pyoxigraph as ox

__all__ = [
    "GraphDataError",
    "delete_graph",
    "graph_exists",
    "merge_graph",
    "parse_graph",
    "read_graph",
    "replace_graph",
]

_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
# The same prefix as OxigraphStore's staging graphs, so a crash's leftovers are swept alike.
_STAGING_PREFIX = "urn:x-policygraph:loading:"

Graph = ox.NamedNode | None


class GraphDataError(ValueError):
    """A request body is not valid RDF in its declared format."""


def _name(graph: Graph) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if graph is None else graph


def graph_exists(store: ox.Store, graph: Graph) -> bool:
    """True for the default graph, and for a named graph the store holds (even empty)."""
    return graph is None or store.contains_named_graph(graph)


def read_graph(store: ox.Store, graph: Graph, format: str,
               prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise one graph in a format key of :data:`policygraph.endpoint.formats.FORMATS`."""
    rdf_format = _RDF_FORMATS[format]
    keep = prefixes if format in ("turtle", "rdfxml") else None
    return store.dump(format=rdf_format, from_graph=_name(graph), prefixes=keep) or b""


def parse_graph(data: bytes, format: str, base_iri: str | None) -> list[ox.Triple]:
    """Parse a request body into triples; blank nodes get fresh identifiers.

    Raises:
        GraphDataError: If the body is not valid, or names graphs of its own.
    """
    try:
        quads = ox.parse(input=data, format=_RDF_FORMATS[format], base_iri=base_iri,
                         without_named_graphs=True, rename_blank_nodes=True)
        return [quad.triple for quad in quads]
    except (SyntaxError, ValueError) as exc:
        raise GraphDataError(f"the request body is not valid {format}: {exc}") from exc


def replace_graph(store: ox.Store, graph: Graph, triples: Sequence[ox.Triple]) -> None:
    """Make ``triples`` the whole content of ``graph``, in one transaction.

    The triples are written to a private staging graph first, then one update moves it
    over the target, so readers see the old graph or the new one, never a mix.
    """
    target = "DEFAULT" if graph is None else f"GRAPH {graph}"
    if not triples:
        store.update(f"CLEAR SILENT {target}" if graph is None
                     else f"DROP SILENT {target} ; CREATE SILENT {target}")
        return
    staging = ox.NamedNode(_STAGING_PREFIX + uuid.uuid4().hex)
    try:
        store.extend(ox.Quad(t.subject, t.predicate, t.object, staging) for t in triples)
        store.update(f"MOVE SILENT GRAPH {staging} TO {target}")
    finally:
        store.remove_graph(staging)


def merge_graph(store: ox.Store, graph: Graph, triples: Sequence[ox.Triple]) -> None:
    """Add ``triples`` to ``graph`` (created if absent), in one transaction."""
    if graph is not None and not triples:
        store.add_graph(graph)
        return
    name = _name(graph)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)


def delete_graph(store: ox.Store, graph: Graph) -> bool:
    """Drop a named graph, or empty the default graph; False if the named graph was absent."""
    if graph is None:
        store.clear_graph(ox.DefaultGraph())
        return True
    if not store.contains_named_graph(graph):
        return False
    store.remove_graph(graph)
    return True
