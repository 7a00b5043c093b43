"""Serialising a pyoxigraph store, or one named graph of it, in the formats of ``dump``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph

from policygraph.errors import UnknownNameError
from policygraph.namespaces import PREFIXES

__all__ = ["DUMP_FORMATS", "dump"]

#: Formats accepted by ``dump``.
DUMP_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld")

_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
_QUAD_FORMATS = {"nquads", "trig"}


def dump(store: ox.Store, format: str, graph: ox.NamedNode | None = None,
         visible: list[ox.NamedNode] | None = None) -> bytes:
    """Serialise ``store`` or one named graph of it.

    Triple formats (turtle, ntriples) without ``graph`` serialise the union of all graphs. Quad
    formats (nquads, trig) keep graph names. ``jsonld`` is produced by rdflib from the N-Quads
    dump.

    Args:
        store: The pyoxigraph store.
        format: One of :data:`DUMP_FORMATS`.
        graph: A named graph, or None for everything.
        visible: When not None, the only graphs there are (what a reader may see after a load
            died, :func:`~policygraph.store.oxwrite.visible_graphs`); any other is empty.

    Raises:
        UnknownNameError: For an unsupported format.
    """
    if format not in DUMP_FORMATS:
        raise UnknownNameError("format", format, DUMP_FORMATS)
    if format == "jsonld":
        triples_only = graph is not None
        return _jsonld(dump(store, "ntriples" if triples_only else "nquads", graph, visible),
                       triples_only)
    rdf_format = _OX_FORMATS[format]
    source: Iterable[Any]
    if visible is not None:
        graphs = visible if graph is None else [g for g in visible if g == graph]
        if format in _QUAD_FORMATS:
            source = (quad for g in graphs for quad in store.quads_for_pattern(None, None, None, g))
        else:
            readable: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = list(graphs)
            union = store.query("CONSTRUCT WHERE { ?s ?p ?o }", default_graph=readable) \
                if graphs else None
            source = union if isinstance(union, ox.QueryTriples) else []
    elif graph is not None:
        if format in _QUAD_FORMATS:
            source = store.quads_for_pattern(None, None, None, graph)
        else:
            return store.dump(format=rdf_format, from_graph=graph, prefixes=PREFIXES) or b""
    elif format in _QUAD_FORMATS:
        return store.dump(format=rdf_format, prefixes=PREFIXES) or b""
    else:
        union = store.query("CONSTRUCT WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        source = union if isinstance(union, ox.QueryTriples) else []
    prefixes = PREFIXES if format != "nquads" else None
    return ox.serialize(source, format=rdf_format, prefixes=prefixes) or b""


def _jsonld(nquads: bytes, single_graph: bool) -> bytes:
    data: Graph
    if single_graph:
        data = Graph()
        data.parse(data=nquads, format="nt")
    else:
        data = Dataset()
        data.parse(data=nquads, format="nquads")
    for prefix, namespace in PREFIXES.items():
        data.bind(prefix, namespace)
    text = data.serialize(format="json-ld", context=dict(PREFIXES), indent=2)
    return text.encode("utf-8")
