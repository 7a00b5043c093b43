"""The SPARQL 1.1 Protocol endpoint on the bundled data: methods, formats, datasets, errors.

Every answer is parsed back (rdflib reads SPARQL JSON, XML, CSV and TSV results and every
RDF format) and compared with what the store itself answers in-process.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

import pytest
from rdflib import XSD, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from policygraph.store import OxigraphStore
from tests.helpers import canonical

ID = Namespace("https://w3id.org/policygraph/id/")
GRAPH = Namespace("https://w3id.org/policygraph/graph/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
PLANS = "SELECT ?plan WHERE { ?plan a pg:Plan } ORDER BY ?plan"
ALL_PLANS = {ID[name] for name in ("acp2", "ethics-strategy", "mp21", "ns", "nesdp13",
                                   "opdc-acp-2567", "opdc-strategy")}
LABELS = ("CONSTRUCT { ?plan skos:prefLabel ?label } "
          "WHERE { ?plan a pg:Plan ; skos:prefLabel ?label }")
DIRECT = {"content-type": "application/sparql-query"}


def _result(response: Any, format: str) -> Result:
    return Result.parse(io.BytesIO(response.content), format=format)


def _plans(response: Any, format: str = "json") -> set[URIRef]:
    return {URIRef(str(row[0])) for row in _result(response, format)}


def test_get_post_form_and_post_direct_give_the_same_answer(client: Any) -> None:
    get = client.get("/sparql", params={"query": PLANS})
    form = client.post("/sparql", data={"query": PLANS})
    direct = client.post("/sparql", content=PLANS.encode(), headers=DIRECT)
    for response in (get, form, direct):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/sparql-results+json"
        assert response.headers["vary"] == "Accept"
    assert get.content == form.content == direct.content
    assert _plans(get) == ALL_PLANS


@pytest.mark.parametrize(("accept", "format"), [
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
])
def test_select_results_in_every_format(client: Any, bundled_store: OxigraphStore,
                                        accept: str, format: str) -> None:
    query = ("SELECT ?plan ?label ?level WHERE { ?plan a pg:Plan ; pg:planLevel ?level ; "
             "skos:prefLabel ?label FILTER (LANG(?label) = 'en') } ORDER BY ?plan")
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == accept
    expected = bundled_store.query(query)
    rows = list(_result(response, format))
    assert len(rows) == len(expected.rows) >= 6
    for row, want in zip(rows, expected.rows, strict=True):
        assert [str(value) for value in row] == [str(want[v]) for v in expected.variables]
    if format in ("json", "xml", "tsv"):  # these keep term types; CSV keeps only the text
        assert rows[0][1] == expected.rows[0]["label"]  # a language-tagged literal
        assert rows[0][2] == expected.rows[0]["level"]  # a typed literal


@pytest.mark.parametrize("accept", ["application/sparql-results+json",
                                    "application/sparql-results+xml"])
def test_ask_results(client: Any, accept: str) -> None:
    format = accept.rsplit("+", 1)[-1]
    yes = client.get("/sparql", params={"query": "ASK { id:ns a pg:Plan }"},
                     headers={"accept": accept})
    no = client.get("/sparql", params={"query": "ASK { id:ns a pg:Project }"},
                    headers={"accept": accept})
    assert _result(yes, format).askAnswer is True
    assert _result(no, format).askAnswer is False


@pytest.mark.parametrize(("accept", "format"), [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
def test_construct_in_every_rdf_format(client: Any, bundled_store: OxigraphStore,
                                       accept: str, format: str) -> None:
    response = client.post("/sparql", content=LABELS.encode(),
                           headers=DIRECT | {"accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=response.content, format=format)
    expected = Graph()
    for triple in bundled_store.query(LABELS).triples:
        expected.add(triple)
    assert len(graph) == len(expected) > 10
    assert isomorphic(canonical(graph), canonical(expected))


def test_describe_defaults_to_turtle(client: Any) -> None:
    response = client.get("/sparql", params={"query": f"DESCRIBE <{ID}opdc-acp-2567/s1-a3>"})
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=response.content, format="turtle")
    assert (ID["opdc-acp-2567/s1-a3"], None, None) in graph


def test_accept_quality_values_choose_the_format(client: Any) -> None:
    accept = "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1"
    response = client.get("/sparql", params={"query": PLANS}, headers={"accept": accept})
    assert response.headers["content-type"] == "application/sparql-results+xml"
    accept = "text/turtle;q=0.2, application/n-triples"
    response = client.get("/sparql", params={"query": LABELS}, headers={"accept": accept})
    assert response.headers["content-type"].startswith("application/n-triples")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", params={"query": PLANS}, headers={"accept": browser})
    assert response.headers["content-type"] == "application/sparql-results+xml"


@pytest.mark.parametrize(("query", "accept"), [
    (PLANS, "text/html"),
    (PLANS, "text/turtle"),
    ("ASK {}", "text/csv"),
    (LABELS, "application/sparql-results+json"),
])
def test_unacceptable_formats_are_406(client: Any, query: str, accept: str) -> None:
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 406
    assert response.headers["content-type"].startswith("text/plain")
    assert "Accept" in response.text


def _select(client: Any, query: str, **params: Any) -> set[URIRef]:
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return _plans(response)


def test_without_a_dataset_the_default_graph_is_the_union(client: Any) -> None:
    assert _select(client, PLANS) == ALL_PLANS


def test_protocol_dataset_parameters(client: Any) -> None:
    ns, acp = str(GRAPH["national-strategy"]), str(GRAPH["opdc-acp-2567"])
    assert _select(client, PLANS, **{"default-graph-uri": ns}) == {ID.ns}
    both = _select(client, PLANS, **{"default-graph-uri": [ns, acp]})
    assert both == {ID.ns, ID["opdc-acp-2567"]}
    # Only named graphs: the default graph is empty, GRAPH sees just those graphs.
    named = {"named-graph-uri": acp}
    assert _select(client, PLANS, **named) == set()
    graphs = _select(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", **named)
    assert graphs == {URIRef(acp)}


def test_from_clauses_define_the_dataset_and_protocol_parameters_override_them(
        client: Any) -> None:
    acp = str(GRAPH["opdc-acp-2567"])
    from_ns = ("SELECT ?plan FROM <https://w3id.org/policygraph/graph/national-strategy> "
               "WHERE { ?plan a pg:Plan }")
    assert _select(client, from_ns) == {ID.ns}
    from_named = ("SELECT ?plan FROM NAMED <https://w3id.org/policygraph/graph/national-strategy>"
                  " WHERE { ?plan a pg:Plan }")
    assert _select(client, from_named) == set()
    assert _select(client, from_ns, **{"default-graph-uri": acp}) == {ID["opdc-acp-2567"]}


def test_relative_iris_resolve_against_the_endpoint_and_prefixes_are_predeclared(
        client: Any) -> None:
    response = client.get("/sparql", params={"query": "SELECT (<x> AS ?x) (id:ns AS ?ns) {}"})
    row = next(iter(_result(response, "json")))
    assert row[0] == URIRef("http://testserver/x") and row[1] == ID.ns


@pytest.mark.parametrize(("request_args", "message"), [
    ({"method": "GET", "url": "/sparql?query=ASK%20%7B"}, "error at 1:"),
    ({"method": "GET", "url": "/sparql?query=ASK{}&query=ASK{}"}, "exactly one"),
    ({"method": "GET", "url": "/sparql?query=ASK{}&update=CLEAR%20ALL"}, "POST"),
    ({"method": "POST", "url": "/sparql", "data": {"query": "ASK{}", "update": "CLEAR ALL"}},
     "both"),
    ({"method": "PUT", "url": "/sparql?query=ASK{}"}, "GET or POST"),
    ({"method": "POST", "url": "/sparql", "content": b"ASK {}",
      "headers": {"content-type": "text/plain"}}, "unsupported Content-Type"),
    ({"method": "POST", "url": "/sparql", "content": b"query=ASK%20%7B%7D"}, "Content-Type"),
    ({"method": "POST", "url": "/sparql", "content": "ASK {}".encode("utf-16"),
      "headers": {"content-type": "application/sparql-query; charset=UTF-16"}}, "UTF-8"),
    ({"method": "POST", "url": "/sparql", "content": b"ASK { ?s ?p '\xff' }",
      "headers": DIRECT}, "not valid UTF-8"),
    ({"method": "GET", "url": "/sparql?query=ASK{}&default-graph-uri=not%20an%20iri"},
     "default-graph-uri"),
    ({"method": "POST", "url": "/sparql", "data": {"name": "x"}}, "neither"),
    ({"method": "GET", "url": "/sparql?query=SELECT * { SERVICE <http://127.0.0.1:9/> {} }"},
     "SERVICE"),
])
def test_protocol_errors_are_400_with_a_message(client: Any, request_args: dict[str, Any],
                                                message: str) -> None:
    response = client.request(**request_args)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert message in response.text


def test_a_bare_get_returns_the_service_description(client: Any) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200
    description = Graph().parse(data=response.content, format="turtle")
    service = URIRef("http://testserver/sparql")
    assert (service, SD.endpoint, service) in description
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in description  # read-only
    assert (service, SD.feature, SD.UnionDefaultGraph) in description
    names = set(description.objects(None, SD.name))
    assert GRAPH["opdc-acp-2567"] in names
    jsonld = client.get("/sparql", headers={"accept": "application/ld+json"})
    assert len(Graph().parse(data=jsonld.content, format="json-ld")) == len(description)


def test_literals_keep_language_datatype_and_escapes(client: Any) -> None:
    query = "SELECT ?v WHERE { VALUES ?v { 'ไทย'@th '12.50'^^xsd:decimal \"a\\\"b\" } }"
    response = client.get("/sparql", params={"query": query})
    values = [row[0] for row in _result(response, "json")]
    assert Literal("ไทย", lang="th") in values
    assert Literal('a"b') in values
    assert Literal("12.5", datatype=XSD.decimal) in values  # same value; Oxigraph canonicalises


def test_openapi_documents_the_endpoint_without_duplicate_operations() -> None:
    from pathlib import Path

    from policygraph.settings import Settings
    from policygraph.web.app import create_app

    app = create_app(Settings(store=Path("/nonexistent-store-unused")), store=OxigraphStore())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # FastAPI warns about duplicate operation ids
        schema = app.openapi()
    assert {"get", "post"} <= set(schema["paths"]["/sparql"])
    assert {"get", "put", "post", "delete"} <= set(schema["paths"]["/sparql/store"])
