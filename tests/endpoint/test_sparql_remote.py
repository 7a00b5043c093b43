"""The SPARQL endpoint on a remote store: Oxigraph server and Virtuoso answer /sparql as the
embedded store does, with the same protections.

Answers are compared with the embedded endpoint's (conftest's ``client``) after parsing, numbers
by value (Virtuoso writes ``1.5`` where Oxigraph writes ``1.50``). Writes go only to graphs made
here, on a throwaway Oxigraph server or, on the shared Virtuoso, to test graphs removed after.
Failures of the server (refused connection, HTTP errors, slowness, partial answers) are played
by a local fake server.
"""

from __future__ import annotations

import http.server
import io
import json
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from policygraph.settings import Settings
from policygraph.store.remote.store import RemoteStore
from policygraph.web.app import create_app
from tests.answers import graph_by_value, term_value
from tests.fakeserver import serving
from tests.servers import (  # noqa: F401 - fixtures used by name
    REQUIRE_ENV,
    Server,
    embedded_bundled,
    free_port,
    oxigraph_bundled,
    oxigraph_server,
    remote_store,
    running,
    start_oxigraph,
    stop,
    virtuoso_bundled,
    virtuoso_server,
)

ID = Namespace("https://w3id.org/policygraph/id/")
GRAPH = Namespace("https://w3id.org/policygraph/graph/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
EX = "https://example.org/sparql-remote-test/"
TOKEN = "remote-admin-token-0123456789"
AUTH = {"authorization": f"Bearer {TOKEN}"}
DIRECT = {"content-type": "application/sparql-query"}
UNUSED = Path("/nonexistent-store-unused")
PLANS = "SELECT ?plan WHERE { ?plan a pg:Plan } ORDER BY ?plan"
FROM_NS = ("SELECT ?plan FROM <https://w3id.org/policygraph/graph/national-strategy> "
           "WHERE { ?plan a pg:Plan }")
LABELS = ("CONSTRUCT { ?plan skos:prefLabel ?label } "
          "WHERE { ?plan a pg:Plan ; skos:prefLabel ?label }")
SELECTS = [
    ("SELECT ?plan ?label ?level WHERE { ?plan a pg:Plan ; pg:planLevel ?level ; "
     "skos:prefLabel ?label FILTER (LANG(?label) = 'en') } ORDER BY ?plan"),
    ("SELECT ?plan ?label WHERE { ?plan a pg:Plan ; skos:prefLabel ?label "
     "FILTER (LANG(?label) = 'th') }"),
    ("SELECT ?level (COUNT(?plan) AS ?n) WHERE { ?plan a pg:Plan ; pg:planLevel ?level } "
     "GROUP BY ?level"),
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    ("SELECT ?plan ?start WHERE { ?plan a pg:Plan OPTIONAL { ?plan pg:startDate ?start } } "
     "ORDER BY ?plan"),
]
SELECT_FORMATS = {"application/sparql-results+json": "json",
                  "application/sparql-results+xml": "xml", "text/csv": "csv",
                  "text/tab-separated-values": "tsv"}
GRAPH_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt",
                 "application/ld+json": "json-ld", "application/rdf+xml": "xml"}
ENGINES = {"oxigraph-server": "oxigraph_bundled", "virtuoso": "virtuoso_bundled"}
#: A graph on the server outside the store's graphs: a load's staging graph is never listed.
SECRET = "urn:x-policygraph:loading:sparql-remote-test-secret"
#: Virtuoso's own metadata graph, always there.
VIRTRDF = "http://www.openlinksw.com/schemas/virtrdf#"


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=list(ENGINES))
def remote(request: pytest.FixtureRequest) -> Iterator[tuple[RemoteStore, TestClient]]:
    """A read-only app on each server loaded with the bundled data."""
    store: RemoteStore = request.getfixturevalue(ENGINES[request.param])
    with TestClient(create_app(Settings(store=UNUSED), store=store)) as client:
        yield store, client


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An Oxigraph server of this module's own, for writes."""
    with running(start_oxigraph, tmp_path_factory.mktemp("sparql-remote-oxigraph")) as server:
        yield server


def _rows(response: Any, format: str) -> Counter[tuple[object, ...]]:
    assert response.status_code == 200, response.text
    result = Result.parse(io.BytesIO(response.content), format=format)
    return Counter(tuple(term_value(value) for value in row) for row in result)  # type: ignore[union-attr]


