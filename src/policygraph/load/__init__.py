"""Loading files into the store: parse, validate, derive, then replace graphs atomically.

Lives here: parsing Turtle into the graph named after the file (``parsing``), the derivation
rules that materialise ``pg:supports`` and ``pg:inPlan`` (``derive``), the SHACL validator
the loader calls (``validate``), checks without writing (``checks``), the loader
(``loader``), the fast path that stages files in pyoxigraph (``staging``), and the facts
derived from all the graphs at once: the upward closure (``closure``), the facts and how they
are read from any store (``facts``), and keeping them right with every write
(``materialise``), deriving again only what a change touches (``increment``).

May import: :mod:`policygraph.shacl`, :mod:`policygraph.store` and the kernel.
"""
