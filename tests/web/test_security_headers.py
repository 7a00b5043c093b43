"""Hostile data and the pages (issue 16): only web and mail IRIs become links, every response
carries a strict Content-Security-Policy, and CSV downloads cannot run as formulas."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from policygraph.web.headers import SECURITY_HEADERS
from policygraph.web.urls import external_href

HOSTILE_PAGES = ("javascript:", "data:", "vbscript:")


@pytest.mark.parametrize(("iri", "href"), [
    ("https://example.org/a?b=c#d", "https://example.org/a?b=c#d"),
    ("http://example.org", "http://example.org"),
    ("mailto:planner@example.go.th", "mailto:planner@example.go.th"),
    ("HTTPS://EXAMPLE.ORG/", "HTTPS://EXAMPLE.ORG/"),
    ("javascript:alert(document.domain)", None),
    ("JaVaScRiPt:alert(1)", None),
    ("java\tscript:alert(1)", None),  # browsers drop tabs and newlines before the scheme
    ("java\nscript:alert(1)", None),
    (" javascript:alert(1)", None),
    ("data:text/html;base64,PHNjcmlwdD4=", None),
    ("vbscript:msgbox(1)", None),
    ("file:///etc/passwd", None),
    ("//evil.example/x", None),  # no scheme: a relative link to another host
    ("relative/path", None),
    ("", None),
    (None, None),
])
def test_only_http_https_and_mailto_iris_are_link_targets(iri: str | None,
                                                          href: str | None) -> None:
    assert external_href(iri) == href


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_source_pages_with_script_iris_are_text_not_links(hostile_client: Any) -> None:
    for path, shown in (("/id/hostile/s1?lang=en", "javascript:alert(document.domain)"),
                        ("/id/hostile/s2?lang=en", "VbScript:msgbox(1)")):
        page = hostile_client.get(path)
        assert page.status_code == 200
        hrefs = [h.strip().lower() for h in _hrefs(page.text)]
        assert not [h for h in hrefs if h.startswith(HOSTILE_PAGES)], path
        assert shown in page.text  # still said, as text
    s2 = hostile_client.get("/id/hostile/s2?lang=en").text
    assert "https://example.org/plan.pdf" in _hrefs(s2)  # a web page stays a link
    assert "data:text/html;base64," in s2 and "data:text/html" not in "".join(_hrefs(s2))


@pytest.mark.parametrize("path", ["/", "/graph", "/api/docs", "/reports/coverage",
                                  "/id/hostile/s1", "/query", "/ontology", "/static/style.css",
                                  "/api/coverage", "/sparql?query=ASK%7B%7D", "/no-such-page",
                                  "/id/no-such-element"])
def test_every_response_carries_the_security_headers(hostile_client: Any, path: str) -> None:
    response = hostile_client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (path, name)
    policy = dict(part.strip().split(" ", 1) for part in
                  response.headers["content-security-policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'" and policy["frame-ancestors"] == "'none'"


def test_no_page_has_inline_script(hostile_client: Any) -> None:
    """Under script-src 'self' an inline script would not run: the pages have none (the graph
    page's data block is JSON, which browsers never run)."""
    for path in ("/", "/graph?lang=th", "/api/docs", "/query", "/reports/coverage",
                 "/reports/budget", "/reports/timeline", "/id/hostile/s1"):
        html = hostile_client.get(path).text
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            assert "src=" in attributes or 'type="application/json"' in attributes, path
            assert "src=" not in attributes or not body.strip(), path
        assert not re.search(r"\son[a-z]+\s*=", html), path  # no inline event handlers


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_downloads_neutralise_formulas(hostile_client: Any) -> None:
    th = _csv_rows(hostile_client.get("/reports/coverage.csv?lang=th").text)
    en = _csv_rows(hostile_client.get("/reports/coverage.csv?lang=en").text)
    assert ["'=HYPERLINK(\"https://example.org\",\"ยุทธศาสตร์\")"] == [
        cell for row in th for cell in row if "HYPERLINK" in cell]
    assert ["'@SUM(1+1)"] == [cell for row in en for cell in row if "SUM(" in cell]
    sparql = ("SELECT ?label ?n WHERE { <https://w3id.org/policygraph/id/hostile/s2> "
              "skos:prefLabel ?label BIND (-5 AS ?n) } ORDER BY ?label")
    download = hostile_client.get("/query/download", params={"query": sparql, "format": "csv"})
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert _csv_rows(download.text) == [
        ["label", "n"], ["'=HYPERLINK(\"https://example.org\",\"ยุทธศาสตร์\")", "-5"],
        ["'@SUM(1+1)", "-5"]]  # a number stays a number
    named = hostile_client.get("/query/download", params={
        "name": "find-element", "text": "SUM", "format": "csv"})
    assert named.status_code == 200 and "'@SUM(1+1)" in named.text
    assert "\n@SUM" not in named.text and ",@SUM" not in named.text
    # The SPARQL endpoint's own CSV results stay as the standard writes them.
    endpoint = hostile_client.get("/sparql", params={"query": sparql},
                                  headers={"Accept": "text/csv"})
    assert endpoint.status_code == 200 and "\r\n@SUM(1+1),-5" in endpoint.text
    ask = hostile_client.get("/query/download", params={"query": "ASK {}", "format": "csv"})
    assert ask.status_code == 406