def _plans(response: Any) -> set[URIRef]:
    assert response.status_code == 200, response.text
    return {URIRef(str(row[0])) for row in Result.parse(  # type: ignore[index]
        io.BytesIO(response.content), format="json")}


def _graph(response: Any, format: str) -> Graph:
    assert response.status_code == 200, response.text
    return graph_by_value(Graph().parse(data=response.content, format=format))


# --- the same answers as the embedded store -------------------------------------------------

@pytest.mark.parametrize("accept", list(SELECT_FORMATS))
@pytest.mark.parametrize("query", SELECTS, ids=range(len(SELECTS)))
def test_select_answers_as_the_embedded_store(remote: tuple[RemoteStore, TestClient],
                                              client: Any, query: str, accept: str) -> None:
    _, server = remote
    headers = {"accept": accept}
    got = server.get("/sparql", params={"query": query}, headers=headers)
    expected = client.get("/sparql", params={"query": query}, headers=headers)
    assert got.headers["content-type"] == expected.headers["content-type"]
    format = SELECT_FORMATS[accept]
    assert _rows(got, format) == _rows(expected, format)
    assert sum(_rows(got, format).values()) >= 2


def test_get_post_form_and_post_direct_give_the_same_answer(
        remote: tuple[RemoteStore, TestClient]) -> None:
    _, server = remote
    get = server.get("/sparql", params={"query": PLANS})
    form = server.post("/sparql", data={"query": PLANS})
    direct = server.post("/sparql", content=PLANS.encode(), headers=DIRECT)
    assert get.content == form.content == direct.content
    assert len(_plans(get)) == 7


@pytest.mark.parametrize("accept", list(GRAPH_FORMATS))
def test_construct_answers_as_the_embedded_store(remote: tuple[RemoteStore, TestClient],
                                                 client: Any, accept: str) -> None:
    _, server = remote
    headers = DIRECT | {"accept": accept}
    got = server.post("/sparql", content=LABELS.encode(), headers=headers)
    expected = client.post("/sparql", content=LABELS.encode(), headers=headers)
    assert got.headers["content-type"] == expected.headers["content-type"]
    remote_graph, embedded_graph = _graph(got, GRAPH_FORMATS[accept]), _graph(
        expected, GRAPH_FORMATS[accept])
    assert len(remote_graph) == len(embedded_graph) > 10
    assert isomorphic(remote_graph, embedded_graph)


def test_describe(remote: tuple[RemoteStore, TestClient], client: Any) -> None:
    store, server = remote
    query = f"DESCRIBE <{ID}opdc-acp-2567/s1-a3>"
    got = server.get("/sparql", params={"query": query})
    assert got.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = _graph(got, "turtle")
    assert (ID["opdc-acp-2567/s1-a3"], None, None) in graph
    if not store.query_url.endswith("/sparql"):  # Virtuoso describes in its own way
        assert isomorphic(graph, _graph(client.get("/sparql", params={"query": query}),
                                        "turtle"))


@pytest.mark.parametrize("accept", ["application/sparql-results+json",
                                    "application/sparql-results+xml"])
def test_ask(remote: tuple[RemoteStore, TestClient], client: Any, accept: str) -> None:
    _, server = remote
    for query, answer in (("ASK { id:ns a pg:Plan }", True), ("ASK { id:ns a pg:Project }", False)):
        got = server.get("/sparql", params={"query": query}, headers={"accept": accept})
        expected = client.get("/sparql", params={"query": query}, headers={"accept": accept})
        assert got.content == expected.content
        parsed = Result.parse(io.BytesIO(got.content), format=accept.rsplit("+", 1)[-1])
        assert parsed.askAnswer is answer


