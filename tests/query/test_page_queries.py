"""The named queries the web pages are built from, each checked against the seed by hand.

Every expected value below was read off the seed document (OPDC's action plan for FY B.E. 2567,
``tests/resources/sources/opdc-acp-2567.txt``), section 3 (the strategy map) and section 4 (the
table: one row per project or activity, with its indicators, budget, months and responsible
units), not from the data or from another query. B.E. dates are turned into Gregorian ones
(B.E. 2566 = 2023, 2567 = 2024; fiscal year 2567 runs from 1 Oct 2023 to 30 Sep 2024).
"""

from __future__ import annotations

from datetime import date

import pytest

from policygraph.namespaces import ID, PG
from policygraph.query.registry import run_query
from policygraph.store import GraphStore

PLAN = "opdc-acp-2567/"


def _local(term: object) -> str:
    return str(term).removeprefix(str(ID))


def _rows(store: GraphStore, name: str, **params: str) -> list[dict[str, object]]:
    return run_query(store, name, params).rows


# Section 3 and the table's first column: strategy 1 has tactic 1 (one activity, ITA) and
# tactic 2 (the licensing act activity, the one-stop service project, the e-government
# project); strategy 2 has tactic 1 (the awareness project, the ethics-guidelines and honouring
# activities) and tactic 2 (publicity, ethics strengthening, integrity assessment).
@pytest.mark.parametrize(("element", "children"), [
    ("opdc-acp-2567/s1", {"s1-t1", "s1-t2"}),
    ("opdc-acp-2567/s2", {"s2-t1", "s2-t2"}),
    ("opdc-acp-2567/s1-t1", {"s1-a1"}),
    ("opdc-acp-2567/s1-t2", {"s1-a2", "s1-a3", "s1-a4"}),
    ("opdc-acp-2567/s2-t1", {"s2-a1", "s2-a2", "s2-a3"}),
    ("opdc-acp-2567/s2-t2", {"s2-a4", "s2-a5", "s2-a6"}),
])
def test_element_children_follow_the_strategy_map(bundled_store: GraphStore, element: str,
                                                  children: set[str]) -> None:
    rows = _rows(bundled_store, "element-children", element=f"id:{element}")
    parts = {_local(r["child"]).removeprefix(PLAN) for r in rows if r["relation"] == PG.partOf}
    assert parts == children


def test_element_children_kinds_are_the_tables_words(bundled_store: GraphStore) -> None:
    # "โครงการ" is a project, "กิจกรรม" an activity, in the table's second column.
    rows = _rows(bundled_store, "element-children", element=f"id:{PLAN}s1-t2")
    kinds = {_local(r["child"]).removeprefix(PLAN): r["kind"] for r in rows}
    assert kinds == {"s1-a2": PG.Activity, "s1-a3": PG.Project, "s1-a4": PG.Project}


def test_element_ancestors_of_an_indicator(bundled_store: GraphStore) -> None:
    # The one-stop service project's second indicator: project 3 of tactic 2 of strategy 1.
    rows = _rows(bundled_store, "element-ancestors", element=f"id:{PLAN}s1-a3-i2")
    steps = {(_local(r["child"]), _local(r["parent"])) for r in rows}
    assert steps == {(f"{PLAN}s1-a3-i2", f"{PLAN}s1-a3"), (f"{PLAN}s1-a3", f"{PLAN}s1-t2"),
                     (f"{PLAN}s1-t2", f"{PLAN}s1"), (f"{PLAN}s1", "opdc-acp-2567")}


def test_element_indicators_of_the_one_stop_service_project(bundled_store: GraphStore) -> None:
    # Row 3 of strategy 1: three numbered indicators, "not fewer than 10 ministries" and "not
    # fewer than 20 services" among them.
    rows = _rows(bundled_store, "element-indicators", element=f"id:{PLAN}s1-a3")
    assert len(rows) == 3
    wording = " ".join(f"{r['label']} {r['targetText']}" for r in rows)
    assert "10 กระทรวง" in wording.replace("\u00a0", " ")
    assert "20 งานบริการ" in wording


# Section 4, the months column (arrows from the first to the last month; a bare month with no
# day, "← ต.ค. 66", is read as that month's first day).
TIMELINE = {
    "s1-a1": (date(2023, 10, 1), date(2024, 9, 30)), "s1-a2": (date(2024, 6, 1), date(2024, 9, 30)),
    "s1-a3": (date(2023, 10, 1), date(2024, 9, 30)), "s1-a4": (date(2024, 6, 1), date(2024, 9, 30)),
    "s2-a1": (date(2023, 11, 1), date(2024, 4, 30)), "s2-a2": (date(2024, 1, 1), date(2024, 9, 30)),
    "s2-a3": (date(2024, 1, 1), date(2024, 6, 30)), "s2-a4": (date(2023, 10, 1), date(2024, 9, 30)),
    "s2-a5": (date(2023, 10, 1), date(2024, 9, 30)), "s2-a6": (date(2024, 1, 1), date(2024, 9, 30)),
}


