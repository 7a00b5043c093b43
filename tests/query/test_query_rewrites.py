"""The queries rewritten for national scale answer exactly what their plain forms answer.

`tests/resources/reference-queries/` keeps the plain forms (property paths to each element's
plan, every upward link in one path, the closure inside an OPTIONAL): slow at a million triples,
but obviously right. On a synthetic national dataset with gaps, several fiscal years and every
kind of link, each rewritten named query must give the same rows for many parameters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal

from policygraph.bench.synth import SynthSpec, write_dataset
from policygraph.load.derive import derive
from policygraph.load.loader import load_many
from policygraph.query.registry import execute, get_query, load_query
from policygraph.resources import data_files, ontology_files
from policygraph.store import GraphStore, OxigraphStore
from tests.helpers import RESOURCES

SYNTH = "https://w3id.org/policygraph/id/synth/"
REFERENCE = RESOURCES / "reference-queries"


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    folder = tmp_path_factory.mktemp("synth")
    files = [path for path, _ in write_dataset(SynthSpec(agencies=8, years=2), folder)]
    with OxigraphStore() as store:
        load_many(store, [*ontology_files(), *data_files(), *files], derive=derive)
        yield store


def _iris(store: GraphStore, sparql: str) -> list[str]:
    return sorted(str(row["x"]) for row in store.query(sparql).rows)


def _cell(value: object) -> object:
    if isinstance(value, Literal) and isinstance(value.toPython(), Decimal | int | float):
        return Decimal(str(value.toPython()))
    if value is not None and " | " in str(value):  # joined locations: order is the engine's
        return frozenset(str(value).split(" | "))
    return None if value is None else str(value)


def _rows(store: GraphStore, query_path: Path | None, name: str,
          params: dict[str, str]) -> Counter[tuple[object, ...]]:
    query = load_query(query_path) if query_path else get_query(name)
    result = execute(store, query, params)
    return Counter(tuple(_cell(row.get(v)) for v in result.variables) for row in result.rows)


def _compare(store: GraphStore, name: str, params: dict[str, str]) -> int:
    expected = _rows(store, REFERENCE / f"{name}.rq", name, params)
    got = _rows(store, None, name, params)
    assert got == expected, (name, params, list((expected - got).items())[:3],
                             list((got - expected).items())[:3])
    return sum(expected.values())


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
