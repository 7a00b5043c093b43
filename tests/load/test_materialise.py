"""The derived facts stay exactly what a derivation from scratch gives, whatever changes.

A synthetic national store on disk (the bundled plans beside it) goes through a load, a
higher-level plan replaced by one that drops a target, an agency-year plan replaced, a graph
removed, and interrupted writes; after each, the stored derived graph equals the facts derived
afresh from the other graphs, and the named queries that read it equal their plain forms.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from policygraph.bench.synth import SynthSpec, write_dataset
from policygraph.errors import ValidationFailed
from policygraph.load import materialise
from policygraph.load.derive import derive
from policygraph.load.facts import rollup_iri
from policygraph.load.loader import load_many
from policygraph.load.materialise import (
    check_facts,
    drop_graphs,
    facts_after,
    has_facts,
    refresh_facts,
    replace_with_facts,
)
from policygraph.load.validate import VALIDATOR
from policygraph.namespaces import DERIVED_GRAPH, GRAPH, PG
from policygraph.resources import data_files, ontology_files
from policygraph.store import OxigraphStore, graph_triples
from tests.helpers import compare_with_reference

SYNTH = "https://w3id.org/policygraph/id/synth/"
DROPPED = f"{SYNTH}mp1/sp1-target"


def _answers_match(store: OxigraphStore) -> None:
    """The facts are current, and the queries reading them answer as their plain forms."""
    check = check_facts(store)
    assert check.current, check
    for element in (f"{SYNTH}agency-1/2024/s1-a1", f"{SYNTH}agency-2/2025/s1-a2",
                    "https://w3id.org/policygraph/id/opdc-acp-2567/s1-a3"):
        compare_with_reference(store, "trace-up", {"element": element})
    for target in (DROPPED, f"{SYNTH}mp1/sp1", f"{SYNTH}ns/s1"):
        compare_with_reference(store, "trace-down", {"target": target})
    for plan in (f"{SYNTH}ns", f"{SYNTH}mp1", "https://w3id.org/policygraph/id/ns"):
        compare_with_reference(store, "budget-rollup", {"plan": plan})
    for year in ("2024", "2025"):
        compare_with_reference(store, "coverage-gaps-year", {"year": year})
    compare_with_reference(store, "coverage-gaps", {})


def _without(source: Path, target: Path, *needles: str) -> Path:
    """``source`` without the lines (one triple each) that mention any of ``needles``."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(line for line in lines if not any(n in line for n in needles)),
                      encoding="utf-8")
    return target


@pytest.fixture()
def synth_files(tmp_path: Path) -> list[Path]:
    return [path for path, _ in write_dataset(SynthSpec(agencies=5, years=2), tmp_path / "in")]


@pytest.fixture()
def store(tmp_path: Path, synth_files: list[Path]) -> Iterator[OxigraphStore]:
    with OxigraphStore(tmp_path / "store") as on_disk:
        load_many(on_disk, [*ontology_files(), *data_files(), *synth_files], derive=derive)
        yield on_disk


def _reached(store: OxigraphStore, element: str) -> set[str]:
    rows = store.query("SELECT ?e ?t WHERE { ?e pg:reachesStated|pg:reachesInferred ?t }",
                       {"e": URIRef(element)}).rows
    return {str(row["t"]) for row in rows}


def _has_rollup(store: OxigraphStore, element: str) -> bool:
    return bool(store.query("SELECT ?r ?t WHERE { ?r pg:rollupOf ?t }",
                            {"r": URIRef(rollup_iri(element)), "t": URIRef(element)}).rows)


def _work_items(store: OxigraphStore, element: str) -> list[str]:
    return [str(row["n"]) for row in store.query(
        "SELECT ?s ?n WHERE { ?r pg:rollupOf ?s ; pg:workItems ?n }", {"s": URIRef(element)}).rows]


def test_a_load_stores_the_facts_a_derivation_gives(store: OxigraphStore) -> None:
    assert has_facts(store) and store.triple_count(DERIVED_GRAPH) > 1000
    _answers_match(store)
    kinds = {str(t[1]) for t in graph_triples(store, DERIVED_GRAPH)}
    assert {str(PG.reachesStated), str(PG.reachesInferred), str(PG.supportedInYear),
            str(PG.rollupOf), str(PG.statedTotal)} <= kinds


def test_replacing_a_higher_level_plan_that_drops_a_target(
        store: OxigraphStore, synth_files: list[Path], tmp_path: Path) -> None:
    national = next(p for p in synth_files if p.stem == "synth-national")
    assert f"{SYNTH}mp1/sp1" in _reached(store, DROPPED)
    assert _has_rollup(store, DROPPED)
    load_many(store, [_without(national, tmp_path / "v2" / national.name, f"<{DROPPED}>")],
              derive=derive)
    # The agencies' alignments still point at it (their files are unchanged), but it leads
    # nowhere now and has no roll-up: it is no longer a target of the master plan.
    assert _reached(store, DROPPED) == set()
    assert not _has_rollup(store, DROPPED)
    _answers_match(store)


def test_replacing_an_agency_plan(store: OxigraphStore, synth_files: list[Path],
                                  tmp_path: Path) -> None:
    year = next(p for p in synth_files if p.stem.endswith("2024"))
    before = _work_items(store, f"{SYNTH}ns/s1")
    load_many(store, [_without(year, tmp_path / "v2" / year.name, "agency-1/2024/")],
              derive=derive)
    after = _work_items(store, f"{SYNTH}ns/s1")
    assert before != after  # agency 1's work no longer rolls up
    assert _reached(store, f"{SYNTH}agency-1/2024/s1-a1") == set()
    _answers_match(store)


