"""Writes: read-only by default (403), admin mode with a bearer token (401 without it),
SPARQL Update with using-graph-uri, and the Graph Store Protocol round trip.

Writes only ever go to throwaway stores made here (in memory, or on disk under tmp_path).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from policygraph.settings import Settings
from policygraph.store import OxigraphStore
from policygraph.web.app import create_app

TOKEN = "test-admin-token-0123456789"
AUTH = {"authorization": f"Bearer {TOKEN}"}
EX = Namespace("http://example.org/")
UPDATE = {"content-type": "application/sparql-update"}
PERSON = b"""@prefix ex: <http://example.org/> .
ex:alice ex:name "Alice" ; ex:knows [ ex:name "Bob" ] .
"""
STORE = "/sparql/store"


def _ask(client: TestClient, query: str) -> bool:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    answer = Result.parse(io.BytesIO(response.content), format="json").askAnswer
    assert isinstance(answer, bool)
    return answer


@pytest.fixture
def admin() -> Iterator[TestClient]:
    """An admin-mode app on a throwaway in-memory store."""
    store = OxigraphStore()
    settings = Settings(store=Path("/nonexistent-store-unused"), admin_token=TOKEN)
    with TestClient(create_app(settings, store=store)) as client:
        yield client
    store.close()


# --- read-only by default -------------------------------------------------------------------

@pytest.mark.parametrize("request_args", [
    {"method": "POST", "url": "/sparql", "data": {"update": "CLEAR ALL"}},
    {"method": "POST", "url": "/sparql", "content": b"DROP ALL", "headers": UPDATE},
    {"method": "PUT", "url": f"{STORE}?graph=http://example.org/g", "content": PERSON,
     "headers": {"content-type": "text/turtle"}},
    {"method": "POST", "url": STORE, "content": PERSON, "headers": {"content-type": "text/turtle"}},
    {"method": "DELETE", "url": f"{STORE}?default"},
])
def test_writes_are_refused_when_admin_mode_is_off(client: Any, bundled_store: OxigraphStore,
                                                   request_args: dict[str, Any]) -> None:
    before = bundled_store.triple_count()
    headers = request_args.get("headers", {}) | AUTH  # even with a token: admin mode is off
    response = client.request(**(request_args | {"headers": headers}))
    assert response.status_code == 403
    assert "read-only" in response.text and "POLICYGRAPH_ADMIN_TOKEN" in response.text
    assert bundled_store.triple_count() == before


def test_graphs_can_be_read_without_admin_mode(client: Any) -> None:
    graph = "https://w3id.org/policygraph/graph/national-strategy"
    response = client.get(STORE, params={"graph": graph})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    data = Graph().parse(data=response.content, format="turtle")
    assert (URIRef("https://w3id.org/policygraph/id/ns"), None, None) in data
    assert client.head(STORE, params={"graph": graph}).status_code == 200
    assert client.get(STORE, params={"graph": "http://example.org/none"}).status_code == 404
    assert client.get(STORE).status_code == 400  # no graph named


# --- admin mode -----------------------------------------------------------------------------

@pytest.mark.parametrize(("headers", "error"), [
    ({}, None),
    ({"authorization": "Bearer wrong-token-0123456789"}, "invalid_token"),
    ({"authorization": f"Basic {TOKEN}"}, None),
])
def test_admin_mode_needs_the_bearer_token(admin: TestClient, headers: dict[str, str],
                                           error: str | None) -> None:
    for response in (
        admin.post("/sparql", content=b"INSERT DATA { <a:s> <a:p> 1 }", headers=UPDATE | headers),
        admin.put(f"{STORE}?default", content=PERSON, headers={"content-type": "text/turtle"}
                  | headers),
    ):
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert (error or "Bearer") in response.headers["www-authenticate"]
    assert not _ask(admin, "ASK { ?s ?p ?o }")


def test_admin_updates_by_form_and_directly(admin: TestClient) -> None:
    insert = "INSERT DATA { GRAPH ex:g { ex:a ex:p 'one' } }"
    response = admin.post("/sparql", data={"update": f"PREFIX ex: <{EX}> {insert}"},
                          headers=AUTH)
    assert response.status_code == 204, response.text
    # The workers see the write at once (they reopen the store after each write).
    assert _ask(admin, f"ASK {{ <{EX}a> <{EX}p> 'one' }}")
    direct = f"PREFIX ex: <{EX}> DELETE DATA {{ GRAPH ex:g {{ ex:a ex:p 'one' }} }}"
    assert admin.post("/sparql", content=direct.encode(), headers=UPDATE | AUTH).status_code == 204
    assert not _ask(admin, f"ASK {{ <{EX}a> <{EX}p> 'one' }}")
    description = admin.get("/sparql").text
    assert "SPARQL11Update" in description


def test_update_using_graph_parameters(admin: TestClient) -> None:
    setup = (f"INSERT DATA {{ GRAPH <{EX}g1> {{ <{EX}a> a <{EX}T> }} "
             f"GRAPH <{EX}g2> {{ <{EX}b> a <{EX}T> }} }}")
    assert admin.post("/sparql", content=setup.encode(), headers=UPDATE | AUTH).status_code == 204
    copy = f"INSERT {{ GRAPH <{EX}out> {{ ?s a <{EX}Seen> }} }} WHERE {{ ?s a <{EX}T> }}"
    response = admin.post("/sparql", params={"using-graph-uri": f"{EX}g1"},
                          content=copy.encode(), headers=UPDATE | AUTH)
    assert response.status_code == 204, response.text
    assert _ask(admin, f"ASK {{ GRAPH <{EX}out> {{ <{EX}a> a <{EX}Seen> }} }}")
    assert not _ask(admin, f"ASK {{ GRAPH <{EX}out> {{ <{EX}b> a <{EX}Seen> }} }}")
    conflict = f"WITH <{EX}g1> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"
    response = admin.post("/sparql", params={"using-graph-uri": f"{EX}g2"},
                          content=conflict.encode(), headers=UPDATE | AUTH)
    assert response.status_code == 400 and "USING" in response.text
    shorthand = "DELETE WHERE { ?s ?p ?o }"
    response = admin.post("/sparql", params={"using-graph-uri": f"{EX}g2"},
                          content=shorthand.encode(), headers=UPDATE | AUTH)
    assert response.status_code == 400 and "DELETE WHERE" in response.text
    assert _ask(admin, f"ASK {{ GRAPH <{EX}g2> {{ ?s ?p ?o }} }}")  # nothing was deleted


@pytest.mark.parametrize(("update", "message"), [
    ("CLEAR XYZ", "invalid SPARQL Update"),
    ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD is disabled"),
    ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
])
def test_bad_updates_are_400(admin: TestClient, update: str, message: str) -> None:
    response = admin.post("/sparql", content=update.encode(), headers=UPDATE | AUTH)
    assert response.status_code == 400
    assert message in response.text


def _get(client: TestClient, graph: str, accept: str = "text/turtle") -> Graph:
    response = client.get(STORE, params={"graph": graph}, headers={"accept": accept})
    assert response.status_code == 200, response.text
    format = {"text/turtle": "turtle", "application/n-triples": "nt",
              "application/ld+json": "json-ld", "application/rdf+xml": "xml"}[accept]
    return Graph().parse(data=response.content, format=format)


def test_graph_store_protocol_round_trip(admin: TestClient) -> None:
    graph = f"{EX}people"
    turtle = {"content-type": "text/turtle; charset=utf-8"} | AUTH
    assert admin.put(STORE, params={"graph": graph}, content=PERSON,
                     headers=turtle).status_code == 201
    expected = Graph().parse(data=PERSON, format="turtle")
    for accept in ("text/turtle", "application/n-triples", "application/ld+json",
                   "application/rdf+xml"):
        assert isomorphic(_get(admin, graph, accept), expected), accept
    # The endpoint's queries see it too (default graph = union of the named graphs).
    assert _ask(admin, f"ASK {{ <{EX}alice> <{EX}name> 'Alice' }}")
    # PUT replaces (204: the graph existed); POST merges, in any RDF syntax.
    assert admin.put(STORE, params={"graph": graph},
                     content=f'<{EX}carol> <{EX}name> "Carol" .'.encode(),
                     headers={"content-type": "application/n-triples"} | AUTH).status_code == 204
    jsonld = f'{{"@id": "{EX}dave", "{EX}name": "Dave"}}'.encode()
    assert admin.post(STORE, params={"graph": graph}, content=jsonld,
                      headers={"content-type": "application/ld+json"} | AUTH).status_code == 204
    rdfxml = (f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
              f'xmlns:ex="{EX}"><rdf:Description rdf:about="{EX}erin"><ex:name>Erin</ex:name>'
              f'</rdf:Description></rdf:RDF>').encode()
    assert admin.post(STORE, params={"graph": graph}, content=rdfxml,
                      headers={"content-type": "application/rdf+xml"} | AUTH).status_code == 204
    names = {str(o) for o in _get(admin, graph).objects(None, EX.name)}
    assert names == {"Carol", "Dave", "Erin"}
    head = admin.head(STORE, params={"graph": graph}, headers={"accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == "text/turtle; charset=utf-8"
    assert admin.delete(STORE, params={"graph": graph}, headers=AUTH).status_code == 204
    assert admin.get(STORE, params={"graph": graph}).status_code == 404
    assert admin.delete(STORE, params={"graph": graph}, headers=AUTH).status_code == 404
    assert not _ask(admin, f"ASK {{ <{EX}carol> ?p ?o }}")


def test_graph_store_default_graph_new_graphs_and_errors(admin: TestClient) -> None:
    turtle = {"content-type": "text/turtle"} | AUTH
    assert admin.put(f"{STORE}?default", content=PERSON, headers=turtle).status_code == 204
    default = admin.get(f"{STORE}?default")
    assert isomorphic(Graph().parse(data=default.content, format="turtle"),
                      Graph().parse(data=PERSON, format="turtle"))
    created = admin.post(STORE, content=PERSON, headers=turtle)
    assert created.status_code == 201
    location = created.headers["location"]
    assert location.startswith("http://testserver/sparql/store/")
    direct = admin.get(location.removeprefix("http://testserver"))  # the graph's own URL
    assert direct.status_code == 200 and b"Alice" in direct.content
    assert admin.get(STORE, params={"graph": location}).status_code == 200
    bad = admin.put(STORE, params={"graph": f"{EX}bad"}, content=b"<a> <b> .", headers=turtle)
    assert bad.status_code == 400 and "not valid turtle" in bad.text
    assert admin.get(STORE, params={"graph": f"{EX}bad"}).status_code == 404  # nothing written
    unsupported = admin.put(STORE, params={"graph": f"{EX}x"}, content=b"x",
                            headers={"content-type": "text/csv"} | AUTH)
    assert unsupported.status_code == 415
    invalid = admin.put(STORE, params={"graph": "not an iri"}, content=PERSON, headers=turtle)
    assert invalid.status_code == 400
    both = admin.get(STORE, params={"graph": f"{EX}x", "default": ""})
    assert both.status_code == 400
    assert admin.get(f"{STORE}?default", headers={"accept": "text/html"}).status_code == 406


def test_admin_mode_on_a_store_on_disk(tmp_path: Path) -> None:
    """The app opens the store itself (read-write in admin mode); workers read it read-only
    and see every write."""
    path = tmp_path / "store"
    with OxigraphStore(path) as store:
        store.replace_graph(URIRef(f"{EX}g"), [(EX.a, EX.p, Literal("before"))])
    settings = Settings(store=path, admin_token=TOKEN, query_timeout=5)
    with TestClient(create_app(settings)) as client:
        assert _ask(client, f"ASK {{ <{EX}a> <{EX}p> 'before' }}")
        update = f"DELETE DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> 'before' }} }} ; " \
                 f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> 'after' }} }}"
        assert client.post("/sparql", content=update.encode(),
                           headers=UPDATE | AUTH).status_code == 204
        assert _ask(client, f"ASK {{ <{EX}a> <{EX}p> 'after' }}")
        assert not _ask(client, f"ASK {{ <{EX}a> <{EX}p> 'before' }}")
        assert client.put(STORE, params={"graph": f"{EX}g2"}, content=PERSON,
                          headers={"content-type": "text/turtle"} | AUTH).status_code == 201
        assert _ask(client, f"ASK {{ GRAPH <{EX}g2> {{ <{EX}alice> ?p ?o }} }}")
    with OxigraphStore(path, read_only=True) as reopened:  # the writes were kept
        assert URIRef(f"{EX}g2") in reopened.graphs()


def test_writes_keep_the_derived_facts(tmp_path: Path) -> None:
    """A store that keeps derived facts (loaded by policygraph) has them derived again after
    every update and Graph Store write: the facts stay what the graphs give."""
    from policygraph.load.derive import derive
    from policygraph.load.loader import load_many
    from policygraph.load.materialise import check_facts
    from policygraph.resources import data_files, ontology_files

    path = tmp_path / "store"
    with OxigraphStore(path) as store:
        load_many(store, [*ontology_files(), *data_files()], derive=derive)
    pg = "https://w3id.org/policygraph/ontology#"
    activity, strategy = (f"https://w3id.org/policygraph/id/{name}"
                          for name in ("opdc-acp-2567/s1-a1", "ns/s2"))
    reached = f"ASK {{ <{activity}> <{pg}reachesStated>|<{pg}reachesInferred> <{strategy}> }}"
    new_link = (f"INSERT DATA {{ GRAPH <{EX}extra> {{ <{activity}> <{pg}partOf> <{strategy}> }} }}")
    settings = Settings(store=path, admin_token=TOKEN, query_timeout=10)
    with TestClient(create_app(settings)) as client:
        assert not _ask(client, reached)
        assert client.post("/sparql", content=new_link.encode(),
                           headers=UPDATE | AUTH).status_code == 204
        assert _ask(client, reached)
        assert client.delete(STORE, params={"graph": f"{EX}extra"},
                             headers=AUTH).status_code == 204
        assert not _ask(client, reached)
        turtle = f"<{activity}> <{pg}partOf> <{strategy}> .".encode()
        assert client.put(STORE, params={"graph": f"{EX}extra"}, content=turtle,
                          headers={"content-type": "text/turtle"} | AUTH).status_code == 201
        assert _ask(client, reached)
    with OxigraphStore(path) as store:
        assert check_facts(store).current
