"""Asking the graph: named queries, element lookup, traces, and what answers look like.

Lives here: the registry of named queries in ``queries/*.rq`` with their ``#+`` headers
(``registry``) and typed parameters (``params``), finding an element by IRI, CURIE or label
(``resolve``), traces and the networkx alignment graph (``trace``), what an element reaches
and on what basis (``reach``), tables, CSV and SPARQL JSON (``display``), and RDF and GraphML
exports (``export``).

May import: :mod:`policygraph.store` and the kernel.
"""
