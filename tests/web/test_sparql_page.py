"""The query page: the named-query menu with a field per parameter, running them without
JavaScript, free SPARQL with its limits, downloads, and hostile input kept inert."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from rdflib import Graph
from rdflib.query import Result

from policygraph.query.registry import list_queries, run_query
from policygraph.store import OxigraphStore

HOSTILE = ["<script>alert(1)</script>", '"} DROP ALL {']


class _Rows(HTMLParser):
    """The result table's rows: cell texts and the links in them."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, str | None]]] = []
        self._in_results = False
        self._cell: list[str] | None = None
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("class", "results") in attrs:
            self._in_results = True
        elif self._in_results and tag == "tr":
            self.rows.append([])
        elif self._in_results and tag == "td":
            self._cell, self._href = [], None
        elif self._cell is not None and tag == "a":
            self._href = dict(attrs).get("href")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append(("".join(self._cell).strip(), self._href))
            self._cell = None
        elif tag == "table":
            self._in_results = False


def rows(page: str) -> list[list[tuple[str, str | None]]]:
    """The data rows of the page's result table."""
    parser = _Rows()
    parser.feed(page)
    return [row for row in parser.rows if row]


def _inputs(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input id="param-[^"]+" name="([^"]+)" value="([^"]*)"', page))


def test_the_page_lists_every_named_query_in_both_languages(client: Any) -> None:
    thai = client.get("/query?lang=th")
    assert thai.status_code == 200 and "ค้นหาด้วย SPARQL" in thai.text
    for query in list_queries():
        assert f'href="/query?name={query.name}&amp;lang=th"' in thai.text
    english = client.get("/query?lang=en")
    assert "Ready-made queries" in english.text
    assert '<textarea id="sparql-editor" name="query"' in english.text


def test_the_page_uses_only_local_scripts_and_styles(client: Any) -> None:
    page = client.get("/query").text
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert "/static/query/codemirror/codemirror.js" in assets
    assert "/static/query/codemirror/sparql.js" in assets
    for url in assets:
        assert client.get(url).status_code == 200, url
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    assert client.get("/static/query/codemirror/LICENSE-codemirror.txt").status_code == 200


def test_choosing_a_query_shows_a_field_per_parameter(client: Any) -> None:
    page = client.get("/query?name=budget-rollup&lang=en")
    assert page.status_code == 200
    assert _inputs(page.text) == {"plan": "", "lang": "en"}  # lang follows the page language
    assert re.search(r'<code>plan</code>\s*<span class="kind">iri</span>', page.text)
    assert "required" in page.text and "default th" in page.text
    assert "#+ summary: Budget roll-up" in page.text  # the query's text fills the editor
    assert rows(page.text) == [] and 'role="alert"' not in page.text  # not run yet


def test_running_budget_rollup_without_javascript(client: Any) -> None:
    page = client.get("/query", params={"name": "budget-rollup", "plan": "id:ns", "run": "1",
                                       "lang": "th"})
    assert page.status_code == 200
    table = rows(page.text)
    s1 = next(row for row in table if row[0][0] == "id:ns/s1")
    assert s1[0][1] == "/id/ns/s1?lang=th"  # element IRIs link to their pages
    assert "12512400" in [text for text, _ in s1]
    assert len(table) == 10


def test_named_query_from_the_example_url(client: Any) -> None:
    page = client.get("/query?name=trace-up&element=id:opdc-acp-2567/s1-a3&lang=en")
    assert page.status_code == 200
    linked = {href for row in rows(page.text) for _, href in row if href}
    assert "/id/ns/s6?lang=en" in linked


def test_a_missing_required_parameter_is_explained(client: Any) -> None:
    page = client.get("/query?name=budget-rollup&run=1&lang=en")
    assert page.status_code == 400
    assert 'role="alert"' in page.text and "plan" in page.text


