"""The check in front of the workers against the engine: every text that makes pyoxigraph call
a SERVICE is refused (differential fuzzing with hypothesis), whatever hides the keyword.

Each generated text is run by pyoxigraph in this process (not sandboxed) with its SERVICE
pointing at a local HTTP listener: a request that arrives means the engine would fetch, and
then :func:`policygraph.store.lexer.blocked_keyword` must have refused the text.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policygraph.store.lexer import blocked_keyword
from tests.helpers import sparql_listener


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[str, list[str]]]:
    with sparql_listener() as (url, hits):
        yield url, hits


def _fetches(text: str, hits: list[str]) -> bool:
    """Whether pyoxigraph, running ``text``, sends a request to the listener."""
    before = len(hits)
    try:
        result = ox.Store().query(text)
        if isinstance(result, (ox.QuerySolutions, ox.QueryTriples)):
            list(result)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    return len(hits) > before


# Pieces of texts, "URL/" standing for the listener; "@" in a wrapping for what it wraps.
_SPACE = st.sampled_from([" ", " ", "  ", "\t", "\n", "\r\n", " # a comment { } SERVICE\n"])
_KEYWORD = st.sampled_from(["SERVICE", "service", "Service", "sErViCe", "SERVICE SILENT",
                            "service silent"])
_TARGET = st.sampled_from(["<URL/x>", "ex:x", "?svc", "<URL/a?b&&c>", "<URL/%3E>"])
_OPENER = st.sampled_from([  # what may make a tokenizer read on past the keyword
    "", "?s ?p ?o .", "FILTER (?o < 3 && ?p > 1)", "FILTER(?o<?b&&?c>?d)", "FILTER (?o<?b) ",
    "BIND (<URL/x> AS ?svc)", "?s ?p 'SERVICE <URL/x> {}' .", '?s ?p """}SERVICE<URL/x>{""" .',
    "?s ?p <URL/SERVICE> .", "?s ex:service ?service .", "# } SERVICE <URL/x> {\n",
    "BIND ((1<'>') AS ?c)", "BIND ((1<'>') AS ?c)", "BIND ((3<'>') AS ?c)",
    "FILTER (?o<'>' || ?o != 'x')", """BIND ((2<"'>") AS ?d)""",
    'FILTER (?o<">")', 'BIND ((1<"""a>""") AS ?e)',
])
_CLOSER = st.sampled_from([  # what may end it after the keyword
    "", "?s ?p ?o .", "OPTIONAL { ?s ?p ?o }", "VALUES ?svc { <URL/x> }", "BIND ('x' AS ?q)",
    "BIND ('x' AS ?q)", "BIND ('y' AS ?r)",
    'BIND ("x" AS ?q)', 'BIND ("""x""" AS ?q)', "FILTER (?c>?d)", "?s ?p <URL/> .",
])
_WRAP = st.sampled_from(["@", "OPTIONAL { @ }", "{ @ } UNION { ?a ?b ?c }", "GRAPH ?g { @ }",
                         "MINUS { @ }", "{ SELECT * WHERE { @ } }", "FILTER EXISTS { @ }"])
_FORM = st.sampled_from(["SELECT * WHERE { @ }", "ASK { @ }",
                         "CONSTRUCT { ?s ?p ?o } WHERE { @ }", "SELECT * { @ } LIMIT 1"])


@st.composite
def _texts(draw: st.DrawFn) -> str:
    service = draw(_KEYWORD) + draw(_SPACE) + draw(_TARGET) + draw(_SPACE) + "{ ?s ?p ?o }"
    body = (draw(_OPENER) + draw(_SPACE) + draw(_WRAP).replace("@", service) + draw(_SPACE)
            + draw(_CLOSER))
    return "PREFIX ex: <URL/>\n" + draw(_FORM).replace("@", body)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template=_texts())
def test_every_text_the_engine_would_fetch_for_is_refused(
        listener: tuple[str, list[str]], template: str) -> None:
    url, hits = listener
    text = template.replace("URL/", url)
    if _fetches(text, hits):
        assert blocked_keyword(text) is not None, text


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <URL/x> { ?s ?p ?o } }",
    # The tokenizer alone reads <'> as an IRI and then a string that hides SERVICE.
    "SELECT * WHERE { BIND((1<'>') AS ?c) SERVICE <URL/x> { ?s ?p ?o } BIND('x' AS ?q) }",
    "SELECT * WHERE { SERVICE <URL/x> { ?s ?p ?o } FILTER(?o<?b&&?c>?d) }",
])
def test_the_fuzzing_does_see_a_fetch(listener: tuple[str, list[str]], text: str) -> None:
    """The oracle works: these texts do reach the listener (and are refused)."""
    url, hits = listener
    text = text.replace("URL/", url)
    assert _fetches(text, hits)
    assert blocked_keyword(text) is not None
