"""Answers kept by a read-only store; the read-only copy in memory that `serve --memory` uses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pydantic import ValidationError
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from policygraph.cli.main import main
from policygraph.errors import QueryError, StoreError
from policygraph.query.registry import list_queries, run_query
from policygraph.settings import Settings
from policygraph.store import GraphStore, OxigraphStore
from policygraph.store.resultcache import ResultCache
from policygraph.store.results import QueryResult
from policygraph.web.app import create_app
from tests.answers import answers

TRACE = ("trace-up", {"element": "id:opdc-acp-2567/s1-a3"})


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store with the bundled ontology and data, loaded as `load` does."""
    from policygraph.load.derive import derive
    from policygraph.load.loader import load_many
    from policygraph.resources import data_files, ontology_files

    path = tmp_path_factory.mktemp("cache") / "store"
    with OxigraphStore(path) as store:
        load_many(store, ontology_files() + data_files(), derive=derive)
    return path


@pytest.fixture
def read_only(store_path: Path) -> Iterator[OxigraphStore]:
    with OxigraphStore(store_path, read_only=True) as store:
        yield store


def _answers(store: GraphStore) -> dict[str, object]:
    return {query.name: answers(store, query) for query in list_queries()}


def _same(left: dict[str, object], right: dict[str, object]) -> None:
    assert left.keys() == right.keys()
    for name, answer in left.items():
        if isinstance(answer, Graph):
            assert isomorphic(answer, right[name]), name  # type: ignore[arg-type]
        else:
            assert answer == right[name], name


def test_a_read_only_store_keeps_its_answers(store_path: Path, read_only: OxigraphStore) -> None:
    assert read_only.cache is not None
    with OxigraphStore(store_path, read_only=True) as uncached:
        uncached.cache = None
        first = _answers(read_only)
        assert read_only.cache.misses == len(first) and read_only.cache.hits == 0
        again = _answers(read_only)
        assert read_only.cache.hits == len(first)
        _same(first, again)
        _same(first, _answers(uncached))


def test_a_kept_answer_cannot_be_changed_by_its_caller(read_only: OxigraphStore) -> None:
    name, params = TRACE
    result = run_query(read_only, name, params)
    expected = [dict(row) for row in result.rows]
    assert expected
    result.rows.clear()
    assert run_query(read_only, name, params).rows == expected
    first = run_query(read_only, name, params)
    first.rows[0]["from"] = URIRef("https://example.org/tampered")
    assert run_query(read_only, name, params).rows == expected


def test_different_bindings_are_different_answers(read_only: OxigraphStore) -> None:
    up = run_query(read_only, "trace-up", {"element": "id:opdc-acp-2567/s1-a3"}).rows
    other = run_query(read_only, "trace-up", {"element": "id:opdc-acp-2567/s2-a1"}).rows
    assert up and other and up != other
    english = run_query(read_only, "trace-up", {"element": "id:opdc-acp-2567/s1-a3",
                                                 "lang": "en"}).rows
    assert english != up


def test_a_writable_store_keeps_nothing(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "w") as writable:
        assert writable.cache is None


def test_failures_are_not_kept(read_only: OxigraphStore) -> None:
    for _ in range(2):
        with pytest.raises(QueryError):
            read_only.query("SELECT * WHERE { ?s ?p }")
    assert read_only.cache is not None and len(read_only.cache) == 0


def test_the_cache_is_bounded() -> None:
    cache = ResultCache(max_total=2, max_rows=3)
    calls: list[str] = []

    def compute(text: str, rows: int) -> QueryResult:
        def run() -> QueryResult:
            calls.append(text)
            return QueryResult(kind="select", variables=["x"], rows=[{"x": None}] * rows)
        return run

    for text in ("a", "b", "c", "a"):  # "a" was the least recently used when "c" came
        cache.answer(text, None, compute(text, 1))
    assert calls == ["a", "b", "c", "a"] and len(cache) == 2
    cache.answer("big", None, compute("big", 4))
    cache.answer("big", None, compute("big", 4))
    assert calls[-2:] == ["big", "big"]  # too many rows to keep


def test_the_cache_is_bounded_by_the_rows_it_keeps() -> None:
    cache = ResultCache(max_total=10, max_rows=10)
    calls: list[str] = []

    def compute(text: str, rows: int) -> Callable[[], QueryResult]:
        def run() -> QueryResult:
            calls.append(text)
            return QueryResult(kind="select", variables=["x"], rows=[{"x": None}] * rows)
        return run

    cache.answer("four", None, compute("four", 4))
    cache.answer("five", None, compute("five", 5))
    assert cache.kept_rows == 9 and len(cache) == 2
    cache.answer("three", None, compute("three", 3))  # 12 > 10: "four" (least recent) goes
    assert cache.kept_rows == 8 and len(cache) == 2
    cache.answer("five", None, compute("five", 5))
    cache.answer("four", None, compute("four", 4))
    assert calls == ["four", "five", "three", "four"]  # "five" was kept, "four" was not


def test_the_memory_copy_answers_as_the_disk_store(store_path: Path,
                                                   read_only: OxigraphStore) -> None:
    with OxigraphStore.in_memory_copy(store_path) as copy:
        assert copy.read_only and copy.path == store_path
        assert copy.triple_count() == read_only.triple_count() > 0
        assert copy.graphs() == read_only.graphs()
        _same(_answers(copy), _answers(read_only))
        with pytest.raises(StoreError, match="read-only"):
            copy.drop_graph(copy.graphs()[0])


def test_the_memory_copy_of_nothing_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        OxigraphStore.in_memory_copy(tmp_path / "nowhere")


def test_the_app_serves_the_memory_copy(store_path: Path) -> None:
    with TestClient(create_app(Settings(store=store_path, memory=True))) as client:
        assert isinstance(client.app.state.store, OxigraphStore)  # type: ignore[attr-defined]
        assert client.app.state.store.cache is not None  # type: ignore[attr-defined]
        page = client.get("/", params={"lang": "en"})
        assert page.status_code == 200
        assert "OPDC anti-corruption and ethics promotion action plan" in page.text
        answer = client.get("/sparql", params={"query": "ASK { ?s a pg:Activity }"},
                            headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200 and answer.json()["boolean"] is True


@pytest.mark.parametrize("extra", [{"admin_token": "x" * 16},
                                   {"endpoint": "http://127.0.0.1:9/sparql"}])
def test_memory_is_for_the_embedded_store_read_only(extra: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="memory"):
        Settings(memory=True, **extra)  # type: ignore[arg-type]


def test_serve_refuses_memory_with_admin(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "serve", "--memory",
                                       "--admin-token", "x" * 16])
    assert result.exit_code == 2, result.output
    assert "read-only" in result.output
