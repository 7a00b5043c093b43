"""The store: one narrow interface, and the stores behind it.

Lives here: :class:`GraphStore` (``interface``), the embedded pyoxigraph store (``oxstore``)
with its atomic writes (``oxwrite``) and serialisation (``oxdump``), conversions between
pyoxigraph and rdflib terms (``terms``), query results (``results``), answers kept by a
read-only store (``resultcache``), the small SPARQL tokenizer (``lexer``), and the store on any
SPARQL 1.1 server (``remote/``).

May import: the kernel only (``policygraph.errors``, ``namespaces``, ``config``). Nothing here
knows about loading, SHACL, queries by name, the web app or the command line; the contracts in
``pyproject.toml`` (``lint-imports``) hold it to that.
"""

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
