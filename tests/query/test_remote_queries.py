"""Every named query answers the same on Oxigraph server and Virtuoso as on the embedded store.

Answers are compared as multisets of rows; numbers are compared by value (Virtuoso writes
``12512400`` where Oxigraph writes ``12512400.0``) and blank nodes only as "a blank node".
Parameters are bound as RDF terms on every engine: a hostile string comes back unchanged.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef

from policygraph.query.registry import NamedQuery, list_queries, run_query
from policygraph.store import GraphStore
from tests.answers import answers
from tests.servers import (  # noqa: F401 - fixtures used by name
    embedded_bundled,
    oxigraph_bundled,
    oxigraph_server,
    virtuoso_bundled,
    virtuoso_server,
)

REMOTE = {"oxigraph-server": "oxigraph_bundled", "virtuoso": "virtuoso_bundled"}


@pytest.mark.parametrize("engine", list(REMOTE))
@pytest.mark.parametrize("query", list_queries(),
                         ids=lambda q: q.name)
def test_same_answers_as_the_embedded_store(request: pytest.FixtureRequest, engine: str,
                                            query: NamedQuery,
                                            embedded_bundled: GraphStore,  # noqa: F811
                                            ) -> None:
    remote: GraphStore = request.getfixturevalue(REMOTE[engine])
    expected = answers(embedded_bundled, query)
    got = answers(remote, query)
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
