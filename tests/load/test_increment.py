"""Deriving again only what a change touches gives exactly what a derivation from scratch gives.

A synthetic national store (with the bundled plans) goes through random changes of one or two
graphs at a time: links dropped and added (cycles too), alignments' basis flipped, budgets'
amounts and statuses changed (an amount that is not a number too), plans' years and elements'
kinds changed, graphs emptied and new graphs added. After each, written with the facts' delta,
the derived graph equals a derivation from scratch (:func:`check_facts`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from policygraph.bench.synth import SynthSpec, write_dataset
from policygraph.load import increment
from policygraph.load.derive import derive
from policygraph.load.loader import load_many
from policygraph.load.materialise import check_facts, write_with_facts
from policygraph.namespaces import DERIVED_GRAPH, GRAPH, PG, RDF
from policygraph.resources import data_files, ontology_files
from policygraph.store import OxigraphStore

Quads = list[ox.Quad]
_PG = {name: ox.NamedNode(str(PG[name])) for name in (
    "supports", "partOf", "targetOf", "basis", "Stated", "Inferred", "amount", "budgetStatus",
    "BudgetStated", "NoBudget", "fiscalYear", "Activity", "Project", "Target", "Indicator",
    "fromElement")}
_TYPE = ox.NamedNode(str(RDF.type))
_XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[OxigraphStore]:
    files = [path for path, _ in write_dataset(SynthSpec(agencies=4, years=2), tmp_path / "in")]
    with OxigraphStore(tmp_path / "store") as on_disk:
        load_many(on_disk, [*ontology_files(), *data_files(), *files], derive=derive)
        _split_by_agency(on_disk)
        assert check_facts(on_disk).current
        yield on_disk


def _split_by_agency(store: OxigraphStore) -> None:
    """File each agency's yearly plan as a graph of its own (its elements, the blank nodes
    they use and its alignments), as planners file them: so a fiscal year is given by several
    graphs. Written with the facts' delta, like any change."""
    staged, names = ox.Store(), []
    for name in (g for g in _graphs(store) if "plans-" in g):
        quads = list(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(name)))
        owner = {q.subject: found[1] for q in quads if isinstance(q.subject, ox.NamedNode)
                 and (found := re.search(r"/agency-(\d+)/", q.subject.value))}
        owner |= {q.subject: owner[q.object] for q in quads  # type: ignore[index]
                  if q.predicate == _PG["fromElement"] and q.object in owner}
        for quad in quads:  # blank nodes go with their subject (one level is all there is)
            if isinstance(quad.object, ox.BlankNode) and quad.subject in owner:
                owner[quad.object] = owner[quad.subject]
        for quad in quads:
            agency = owner.get(quad.subject)
            graph = f"{name}-agency-{agency}" if agency else name
            staged.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(graph)))
        names += [name, *{f"{name}-agency-{agency}" for agency in owner.values()}]
    write_with_facts(store, staged, [URIRef(name) for name in names])


def _some(rng: random.Random, quads: Quads, share: float) -> set[int]:
    return {i for i in range(len(quads)) if rng.random() < share}


def _drop(rng: random.Random, quads: Quads, pool: list[ox.NamedNode]) -> Quads:
    gone = _some(rng, quads, 0.1)
    return [q for i, q in enumerate(quads) if i not in gone]


def _link(rng: random.Random, quads: Quads, pool: list[ox.NamedNode]) -> Quads:
    graph = quads[0].graph_name if quads else ox.NamedNode(f"{GRAPH}new")
    links = [ox.Quad(rng.choice(pool), _PG[rng.choice(("supports", "partOf", "targetOf"))],
                     rng.choice(pool), graph) for _ in range(rng.randint(1, 8))]
    return quads + links


def _flip_basis(rng: random.Random, quads: Quads, pool: list[ox.NamedNode]) -> Quads:
    flipped = {_PG["Stated"]: _PG["Inferred"], _PG["Inferred"]: _PG["Stated"]}
    return [ox.Quad(q.subject, q.predicate, flipped[q.object], q.graph_name)  # type: ignore[index]
            if q.predicate == _PG["basis"] and q.object in flipped and rng.random() < 0.3 else q
            for q in quads]