@pytest.mark.parametrize(("query", "params"), [
    (PLANS, {}),
    (PLANS, {"default-graph-uri": str(GRAPH["national-strategy"])}),
    (PLANS, {"default-graph-uri": [str(GRAPH["national-strategy"]), str(GRAPH["opdc-acp-2567"])]}),
    (PLANS, {"named-graph-uri": str(GRAPH["opdc-acp-2567"])}),
    ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
     {"named-graph-uri": str(GRAPH["opdc-acp-2567"])}),
    ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
    (FROM_NS, {}),
    ("SELECT ?plan FROM NAMED <https://w3id.org/policygraph/graph/national-strategy> "
     "WHERE { ?plan a pg:Plan }", {}),
    (FROM_NS, {"default-graph-uri": str(GRAPH["opdc-acp-2567"])}),
    ("BASE <https://w3id.org/policygraph/graph/> SELECT ?plan FROM <national-strategy> "
     "FROM <opdc-acp-2567> WHERE { ?plan a pg:Plan }", {}),
    ("PREFIX g: <https://w3id.org/policygraph/graph/> SELECT ?g ?plan "
     "FROM NAMED g:national-strategy WHERE { GRAPH ?g { ?plan a pg:Plan } }", {}),
    ("SELECT ?plan FROM <https://example.org/no-such-graph> WHERE { ?plan a pg:Plan }", {}),
], ids=["union", "default-graph", "default-graphs", "named-only", "named-listed", "all-listed",
        "from", "from-named-only", "protocol-overrides-from", "relative-from", "prefixed-from",
        "absent-from"])
def test_datasets_as_on_the_embedded_store(remote: tuple[RemoteStore, TestClient], client: Any,
                                           query: str, params: dict[str, Any]) -> None:
    _, server = remote
    got = server.get("/sparql", params={"query": query, **params})
    expected = client.get("/sparql", params={"query": query, **params})
    assert _rows(got, "json") == _rows(expected, "json")


def test_relative_iris_and_predeclared_prefixes(remote: tuple[RemoteStore, TestClient]) -> None:
    _, server = remote
    response = server.get("/sparql", params={"query": "SELECT (<x> AS ?x) (id:ns AS ?ns) {}"})
    row = next(iter(Result.parse(io.BytesIO(response.content), format="json")))
    assert row[0] == URIRef("http://testserver/x") and row[1] == ID.ns  # type: ignore[index]


def test_the_service_description_lists_the_store_graphs(
        remote: tuple[RemoteStore, TestClient]) -> None:
    store, server = remote
    response = server.get("/sparql")
    assert response.status_code == 200, response.text
    description = Graph().parse(data=response.content, format="turtle")
    assert set(description.objects(None, SD.name)) == set(store.graphs())
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) not in description  # read-only


def test_the_query_page_runs_sparql_on_the_server(remote: tuple[RemoteStore, TestClient]) -> None:
    _, server = remote
    page = server.post("/query?lang=en", data={"query": PLANS})
    assert page.status_code == 200
    assert str(ID["nesdp13"]) in page.text or "nesdp13" in page.text


# --- the store's graphs only ----------------------------------------------------------------

@pytest.fixture
def secret_graph(remote: tuple[RemoteStore, TestClient]) -> Iterator[str]:
    """A triple in a graph on the server that is not one of the store's (a staging graph)."""
    store, _ = remote
    store.endpoint.update(f'INSERT DATA {{ GRAPH <{SECRET}> {{ <{EX}s> <{EX}p> "secret" }} }}')
    try:
        assert URIRef(SECRET) not in store.graphs()
        yield SECRET
    finally:
        store.endpoint.update(f"DROP SILENT GRAPH <{SECRET}>")


def _server_select(store: RemoteStore, query: str) -> list[dict[str, Any]]:
    """Rows of a query asked of the server directly, with the server's own dataset."""
    body = store.endpoint.query(query, "application/sparql-results+json").body
    rows: list[dict[str, Any]] = json.loads(body)["results"]["bindings"]
    return rows


