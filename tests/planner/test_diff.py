"""Year-over-year diff: the FY2567 plan against the FY2568 fixture (tests/resources/planner).

The fixture was made from the FY2567 workbook with these changes, which the diff must find:
s1-a2's budget 600,000 → 750,000; s2-a6 removed; s2-a7 added; s2-a5 recoded s2-a8 and
reworded (matched by label similarity); s1-a3 reworded; s2-a1's indicator target 82 → 85;
s1-a4's link to NESDP milestone 13 replaced by one to master plan 21's sub-plan 1 target; the
plan's link to the ethics strategy dropped. Fiscal years and dates move one year on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from policygraph.cli.main import main
from policygraph.namespaces import GRAPH, ID
from policygraph.planner.diff import PlanDiff, diff_plans
from policygraph.planner.import_run import read_plan
from policygraph.planner.xlsx_plan import plan_graph
from policygraph.store import OxigraphStore

FIXTURE = Path(__file__).parents[1] / "resources" / "planner" / "opdc-acp-2568"


@pytest.fixture(scope="module")
def result(bundled_store: OxigraphStore) -> PlanDiff:
    ga, pa = plan_graph(bundled_store, GRAPH["opdc-acp-2567"])
    after = read_plan(bundled_store, [FIXTURE])
    assert after.errors == [] and after.plan is not None
    everything = Graph()
    for triple in bundled_store.query("CONSTRUCT WHERE { ?s ?p ?o }").triples:
        everything.add(triple)
    return diff_plans(ga, pa, after.graph, after.plan, everything)


def codes(changes: list, side: str) -> set[str]:
    return {str(getattr(c, side)).rsplit("/", 1)[-1] for c in changes}


def test_added_removed_renamed(result: PlanDiff) -> None:
    assert codes(result.of("removed"), "before") == {"s2-a6"}
    assert codes(result.of("added"), "after") == {"s2-a7"}
    renamed = {(str(c.before).rsplit("/", 1)[-1], str(c.after).rsplit("/", 1)[-1])
               for c in result.of("renamed")}
    assert renamed == {("s1-a3", "s1-a3"), ("s2-a5", "s2-a8")}
    assert [c.detail for c in result.of("code changed")] == ["s2-a5 → s2-a8"]


def test_budget_indicator_and_alignment_changes(result: PlanDiff) -> None:
    budgets = result.of("budget changed")
    assert codes(budgets, "after") == {"s1-a2"}  # other amounts are the same, a year on
    assert "600,000.00" in budgets[0].detail and "750,000.00" in budgets[0].detail
    assert codes(result.of("indicator removed"), "after") == {"s2-a1"}
    assert any("85" in c.detail for c in result.of("indicator added"))
    assert codes(result.of("alignment removed"), "after") == {"s1-a4"}
    assert codes(result.of("alignment added"), "after") == {"s1-a4"}


def test_coverage_gained_and_lost(result: PlanDiff) -> None:
    assert {c.after for c in result.of("coverage gained")} == {ID["mp21/sp1-target"]}
    assert {c.before for c in result.of("coverage lost")} == {ID["ethics-strategy"]}


def test_a_plan_against_itself_has_no_changes(bundled_store: OxigraphStore) -> None:
    g, plan = plan_graph(bundled_store, GRAPH["opdc-acp-2567"])
    assert diff_plans(g, plan, g, plan).changes == []


def test_cli_diff(tmp_path: Path) -> None:
    runner = CliRunner()
    store = ["--store", str(tmp_path / "store")]
    assert runner.invoke(main, [*store, "load"]).exit_code == 0
    out = runner.invoke(main, [*store, "diff", "opdc-acp-2567", str(FIXTURE)])
    assert out.exit_code == 0, out.output
    assert "removed:" in out.output and "กิจกรรมการประเมินองค์กรคุณธรรม" in out.output
    out = runner.invoke(main, [*store, "diff", "opdc-acp-2567", str(FIXTURE), "-f", "json"])
    kinds = {c["kind"] for c in json.loads(out.output)}
    assert {"added", "removed", "renamed", "coverage gained", "coverage lost"} <= kinds