def test_removing_graphs(store: OxigraphStore, synth_files: list[Path]) -> None:
    year = GRAPH[next(p for p in synth_files if p.stem.endswith("2025")).stem]
    drop_graphs(store, [year])
    assert year not in store.graphs()
    _answers_match(store)
    gaps = compare_with_reference(store, "coverage-gaps-year", {"year": "2025"})
    everything = compare_with_reference(store, "coverage-gaps-year", {"year": "2030"})
    assert gaps == everything  # with its plans gone, 2025 supports nothing


def test_a_failed_replacement_leaves_graphs_and_facts_as_they_were(
        store: OxigraphStore, tmp_path: Path) -> None:
    before = store.dump("nquads")

    def broken() -> Iterator[tuple[URIRef, URIRef, URIRef]]:
        yield URIRef(f"{SYNTH}x"), PG.partOf, URIRef(f"{SYNTH}ns")
        raise OSError("the disk went away")

    with pytest.raises(OSError):
        replace_with_facts(store, {GRAPH["synth-national"]: broken()})
    bad = tmp_path / "synth-national.ttl"
    bad.write_text(f"<{SYNTH}ns> <{PG.planLevel}> <{PG.Level1}> .\n"
                   f"<{SYNTH}ns> a <{PG.Plan}> .\n")  # a plan with no name: refused
    with pytest.raises(ValidationFailed):
        load_many(store, [bad], derive=derive, validate=VALIDATOR)
    assert store.dump("nquads") == before
    _answers_match(store)


def test_a_change_made_behind_its_back_is_seen_and_mended(store: OxigraphStore) -> None:
    # An edit that skips the facts, as another tool would make it: every stated alignment of
    # one activity becomes inferred (nothing a file's own derivation depends on).
    store.oxigraph.update(f"""
        DELETE {{ GRAPH ?g {{ ?a <{PG.basis}> <{PG.Stated}> }} }}
        INSERT {{ GRAPH ?g {{ ?a <{PG.basis}> <{PG.Inferred}> }} }}
        WHERE {{ GRAPH ?g {{ ?a <{PG.fromElement}> <{SYNTH}agency-1/2024/s1-a1> ;
                              <{PG.basis}> <{PG.Stated}> }} }}""")
    check = check_facts(store)
    assert not check.current and check.missing > 0 and check.extra > 0
    assert refresh_facts(store) > 0
    _answers_match(store)


def test_facts_for_new_content_before_it_is_written(store: OxigraphStore) -> None:
    staged = ox.Store()
    name = f"{GRAPH}extra"
    staged.add(ox.Quad(ox.NamedNode(f"{SYNTH}new"), ox.NamedNode(str(PG.supports)),
                       ox.NamedNode(DROPPED), ox.NamedNode(name)))
    facts = facts_after(store, staged, [name])
    assert f"{SYNTH}mp1/sp1" in facts.reaches[f"{SYNTH}new"]
    assert f"{SYNTH}new" not in _reached(store, f"{SYNTH}new")  # nothing written


_KILLED_LOAD = """
import sys
from pathlib import Path
from policygraph.load.derive import derive
from policygraph.load.loader import load_many
from policygraph.store import OxigraphStore
with OxigraphStore(sys.argv[1]) as store:
    print("open", flush=True)
    load_many(store, [Path(p) for p in sys.argv[2:]], derive=derive)
"""


@pytest.mark.parametrize("delay", [0.0, 0.4, 1.2])
def test_a_killed_load_leaves_graphs_and_facts_that_agree(
        store: OxigraphStore, tmp_path: Path, delay: float) -> None:
    path = store.path
    more = [p for p, _ in write_dataset(SynthSpec(agencies=30, years=2, seed=7), tmp_path / "more")]
    store.close()
    child = subprocess.Popen([sys.executable, "-c", _KILLED_LOAD, str(path),
                              *map(str, more)], stdout=subprocess.PIPE, env=os.environ.copy())
    assert child.stdout is not None and child.stdout.readline().strip() == b"open"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait()
    with OxigraphStore(path) as reopened:  # the sweep runs on a writable open
        assert check_facts(reopened).current


def test_deriving_again_writes_only_the_difference(store: OxigraphStore) -> None:
    """A derivation from scratch over stored facts writes what differs (a hand-edited derived
    graph: a fact added, one taken away), not the whole graph again."""
    graph = ox.NamedNode(str(DERIVED_GRAPH))
    facts = store.oxigraph
    taken = next(facts.quads_for_pattern(None, ox.NamedNode(str(PG.reachesStated)), None, graph))
    facts.remove(taken)
    bogus = ox.Quad(taken.subject, ox.NamedNode(str(PG.reachesInferred)),
                    ox.NamedNode(f"{SYNTH}nowhere"), graph)
    facts.add(bogus)
    untouched = next(q for q in facts.quads_for_pattern(None, None, None, graph)
                     if q not in (taken, bogus) and isinstance(q.subject, ox.NamedNode))
    assert not check_facts(store).current
    removes, adds = materialise._difference(facts, materialise.facts_after(
        store, ox.Store(), ()).quads())
    assert (removes, adds) == ([bogus], [taken])
    refresh_facts(store)
    assert check_facts(store).current and taken in facts and bogus not in facts
    assert untouched in facts
