"""The upward closure of every element equals what each element's own trace reaches."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from policygraph.load.closure import closure, closure_quads, upward_links
from policygraph.namespaces import PG
from policygraph.query.reach import reached
from policygraph.query.trace import trace_up
from policygraph.store import GraphStore, OxigraphStore
from tests.helpers import synthetic_store

EX = "https://example.org/closure/"


def _by_trace(store: GraphStore, element: str) -> set[tuple[str, bool]]:
    return {(str(r.node), r.basis == "stated")
            for r in reached(trace_up(store, URIRef(element), "en"))}


def _facts(store: OxigraphStore) -> dict[str, set[tuple[str, bool]]]:
    out: dict[str, set[tuple[str, bool]]] = {}
    for element, target, stated in closure(store.oxigraph).facts():
        out.setdefault(element, set()).add((target, stated))
    return out


def _elements(store: OxigraphStore) -> list[str]:
    links, _ = upward_links(store.oxigraph)
    return sorted({source for source, _ in links})


def test_every_bundled_element_reaches_what_its_trace_reaches(
        bundled_store: OxigraphStore) -> None:
    facts = _facts(bundled_store)
    elements = _elements(bundled_store)
    assert len(elements) > 50
    for element in elements:
        assert facts.get(element, set()) == _by_trace(bundled_store, element), element
    # the bundled plan has both kinds: reached only through an inferred alignment, and stated
    bases = {stated for found in facts.values() for _, stated in found}
    assert bases == {True, False}


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    with synthetic_store(tmp_path_factory.mktemp("closure-synth"), agencies=6, years=2) as store:
        yield store


def test_synthetic_elements_reach_what_their_traces_reach(national: OxigraphStore) -> None:
    facts = _facts(national)
    elements = _elements(national)
    for element in random.Random(7).sample(elements, min(80, len(elements))):
        assert facts.get(element, set()) == _by_trace(national, element), element


def _store(turtle: str) -> ox.Store:
    store = ox.Store()
    store.load(input=f"@prefix pg: <{PG}> . @prefix : <{EX}> .\n{turtle}".encode(),
               format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(EX + "g"))
    return store


def test_a_cycle_is_reached_around_but_never_to_itself() -> None:
    result = closure(_store(":a pg:partOf :b . :b pg:partOf :a . :b pg:partOf :c ."))
    assert result.reaches == {EX + "a": {EX + "b", EX + "c"}, EX + "b": {EX + "a", EX + "c"}}


def test_the_strongest_basis_of_any_chain() -> None:
    result = closure(_store("""
        :t pg:partOf :plan .
        [] pg:fromElement :w ; pg:toElement :t ; pg:basis pg:Inferred .
        [] pg:fromElement :v ; pg:toElement :t ; pg:basis pg:Inferred .
        [] pg:fromElement :v ; pg:toElement :plan ; pg:basis pg:Stated .
        [] pg:fromElement :x ; pg:toElement :plan .
    """))
    assert set(result.facts()) == {
        (EX + "t", EX + "plan", True),
        (EX + "v", EX + "plan", True), (EX + "v", EX + "t", False),
        (EX + "w", EX + "plan", False), (EX + "w", EX + "t", False),
    }  # :x's alignment has no basis: like a trace, the closure does not follow it


def test_the_closure_as_quads(bundled_store: OxigraphStore) -> None:
    result = closure(bundled_store.oxigraph)
    graph = ox.NamedNode(EX + "closure")
    written = ox.Store()
    written.extend(closure_quads(result, graph))
    facts = list(result.facts())
    reaches = list(written.quads_for_pattern(None, ox.NamedNode(str(PG.reaches)), None, graph))
    stated = list(written.quads_for_pattern(None, ox.NamedNode(str(PG.reachesStated)), None,
                                            graph))
    assert len(reaches) == len(facts)
    assert {(q.subject.value, q.object.value) for q in stated} == {  # type: ignore[union-attr]
        (element, target) for element, target, by_stated in facts if by_stated}


def test_an_empty_store_on_disk_reaches_nothing(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "store") as on_disk:
        assert closure(on_disk.oxigraph).reaches == {}


def test_the_walk_and_the_condensation_agree(national: OxigraphStore) -> None:
    from policygraph.load.closure import _reach, _reach_around_cycles

    links, stated = upward_links(national.oxigraph)
    for chosen in (links, stated):
        assert _reach(chosen) == _reach_around_cycles(chosen)
