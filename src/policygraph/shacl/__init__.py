"""SHACL: the project's shapes checked as SPARQL on pyoxigraph, with pySHACL's findings.

Lives here: the shapes read into a model (``shapes``), the rules for literals
(``literals``), the shapes compiled to SPARQL queries (``sparql``), the engine that runs them
over a pyoxigraph dataset (``engine``), and findings and reports in Thai and English
(``findings``).

May import: :mod:`policygraph.store` (its safe SPARQL term writing) and the kernel.
"""
