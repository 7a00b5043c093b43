"""What a remote store's endpoint does to a query's text before sending it: FROM clauses out
(their graphs resolved as the parser resolves them), IRIs kept meaning the same on a server
that takes one BASE, the project prefixes declared, server procedures refused."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from policygraph.endpoint.dataset import resolve_iri, split_dataset
from policygraph.endpoint.remote import prepared, server_procedure
from policygraph.namespaces import PREFIXES

BASE = "http://a/b/c/d;p?q"
#: RFC 3986, section 5.4: normal and abnormal examples.
RFC_EXAMPLES = {
    "g:h": "g:h", "g": "http://a/b/c/g", "./g": "http://a/b/c/g", "g/": "http://a/b/c/g/",
    "/g": "http://a/g", "//g": "http://g", "?y": "http://a/b/c/d;p?y",
    "g?y": "http://a/b/c/g?y", "#s": "http://a/b/c/d;p?q#s", "g#s": "http://a/b/c/g#s",
    "g?y#s": "http://a/b/c/g?y#s", ";x": "http://a/b/c/;x", "g;x": "http://a/b/c/g;x",
    "g;x?y#s": "http://a/b/c/g;x?y#s", "": "http://a/b/c/d;p?q", ".": "http://a/b/c/",
    "./": "http://a/b/c/", "..": "http://a/b/", "../": "http://a/b/", "../g": "http://a/b/g",
    "../..": "http://a/", "../../": "http://a/", "../../g": "http://a/g",
    "../../../g": "http://a/g", "../../../../g": "http://a/g", "/./g": "http://a/g",
    "/../g": "http://a/g", "g.": "http://a/b/c/g.", ".g": "http://a/b/c/.g",
    "g..": "http://a/b/c/g..", "..g": "http://a/b/c/..g", "./../g": "http://a/b/g",
    "./g/.": "http://a/b/c/g/", "g/./h": "http://a/b/c/g/h", "g/../h": "http://a/b/c/h",
    "g;x=1/./y": "http://a/b/c/g;x=1/y", "g;x=1/../y": "http://a/b/c/y",
    "g?y/./x": "http://a/b/c/g?y/./x", "g?y/../x": "http://a/b/c/g?y/../x",
    "g#s/./x": "http://a/b/c/g#s/./x", "g#s/../x": "http://a/b/c/g#s/../x", "http:g": "http:g",
}


@pytest.mark.parametrize(("reference", "expected"), RFC_EXAMPLES.items())
def test_iris_resolve_as_rfc_3986_and_oxigraph_say(reference: str, expected: str) -> None:
    assert resolve_iri(reference, BASE) == expected
    [row] = ox.Store().query(f"SELECT (<{reference}> AS ?x) {{}}", base_iri=BASE)
    assert row["x"].value == expected


def test_a_relative_iri_without_a_base_is_unresolved() -> None:
    assert resolve_iri("g", None) is None and resolve_iri("urn:x", None) == "urn:x"


def test_from_clauses_are_taken_out_and_their_graphs_resolved() -> None:
    query = """BASE <http://ex.org/a/>
PREFIX e: <http://e/>
PREFIX r: <rel/>
SELECT ?x FROM <g1> FROM NAMED e:g\\.2 FROM id:ns
FROM NAMED r:x FROM <\\u0068ttp://h/> FROM undeclared:x WHERE { ?s ?p "FROM <s>" } # FROM <c>
"""
    clauses = split_dataset(query, "http://testserver/sparql", PREFIXES)
    assert clauses.given
    assert clauses.default_graphs == ("http://ex.org/a/g1", f"{PREFIXES['id']}ns", "http://h/")
    assert clauses.named_graphs == ("http://e/g.2", "http://ex.org/a/rel/x")
    assert "FROM" not in clauses.text.split("WHERE")[0]
    assert clauses.text.split("WHERE")[1] == ' { ?s ?p "FROM <s>" } # FROM <c>\n'
    ox.Store().query(clauses.text)  # still a query
    plain = split_dataset("SELECT * WHERE { ?s ?p ?o }", None, {})
    assert not plain.given and plain.text == "SELECT * WHERE { ?s ?p ?o }"


def _lines(text: str) -> list[str]:
    """The text's lines, without the predeclared PREFIX lines other than pg's."""
    return [line for line in text.splitlines()
            if not line.startswith("PREFIX ") or line.startswith(("PREFIX pg:", "PREFIX : "))]


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * { ?s ?p <y> }",
     ["BASE <http://testserver/sparql>", "PREFIX pg: <https://w3id.org/policygraph/ontology#>",
      "SELECT * { ?s ?p <y> }"]),
    ("PREFIX pg: <x> SELECT * { ?s ?p <y> }",  # pg is not declared twice
     ["BASE <http://testserver/sparql>",
      "PREFIX pg: <x> PREFIX id: <https://w3id.org/policygraph/id/>", "SELECT * { ?s ?p <y> }"]),
    ("# a comment\nBASE <a/> PREFIX : <b> BASE <c/> SELECT * {}",
     ["# a comment", "BASE <http://testserver/a/> PREFIX : <b> BASE <http://testserver/a/c/> "
      "PREFIX pg: <https://w3id.org/policygraph/ontology#>", "SELECT * {}"]),
    ("BASE <z/> CLEAR ALL ; INSERT DATA { <a> pg:b <c> }",
     ["BASE <http://testserver/z/> PREFIX pg: <https://w3id.org/policygraph/ontology#>",
      "CLEAR ALL ; INSERT DATA { <a> pg:b <c> }"]),
])
def test_the_sent_text_has_one_leading_base_and_the_prefixes(text: str,
                                                             expected: list[str]) -> None:
    sent = prepared(text, "http://testserver/sparql")
    assert _lines(sent) == expected
    form = ox.Store().update if "INSERT" in text else ox.Store().query
    form(sent)  # still valid


@pytest.mark.parametrize(("text", "refused"), [
    ("SELECT (<bif:http_get>('http://x/') AS ?x) {}", True),
    ("SELECT (<BIF:http_get>('http://x/') AS ?x) {}", True),
    ("PREFIX s: <sql:> SELECT * { ?s ?p ?o FILTER (s:x(?o)) }", True),
    ("SELECT * { ?s <\\u0062if:contains> 'x' }", True),
    ("SELECT * { ?s <http://example.org/bif:contains> 'bif:' }", False),
])
def test_server_procedures_are_found(text: str, refused: bool) -> None:
    assert (server_procedure(text) is not None) is refused