def test_timeline_gives_each_rows_months(bundled_store: GraphStore) -> None:
    rows = _rows(bundled_store, "timeline", plan="id:opdc-acp-2567")
    got = {_local(r["element"]).removeprefix(PLAN): (r["start"].toPython(),  # type: ignore[union-attr]
                                                     r["end"].toPython())  # type: ignore[union-attr]
           for r in rows}
    assert got == TIMELINE
    # The plan's own period is the fiscal year.
    assert {(r["planStart"].toPython(), r["planEnd"].toPython())  # type: ignore[union-attr]
            for r in rows} == {(date(2023, 10, 1), date(2024, 9, 30))}
    # "← ต.ค. 66" names a month, not a day.
    precision = {_local(r["element"]).removeprefix(PLAN): r["startPrecision"] for r in rows}
    assert precision["s1-a3"] == PG.MonthPrecision and precision["s1-a1"] == PG.DayPrecision


# Section 4, the responsible-units column.
UNITS = {
    "org/opdc-digital-government-division": {"s1-a3", "s1-a4"},  # กองขับเคลื่อนรัฐบาลดิจิทัล
    "org/opdc-public-service-innovation-division": {"s1-a2"},  # กองนวัตกรรมบริการภาครัฐ
    "org/opdc-strategy-division": {"s2-a1"},  # กองยุทธศาสตร์การพัฒนาระบบราชการ
    "org/opdc-secretariat": {"s2-a3"},  # สำนักงานเลขาธิการ
    # ศูนย์ปฏิบัติการต่อต้านการทุจริต
    "org/opdc-anti-corruption-operation-center": {"s1-a1", "s2-a2", "s2-a4", "s2-a5", "s2-a6"},
}


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_unit_work_is_the_units_column(bundled_store: GraphStore, unit: str) -> None:
    rows = _rows(bundled_store, "unit-work", unit=f"id:{unit}")
    assert {_local(r["element"]).removeprefix(PLAN) for r in rows} == UNITS[unit]


def test_unit_work_gives_the_budget_column(bundled_store: GraphStore) -> None:
    rows = _rows(bundled_store, "unit-work", unit="id:org/opdc-digital-government-division")
    amounts = {_local(r["element"]).removeprefix(PLAN): int(r["amount"].toPython())  # type: ignore[union-attr]
               for r in rows}
    assert amounts == {"s1-a3": 9_460_600, "s1-a4": 637_800}  # "9,460,600 ¹" and "637,800"


def test_graph_years_is_the_plans_fiscal_year(bundled_store: GraphStore) -> None:
    # "ประจำปีงบประมาณ พ.ศ. 2567": the fiscal year that ends in 2024.
    assert [str(r["fiscalYear"]) for r in _rows(bundled_store, "graph-years")] == ["2024"]


def test_supporting_work_of_the_sub_plan_target(bundled_store: GraphStore) -> None:
    # Strategy 2 of the plan serves the master plan's phase-2 prevention target (section 2), so
    # its six items support it, and none of strategy 1's.
    rows = _rows(bundled_store, "supporting-work", element="id:mp21/sp1-target")
    work = {_local(r["work"]).removeprefix(PLAN) for r in rows}
    assert work == {f"s2-a{n}" for n in range(1, 7)}
    assert all(r["plan"] == ID["opdc-acp-2567"] for r in rows)


def test_graph_down_and_up_follow_the_table_and_section_2(bundled_store: GraphStore) -> None:
    down = _rows(bundled_store, "graph-down", element=f"id:{PLAN}s1")
    assert {_local(r["child"]) for r in down} == {f"{PLAN}s1-t1", f"{PLAN}s1-t2"}
    up = {(_local(r["source"]), str(r["relation"]).removeprefix(str(PG)), _local(r["target"]))
          for r in _rows(bundled_store, "graph-up", element=f"id:{PLAN}s1-a3")}
    # The table (project 3 of tactic 2 of strategy 1), and section 2: the plan names national
    # strategies 1, 3 and 6.
    assert {(f"{PLAN}s1-a3", "partOf", f"{PLAN}s1-t2"), (f"{PLAN}s1-t2", "partOf", f"{PLAN}s1"),
            (f"{PLAN}s1", "partOf", "opdc-acp-2567"),
            *(("opdc-acp-2567", "supports", f"ns/s{n}") for n in (1, 3, 6))} <= up
    assert not {("opdc-acp-2567", "supports", f"ns/s{n}") for n in (2, 4, 5)} & up


def test_graph_search_finds_the_national_strategies(bundled_store: GraphStore) -> None:
    # The six national strategies are named "ยุทธศาสตร์ชาติด้าน…" (reference/national-plans.md),
    # but strategy 5's Thai name is not in the data: the sources word it two ways and neither
    # is confirmed, so it has only its English name and the Thai search cannot find it.
    found = {_local(r["element"]) for r in _rows(bundled_store, "graph-search",
                                                 text="ยุทธศาสตร์ชาติด้าน")}
    assert found == {f"ns/s{n}" for n in (1, 2, 3, 4, 6)}
    english = _rows(bundled_store, "graph-search", text="eco-friendly development")
    assert [_local(r["element"]) for r in english] == ["ns/s5"]


def test_plan_graphs_offers_the_action_plan_in_its_own_graph(bundled_store: GraphStore) -> None:
    rows = _rows(bundled_store, "plan-graphs")
    graphs = {_local(r["plan"]): str(r["graph"]) for r in rows}
    assert graphs["opdc-acp-2567"] == "https://w3id.org/policygraph/graph/opdc-acp-2567"
    assert "ns" in graphs  # the National Strategy has parts too (its six strategies)
