"""TODO"""

from policygraph.store.interface import (
    DUMP_FORMATS,
    GraphStore,
    OxigraphStore,
    QueryResult,
    checked_iri,
    graph_triples,
)

__all__ = ["DUMP_FORMATS", "GraphStore", "OxigraphStore", "QueryResult", "checked_iri",
           "graph_triples"]