def test_an_unknown_query_name_lists_the_valid_ones(client: Any) -> None:
    page = client.get("/query?name=no-such-query")
    assert page.status_code == 404 and "budget-rollup" in page.text


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameter_values_are_escaped_and_matched_literally(
        client: Any, bundled_store: OxigraphStore, value: str) -> None:
    before = bundled_store.triple_count()
    page = client.get("/query", params={"name": "find-element", "text": value, "run": "1"})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&#34;")
    assert f'name="text" value="{escaped}"' in page.text
    assert rows(page.text) == []  # the value was searched for as text: nothing has it
    assert run_query(bundled_store, "find-element", {"text": value}).rows == []
    assert bundled_store.triple_count() == before


def test_hostile_sparql_in_the_editor_is_escaped(client: Any) -> None:
    page = client.post("/query", data={"query": "SELECT * { } # </textarea><script>x</script>"})
    assert "<script>x</script>" not in page.text
    assert "&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;" in page.text


def test_free_sparql_runs_through_the_endpoint(client: Any) -> None:
    query = "SELECT ?plan WHERE { ?plan a pg:Plan } ORDER BY ?plan"
    posted = client.post("/query?lang=en", data={"query": query})
    assert posted.status_code == 200
    assert [row[0][0] for row in rows(posted.text)][:2] == ["id:acp2", "id:ethics-strategy"]
    assert client.get("/query", params={"query": query}).text.count("<tr>") == 8
    ask = client.post("/query?lang=en", data={"query": "ASK { id:ns a pg:Plan }"})
    assert "Yes (true)" in ask.text


def test_free_sparql_errors_are_shown(client: Any) -> None:
    page = client.post("/query?lang=en", data={"query": "SELECT * WHERE { ?s"})
    assert page.status_code == 400
    assert 'role="alert"' in page.text and "invalid SPARQL query" in page.text
    assert "SELECT * WHERE { ?s" in page.text  # the text stays in the editor to fix


def _download_links(page: str) -> dict[str, str]:
    found = re.findall(r'<a href="(/query/download\?[^"]+)" download>([^<]+)</a>', page)
    return {label: href.replace("&amp;", "&") for href, label in found}


def test_named_query_downloads(client: Any) -> None:
    page = client.get("/query", params={"name": "budget-rollup", "plan": "id:ns"}).text
    links = _download_links(page)
    assert set(links) == {"CSV", "JSON"}
    table = client.get(links["CSV"])
    assert table.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="budget-rollup.csv"' in table.headers["content-disposition"]
    records = list(csv.DictReader(io.StringIO(table.text)))
    s1 = next(r for r in records if r["element"] == "https://w3id.org/policygraph/id/ns/s1")
    assert s1["statedTotal"] == "12512400"
    document = client.get(links["JSON"]).json()
    assert "statedTotal" in document["head"]["vars"]
    graph_page = client.get("/query", params={"name": "describe-element", "element": "id:ns"})
    graph_links = _download_links(graph_page.text)
    assert set(graph_links) == {"Turtle", "JSON-LD"}
    turtle = Graph().parse(data=client.get(graph_links["Turtle"]).content, format="turtle")
    jsonld = Graph().parse(data=client.get(graph_links["JSON-LD"]).content, format="json-ld")
    assert len(turtle) == len(jsonld) > 5


def test_free_sparql_downloads(client: Any) -> None:
    query = "SELECT ?plan WHERE { ?plan a pg:Plan }"
    links = _download_links(client.post("/query", data={"query": query}).text)
    table = client.get(links["CSV"])
    assert len(list(Result.parse(io.BytesIO(table.content), format="csv"))) == 7
    assert json.loads(client.get(links["JSON"]).content)["head"]["vars"] == ["plan"]
    construct = "CONSTRUCT WHERE { id:ns ?p ?o }"
    graph_links = _download_links(client.post("/query", data={"query": construct}).text)
    response = client.get(graph_links["Turtle"])
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    assert len(Graph().parse(data=response.content, format="turtle")) > 5


def test_bad_downloads_are_plain_errors(client: Any) -> None:
    assert client.get("/query/download?format=xlsx&query=ASK{}").status_code == 400
    assert client.get("/query/download?format=csv").status_code == 400
    response = client.get("/query/download?format=turtle&name=budget-rollup&plan=id:ns")
    assert response.status_code == 406 and response.headers["content-type"].startswith(
        "text/plain")
    assert client.get("/query/download?format=csv&name=nope").status_code == 404
