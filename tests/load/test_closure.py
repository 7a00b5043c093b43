"""The upward closure of every element, as stored on load, equals what each element's own trace
reaches; and the closure's rules (strongest basis, cycles) on small graphs."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from policygraph.load.closure import _reach_around_cycles, closure_of, reach
from policygraph.load.facts import Inputs, derive_facts, ox_reader, read_inputs
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
    """The closure as the load stored it, read back by SPARQL."""
    out: dict[str, set[tuple[str, bool]]] = {}
    rows = store.query("""SELECT ?e ?t ?p WHERE { GRAPH <https://w3id.org/policygraph/derived> {
        ?e ?p ?t FILTER (?p IN (pg:reachesStated, pg:reachesInferred)) } }""").rows
    for row in rows:
        out.setdefault(str(row["e"]), set()).add((str(row["t"]), row["p"] == PG.reachesStated))
    return out


def _inputs(store: ox.Store) -> Inputs:
    return read_inputs(ox_reader(store), lambda graph: True)


def _elements(store: OxigraphStore) -> list[str]:
    inputs = _inputs(store.oxigraph)
    return sorted({source for source, _ in inputs.structure | inputs.supports})


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


def test_a_cycle_reaches_itself_as_a_sparql_path_does() -> None:
    # (pg:partOf)+ from :a on a cycle leads back to :a; :c, above the cycle, reaches neither.
    result = closure_of([("a", "b"), ("b", "a"), ("b", "c"), ("d", "d")], [])
    assert result.reaches == {"a": {"a", "b", "c"}, "b": {"a", "b", "c"}, "d": {"d"}}


def test_the_strongest_basis_of_any_chain() -> None:
    inputs = _inputs(_store("""
        :t pg:partOf :plan .
        :w pg:supports :t . :v pg:supports :t , :plan . :x pg:supports :plan .
        [] pg:fromElement :w ; pg:toElement :t ; pg:basis pg:Inferred .
        [] pg:fromElement :v ; pg:toElement :t ; pg:basis pg:Inferred .
        [] pg:fromElement :v ; pg:toElement :plan ; pg:basis pg:Stated .
        [] pg:fromElement :y ; pg:toElement :plan ; pg:basis pg:Stated .
    """))
    facts = derive_facts(inputs)
    found = {(e, t, t in facts.stated.get(e, ())) for e in facts.reaches for t in facts.reaches[e]}
    assert found == {
        (EX + "t", EX + "plan", True),
        (EX + "v", EX + "plan", True), (EX + "v", EX + "t", False),
        (EX + "w", EX + "plan", False), (EX + "w", EX + "t", False),
        (EX + "x", EX + "plan", False),  # a pg:supports link without a stated alignment
    }  # :y's alignment has no pg:supports link (not a pg:Alignment): no path follows it


def test_an_empty_store_on_disk_reaches_nothing(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "store") as on_disk:
        assert derive_facts(_inputs(on_disk.oxigraph)).reaches == {}


def test_the_walk_and_the_condensation_agree(national: OxigraphStore) -> None:
    inputs = _inputs(national.oxigraph)
    stated = inputs.structure | (inputs.supports & inputs.stated_alignments)
    for chosen in (inputs.structure | inputs.supports, stated):
        assert reach(chosen) == _reach_around_cycles(chosen)
