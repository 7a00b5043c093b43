"""The queries rewritten for national scale answer exactly what their plain forms answer.

`queries/plain/` keeps the plain forms (property paths to each element's
plan, every upward link in one path, the closure inside an OPTIONAL, no derived facts): slow at
a million triples, but obviously right; the named queries read the facts derived on load. On a
synthetic national dataset with gaps, several fiscal years and every kind of link, each
rewritten named query must give the same rows for many parameters.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from policygraph.bench.synth import SynthSpec, write_dataset
from policygraph.load.derive import derive
from policygraph.load.loader import load_many
from policygraph.resources import data_files, ontology_files
from policygraph.store import GraphStore, OxigraphStore
from tests.helpers import compare_with_reference

SYNTH = "https://w3id.org/policygraph/id/synth/"


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    folder = tmp_path_factory.mktemp("synth")
    files = [path for path, _ in write_dataset(SynthSpec(agencies=8, years=2), folder)]
    with OxigraphStore() as store:
        load_many(store, [*ontology_files(), *data_files(), *files], derive=derive)
        yield store


def _iris(store: GraphStore, sparql: str) -> list[str]:
    return sorted(str(row["x"]) for row in store.query(sparql).rows)


def _compare(store: GraphStore, name: str, params: dict[str, str]) -> int:
    return compare_with_reference(store, name, params)


def test_trace_up_matches_its_plain_form(national: GraphStore) -> None:
    starts = _iris(national, "SELECT ?x WHERE { ?x a pg:Activity } ORDER BY ?x LIMIT 40")
    starts += ["https://w3id.org/policygraph/id/opdc-acp-2567/s1-a3",
               "https://w3id.org/policygraph/id/opdc-acp-2567/s1-a4-i2", SYNTH + "mp1/sp1-target"]
    assert sum(_compare(national, "trace-up", {"element": iri}) for iri in starts) > 100


def test_trace_down_matches_its_plain_form(national: GraphStore) -> None:
    targets = _iris(national, "SELECT ?x WHERE { ?x a pg:Target } ORDER BY ?x LIMIT 30")
    targets += [SYNTH + "ns", "https://w3id.org/policygraph/id/mp21/target"]
    for lang in ("th", "en"):
        assert sum(_compare(national, "trace-down", {"target": iri, "lang": lang})
                   for iri in targets) > 100


def test_budget_rollup_matches_its_plain_form(national: GraphStore) -> None:
    plans = _iris(national, "SELECT ?x WHERE { ?x pg:planLevel ?level } ORDER BY ?x")
    assert len(plans) > 10
    assert sum(_compare(national, "budget-rollup", {"plan": iri}) for iri in plans) > 50


def test_coverage_gaps_year_matches_its_plain_form(national: GraphStore) -> None:
    rows = [_compare(national, "coverage-gaps-year", {"year": year})
            for year in ("2023", "2024", "2567", "2025", "2030")]
    assert rows[0] > rows[1] > 0  # a year with no plans has every target as a gap


def test_coverage_gaps_match_their_plain_form(national: GraphStore) -> None:
    rows = [_compare(national, "coverage-gaps", params)
            for params in ({}, {"level": "1"}, {"level": "2"}, {"level": "3"}, {"lang": "en"})]
    assert rows[0] == sum(rows[1:4]) and rows[2] > 0


ORPHANED = """@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix : <https://w3id.org/policygraph/id/orphaned/> .
:plan a pg:Plan ; pg:planLevel pg:Level3 .
:s1 a pg:Strategy ; pg:partOf :plan .
:s1-a1 a pg:Activity ; pg:partOf :s1 .
:s1-a2 a pg:Project ; pg:partOf :s1 .
:s2 a pg:Strategy ; pg:partOf :plan .
:s2-a1 a pg:Activity ; pg:partOf :s2 ; pg:supports :s1-a1 .
:s3 a pg:Strategy ; pg:partOf :plan .
[] a pg:Alignment ; pg:fromElement :s3 ; pg:toElement <https://w3id.org/policygraph/id/ns/s6> ;
   pg:basis pg:Inferred .
"""


def test_orphans_match_their_plain_form(national: GraphStore, tmp_path: Path) -> None:
    kinds = ["pg:Activity", "pg:Project", "pg:Tactic", "pg:Target", "pg:Strategy"]
    # The national data has none; a plan of its own gives some beside the bundled data.
    assert sum(_compare(national, "orphans", {"kind": kind}) for kind in kinds) == 0
    (tmp_path / "orphaned.ttl").write_text(ORPHANED)
    with OxigraphStore() as store:
        load_many(store, [*ontology_files(), *data_files(), tmp_path / "orphaned.ttl"],
                  derive=derive)
        found = [_compare(store, "orphans", {"kind": kind}) for kind in kinds]
        assert found[:2] == [2, 1] and found[4] == 2  # s3 reaches Level 1: it is no orphan


def test_graph_up_matches_its_plain_form(national: GraphStore) -> None:
    starts = _iris(national, "SELECT ?x WHERE { ?x a pg:Project } ORDER BY ?x LIMIT 20")
    starts += [SYNTH + "mp1/sp1-target", "https://w3id.org/policygraph/id/opdc-acp-2567/s1-a3"]
    assert sum(_compare(national, "graph-up", {"element": iri}) for iri in starts) > 100


def test_coverage_and_its_work_items_match_their_plain_forms(national: GraphStore) -> None:
    for name in ("coverage", "coverage-work"):
        rows = [_compare(national, name, params)
                for params in ({}, {"level": "1"}, {"level": "2"}, {"level": "3"},
                               {"lang": "en"})]
        assert rows[0] == sum(rows[1:4]) and rows[2] > 0, name


def test_plans_match_their_plain_form(national: GraphStore) -> None:
    assert _compare(national, "plans", {}) > 10
    assert _compare(national, "plans", {"lang": "en"}) > 10


def test_supporting_work_matches_its_plain_form(national: GraphStore) -> None:
    elements = _iris(national, "SELECT DISTINCT ?x WHERE { VALUES ?k { pg:Target pg:Tactic "
                               "pg:Strategy pg:Plan } ?x a ?k } ORDER BY ?x LIMIT 60")
    elements += [SYNTH + "mp1/sp1-target", SYNTH + "ns"]
    assert sum(_compare(national, "supporting-work", {"element": iri}) for iri in elements) > 100
    assert _compare(national, "supporting-work", {"element": SYNTH + "ns", "lang": "en"}) > 10
