"""Every named query on the bundled data, checked against answers derived by hand from the seed.

The seed is OPDC's FY B.E. 2567 plan (tests/resources/sources/opdc-acp-2567.txt). Its section 4
table gives 10 projects and activities: strategy 1 has a1-a4, strategy 2 has a1-a6. Budgets:
s1-a2 600,000; s1-a3 9,460,600 (footnote ¹); s1-a4 637,800; s2-a1 1,814,000 (total 12,512,400);
s1-a1, s2-a2, s2-a3, s2-a4, s2-a6 "ไม่มีการใช้งบประมาณ"; s2-a5 blank (not stated).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import URIRef

from policygraph.namespaces import ID, PG, RDF
from policygraph.query.registry import NamedQuery, get_query, list_queries, run_query
from policygraph.store import GraphStore, OxigraphStore
from tests.answers import example_params
from tests.servers import (  # noqa: F401 - fixtures used by name
    bundled_store_on_each_engine,
    embedded_bundled,
    oxigraph_bundled,
    oxigraph_server,
    virtuoso_bundled,
    virtuoso_server,
)

PLAN = "opdc-acp-2567/"
ALL_WORK = {f"{PLAN}s1-a{n}" for n in range(1, 5)} | {f"{PLAN}s2-a{n}" for n in range(1, 7)}
S2_WORK = {f"{PLAN}s2-a{n}" for n in range(1, 7)}


def local(term: object) -> str:
    """The part of an instance IRI after the data namespace."""
    return str(term).removeprefix(str(ID))


def column(result: object, name: str) -> list[str]:
    return [local(row[name]) for row in result.rows]  # type: ignore[attr-defined]


#: Queries whose right answer on the bundled data is no rows (checked with fixtures below).
EMPTY_ON_BUNDLED_DATA = {"orphans"}


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_query_runs_with_its_example(bundled_store: GraphStore, query: NamedQuery) -> None:
    result = run_query(bundled_store, query.name, example_params(query))
    if query.form == "construct":
        assert result.kind == "graph" and result.triples
        return
    assert result.kind == "select"
    assert set(result.variables) >= set(query.returns_vars)
    if query.name.endswith("-violation") or query.name in EMPTY_ON_BUNDLED_DATA:
        assert result.rows == [], f"{query.name} must return no rows on the bundled data"
    else:
        assert result.rows, f"{query.name} returned nothing on the bundled data"


def test_trace_up_reaches_the_national_strategies_with_bases(bundled_store: GraphStore) -> None:
    result = run_query(bundled_store, "trace-up", {"element": f"id:{PLAN}s1-a3"})
    hops = {(local(r["from"]), local(r["relation"]).removeprefix(str(PG)), local(r["to"])):
            r["basis"] for r in result.rows}
    # The table puts the project under tactic 2 of strategy 1.
    assert (f"{PLAN}s1-a3", "partOf", f"{PLAN}s1-t2") in hops
    assert hops[(f"{PLAN}s1-a3", "partOf", f"{PLAN}s1-t2")] is None  # structure, not alignment
    # Section 2: the plan names national strategies 1, 3 and 6 (stated).
    for strategy in ("ns/s1", "ns/s3", "ns/s6"):
        assert hops[("opdc-acp-2567", "supports", strategy)] == PG.Stated
    # The analyst's reading: digital services serve NESDP milestone 13 (inferred).
    assert hops[(f"{PLAN}s1-a3", "supports", "nesdp13/m13")] == PG.Inferred
    level1 = {local(r["to"]) for r in result.rows if str(r["toLevel"]) == "1"}
    assert {"ns/s1", "ns/s3", "ns/s6"} <= level1
    assert not {"ns/s2", "ns/s4", "ns/s5"} & level1
    evidence = {str(r["evidence"]) for r in result.rows if r["evidence"] is not None}
    assert any("ยุทธศาสตร์ชาติด้านความมั่นคง" in quote for quote in evidence)


def test_trace_down_a_sub_plan_target(bundled_store: GraphStore) -> None:
    result = run_query(bundled_store, "trace-down", {"target": "id:mp21/sp1-target"})
    work = {local(r["element"]) for r in result.rows if r["kind"] in (PG.Project, PG.Activity)}
    # Strategy 2 serves the phase-2 prevention target, which is the master plan's sub-plan target.
    assert work == S2_WORK
    budgets = {local(r["element"]): r["budgetStatus"] for r in result.rows if r["element"]
               and local(r["element"]) in work}
    assert budgets[f"{PLAN}s2-a5"] == PG.BudgetNotStated
    assert budgets[f"{PLAN}s2-a2"] == PG.NoBudget


def test_coverage_counts(bundled_store: GraphStore) -> None:
    result = run_query(bundled_store, "coverage", {})
    count = {local(r["element"]): int(r["workItems"]) for r in result.rows}
    assert count["ns/s6"] == 10 and count["ns/s2"] == 0
    assert count["mp21/sp1-target"] == 6
    assert count["opdc-strategy/s4-1"] == 4  # strategy 1's four items (inferred to 4.1)
    assert count["opdc-strategy/s4-2"] == 6
    assert count[f"{PLAN}s1-t2"] == 3


def test_coverage_gaps(bundled_store: GraphStore) -> None:
    gaps = set(column(run_query(bundled_store, "coverage-gaps", {}), "element"))
    assert gaps == {
        # National strategies the plan does not name, and the goals/issues it does not link to.
        "ns/s2", "ns/s4", "ns/s5", "ns/s1-goal", "ns/s3-goal",
        "ns/s1-internal-security", "ns/s3-social-institutions",
        # Nothing in the plan suppresses corruption cases.
        "mp21/sp2", "mp21/sp2-target", "acp2/sp2", "acp2/sp2-target", "acp2/sp1-target-2",
        "opdc-strategy/s4-goal",
    }
    level1 = set(column(run_query(bundled_store, "coverage-gaps", {"level": "1"}), "element"))
    assert level1 == {g for g in gaps if g.startswith("ns/")}


def test_orphans(bundled_store: GraphStore, store: OxigraphStore) -> None:
    assert run_query(bundled_store, "orphans", {}).rows == []
    # An activity whose plan links nowhere is an orphan, as are its plan's components.
    store.replace_graph(URIRef("urn:test:orphan"), [
        (ID["x/plan"], RDF.type, PG.Plan),
        (ID["x/plan"], PG.planLevel, PG.Level3),
        (ID["x/s1"], RDF.type, PG.Strategy),
        (ID["x/s1"], PG.partOf, ID["x/plan"]),
        (ID["x/s1-a1"], RDF.type, PG.Activity),
        (ID["x/s1-a1"], PG.partOf, ID["x/s1"]),
    ])
    orphans = set(column(run_query(store, "orphans", {}), "element"))
    assert orphans == {"x/s1", "x/s1-a1"}
    only = set(column(run_query(store, "orphans", {"kind": "pg:Activity"}), "element"))
    assert only == {"x/s1-a1"}


def _rollup(store: GraphStore, plan: str) -> dict[str, tuple[int, Decimal, int, int, int]]:
    rows = run_query(store, "budget-rollup", {"plan": plan}).rows
    return {local(r["element"]): (int(r["workItems"]), Decimal(str(r["statedTotal"])),
                                  int(r["stated"]), int(r["noBudget"]), int(r["notStated"]))
            for r in rows}


def test_budget_rollup_by_national_strategy(bundled_store: GraphStore) -> None:
    rollup = _rollup(bundled_store, "id:ns")
    everything = (10, Decimal("12512400"), 4, 5, 1)
    assert rollup["ns/s1"] == rollup["ns/s3"] == rollup["ns/s6"] == everything
    assert rollup["ns/s2"] == (0, Decimal("0"), 0, 0, 0)


def test_budget_rollup_by_master_plan_target(bundled_store: GraphStore) -> None:
    rollup = _rollup(bundled_store, "id:mp21")
    assert rollup["mp21/target"] == (10, Decimal("12512400"), 4, 5, 1)
    # Strategy 2's six items: only s2-a1 states an amount; s2-a5 is blank.
    assert rollup["mp21/sp1-target"] == (6, Decimal("1814000"), 1, 4, 1)
    assert rollup["mp21/sp2-target"] == (0, Decimal("0"), 0, 0, 0)


def test_budget_rollup_by_agency_strategy(bundled_store: GraphStore) -> None:
    rollup = _rollup(bundled_store, "id:opdc-strategy")
    # Strategy 1 (-> 4.1): 600,000 + 9,460,600 + 637,800; s1-a1 uses no budget.
    assert rollup["opdc-strategy/s4-1"] == (4, Decimal("10698400"), 3, 1, 0)
    assert rollup["opdc-strategy/s4-2"] == (6, Decimal("1814000"), 1, 4, 1)
    assert rollup["opdc-strategy/s4"] == (10, Decimal("12512400"), 4, 5, 1)


@pytest.mark.parametrize(("month", "expected"), [
    # Schedules from the table: s1-a2 and s1-a4 run Jun-Sep 67, s2-a1 Nov 66-Apr 67,
    # s2-a2 and s2-a6 Jan-Sep 67, s2-a3 Jan-Jun 67, the rest the whole fiscal year.
    ("มี.ค. 67", ALL_WORK - {f"{PLAN}s1-a2", f"{PLAN}s1-a4"}),
    ("2567-03", ALL_WORK - {f"{PLAN}s1-a2", f"{PLAN}s1-a4"}),
    ("2024-03", ALL_WORK - {f"{PLAN}s1-a2", f"{PLAN}s1-a4"}),
    ("ต.ค. 66", {f"{PLAN}s1-a1", f"{PLAN}s1-a3", f"{PLAN}s2-a4", f"{PLAN}s2-a5"}),
    ("July 2024", ALL_WORK - {f"{PLAN}s2-a1", f"{PLAN}s2-a3"}),
    ("2024-10", set()),
])
def test_schedule(bundled_store: GraphStore, month: str, expected: set[str]) -> None:
    result = run_query(bundled_store, "schedule", {"month": month})
    assert set(column(result, "element")) == expected


def test_responsibility(bundled_store: GraphStore) -> None:
    result = run_query(bundled_store, "responsibility", {})
    counts = {local(r["unit"]).removeprefix("org/"): int(r["workItems"]) for r in result.rows}
    assert counts == {
        "opdc-anti-corruption-operation-center": 5,  # s1-a1, s2-a2, s2-a4, s2-a5, s2-a6
        "opdc-digital-government-division": 2,  # s1-a3, s1-a4
        "opdc-public-service-innovation-division": 1,
        "opdc-strategy-division": 1,
        "opdc-secretariat": 1,
        "opdc-all-groups-divisions-offices": 1,
        "opdc-all-divisions-offices": 1,
    }
    one = run_query(bundled_store, "responsibility",
                    {"unit": "id:org/opdc-digital-government-division"})
    assert [int(r["workItems"]) for r in one.rows] == [2]


def test_find_element_and_alignments(bundled_store: GraphStore) -> None:
    found = column(run_query(bundled_store, "find-element", {"text": "ศูนย์บริการ"}), "element")
    assert found == [f"{PLAN}s1-a3"]
    english = column(run_query(bundled_store, "find-element", {"text": "ONE-STOP"}), "element")
    assert english == [f"{PLAN}s1-a3"]
    inferred = run_query(bundled_store, "alignments", {"basis": "pg:Inferred"}).rows
    stated = run_query(bundled_store, "alignments", {"basis": "pg:Stated"}).rows
    assert (len(stated), len(inferred)) == (20, 23)
    assert all(r["rationale"] is not None for r in inferred)


def test_element(bundled_store: GraphStore) -> None:
    row = run_query(bundled_store, "element", {"element": f"id:{PLAN}s1-a3"}).rows[0]
    assert str(row["labelEn"]) == "One-stop service centre development project"
    assert row["kind"] == PG.Project
    assert (str(row["level"]), local(row["plan"])) == ("3", "opdc-acp-2567")


def test_hostile_parameter_text_is_matched_literally(bundled_store: GraphStore) -> None:
    hostile = '"} ; DROP ALL ; SELECT * WHERE { ?s ?p ?o'
    assert run_query(bundled_store, "find-element", {"text": hostile}).rows == []
    assert bundled_store.triple_count() > 3000


def test_query_headers_name_their_params() -> None:
    query = get_query("trace-up")
    assert [p.name for p in query.params] == ["element", "lang"]
    assert query.param("element").required and query.param("lang").default == "th"


def test_coverage_gaps_for_a_fiscal_year(bundled_store: GraphStore) -> None:
    # FY B.E. 2567: nothing in the plan serves the suppression sub-plan (as coverage-gaps).
    gaps = set(column(run_query(bundled_store, "coverage-gaps-year", {"year": "2567"}),
                      "element"))
    assert gaps == {"mp21/sp2", "mp21/sp2-target"}
    # A year with no plan: every Level-2 target, sub-plan and milestone is a gap.
    none = set(column(run_query(bundled_store, "coverage-gaps-year", {"year": "2568"}),
                      "element"))
    assert none == {"mp21/target", "mp21/sp1", "mp21/sp1-target", "mp21/sp2",
                    "mp21/sp2-target", "nesdp13/m13"}