def _server_count(store: RemoteStore, graph: str) -> int:
    rows = _server_select(
        store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"]["value"])


def test_graphs_outside_the_store_are_never_seen(remote: tuple[RemoteStore, TestClient],
                                                 secret_graph: str) -> None:
    store, server = remote
    hidden = [secret_graph] + ([VIRTRDF] if store.query_url.endswith("/sparql") else [])
    for graph in hidden:
        assert _server_count(store, graph) > 0  # it is there, on the server
        # Test queries of constant IRIs (the S608 rule is about SQL).
        attempts: list[tuple[str, dict[str, Any]]] = [
            (f"SELECT * WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", {}),
            (f"SELECT * FROM <{graph}> WHERE {{ ?s ?p ?o }}", {}),  # noqa: S608
            (f"SELECT * FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",  # noqa: S608
             {}),
            (f"SELECT * FROM <{graph}> FROM NAMED <{graph}> WHERE "  # noqa: S608
             "{ { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }", {}),
            (f"SELECT * FROM <{graph}> WHERE {{ ?s ?p ?o }}",  # noqa: S608
             {"default-graph-uri": graph, "named-graph-uri": graph}),
            ("SELECT * WHERE { ?s ?p ?o }", {"default-graph-uri": graph}),
            ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", {"named-graph-uri": graph}),
            ("SELECT * WHERE { ?s ?p ?o FILTER (?o = 'secret') }", {}),
        ]
        for query, params in attempts:
            response = server.get("/sparql", params={"query": query, **params})
            assert response.status_code == 200, response.text
            assert response.json()["results"]["bindings"] == [], (query, params)
        listed = server.get("/sparql", params={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
        assert graph not in listed.text
        assert server.get("/sparql/store", params={"graph": graph}).status_code == 404


# --- the same protections -------------------------------------------------------------------

@pytest.mark.parametrize("request_args", [
    {"method": "POST", "url": "/sparql", "data": {"update": "CLEAR ALL"}},
    {"method": "POST", "url": "/sparql", "content": b"DROP ALL",
     "headers": {"content-type": "application/sparql-update"}},
    {"method": "PUT", "url": f"/sparql/store?graph={EX}g", "content": b"<a> <b> <c> .",
     "headers": {"content-type": "text/turtle"}},
    {"method": "DELETE", "url": f"/sparql/store?graph={GRAPH['national-strategy']}"},
])
def test_writes_are_refused_when_admin_mode_is_off(remote: tuple[RemoteStore, TestClient],
                                                   request_args: dict[str, Any]) -> None:
    store, server = remote
    before = store.triple_count()
    response = server.request(**request_args)
    assert response.status_code == 403, response.text
    assert "read-only" in response.text and "POLICYGRAPH_ADMIN_TOKEN" in response.text
    assert store.triple_count() == before > 3000


@pytest.mark.parametrize("query", [
    "ASK {",
    "SELECT * WHERE { ?s ?p ?o } LIMIT x",
    "SELECT (<https://example.org/f>(1) AS ?x) {}",
    "SELECT ?s WHERE { ?s ?p ?o FILTER (<https://example.org/f>(?o)) }",
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
])
def test_bad_queries_are_400_as_on_the_embedded_store(remote: tuple[RemoteStore, TestClient],
                                                      client: Any, query: str) -> None:
    _, server = remote
    got = server.get("/sparql", params={"query": query})
    expected = client.get("/sparql", params={"query": query})
    assert got.status_code == expected.status_code == 400, got.text
    assert got.headers["content-type"].startswith("text/plain")
    assert got.text == expected.text


@pytest.mark.parametrize("query", [
    "SELECT (<bif:http_get>('http://127.0.0.1:9/') AS ?x) {}",
    "PREFIX b: <bif:> SELECT ?s WHERE { ?s ?p ?o FILTER (b:contains(?o, 'x')) }",
    "BASE <sql:x> SELECT * WHERE { ?s <y> ?o }",
    "SELECT ?s WHERE { ?s <\\u0062if:contains> 'x' }",
])
def test_server_procedures_are_refused(remote: tuple[RemoteStore, TestClient],
                                       query: str) -> None:
    _, server = remote
    response = server.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "bif: and sql: schemes" in response.text


@pytest.mark.parametrize(("query", "what"), [
    ("SELECT ?plan WHERE { ?plan a pg:Plan }", "rows"),
    ("CONSTRUCT WHERE { ?plan a pg:Plan }", "triples"),
])
def test_results_over_the_size_limit_are_refused(request: pytest.FixtureRequest, query: str,
                                                 what: str) -> None:
    for fixture in ENGINES.values():
        store: RemoteStore = request.getfixturevalue(fixture)
        settings = Settings(store=UNUSED, result_limit=5)
        with TestClient(create_app(settings, store=store)) as limited:
            response = limited.get("/sparql", params={"query": query})
            assert response.status_code == 413, response.text
            assert f"more than 5 {what}" in response.text
            assert "POLICYGRAPH_RESULT_LIMIT=5" in response.text
            assert limited.get("/sparql", params={"query": query + " LIMIT 5"}).status_code == 200


def test_unacceptable_formats_are_406(remote: tuple[RemoteStore, TestClient]) -> None:
    _, server = remote
    for query, accept in ((PLANS, "text/turtle"), ("ASK {}", "text/csv"),
                          (LABELS, "application/sparql-results+json")):
        response = server.get("/sparql", params={"query": query}, headers={"accept": accept})
        assert response.status_code == 406 and "Accept" in response.text


# --- a server that fails --------------------------------------------------------------------

def _app(url: str, store: RemoteStore | None = None, **settings: Any) -> TestClient:
    store = store or RemoteStore(url, timeout=5)
    return TestClient(create_app(Settings(store=UNUSED, **settings), store=store))


def test_a_server_that_is_down_is_a_502_naming_it() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    with _app(url) as down:
        for response in (down.get("/sparql", params={"query": PLANS}),
                         down.post("/sparql", content=LABELS.encode(), headers=DIRECT),
                         down.get("/sparql"),
                         down.get("/sparql/store", params={"graph": f"{EX}g"})):
            assert response.status_code == 502, response.text
            assert response.headers["content-type"].startswith("text/plain")
            assert f"the SPARQL server at {url}: connection refused" in response.text
            assert "Traceback" not in response.text
        page = down.post("/query?lang=en", data={"query": PLANS})
        assert page.status_code == 502 and "connection refused" in page.text


class _Fake(http.server.BaseHTTPRequestHandler):
    """A SPARQL server that lists no graphs and answers every query as the test sets."""

    status = 200
    body = b""
    content_type = "application/sparql-results+json"
    headers_out: dict[str, str] = {}  # noqa: RUF012 - set per test on a fresh subclass
    delay = 0.0
    queries: list[dict[str, list[str]]] = []  # noqa: RUF012 - set per test on a fresh subclass

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        status, body, content_type, extra = 200, b"", self.content_type, {}
        if "SELECT DISTINCT ?g" in form["query"][0]:  # the store lists its graphs
            body = b'{"head": {"vars": ["g"]}, "results": {"bindings": []}}'
            content_type = "application/sparql-results+json"
        else:
            self.queries.append(form | {"authorization": [self.headers.get("Authorization", "")]})
            time.sleep(self.delay)
            status, body, extra = self.status, self.body, self.headers_out
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def fake() -> Iterator[tuple[str, type[_Fake]]]:
    """A local fake SPARQL server: its URL and its handler class, set by each test."""
    with serving(_Fake, headers_out={}, queries=[]) as (url, handler):
        yield url, handler


@pytest.mark.parametrize(("status", "content_type", "body", "headers", "query", "code",
                          "message"), [
    (500, "text/plain", b"Virtuoso 42000 Error SR483: out of memory", {}, PLANS, 502,
     "answered the query with HTTP 500: Virtuoso 42000 Error SR483: out of memory"),
    (401, "text/plain", b"", {}, PLANS, 502, "(not allowed): check --endpoint-user"),
    (200, "application/sparql-results+json", b"<html>not json</html>", {}, PLANS, 502,
     "sent a malformed result: not SPARQL results JSON"),
    (200, "application/sparql-results+json",
     b'{"head": {"vars": ["s"]}, "results": {"bindings": '
     b'[{"s": {"type": "uri", "value": "a b"}}]}}',
     {}, PLANS, 502, "sent a malformed result: a binding is not a SPARQL JSON term"),
    (200, "text/html", b"<html></html>", {}, LABELS, 502,
     "sent a malformed result: a graph as text/html"),
    (200, "application/n-triples", b"<a> <b> .", {}, LABELS, 502, "sent a malformed result"),
    (200, "application/sparql-results+json", b'{"head": {}, "boolean": true}', {}, PLANS, 502,
     "answered a SELECT query with the wrong kind of result"),
    (200, "application/sparql-results+json", b'{"head": {"vars": []}, "results": {"bindings": []}}',
     {"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"}, PLANS, 503,
     "stopped the query early, at its own time limit (X-SQL-State S1TAT"),
])
def test_server_failures_are_clear_errors(fake: tuple[str, type[_Fake]], status: int,
                                          content_type: str, body: bytes,
                                          headers: dict[str, str], query: str, code: int,
                                          message: str) -> None:
    url, handler = fake
    handler.status, handler.content_type, handler.body = status, content_type, body
    handler.headers_out = headers
    with _app(url) as app:
        response = app.get("/sparql", params={"query": query})
    assert response.status_code == code, response.text
    assert f"The SPARQL server at {url} " in response.text and message in response.text
    assert "Traceback" not in response.text


def test_the_query_and_its_dataset_reach_the_server_as_checked(
        fake: tuple[str, type[_Fake]]) -> None:
    url, handler = fake
    handler.body = b'{"head": {"vars": ["s"]}, "results": {"bindings": [' \
                   b'{"s": {"type": "bnode", "value": "nodeID://b1001"}}]}}'
    query = "SELECT ?s FROM <https://example.org/g> WHERE { ?s a pg:Plan }"
    with _app(url) as app:
        response = app.get("/sparql", params={"query": query},
                           headers={"accept": "text/tab-separated-values"})
    assert response.status_code == 200, response.text
    assert response.text.splitlines()[1].startswith("_:")  # Virtuoso's label, made valid
    [sent] = handler.queries
    assert "FROM" not in sent["query"][0]  # the dataset goes as parameters only…
    assert sent["default-graph-uri"] == sent["named-graph-uri"] == [
        "urn:x-policygraph:no-graph"]  # …kept to the store's graphs (it has none)
    assert sent["query"][0].startswith("BASE <http://testserver/sparql>\nPREFIX pg: ")


@pytest.mark.parametrize(("options", "header"), [
    ({"user": "u", "password": "p"}, "Basic dTpw"),
    ({"token": "secret-token"}, "Bearer secret-token"),
])
def test_queries_carry_the_endpoint_credentials(fake: tuple[str, type[_Fake]],
                                                options: dict[str, str], header: str) -> None:
    url, handler = fake
    handler.body = b'{"head": {}, "boolean": true}'
    with _app(url, RemoteStore(url, **options)) as app:
        assert app.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
    assert handler.queries[0]["authorization"] == [header]


def test_digest_authentication_on_virtuoso(virtuoso_server: Server,  # noqa: F811
                                           virtuoso_bundled: RemoteStore) -> None:  # noqa: F811
    url = virtuoso_server.extra["auth_url"]
    store = RemoteStore(url, user="dba", password="dba", auth="digest")
    with _app(url, store) as app:
        answer = app.get("/sparql", params={"query": "ASK { id:ns a pg:Plan }"})
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        assert len(_plans(app.get("/sparql", params={"query": PLANS}))) == 7
    wrong = RemoteStore(url, user="dba", password="wrong", auth="digest")
    with _app(url, wrong) as app:
        refused = app.get("/sparql", params={"query": PLANS})
        assert refused.status_code == 502 and "(not allowed)" in refused.text


def test_a_slow_server_is_stopped_at_the_time_limit(fake: tuple[str, type[_Fake]]) -> None:
    url, handler = fake
    handler.delay = 4.0
    handler.body = b'{"head": {}, "boolean": true}'
    with _app(url, query_timeout=1) as app:
        response = app.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert response.status_code == 503
        assert response.text.startswith("The query was stopped after 1 s, this endpoint's "
                                        "time limit (POLICYGRAPH_QUERY_TIMEOUT)")
        handler.delay = 0
        assert app.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_an_ask_that_is_slow_to_check_is_stopped_too(fake: tuple[str, type[_Fake]]) -> None:
    url, handler = fake
    values = " ".join(str(i) for i in range(400))
    query = (f"ASK {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} "
             "FILTER (?a + ?b + ?c < 0) }")
    with _app(url, query_timeout=1) as app:
        response = app.post("/sparql", content=query.encode(), headers=DIRECT)
    assert response.status_code == 503 and "time limit" in response.text
    assert handler.queries == []  # never sent


# --- admin mode -----------------------------------------------------------------------------

@pytest.fixture
def admin(own_server: Server) -> Iterator[tuple[RemoteStore, TestClient]]:
    """An admin-mode app on this module's own Oxigraph server, emptied first."""
    store = remote_store(own_server)
    store.endpoint.update("DROP ALL")
    settings = Settings(store=UNUSED, admin_token=TOKEN)
    with TestClient(create_app(settings, store=store)) as client:
        yield store, client


def _ask(client: TestClient, query: str) -> bool:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    answer: bool = response.json()["boolean"]
    return answer


def test_admin_updates_go_to_the_server(admin: tuple[RemoteStore, TestClient]) -> None:
    store, client = admin
    update = (f"PREFIX ex: <{EX}> INSERT DATA {{ GRAPH ex:g {{ ex:alice ex:name 'Alice' ; "
              "ex:knows <bob> } }")
    assert client.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204
    assert URIRef(f"{EX}g") in store.graphs()
    assert _ask(client, f"ASK {{ <{EX}alice> <{EX}knows> <http://testserver/bob> }}")
    copy = f"INSERT {{ GRAPH <{EX}copy> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}"
    response = client.post("/sparql", content=copy.encode(), headers=AUTH | {
        "content-type": "application/sparql-update"}, params={"using-graph-uri": f"{EX}g"})
    assert response.status_code == 204, response.text
    assert store.triple_count(URIRef(f"{EX}copy")) == 2
    refused = client.post("/sparql", data={"update": "LOAD <http://127.0.0.1:9/x>"}, headers=AUTH)
    assert refused.status_code == 400 and "LOAD is disabled" in refused.text
    bad = client.post("/sparql", data={"update": "INSERT DATA { <a> }"}, headers=AUTH)
    assert bad.status_code == 400 and bad.text.startswith("invalid SPARQL Update: error at 1:")
    unauthorised = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert unauthorised.status_code == 401


def _graph_store_round_trip(client: TestClient, graph: str) -> None:
    turtle = {"content-type": "text/turtle"}
    person = f"<{EX}alice> <{EX}name> 'Alice' ; <{EX}knows> [ <{EX}name> 'Bob' ] ."
    put = client.put("/sparql/store", params={"graph": graph}, content=person.encode(),
                     headers=AUTH | turtle)
    assert put.status_code == 201, put.text
    read = client.get("/sparql/store", params={"graph": graph},
                      headers={"accept": "application/n-triples"})
    assert read.status_code == 200 and len(Graph().parse(data=read.text, format="nt")) == 3
    again = client.put("/sparql/store", params={"graph": graph}, content=person.encode(),
                       headers=AUTH | turtle)
    assert again.status_code == 204  # replaced, not doubled
    added = client.post("/sparql/store", params={"graph": graph}, headers=AUTH | turtle,
                        content=f"<{EX}carol> <{EX}name> 'Carol' .".encode())
    assert added.status_code == 204, added.text
    merged = Graph().parse(data=client.get("/sparql/store", params={"graph": graph}).text,
                           format="turtle")
    assert len(merged) == 4 and (URIRef(f"{EX}carol"), None, None) in merged
    assert client.head("/sparql/store", params={"graph": graph}).status_code == 200
    assert client.delete("/sparql/store", params={"graph": graph}, headers=AUTH).status_code == 204
    assert client.get("/sparql/store", params={"graph": graph}).status_code == 404
    assert client.delete("/sparql/store", params={"graph": graph}, headers=AUTH).status_code == 404


def test_graph_store_protocol_on_a_server(admin: tuple[RemoteStore, TestClient]) -> None:
    store, client = admin
    _graph_store_round_trip(client, f"{EX}gsp")
    created = client.post("/sparql/store", content=f"<{EX}x> <{EX}y> 1 .".encode(),
                          headers=AUTH | {"content-type": "text/turtle"})
    assert created.status_code == 201
    assert URIRef(created.headers["location"]) in store.graphs()
    default = client.put("/sparql/store?default", content=b"<a> <b> <c> .",
                         headers=AUTH | {"content-type": "text/turtle"})
    assert default.status_code == 501 and "Name a graph" in default.text
    assert client.get("/sparql/store?default").status_code == 501
    on_server = _server_select(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert not [row for row in on_server if "loading" in row["g"]["value"]]  # nothing staged


def test_graph_store_protocol_on_virtuoso(virtuoso_server: Server) -> None:  # noqa: F811
    store = remote_store(virtuoso_server)
    graph = f"{EX}virtuoso-gsp"
    settings = Settings(store=UNUSED, admin_token=TOKEN)
    try:
        with TestClient(create_app(settings, store=store)) as client:
            _graph_store_round_trip(client, graph)
            update = f"INSERT DATA {{ GRAPH <{graph}> {{ <{EX}a> <{EX}b> 'c' }} }}"
            assert client.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204
            assert _ask(client, f"ASK {{ <{EX}a> <{EX}b> 'c' }}")
    finally:
        store.drop_graph(URIRef(graph))
    assert URIRef(graph) not in store.graphs()
