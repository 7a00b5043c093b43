"""Comparing answers across engines by value: numbers as numbers, blank nodes as "a blank node".

Virtuoso writes ``12512400`` where Oxigraph writes ``12512400.0`` and stores an integral
xsd:decimal as xsd:integer; the order of the parts of a joined (GROUP_CONCAT) string is up to
the engine.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from rdflib import BNode, Graph, Literal
from rdflib.namespace import XSD

from policygraph.query.registry import NamedQuery, run_query
from policygraph.store import GraphStore
from tests.helpers import canonical

__all__ = ["NUMERIC", "answers", "concatenated", "example_params", "graph_by_value",
           "term_value"]

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


def example_params(query: NamedQuery) -> dict[str, str]:
    """The parameters of a named query's ``#+ example:`` lines."""
    params: dict[str, str] = {}
    for example in query.examples:
        for part in example.split("--param")[1:]:
            name, _, value = part.strip().partition("=")
            params[name] = value.strip().strip('"')
    return params


def concatenated(query: NamedQuery) -> dict[str, str]:
    """GROUP_CONCAT columns and their separators: their order of parts is up to the engine.

    A column a ``BIND`` computes from a concatenation (to put its language tag back, say)
    counts as one too.
    """
    found = re.findall(r'GROUP_CONCAT\(DISTINCT \?\w+; separator="([^"]+)"\) AS \?(\w+)',
                       query.text)
    joined = {name: separator for separator, name in found}
    for expression, name in re.findall(r"BIND \((.*?) AS \?(\w+)\)", query.text, re.DOTALL):
        for source, separator in list(joined.items()):
            if re.search(rf"\?{source}\b", expression):
                joined.setdefault(name, separator)
    return joined


def answers(store: GraphStore, query: NamedQuery) -> object:
    """The query's answer with its example parameters, comparable across engines with ==
    (a CONSTRUCT's graph: compare with rdflib's ``isomorphic``)."""
    result = run_query(store, query.name, example_params(query))
    if result.kind == "graph":
        graph = Graph()
        for triple in result.triples:
            graph.add(triple)
        return graph_by_value(graph)
    if result.kind == "ask":
        return result.boolean
    joined = concatenated(query)
    return Counter(tuple(term_value(row[name], joined.get(name)) for name in result.variables)
                   for row in result.rows)
