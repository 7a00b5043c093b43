"""Export the store (or one named graph) as RDF, or the alignment view as GraphML."""

from __future__ import annotations

import io
from collections.abc import Callable

import networkx as nx
from rdflib import Dataset, Graph, URIRef

from policygraph.errors import PolicygraphError, UnknownNameError
from policygraph.namespaces import GRAPH, PREFIXES, graph_named
from policygraph.store import GraphStore, graph_triples

__all__ = ["EXPORT_FORMATS", "BuildGraph", "export", "graphml_bytes", "resolve_graph"]

#: Formats accepted by :func:`export`.
EXPORT_FORMATS = ("turtle", "jsonld", "nquads", "trig", "graphml")

BuildGraph = Callable[[GraphStore], nx.DiGraph]


def resolve_graph(store: GraphStore, name: str) -> URIRef:
    """Turn a graph name as typed (file stem, or full IRI) into a stored graph IRI.

    Raises:
        UnknownNameError: If no such named graph is in the store; lists them.
    """
    graphs = store.graphs()
    iri = URIRef(name) if name in {str(g) for g in graphs} else graph_named(name)
    if iri not in graphs:
        stems = [str(g)[len(str(GRAPH)):] if str(g).startswith(str(GRAPH)) else str(g)
                 for g in graphs]
        raise UnknownNameError("graph", name, stems)
    return iri


def _bound(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return graph


def _turtle(store: GraphStore, graph: URIRef | None) -> bytes:
    data = _bound(Graph())
    if graph is not None:
        triples = graph_triples(store, graph)
    else:
        triples = store.query("CONSTRUCT WHERE { ?s ?p ?o }").triples
    for triple in triples:
        data.add(triple)
    return data.serialize(format="turtle", encoding="utf-8")


def _trig(store: GraphStore, graph: URIRef | None) -> bytes:
    dataset = Dataset()
    dataset.parse(data=store.dump("nquads", graph), format="nquads")
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, replace=True)
    return dataset.serialize(format="trig", encoding="utf-8")


def _graphml_value(value: object) -> str | int | float | bool:
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def graphml_bytes(digraph: nx.DiGraph) -> bytes:  # also accepts MultiDiGraph
    """Write a networkx graph as GraphML, coercing attributes GraphML cannot hold.

    None becomes ``""``; anything that is not str/int/float/bool becomes its
    ``str()`` (e.g. URIRef, Literal).
    """
    clean: nx.DiGraph = nx.MultiDiGraph() if digraph.is_multigraph() else nx.DiGraph()
    clean.graph.update({k: _graphml_value(v) for k, v in digraph.graph.items()})
    for node, attrs in digraph.nodes(data=True):
        clean.add_node(str(node), **{k: _graphml_value(v) for k, v in attrs.items()})
    for source, target, attrs in digraph.edges(data=True):
        clean.add_edge(str(source), str(target), **{k: _graphml_value(v) for k, v in attrs.items()})
    buffer = io.BytesIO()
    nx.write_graphml(clean, buffer, encoding="utf-8")
    return buffer.getvalue()


def _default_build_graph(store: GraphStore) -> nx.DiGraph:
    try:
        from policygraph.query.trace import alignment_graph
    except ImportError as exc:
        raise PolicygraphError(f"graphml export needs policygraph.query.trace ({exc})") from exc
    return alignment_graph(store)


def export(
    store: GraphStore,
    fmt: str,
    graph: URIRef | None = None,
    *,
    build_graph: BuildGraph | None = None,
) -> bytes:
    """Serialise the store, or one named graph, in ``fmt``.

    ``turtle`` is written by rdflib with :data:`PREFIXES` bound (readable,
    grouped by subject); without ``graph`` it is the union of all graphs.
    ``nquads``/``trig`` keep graph names; ``jsonld`` is compacted with the
    prefixes as context. ``graphml`` is the alignment view built by ``build_graph`` (default
    :func:`policygraph.query.trace.alignment_graph`). The planner's workbook (``export -f xlsx``)
    is :func:`policygraph.planner.xlsx_plan.plan_workbook`.

    Args:
        store: The store to export.
        fmt: One of :data:`EXPORT_FORMATS`.
        graph: A named graph IRI, or None for everything.
        build_graph: Builds the networkx view for ``graphml``.

    Raises:
        UnknownNameError: For an unknown format.
        PolicygraphError: For ``graphml`` combined with ``graph``.
    """
    if fmt not in EXPORT_FORMATS:
        raise UnknownNameError("format", fmt, EXPORT_FORMATS)
    if fmt == "turtle":
        return _turtle(store, graph)
    if fmt == "trig":
        return _trig(store, graph)
    if fmt in ("nquads", "jsonld"):
        return store.dump(fmt, graph)
    if graph is not None:
        raise PolicygraphError("graphml exports the whole alignment view; drop --graph")
    return graphml_bytes((build_graph or _default_build_graph)(store))