def _budgets(rng: random.Random, quads: Quads, pool: list[ox.NamedNode]) -> Quads:
    def changed(q: ox.Quad) -> ox.Quad:
        if q.predicate == _PG["amount"]:
            value = rng.choice([ox.Literal(str(rng.randint(0, 10**6)), datatype=ox.NamedNode(
                f"{_XSD}decimal")), ox.Literal("not a number")])
            return ox.Quad(q.subject, q.predicate, value, q.graph_name)
        if q.predicate == _PG["budgetStatus"]:
            status = rng.choice([_PG["BudgetStated"], _PG["NoBudget"]])
            return ox.Quad(q.subject, q.predicate, status, q.graph_name)
        return q
    return [changed(q) if rng.random() < 0.3 else q for q in quads]


def _years(rng: random.Random, quads: Quads, pool: list[ox.NamedNode]) -> Quads:
    year = ox.Literal(str(rng.choice((2023, 2024, 2025))), datatype=ox.NamedNode(f"{_XSD}gYear"))
    return [ox.Quad(q.subject, q.predicate, year, q.graph_name)
            if q.predicate == _PG["fiscalYear"] else q for q in quads]


def _kinds(rng: random.Random, quads: Quads, pool: list[ox.NamedNode]) -> Quads:
    swap = {_PG["Activity"]: _PG["Project"], _PG["Project"]: _PG["Target"],
            _PG["Target"]: _PG["Indicator"], _PG["Indicator"]: _PG["Activity"]}
    return [ox.Quad(q.subject, q.predicate, swap[q.object], q.graph_name)  # type: ignore[index]
            if q.predicate == _TYPE and q.object in swap and rng.random() < 0.2 else q
            for q in quads]


def _empty(rng: random.Random, quads: Quads, pool: list[ox.NamedNode]) -> Quads:
    return []


Change = Callable[[random.Random, Quads, list[ox.NamedNode]], Quads]
CHANGES: list[Change] = [_drop, _link, _flip_basis, _budgets, _years, _kinds, _empty]


def _graphs(store: OxigraphStore) -> list[str]:
    return sorted(str(g) for g in store.graphs()
                  if g != DERIVED_GRAPH and "ontology" not in str(g))


def _change(store: OxigraphStore, rng: random.Random) -> tuple[ox.Store, list[str]]:
    """New content for one or two graphs (or a new graph), in a staging store."""
    ox_store = store.oxigraph
    pool = sorted({q.subject for q in ox_store.quads_for_pattern(None, _PG["partOf"], None, None)
                   if isinstance(q.subject, ox.NamedNode)}, key=str)
    names = rng.sample(_graphs(store), rng.choice((1, 1, 2)))
    if rng.random() < 0.15:
        names.append(f"{GRAPH}new-{rng.randint(0, 10**6)}")
    staged = ox.Store()
    for name in names:
        quads = list(ox_store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
        for change in rng.sample(CHANGES, rng.randint(1, 3)):
            quads = change(rng, quads, pool)
        staged.extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(name))
                      for q in quads)
    return staged, names


