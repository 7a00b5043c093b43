"""The SPARQL tokenizer: keywords are found only outside strings, IRIs and comments, and
using-graph-uri becomes validated USING clauses before the right WHERE."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from policygraph.endpoint.formats import ASK_FORMATS, GRAPH_FORMATS, SELECT_FORMATS, negotiate
from policygraph.store.lexer import (
    UsingError,
    blocked_keyword,
    has_dataset_clause,
    query_form,
    tokens,
    with_using,
)
from policygraph.store.terms import checked_named_node

G1, G2 = checked_named_node("http://example.org/g1"), checked_named_node("http://example.org/g2")


@pytest.mark.parametrize(("text", "form"), [
    ("SELECT * {}", "select"),
    ("PREFIX ask: <http://x/#CONSTRUCT> # DESCRIBE\nask { ?s ask:p 'SELECT' }", "ask"),
    ("BASE <http://x/> construct WHERE { ?s ?p ?o }", "construct"),
    ("DESCRIBE <http://x/>", "describe"),
    ("# nothing here", None),
])
def test_query_form(text: str, form: str | None) -> None:
    assert query_form(text) == form


@pytest.mark.parametrize(("text", "has"), [
    ("SELECT * FROM <http://g> {}", True),
    ("select * from named <http://g> {}", True),
    ("SELECT * { ?s ?p 'FROM' } # FROM <x>", False),
    ("SELECT * { { SELECT ?from { ?from ex:from ?x } } }", False),
])
def test_dataset_clauses(text: str, has: bool) -> None:
    assert has_dataset_clause(text) is has


def test_iris_with_escapes_and_hashes_do_not_start_comments() -> None:
    text = r"SELECT * { <http://x/\u0041#f> ex:a\#b '''it's { not a brace''' } FROM <g>"
    assert [t.text for t in tokens(text) if t.depth == 0 and t.kind == "word"] == [
        "SELECT", "FROM"]


@pytest.mark.parametrize(("text", "blocked"), [
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", "SERVICE"),
    ("load <http://x/data.ttl>", "LOAD"),
    ("SELECT ?service { ?service ex:service 'SERVICE' }", None),
    # <'> read as an IRI, then a string over SERVICE: the parser sees through it.
    ("SELECT * { BIND((1<'>') AS ?c) SERVICE <http://x/> { ?s ?p ?o } BIND('x' AS ?q) }",
     "SERVICE"),
    (r"SELECT * { \u0053ERVICE <http://x/> { ?s ?p ?o } }", "SERVICE"),  # rdflib decodes it
    ("SELECT * { ?s ?p 'a service' . FILTER(", "checked"),  # mentions it, cannot be parsed
    ("SELECT * { ?s ?p '" + "x" * 30_000 + " service' }", "too long"),
    ("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b 'download', 'workload' }", None),
])
def test_keywords_that_fetch_urls_are_blocked(text: str, blocked: str | None) -> None:
    reason = blocked_keyword(text)
    assert (reason is None) if blocked is None else (reason is not None and blocked in reason)


def test_using_goes_before_each_modify_where_only() -> None:
    update = """PREFIX ex: <http://example.org/>
CLEAR ALL ;
INSERT DATA { GRAPH ex:g { ex:a ex:b 'WHERE' } } ;
INSERT { GRAPH ex:out { ?s a ex:Seen } } WHERE { ?s a ex:T } ;
DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o FILTER (?o < 3) }"""
    rewritten = with_using(update, [G1], [G2])
    clause = "USING <http://example.org/g1> USING NAMED <http://example.org/g2> WHERE"
    assert rewritten.count(clause) == 2
    assert "ex:b 'WHERE'" in rewritten
    ox.Store().update(rewritten)  # still valid SPARQL Update


def test_using_conflicts_and_delete_where_are_refused() -> None:
    with pytest.raises(UsingError, match="USING"):
        with_using("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", [G1], [])
    with pytest.raises(UsingError, match="DELETE WHERE"):
        with_using("DELETE WHERE { ?s ?p ?o }", [G1], [])
    assert with_using("DELETE WHERE { ?s ?p ?o }", [], []) == "DELETE WHERE { ?s ?p ?o }"


@pytest.mark.parametrize(("accept", "offered", "key"), [
    (None, SELECT_FORMATS, "json"),
    ("", GRAPH_FORMATS, "turtle"),
    ("*/*", ASK_FORMATS, "json"),
    ("text/*", SELECT_FORMATS, "csv"),
    ("application/json", SELECT_FORMATS, "json"),
    ("text/csv;q=0, */*;q=0.1", SELECT_FORMATS, "json"),
    ("application/rdf+xml;q=0.9, application/ld+json", GRAPH_FORMATS, "jsonld"),
    ("text/csv", ASK_FORMATS, None),
    ("image/png", GRAPH_FORMATS, None),
])
def test_negotiation(accept: str | None, offered: dict[str, str], key: str | None) -> None:
    assert negotiate(accept, offered) == key
