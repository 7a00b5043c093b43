"""Comparing answers across engines by value: numbers as numbers, blank nodes as "a blank node".

Virtuoso writes ``12512400`` where Oxigraph writes ``12512400.0`` and stores an integral
xsd:decimal as xsd:integer; the order of the parts of a joined (GROUP_CONCAT) string is up to
the engine.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rdflib import BNode, Graph, Literal
from rdflib.namespace import XSD

from conftest import canonical

__all__ = ["NUMERIC", "graph_by_value", "term_value"]

NUMERIC = {str(XSD[name]) for name in ("decimal", "integer", "int", "long", "double", "float")}


def term_value(term: object, separator: str | None = None) -> object:
    """A result term as a comparable value; ``separator`` sorts the parts of a joined string."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) in NUMERIC:
        try:
            return ("number", Decimal(str(term)).normalize())
        except InvalidOperation:
            return str(term)
    if isinstance(term, Literal):
        text = str(term)
        if separator is not None:
            text = separator.join(sorted(text.split(separator)))
        return (text, term.language, str(term.datatype) if term.datatype else None)
    return str(term)


def graph_by_value(graph: Graph) -> Graph:
    """``graph`` canonicalised, every number an xsd:decimal in one lexical form."""
    out = Graph()
    for s, p, o in canonical(graph):
        if isinstance(o, Literal) and o.datatype is not None and str(o.datatype) in NUMERIC:
            o = Literal(str(Decimal(str(o))), datatype=XSD.decimal)
        out.add((s, p, o))
    return out
