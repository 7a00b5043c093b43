"""Parameters bound in the text for a SPARQL server: the same answers as pyoxigraph's own
substitution, on a real store, for every named query and both binding styles."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from policygraph.namespaces import PREFIXES
from policygraph.query.registry import NamedQuery, bind_params, list_queries
from policygraph.store import OxigraphStore
from policygraph.store.remote.sparql import with_bindings, with_prefixes
from policygraph.store.terms import to_oxigraph, to_rdflib
from tests.answers import concatenated, example_params, term_value

EX = "https://example.org/bind/"


def _rows(result: object, query: NamedQuery) -> object:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return sorted(str(triple) for triple in result)
    assert isinstance(result, ox.QuerySolutions)
    names = [variable.value for variable in result.variables]
    joined = concatenated(query)
    return sorted(
        (tuple(term_value(to_rdflib(value) if (value := row[name]) is not None else None,
                          joined.get(name)) for name in names) for row in result), key=repr)


@pytest.mark.parametrize("substitute", [True, False], ids=["substitute", "values-only"])
@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_text_bindings_answer_as_substitution(bundled_store: OxigraphStore, query: NamedQuery,
                                              substitute: bool) -> None:
    bindings = bind_params(query, example_params(query))
    store = bundled_store.oxigraph
    expected = store.query(query.text, prefixes=PREFIXES, use_default_graph_as_union=True,
                           substitutions={ox.Variable(name): to_oxigraph(term)
                                          for name, term in bindings.items()} or None)
    text = with_prefixes(with_bindings(query.text, bindings, substitute=substitute))
    got = store.query(text, use_default_graph_as_union=True)
    assert _rows(got, query) == _rows(expected, query)


def test_optional_groups_get_the_term_not_a_values_block() -> None:
    text = ("SELECT ?s ?label WHERE { ?s a ?kind "
            "OPTIONAL { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label "
            "FILTER (LANGMATCHES(LANG(?label), ?lang)) } }")
    bound = with_bindings(text, {"lang": Literal("th"), "kind": URIRef(EX + "Kind")})
    optional = bound[bound.index("OPTIONAL"):]
    assert "VALUES" not in optional and 'LANGMATCHES(LANG(?label), "th")' in optional
    assert bound.index("VALUES ?lang") < bound.index("OPTIONAL")
    kept = with_bindings(text, {"lang": Literal("th")}, substitute=False)
    assert 'OPTIONAL { VALUES ?lang { "th" }' in kept


@pytest.mark.parametrize("inner", [
    "FILTER (BOUND(?lang))",
    "{ SELECT ?lang WHERE { ?s ?p ?lang } }",
])
def test_no_substitution_where_a_term_would_be_invalid(inner: str) -> None:
    text = f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ ?s ?q ?x {inner} }} }}"
    bound = with_bindings(text, {"lang": Literal("th")})
    ox.Store().query(bound)  # still valid SPARQL
    assert '"th" ' not in bound.replace('{ "th" }', "")


def test_a_hostile_literal_stays_a_literal_in_an_optional() -> None:
    store = ox.Store()
    graph = ox.NamedNode(EX + "g")
    hostile = 'th") } } DROP ALL #\n"\\'
    store.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"),
                      ox.Literal(hostile), graph))
    text = "SELECT ?s ?hit WHERE { ?s ?p ?o OPTIONAL { ?s ?p ?hit FILTER (?hit = ?value) } }"
    bound = with_bindings(text, {"value": Literal(hostile)})
    rows = list(store.query(bound, use_default_graph_as_union=True))
    assert [row["hit"].value for row in rows] == [hostile]  # type: ignore[union-attr]
