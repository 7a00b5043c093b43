"""Tests for the named-query registry, parameter binding and the bundled .rq files."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from policygraph.errors import QueryError, UnknownNameError
from policygraph.load.loader import load_many
from policygraph.query.params import coerce, expand_curie
from policygraph.query.registry import (
    NamedQuery,
    Param,
    bind_params,
    get_query,
    list_queries,
    load_query,
    query_names,
    run_query,
)
from policygraph.resources import queries_dir
from policygraph.store import OxigraphStore
from tests.helpers import EX, QUERIES, RESOURCES, snapshot


@pytest.fixture
def loaded(store: OxigraphStore) -> OxigraphStore:
    """The in-memory store with the minimal, other and hostile fixtures loaded."""
    load_many(store, [RESOURCES / n for n in ("minimal.ttl", "other.ttl", "hostile.ttl")])
    return store


def write_query(tmp_path: Path, name: str, text: str) -> Path:
    """Write a query file into tmp_path and return its path."""
    path = tmp_path / f"{name}.rq"
    path.write_text(text, "utf-8")
    return path


def test_registry_lists_fixture_queries() -> None:
    names = query_names(QUERIES)
    assert "labels" in names and names == sorted(names)
    assert [q.name for q in list_queries(QUERIES)] == names


def test_header_is_parsed() -> None:
    query = get_query("labels", QUERIES)
    assert isinstance(query, NamedQuery)
    assert query.summary == "Every typed thing with its label in the preferred language."
    assert query.params == [Param("lang", "lang", False, "Preferred label language.", "th")]
    assert query.returns == "thing, type, label"
    assert query.returns_vars == ["thing", "type", "label"]
    assert query.form == "select"
    assert get_query("has-type", QUERIES).form == "ask"
    assert get_query("describe-thing", QUERIES).form == "construct"


def test_unknown_query_lists_valid_names() -> None:
    with pytest.raises(UnknownNameError) as info:
        get_query("nope", QUERIES)
    message = str(info.value)
    assert message.startswith("unknown query 'nope'; valid: ")
    assert "by-label, contributors, count-by-type" in message


def test_unknown_param_lists_valid_params() -> None:
    query = get_query("labels", QUERIES)
    with pytest.raises(UnknownNameError, match=r"unknown param 'language'; valid: lang"):
        bind_params(query, {"language": "en"})


def test_missing_required_param() -> None:
    with pytest.raises(QueryError, match=r"needs --param target=<iri> \(The thing"):
        bind_params(get_query("contributors", QUERIES), {})


@pytest.mark.parametrize(
    ("query", "param", "value", "expected"),
    [
        ("contributors", "target", "not an iri", "absolute IRI"),
        ("contributors", "target", "https://e/x>{", "absolute IRI"),
        ("started-before", "before", "31 ก.พ. 67", "a date such as"),
        ("labels", "lang", "th TH", "language tag"),
    ],
)
def test_bad_value_names_param_value_and_expectation(
    query: str, param: str, value: str, expected: str
) -> None:
    with pytest.raises(QueryError) as info:
        bind_params(get_query(query, QUERIES), {param: value})
    message = str(info.value)
    assert f"param {param!r}" in message and repr(value) in message and expected in message


def test_default_is_bound_and_optional_absent_is_not() -> None:
    assert bind_params(get_query("labels", QUERIES), {}) == {"lang": Literal("th")}
    assert bind_params(get_query("count-by-type", QUERIES), {}) == {}


@pytest.mark.parametrize(
    ("type_name", "value", "expected"),
    [
        ("iri", "id:opdc-acp-2567/s1", URIRef("https://w3id.org/policygraph/id/opdc-acp-2567/s1")),
        ("iri", "https://example.org/ns#x", URIRef("https://example.org/ns#x")),
        ("string", " keep spaces ", Literal(" keep spaces ")),
        ("lang", "th", Literal("th")),
        ("integer", "๔๒", Literal("42", datatype=XSD.integer)),
        ("decimal", "3.50", Literal("3.50", datatype=XSD.decimal)),
        ("date", "1 มี.ค. 67", Literal("2024-03-01", datatype=XSD.date)),
        ("month", "มีนาคม 2567", Literal("2024-03")),
        ("year", "2567", Literal("2024", datatype=XSD.gYear)),
    ],
)
def test_coerce(type_name: str, value: str, expected: object) -> None:
    assert coerce(type_name, value) == expected


def test_expand_curie_only_known_prefixes() -> None:
    assert expand_curie("pg:Plan") == "https://w3id.org/policygraph/ontology#Plan"
    assert expand_curie("https://example.org/x") is None
    assert expand_curie("unknown:x") is None


def test_run_query_binds_default_and_hides_param_columns(loaded: OxigraphStore) -> None:
    result = run_query(loaded, "labels", {}, QUERIES)
    assert result.variables == ["thing", "type", "label"]
    by_thing = {row["thing"]: row["label"] for row in result.rows}
    assert by_thing[EX.strategy1] == Literal("ยุทธศาสตร์ชาติด้านความมั่นคง", lang="th")
    assert by_thing[EX.goal2] is None
    english = run_query(loaded, "labels", {"lang": "en"}, QUERIES)
    assert {row["thing"]: row["label"] for row in english.rows}[EX.goal2] == Literal(
        "Goal two, English only", lang="en"
    )


def test_run_query_with_thai_date_and_curie_like_iri(loaded: OxigraphStore) -> None:
    before = run_query(loaded, "started-before", {"before": "2 มี.ค. 2567"}, QUERIES)
    assert [row["thing"] for row in before.rows] == [EX.strategy1, EX.goal1]
    before = run_query(loaded, "started-before", {"before": "2024-03-01"}, QUERIES)
    assert [row["thing"] for row in before.rows] == [EX.strategy1]


def test_run_query_aggregate_with_optional_param(loaded: OxigraphStore) -> None:
    counts = run_query(loaded, "count-by-type", {}, QUERIES)
    assert {row["type"]: int(row["n"]) for row in counts.rows}[EX.Hostile] == 8
    only = run_query(loaded, "count-by-type", {"type": str(EX.Goal)}, QUERIES)
    assert [(row["type"], int(row["n"])) for row in only.rows] == [(EX.Goal, 2)]


def test_run_ask_and_construct(loaded: OxigraphStore) -> None:
    assert run_query(loaded, "has-type", {"type": str(EX.Goal)}, QUERIES).boolean is True
    assert run_query(loaded, "has-type", {"type": str(EX.Nothing)}, QUERIES).boolean is False
    graph = run_query(loaded, "describe-thing", {"thing": str(EX.goal1)}, QUERIES)
    assert graph.kind == "graph" and len(graph.triples) == 5


@pytest.mark.parametrize(
    "value",
    ["} ; DROP ALL", "'; DROP GRAPH <x>", '" } ; DROP ALL ; #', "<script>alert(1)</script>"],
)
def test_string_params_cannot_inject(loaded: OxigraphStore, value: str) -> None:
    before = snapshot(loaded)
    result = run_query(loaded, "by-label", {"label": value}, QUERIES)
    expected = [] if value.startswith('"') else [Literal(value)]
    assert [row["label"] for row in result.rows] == expected
    assert snapshot(loaded) == before


HEADER_ERRORS = [
    ("no-summary", "#+ returns: x\nSELECT ?x WHERE { ?x ?p ?o }", "summary"),
    ("no-returns", "#+ summary: s\nSELECT ?x WHERE { ?x ?p ?o }", "returns"),
    ("bad-key", "#+ summary: s\n#+ retrns: x\nSELECT ?x WHERE { ?x ?p ?o }", "bad header line"),
    ("bad-type", "#+ summary: s\n#+ param: x uri required — d\n#+ returns: x\n"
                 "SELECT ?x WHERE { ?x ?p ?o }", "unknown type 'uri'"),
    ("bad-param", "#+ summary: s\n#+ param: x\n#+ returns: x\nSELECT ?x WHERE { ?x ?p ?o }",
     "bad param line"),
    ("unused", "#+ summary: s\n#+ param: y string required — d\n#+ returns: x\n"
               "SELECT ?x WHERE { ?x ?p ?o }", "does not appear as ?y"),
    ("prefix-only", "#+ summary: s\n#+ param: x string required — d\n#+ returns: xy\n"
                    "SELECT ?xy WHERE { ?xy ?p ?o }", "does not appear as ?x"),
    ("unprojected", "#+ summary: s\n#+ param: p iri required — d\n#+ returns: x\n"
                    "SELECT ?x WHERE { ?x ?p ?o }", "must project ?p"),
    ("bad-default", "#+ summary: s\n#+ param: d date optional=soon — d\n#+ returns: d\n"
                    "SELECT ?d WHERE { ?x ?p ?d }", "default of param 'd'"),
    ("required-default", "#+ summary: s\n#+ param: d date required=2024-01-01 — d\n"
                         "#+ returns: d\nSELECT ?d WHERE { ?x ?p ?d }", "cannot have a default"),
    ("twice", "#+ summary: s\n#+ param: x iri required\n#+ param: x iri required\n"
              "#+ returns: x\nSELECT ?x WHERE { ?x ?p ?o }", "declared twice"),
]


@pytest.mark.parametrize(("name", "text", "message"), HEADER_ERRORS,
                         ids=[case[0] for case in HEADER_ERRORS])
def test_header_errors(tmp_path: Path, name: str, text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message.replace("?", r"\?").replace("(", r"\(")):
        load_query(write_query(tmp_path, name, text))


def test_quoted_default_and_dash_variants(tmp_path: Path) -> None:
    path = write_query(
        tmp_path,
        "ok",
        '#+ summary: s\n#+ param: d date optional="1 มี.ค. 67" -- Cut-off.\n'
        "#+ param: n integer optional\n#+ example: policygraph query ok -p d=2024-01-01\n"
        "#+ returns: x\n# an ordinary comment\nSELECT * WHERE { ?x ?p ?d FILTER(?n > 0) }",
    )
    query = load_query(path)
    assert query.params == [Param("d", "date", False, "Cut-off.", "1 มี.ค. 67"),
                            Param("n", "integer", False, "", None)]
    assert query.examples == ("policygraph query ok -p d=2024-01-01",)


def _query_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.rq"))


@pytest.mark.parametrize("path", _query_files(QUERIES) + _query_files(queries_dir()),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_query_file_is_well_formed(path: Path) -> None:
    query = load_query(path)
    assert query.summary and query.returns
    for param in query.params:
        assert param.description or path.parent == QUERIES, f"{param.name} needs a description"
    with OxigraphStore() as empty:
        # Parses with the project prefixes and runs (without bindings) on an empty store.
        empty.query(query.text)
