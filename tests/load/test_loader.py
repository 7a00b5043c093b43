"""Tests for parsing and loading files: named graphs, errors, atomicity, validation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from policygraph.errors import LoadError, ValidationFailed
from policygraph.load import parsing
from policygraph.load.checks import check_files, check_store
from policygraph.load.loader import LoadReport, graph_iri, load_file, load_many, parse_file
from policygraph.namespaces import GRAPH
from policygraph.store import OxigraphStore, graph_triples
from tests.helpers import EX, RESOURCES, FakeReport, conforming, rejects_hostile, snapshot

MINIMAL = RESOURCES / "minimal.ttl"
OTHER = RESOURCES / "other.ttl"
HOSTILE = RESOURCES / "hostile.ttl"
INVALID = RESOURCES / "invalid-syntax.ttl"


def test_graph_iri_is_file_stem() -> None:
    assert graph_iri(Path("data/opdc-acp-2567.ttl")) == GRAPH["opdc-acp-2567"]


def test_load_file_reports(store: OxigraphStore) -> None:
    report = load_file(store, MINIMAL)
    assert isinstance(report, LoadReport)
    assert report.file == MINIMAL
    assert report.graph == GRAPH["minimal"]
    assert report.triples == store.triple_count(GRAPH["minimal"]) == 15
    assert report.seconds > 0
    assert report.warnings_report is None
    assert store.graphs() == [GRAPH["minimal"]]


def test_loaded_graph_matches_source(store: OxigraphStore) -> None:
    load_file(store, HOSTILE)
    loaded = Graph()
    for triple in graph_triples(store, GRAPH["hostile"]):
        loaded.add(triple)
    assert isomorphic(loaded, Graph().parse(HOSTILE, format="turtle"))


def test_syntax_error_carries_file_line_column_and_writes_nothing(store: OxigraphStore) -> None:
    load_file(store, MINIMAL)
    before = snapshot(store)
    with pytest.raises(LoadError) as info:
        load_file(store, INVALID)
    error = info.value
    assert error.file == INVALID
    assert error.line == 5
    assert error.column is not None and error.column > 1
    assert str(error).startswith(f"{INVALID}:5:")
    assert "Parser error" not in error.message  # position is not repeated in the message
    assert snapshot(store) == before


def test_not_utf8_is_load_error(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes(b'<https://e/a> <https://e/p> "caf\xe9" .\n')
    with pytest.raises(LoadError, match="not valid UTF-8") as info:
        parse_file(bad)
    assert (info.value.line, info.value.column) == (1, 33)


def test_empty_file_is_load_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix ex: <https://example.org/ns#> .\n# nothing here\n", "utf-8")
    with pytest.raises(LoadError, match="no triples"):
        parse_file(empty)


def test_missing_file_is_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="cannot read"):
        parse_file(tmp_path / "absent.ttl")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    assert len(parse_file(path)) == 15


def test_reload_replaces_graph(tmp_path: Path, store: OxigraphStore) -> None:
    path = tmp_path / "minimal.ttl"
    shutil.copy(MINIMAL, path)
    load_file(store, path)
    load_file(store, path)
    assert store.triple_count(GRAPH["minimal"]) == 15  # no duplicates, blank nodes included
    text = path.read_text("utf-8").replace("ex:weight 12 .", 'rdfs:comment "ใหม่"@th .')
    path.write_text(text, "utf-8")
    load_file(store, path)
    rows = store.query("SELECT ?w WHERE { ?s <https://example.org/ns#weight> ?w }").rows
    assert [int(row["w"]) for row in rows] == [3]
    assert store.query('ASK { ?s rdfs:comment "ใหม่"@th }').boolean is True


def test_failing_validation_writes_nothing(store: OxigraphStore) -> None:
    load_file(store, MINIMAL)
    before = snapshot(store)
    with pytest.raises(ValidationFailed) as info:
        load_file(store, HOSTILE, validate=rejects_hostile)
    assert info.value.file == HOSTILE
    assert not info.value.report.conforms
    assert "ex:Hostile is not allowed" in info.value.report.text()
    assert snapshot(store) == before


def test_validate_sees_other_graphs_as_context(store: OxigraphStore) -> None:
    load_file(store, MINIMAL)
    load_file(store, OTHER)
    seen: list[tuple[Graph, Graph | None]] = []

    def recording(data: Graph, context: Graph | None) -> FakeReport:
        seen.append((data, context))
        return FakeReport(True, "Conforms, 1 warning")

    report = load_file(store, OTHER, validate=recording)
    [(data, context)] = seen
    assert (EX.project9, RDF.type, EX.Project) in data
    assert context is not None
    assert (EX.strategy1, RDF.type, EX.Strategy) in context  # from minimal.ttl
    assert (EX.project9, RDF.type, EX.Project) not in context  # the graph being replaced
    assert report.warnings_report == "Conforms, 1 warning"
    load_file(store, OTHER, validate=recording, context_graphs=False)
    assert seen[-1][1] is None


def test_derive_runs_after_validation_and_only_on_data_that_passed(store: OxigraphStore) -> None:
    derived: list[Graph] = []

    def derive(graph: Graph) -> list[tuple]:
        derived.append(graph)
        return [(s, RDF.type, EX.Thing) for s in set(graph.subjects(RDF.type, None))]

    def sees_no_derived(data: Graph, context: Graph | None) -> FakeReport:
        return FakeReport((None, RDF.type, EX.Thing) not in data)

    before = snapshot(store)
    with pytest.raises(ValidationFailed):
        load_many(store, [MINIMAL, HOSTILE], derive=derive, validate=rejects_hostile)
    assert derived == [] and snapshot(store) == before
    report = load_file(store, MINIMAL, derive=derive, validate=sees_no_derived)
    assert len(derived) == 1
    assert report.triples == 15 + 3
    assert store.query("ASK { <https://example.org/ns#goal2> a <https://example.org/ns#Thing> }"
                       ).boolean


def test_load_many_is_all_or_nothing(store: OxigraphStore) -> None:
    load_file(store, MINIMAL)
    before = snapshot(store)
    with pytest.raises(LoadError):
        load_many(store, [OTHER, INVALID])
    assert snapshot(store) == before
    with pytest.raises(ValidationFailed):
        load_many(store, [OTHER, HOSTILE], validate=rejects_hostile)
    assert snapshot(store) == before
    reports = load_many(store, [MINIMAL, OTHER, HOSTILE], validate=conforming)
    assert [r.graph for r in reports] == [GRAPH["minimal"], GRAPH["other"], GRAPH["hostile"]]
    assert store.graphs() == sorted(r.graph for r in reports)


def test_load_many_validates_against_the_other_new_files(store: OxigraphStore) -> None:
    contexts: dict[str, Graph | None] = {}

    def recording(data: Graph, context: Graph | None) -> FakeReport:
        label = "other" if (EX.project9, RDF.type, EX.Project) in data else "minimal"
        contexts[label] = context
        return FakeReport(True)

    load_many(store, [MINIMAL, OTHER], validate=recording)
    other_context = contexts["other"]
    assert other_context is not None and (EX.strategy1, RDF.type, EX.Strategy) in other_context


def test_load_many_rejects_clashing_stems(tmp_path: Path, store: OxigraphStore) -> None:
    (tmp_path / "a").mkdir()
    clash = tmp_path / "a" / "minimal.ttl"
    shutil.copy(MINIMAL, clash)
    with pytest.raises(LoadError, match="same name"):
        load_many(store, [MINIMAL, clash])
    assert store.graphs() == []


def test_blank_nodes_are_not_shared_between_files(store: OxigraphStore) -> None:
    load_many(store, [MINIMAL, OTHER])
    notes = store.query("SELECT ?n WHERE { ?s <https://example.org/ns#note> ?n }").rows
    assert len({row["n"] for row in notes}) == 2
    assert all(isinstance(row["n"], BNode) for row in notes)


def test_progress_for_big_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsing, "PROGRESS_THRESHOLD", 10)
    monkeypatch.setattr(parsing, "PROGRESS_STEP", 5)
    path = tmp_path / "big.ttl"
    path.write_text(
        "".join(f'<https://e/s{i}> <https://e/p> "{i}" .\n' for i in range(32)), "utf-8"
    )
    seen: list[int] = []
    parse_file(path, seen.append)
    assert seen == [15, 20, 25, 30]
    seen.clear()
    parse_file(MINIMAL, seen.append)
    assert seen == [15]


def test_check_files_and_store_do_not_write(store: OxigraphStore) -> None:
    load_file(store, MINIMAL)
    before = snapshot(store)
    results = check_files(store, [OTHER, HOSTILE], validate=rejects_hostile)
    assert [(path, report.conforms) for path, report in results] == [(OTHER, True),
                                                                      (HOSTILE, False)]
    assert snapshot(store) == before
    load_file(store, HOSTILE)
    by_graph = {graph: report.conforms for graph, report in check_store(store, rejects_hostile)}
    assert by_graph == {GRAPH["minimal"]: True, GRAPH["hostile"]: False}


def test_literals_survive_load_exactly(store: OxigraphStore) -> None:
    load_file(store, HOSTILE)
    labels = {row["l"] for row in store.query("SELECT ?l WHERE { ?s rdfs:label ?l }").rows}
    assert Literal("line one\nline two") in labels
    assert Literal("'; DROP GRAPH <x>") in labels
    assert Literal("long \"quoted\" with ' and \\ backslash, ไทย", lang="th") in labels
    assert (EX.h1, RDFS.label, Literal("say \"hi\" and 'bye'")) in set(
        graph_triples(store, GRAPH["hostile"])
    )
