"""Every named query answers the same on Oxigraph server and Virtuoso as on the embedded store.

Answers are compared as multisets of rows; numbers are compared by value (Virtuoso writes
``12512400`` where Oxigraph writes ``12512400.0``) and blank nodes only as "a blank node".
Parameters are bound as RDF terms on every engine: a hostile string comes back unchanged.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from conftest import canonical
from policygraph.queries import NamedQuery, list_queries, run_query
from policygraph.store import GraphStore
from servers import (  # noqa: F401 - fixtures used by name
    embedded_bundled,
    oxigraph_bundled,
    oxigraph_server,
    virtuoso_bundled,
    virtuoso_server,
)

REMOTE = {"oxigraph-server": "oxigraph_bundled", "virtuoso": "virtuoso_bundled"}
_NUMERIC = {str(XSD[name]) for name in ("decimal", "integer", "int", "long", "double", "float")}
#: Queries other work is still writing (not yet committed); compared once they settle.
_PENDING = {"graph-search", "graph-down", "graph-node", "graph-up"}
_GROUP_CONCAT = ("Virtuoso 7.2's GROUP_CONCAT turns every non-ASCII character into '?' "
                 "(the Thai labels and the '§' of locations)")
_PATHS = ("Virtuoso's (a|b|c|d)+ between two variables bound elsewhere reaches elements it "
          "should not (extra rows)")
#: Known differences on Virtuoso, each a bug of Virtuoso 7.2.5 seen here; strict, so a fix shows.
VIRTUOSO_KNOWN = {"alignments": _GROUP_CONCAT, "element-alignments": _GROUP_CONCAT,
                  "responsibility": _GROUP_CONCAT, "schedule": _GROUP_CONCAT,
                  "trace-up": _GROUP_CONCAT, "trace-down": _PATHS}


def _concatenated(query: NamedQuery) -> dict[str, str]:
    """GROUP_CONCAT columns and their separators: their order of parts is up to the engine."""
    found = re.findall(r'GROUP_CONCAT\(DISTINCT \?\w+; separator="([^"]+)"\) AS \?(\w+)',
                       query.text)
    return {name: separator for separator, name in found}


def _value(term: object, separator: str | None = None) -> object:
    if term is None:
        return None
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) in _NUMERIC:
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


def _by_value(graph: Graph) -> Graph:
    """``graph`` with every number as an xsd:decimal in one lexical form (Virtuoso stores an
    integral xsd:decimal as xsd:integer)."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None and str(o.datatype) in _NUMERIC:
            o = Literal(str(Decimal(str(o))), datatype=XSD.decimal)
        out.add((s, p, o))
    return canonical(out)


def _example_params(query: NamedQuery) -> dict[str, str]:
    params: dict[str, str] = {}
    for example in query.examples:
        for part in example.split("--param")[1:]:
            name, _, value = part.strip().partition("=")
            params[name] = value.strip().strip('"')
    return params


def _answers(store: GraphStore, query: NamedQuery) -> object:
    result = run_query(store, query.name, _example_params(query))
    if result.kind == "graph":
        graph = Graph()
        for triple in result.triples:
            graph.add(triple)
        return _by_value(graph)
    if result.kind == "ask":
        return result.boolean
    joined = _concatenated(query)
    return Counter(tuple(_value(row[name], joined.get(name)) for name in result.variables)
                   for row in result.rows)


@pytest.mark.parametrize("engine", list(REMOTE))
@pytest.mark.parametrize("query", [q for q in list_queries() if q.name not in _PENDING],
                         ids=lambda q: q.name)
def test_same_answers_as_the_embedded_store(request: pytest.FixtureRequest, engine: str,
                                            query: NamedQuery,
                                            embedded_bundled: GraphStore,  # noqa: F811
                                            ) -> None:
    if engine == "virtuoso" and query.name in VIRTUOSO_KNOWN:
        request.applymarker(pytest.mark.xfail(reason=VIRTUOSO_KNOWN[query.name], strict=True))
    remote: GraphStore = request.getfixturevalue(REMOTE[engine])
    expected = _answers(embedded_bundled, query)
    got = _answers(remote, query)
    if isinstance(expected, Graph):
        from rdflib.compare import graph_diff, isomorphic

        assert isinstance(got, Graph)
        if not isomorphic(expected, got):
            _, only_embedded, only_remote = graph_diff(expected, got)
            pytest.fail(f"{query.name} on {engine}: {len(only_embedded)} triples only embedded, "
                        f"{len(only_remote)} only remote, e.g. "
                        f"{sorted(only_embedded)[:2]} / {sorted(only_remote)[:2]}")
        return
    if expected != got:
        assert isinstance(expected, Counter) and isinstance(got, Counter)
        pytest.fail(f"{query.name} on {engine}: only embedded {list(expected - got)[:3]}; "
                    f"only remote {list(got - expected)[:3]}")


HOSTILE = ['"} ; DROP ALL ; {', "it's \"quoted\"\nover\r\ntwo lines\t\\ and \\u0022",
           "} } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o", "'''\"\"\"#<>"]


@pytest.mark.parametrize("engine", ["embedded", *REMOTE])
def test_hostile_parameters_are_matched_literally(request: pytest.FixtureRequest,
                                                  engine: str) -> None:
    fixture = REMOTE.get(engine, "embedded_bundled")
    store: GraphStore = request.getfixturevalue(fixture)
    before = store.triple_count()
    for text in HOSTILE:
        echoed = store.query("SELECT ?text WHERE { }", {"text": Literal(text)}).rows
        assert [str(row["text"]) for row in echoed] == [text]
        assert run_query(store, "find-element", {"text": text}).rows == []
        iri = URIRef("https://example.org/x?q=" + "a%22b")
        asked = store.query("SELECT ?x WHERE { }", {"x": iri}).rows
        assert [row["x"] for row in asked] == [iri]
    assert store.triple_count() == before > 3000
