"""Suggestions bounded: the same rankings as before from a smaller read, one index per state of
the store, a fixed number of requests at a time, and never a rebuild for an anonymous asker."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from policygraph.namespaces import GRAPH, PG
from policygraph.planner.suggest import TargetIndex, candidates, element_text
from policygraph.planner.suggest_report import store_graph, suggest_for
from policygraph.planner.suggest_service import (
    SuggestionsBusy,
    SuggestionService,
    suggestion_graph,
)
from policygraph.store import OxigraphStore, graph_triples

OPDC = "https://w3id.org/policygraph/id/opdc-acp-2567/"


def _work(graph: Graph) -> list[URIRef]:
    return sorted(s for kind in (PG.Project, PG.Activity)
                  for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef))


def _one_index_per_element(graph: Graph, element: URIRef) -> list[tuple[str, float]]:
    """The ranking as it was made before: a new index of the element's candidates."""
    linked = frozenset(URIRef(str(t)) for a in graph.subjects(PG.fromElement, element)
                       for t in graph.objects(a, PG.toElement))
    index = TargetIndex(graph, candidates(graph, element))
    return [(str(s.target), round(s.score, 9)) for s in
            index.rank(element_text(graph, element), exclude=linked) if s.score > 0][:5]


def test_the_smaller_read_ranks_as_the_whole_store_did(bundled_store: OxigraphStore) -> None:
    whole, facts = store_graph(bundled_store), suggestion_graph(bundled_store)
    assert len(facts) < len(whole) / 2
    elements = _work(whole)
    assert len(elements) >= 10
    for element in elements:
        expected = _one_index_per_element(whole, element)
        assert [(str(s.target), round(s.score, 9)) for s in suggest_for(facts, element)] == \
            expected, element


def _ready(service: SuggestionService) -> None:
    for _ in range(1200):  # a bound, not a timing
        if service.ready() or service.error:
            break
        time.sleep(0.05)
    assert service.ready(), service.error


def test_an_index_per_state_of_the_store(tmp_path: Path, bundled_store: OxigraphStore) -> None:
    element = URIRef(OPDC + "s2-a5")
    with OxigraphStore() as store:
        store.replace_graphs({name: list(graph_triples(bundled_store, name))
                              for name in bundled_store.graphs()})
        service = SuggestionService(store)
        assert service.suggest(element) is None  # the first ask starts reading, answers at once
        _ready(service)
        first = service.suggest(element)
        assert first and all(service.suggest(element) == first for _ in range(5))
        assert service.builds == 1
        # A new target worded like the activity: the index of the new state has it.
        words = " ".join(str(o) for o in store.query(
            f"SELECT ?l WHERE {{ <{element}> <{SKOS.prefLabel}> ?l }}").rows[0].values())
        new = URIRef("https://example.org/new-target")
        store.replace_graphs({GRAPH["extra"]: [
            (new, RDF.type, PG.Target), (new, SKOS.prefLabel, Literal(words, lang="th")),
            (new, PG.targetOf, URIRef("https://w3id.org/policygraph/id/mp21"))]})
        assert not service.ready() and service.suggest(element) is None
        _ready(service)
        assert service.builds == 2
        again = service.suggest(element)
        assert again and again[0].target == new


def test_requests_beyond_the_slots_are_refused(bundled_store: OxigraphStore) -> None:
    service = SuggestionService(bundled_store, slots=1, wait=0.05)
    service.suggest(URIRef(OPDC + "s2-a5"))
    _ready(service)
    taken = service._free.acquire(timeout=1)  # one request holds the only slot
    try:
        assert taken
        with pytest.raises(SuggestionsBusy, match="1 suggestion slots"):
            service.suggest(URIRef(OPDC + "s2-a5"))
    finally:
        service._free.release()
    assert service.suggest(URIRef(OPDC + "s2-a5"))


def test_many_askers_start_one_read(bundled_store: OxigraphStore) -> None:
    service = SuggestionService(bundled_store)
    answers: list[object] = []
    askers = [threading.Thread(target=lambda: answers.append(
        service.suggest(URIRef(OPDC + "s2-a5")))) for _ in range(20)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join(60)
    _ready(service)
    assert service.builds == 1 and len(answers) == 20


def test_a_ranking_past_its_time_limit_is_stopped_and_the_worker_starts_again(
        tmp_path: Path, bundled_store: OxigraphStore) -> None:
    """On a store read-only on disk the work is in a worker process; a ranking that overruns
    the time limit ends that process (503 for the asker), and the next asks read the index
    again in a new one."""
    with OxigraphStore(tmp_path / "store") as disk:
        disk.replace_graphs({name: list(graph_triples(bundled_store, name))
                             for name in bundled_store.graphs()})
    element = URIRef(OPDC + "s2-a5")
    with OxigraphStore(tmp_path / "store", read_only=True) as store:
        service = SuggestionService(store, timeout=1e-6)
        try:
            assert service._pool is not None  # the worker process
            service.suggest(element)
            _ready(service)
            worker = dict(service._pool._processes)  # type: ignore[attr-defined]
            with pytest.raises(SuggestionsBusy, match="was stopped"):
                service.suggest(element)
            assert all(not process.is_alive() for process in worker.values())
            assert not service.ready() and service.suggest(element) is None
            service.timeout = 60
            _ready(service)
            assert service.suggest(element) and service.builds == 2
        finally:
            service.close()