@pytest.mark.parametrize("seed", range(4))
def test_random_changes_leave_the_facts_a_derivation_from_scratch_gives(
        store: OxigraphStore, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    deltas: list[int] = []
    real = increment.delta_after

    def counted(*args: object) -> increment.Delta | None:
        delta = real(*args)  # type: ignore[arg-type]
        deltas.append(-1 if delta is None else len(delta.removes) + len(delta.adds))
        return delta

    monkeypatch.setattr("policygraph.load.materialise.delta_after", counted)
    for step in range(6):
        staged, names = _change(store, rng)
        write_with_facts(store, staged, [URIRef(name) for name in names])
        check = check_facts(store)
        assert check.current, (seed, step, names, check)
    assert deltas and all(size >= 0 for size in deltas)  # the delta, never a full derivation


def test_an_alignment_filed_apart_from_its_link(store: OxigraphStore) -> None:
    # An auditor's assessment graph holds the alignments' basis; the agency's graph the links.
    name = next(g for g in _graphs(store) if g.endswith("2024-agency-2"))
    quads = list(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    alignments = {q.subject for q in quads if q.predicate == _PG["fromElement"]}
    staged, assessed = ox.Store(), f"{GRAPH}assessment"
    for quad in quads:
        graph = assessed if quad.subject in alignments else name
        staged.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(graph)))
    write_with_facts(store, staged, [URIRef(name), URIRef(assessed)])
    assert check_facts(store).current
    flipped = {_PG["Stated"]: _PG["Inferred"], _PG["Inferred"]: _PG["Stated"]}
    staged = ox.Store()
    staged.extend(ox.Quad(q.subject, q.predicate, flipped.get(q.object, q.object),  # type: ignore[call-overload]
                          q.graph_name) for q in store.oxigraph.quads_for_pattern(
                              None, None, None, ox.NamedNode(assessed)))
    before = store.triple_count(DERIVED_GRAPH), _stated_pairs(store)
    write_with_facts(store, staged, [URIRef(assessed)])  # only the basis changes
    check = check_facts(store)
    assert check.current, check
    assert store.triple_count(DERIVED_GRAPH) == before[0]  # as many pairs
    assert _stated_pairs(store) != before[1]  # but of other bases


def _stated_pairs(store: OxigraphStore) -> int:
    return sum(1 for _ in store.oxigraph.quads_for_pattern(
        None, ox.NamedNode(str(PG.reachesStated)), None, ox.NamedNode(str(DERIVED_GRAPH))))


def test_one_agency_year_re_derives_only_what_depends_on_it(store: OxigraphStore) -> None:
    name = next(g for g in _graphs(store) if g.endswith("2024-agency-1"))
    ox_store = store.oxigraph
    quads = list(ox_store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    first = next(q.subject for q in quads if q.predicate == _PG["supports"])
    staged = ox.Store()
    staged.extend(q for q in quads if q.subject != first)
    delta = increment.delta_after(ox_store, staged, [name])
    assert delta is not None and delta.removes
    assert len(delta.removes) + len(delta.adds) < store.triple_count(DERIVED_GRAPH) / 20
    write_with_facts(store, staged, [URIRef(name)])
    assert check_facts(store).current


def test_past_the_limit_it_derives_from_scratch(store: OxigraphStore,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(increment, "MAX_AFFECTED", 0)
    name = _graphs(store)[0]
    assert increment.delta_after(store.oxigraph, ox.Store(), [name]) is None
    write_with_facts(store, ox.Store(), [URIRef(name)])
    assert URIRef(name) not in store.graphs()
    assert check_facts(store).current


def test_an_amount_that_is_not_a_number_then_mended(store: OxigraphStore) -> None:
    # While one amount is not a number the sums it reaches are unknown; mended, they are known
    # again: a sum cannot be adjusted back from unknown, so it is counted again.
    name = next(g for g in _graphs(store) if g.endswith("2025-agency-3"))
    quads = list(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    first = next(i for i, q in enumerate(quads) if q.predicate == _PG["amount"])

    def with_amount(amount: ox.Literal) -> ox.Store:
        staged = ox.Store()
        staged.extend(ox.Quad(q.subject, q.predicate, amount, q.graph_name) if i == first
                      else q for i, q in enumerate(quads))
        return staged

    totals = _totals(store)
    write_with_facts(store, with_amount(ox.Literal("ไม่ระบุ")), [URIRef(name)])
    assert check_facts(store).current
    assert _totals(store) < totals  # some sums unknown now
    write_with_facts(store, with_amount(quads[first].object), [URIRef(name)])  # type: ignore[arg-type]
    assert check_facts(store).current
    assert _totals(store) == totals


def _totals(store: OxigraphStore) -> int:
    return sum(1 for _ in store.oxigraph.quads_for_pattern(
        None, ox.NamedNode(str(PG.statedTotal)), None, ox.NamedNode(str(DERIVED_GRAPH))))
