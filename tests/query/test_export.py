"""Tests for exporting the store as RDF and the alignment view as GraphML."""

from __future__ import annotations

import io

import networkx as nx
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from policygraph.errors import PolicygraphError, UnknownNameError
from policygraph.load.loader import load_many
from policygraph.namespaces import GRAPH
from policygraph.query.export import EXPORT_FORMATS, export, graphml_bytes, resolve_graph
from policygraph.store import GraphStore, OxigraphStore
from tests.helpers import RESOURCES

FILES = [RESOURCES / "minimal.ttl", RESOURCES / "hostile.ttl"]


@pytest.fixture
def loaded(store: OxigraphStore) -> OxigraphStore:
    """The in-memory store with minimal.ttl and hostile.ttl loaded."""
    load_many(store, FILES)
    return store


def source(*names: str) -> Graph:
    """The union of fixture files, parsed independently by rdflib."""
    graph = Graph()
    for name in names:
        graph.parse(RESOURCES / name, format="turtle")
    return graph


def test_turtle_export_round_trips_hostile_labels(loaded: OxigraphStore) -> None:
    data = export(loaded, "turtle", GRAPH["hostile"])
    assert b"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in data
    assert isomorphic(Graph().parse(data=data, format="turtle"), source("hostile.ttl"))


def test_turtle_export_of_everything_is_the_union(loaded: OxigraphStore) -> None:
    exported = Graph().parse(data=export(loaded, "turtle"), format="turtle")
    assert isomorphic(exported, source("minimal.ttl", "hostile.ttl"))


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("nquads", "nquads"), ("trig", "trig")])
def test_quad_exports_keep_graphs(loaded: OxigraphStore, fmt: str, rdflib_format: str) -> None:
    dataset = Dataset()
    dataset.parse(data=export(loaded, fmt), format=rdflib_format)
    for name in ("minimal", "hostile"):
        assert isomorphic(dataset.graph(GRAPH[name]), source(f"{name}.ttl"))


def test_trig_uses_prefixes(loaded: OxigraphStore) -> None:
    assert b"rdfs:label" in export(loaded, "trig", GRAPH["hostile"])


def test_jsonld_export_round_trips(loaded: OxigraphStore) -> None:
    one = Graph().parse(data=export(loaded, "jsonld", GRAPH["hostile"]), format="json-ld")
    assert isomorphic(one, source("hostile.ttl"))
    dataset = Dataset()
    dataset.parse(data=export(loaded, "jsonld"), format="json-ld")
    assert isomorphic(dataset.graph(GRAPH["minimal"]), source("minimal.ttl"))


def test_graphml_uses_injected_builder_and_coerces_attributes(loaded: OxigraphStore) -> None:
    def build(store: GraphStore) -> nx.DiGraph:
        graph = nx.DiGraph()
        graph.add_node(URIRef("https://e/a"), label_th="ยุทธศาสตร์", label_en=None, kind="Plan",
                       level=1)
        graph.add_node(URIRef("https://e/b"), label_th='<script>"x"</script>', label_en="B",
                       kind="Target", level=None)
        graph.add_edge(URIRef("https://e/b"), URIRef("https://e/a"), relation="supports",
                       basis=None)
        return graph

    data = export(loaded, "graphml", build_graph=build)
    back = nx.read_graphml(io.BytesIO(data))
    assert back.nodes["https://e/a"]["label_th"] == "ยุทธศาสตร์"
    assert back.nodes["https://e/a"]["label_en"] == ""
    assert back.nodes["https://e/b"]["label_th"] == '<script>"x"</script>'
    assert back.edges["https://e/b", "https://e/a"] == {"relation": "supports", "basis": ""}


def test_graphml_keeps_parallel_edges() -> None:
    multi = nx.MultiDiGraph()
    multi.add_edge("a", "b", relation="supports")
    multi.add_edge("a", "b", relation="contributesTo")
    back = nx.read_graphml(io.BytesIO(graphml_bytes(multi)))
    assert back.number_of_edges() == 2


def test_graphml_refuses_graph_filter(loaded: OxigraphStore) -> None:
    with pytest.raises(PolicygraphError, match="drop --graph"):
        export(loaded, "graphml", GRAPH["minimal"], build_graph=lambda s: nx.DiGraph())


def test_unknown_format(loaded: OxigraphStore) -> None:
    with pytest.raises(UnknownNameError) as info:
        export(loaded, "rdfxml")
    assert info.value.valid == sorted(EXPORT_FORMATS)


def test_resolve_graph(loaded: OxigraphStore) -> None:
    assert resolve_graph(loaded, "minimal") == GRAPH["minimal"]
    assert resolve_graph(loaded, str(GRAPH["hostile"])) == GRAPH["hostile"]
    with pytest.raises(UnknownNameError, match=r"unknown graph 'nope'; valid: hostile, minimal"):
        resolve_graph(loaded, "nope")
