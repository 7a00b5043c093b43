"""The planner's workbook: template, import (xlsx and CSV), export, round trips, the example.

Round trips are compared by isomorphism on real stores. The shipped example
``data/opdc-acp-2567.xlsx`` was generated from ``data/opdc-acp-2567.ttl`` with
``policygraph export -f xlsx -g opdc-acp-2567``. Documented differences between importing it and
the hand-written Turtle: none in the triples (the graphs are isomorphic once xsd:decimal literals
are compared by value, e.g. ``600000.0`` in the Turtle and ``600000`` from the workbook); outside
the triples, the Turtle file's comments (its header and section rulers) have no place in RDF and
are not in the workbook.
"""

from __future__ import annotations

import copy
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from rdflib import Graph
from rdflib.compare import isomorphic

from policygraph.cli.main import main
from policygraph.load.derive import derive
from policygraph.load.validate import VALIDATOR
from policygraph.namespaces import GRAPH, ID, PG
from policygraph.planner.import_run import import_workbook, known_from_store, read_plan
from policygraph.planner.xlsx_export import PlanRows
from policygraph.planner.xlsx_plan import plan_workbook, template_workbook
from policygraph.planner.xlsx_write import workbook_bytes, write_csv_dir
from policygraph.resources import data_dir
from policygraph.store import OxigraphStore, graph_triples
from tests.helpers import canonical

PLAN = "opdc-acp-2567"


def stored(store: OxigraphStore, name: str = PLAN) -> Graph:
    graph = Graph()
    for triple in graph_triples(store, GRAPH[name]):
        graph.add(triple)
    return graph


def with_derived(graph: Graph) -> Graph:
    out = Graph()
    out += graph
    for triple in list(derive(out)):
        out.add(triple)
    return out






def write_book(tmp_path: Path, store: OxigraphStore, sheets: dict, name: str = "p.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(workbook_bytes(sheets, known_from_store(store), f"{ID[PLAN]}/"))
    return path


def test_export_holds_the_whole_plan(rows: PlanRows) -> None:
    assert rows.leftover == []
    assert {name: len(r) for name, r in rows.sheets.items()} == {
        "Plan": 1, "Hierarchy": 17, "Indicators": 15, "Budgets": 10, "Schedule": 10,
        "Units": 12, "Alignments": 24, "Observations": 10}


def test_import_of_export_is_isomorphic(bundled_store: OxigraphStore, tmp_path: Path) -> None:
    data, _ = plan_workbook(bundled_store, GRAPH[PLAN])
    path = tmp_path / "plan.xlsx"
    path.write_bytes(data)
    result = read_plan(bundled_store, [path])
    assert result.errors == []
    assert isomorphic(canonical(with_derived(result.graph)), canonical(stored(bundled_store)))


def test_csv_files_import_like_the_workbook(bundled_store: OxigraphStore, rows: PlanRows,
                                           tmp_path: Path) -> None:
    write_csv_dir(rows.sheets, tmp_path / "csv")
    result = read_plan(bundled_store, [tmp_path / "csv"])
    assert result.errors == []
    assert isomorphic(canonical(with_derived(result.graph)), canonical(stored(bundled_store)))


def test_shipped_example_reproduces_the_plan(bundled_store: OxigraphStore) -> None:
    result = read_plan(bundled_store, [data_dir() / f"{PLAN}.xlsx"])
    assert result.errors == []
    # Differences: none in the triples (see the module docstring).
    assert isomorphic(canonical(with_derived(result.graph)), canonical(stored(bundled_store)))


def test_import_writes_its_own_graph_atomically(fresh_store: OxigraphStore,
                                                tmp_path: Path) -> None:
    before = fresh_store.triple_count()
    report = import_workbook(fresh_store, [data_dir() / f"{PLAN}.xlsx"], validate=VALIDATOR,
                             derive=derive, graph=GRAPH["planner-copy"], dry_run=True)
    assert report.errors == [] and not report.written
    assert fresh_store.triple_count() == before
    original = stored(fresh_store)
    report = import_workbook(fresh_store, [data_dir() / f"{PLAN}.xlsx"], validate=VALIDATOR,
                             derive=derive)
    assert report.written and report.graph == GRAPH[PLAN]
    assert isomorphic(canonical(stored(fresh_store)), canonical(original))


def test_template_has_readme_dropdowns_and_known_targets(bundled_store: OxigraphStore,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_workbook(bundled_store))
    book = load_workbook(path)
    assert book.sheetnames[:9] == ["README", "Plan", "Hierarchy", "Indicators", "Budgets",
                                   "Schedule", "Units", "Alignments", "Observations"]
    readme = [[c.value for c in row] for row in book["README"].iter_rows()]
    assert any(r[1] == "to / ไปยัง" and r[3] and r[4] for r in readme)
    checks = {str(v.sqref): v.formula1 for v in book["Alignments"].data_validations.dataValidation}
    assert checks["C2:C500"].startswith("=Targets!$A$2")
    targets = [row[0].value for row in book["Targets"].iter_rows(min_row=2)]
    assert "id:ns/s1 | ยุทธศาสตร์ชาติด้านความมั่นคง" in targets
    assert book["Alignments"].max_row == 1  # empty: headers only


def test_cli_template_import_and_export(tmp_path: Path) -> None:
    runner = CliRunner()
    store = ["--store", str(tmp_path / "store")]
    assert runner.invoke(main, [*store, "load"]).exit_code == 0
    out = runner.invoke(main, [*store, "template", str(tmp_path / "t.xlsx")])
    assert out.exit_code == 0 and (tmp_path / "t.xlsx").stat().st_size > 0
    out = runner.invoke(main, [*store, "export", "-f", "xlsx", "-g", PLAN, "-o",
                               str(tmp_path / "e.xlsx")])
    assert out.exit_code == 0, out.output
    out = runner.invoke(main, [*store, "import", str(tmp_path / "e.xlsx"), "--no-suggest"])
    assert out.exit_code == 0, out.output
    assert "imported / นำเข้าแล้ว" in out.output
    out = runner.invoke(main, [*store, "export", "-f", "xlsx", "-o", str(tmp_path / "x.xlsx")])
    assert out.exit_code == 2 and "-g" in out.output


# Thai numerals, B.E. years and dates, amounts ------------------------------------------------


def test_thai_numerals_dates_and_amounts(bundled_store: OxigraphStore, rows: PlanRows,
                                         tmp_path: Path) -> None:
    sheets = copy.deepcopy(rows.sheets)
    sheets["Plan"][0]["fiscal_year"] = "พ.ศ. ๒๕๖๗"
    budget = next(r for r in sheets["Budgets"] if r["element"] == "s2-a1")
    budget["amount"], budget["fiscal_year"] = "๑,๘๑๔,๐๐๐ บาท", "๒๕๖๗"
    schedule = next(r for r in sheets["Schedule"] if r["element"] == "s2-a1")
    schedule["start"], schedule["end"] = "๑ พ.ย. ๖๖", "เม.ย. 67"
    hierarchy = next(r for r in sheets["Hierarchy"] if r["code"] == "s2-a1")
    hierarchy["sequence"] = "๑"
    result = read_plan(bundled_store, [write_book(tmp_path, bundled_store, sheets)])
    assert result.errors == []
    g, item = result.graph, ID[f"{PLAN}/s2-a1"]
    assert str(g.value(ID[f"{PLAN}/s2-a1-budget"], PG.amount)) == "1814000"
    assert str(g.value(ID[f"{PLAN}/s2-a1-budget"], PG.fiscalYear)) == "2024"
    assert str(g.value(ID[PLAN], PG.fiscalYear)) == "2024"
    sched = ID[f"{PLAN}/s2-a1-schedule"]
    assert str(g.value(sched, PG.startDate)) == "2023-11-01"
    assert g.value(sched, PG.startPrecision) == PG.DayPrecision
    # A month alone for an end date is the month's last day, marked month precision.
    assert str(g.value(sched, PG.endDate)) == "2024-04-30"
    assert g.value(sched, PG.endPrecision) == PG.MonthPrecision
    assert int(g.value(item, PG.sequence)) == 1  # type: ignore[arg-type]


def test_no_budget_and_blank_budget(bundled_store: OxigraphStore, rows: PlanRows,
                                    tmp_path: Path) -> None:
    sheets = copy.deepcopy(rows.sheets)
    for row in sheets["Budgets"]:
        row["status"] = None
    first = next(r for r in sheets["Budgets"] if r["element"] == "s2-a1")
    first["amount"] = "ไม่มีการใช้ งบประมาณ"
    second = next(r for r in sheets["Budgets"] if r["element"] == "s1-a2")
    second["amount"] = None
    result = read_plan(bundled_store, [write_book(tmp_path, bundled_store, sheets)])
    assert result.errors == []
    g = result.graph
    assert g.value(ID[f"{PLAN}/s2-a1-budget"], PG.budgetStatus) == PG.NoBudget
    assert g.value(ID[f"{PLAN}/s1-a2-budget"], PG.budgetStatus) == PG.BudgetNotStated
    assert g.value(ID[f"{PLAN}/s1-a2-budget"], PG.amount) is None  # blank is never zero


def test_several_fiscal_years_get_one_budget_each(bundled_store: OxigraphStore, rows: PlanRows,
                                                  tmp_path: Path) -> None:
    sheets = copy.deepcopy(rows.sheets)
    sheets["Budgets"] = [r for r in sheets["Budgets"] if r["element"] != "s2-a1"] + [
        {"element": "s2-a1", "fiscal_year": 2567, "amount": "1,814,000"},
        {"element": "s2-a1", "fiscal_year": "๒๕๖๘", "amount": 2000000},
    ]
    result = read_plan(bundled_store, [write_book(tmp_path, bundled_store, sheets)])
    assert result.errors == []
    years = {str(result.graph.value(b, PG.fiscalYear)): result.graph.value(b, PG.amount)
             for b in result.graph.objects(ID[f"{PLAN}/s2-a1"], PG.budget)}
    assert {y: str(a) for y, a in years.items()} == {"2024": "1814000", "2025": "2000000"}
    assert (ID[f"{PLAN}/s2-a1"], PG.budget, ID[f"{PLAN}/s2-a1-budget-2568"]) in result.graph


def test_broken_csv_cells_are_messages_not_tracebacks(rows: PlanRows, tmp_path: Path) -> None:
    """A NUL byte in a cell (quoted or not) and a field past the CSV reader's limit: the import
    ends with a message (exit 1 or 2), never a traceback, and writes nothing."""
    store = tmp_path / "store"
    assert CliRunner().invoke(main, ["--store", str(store), "load"]).exit_code == 0
    with OxigraphStore(store, read_only=True) as opened:
        before = opened.dump("nquads")
    write_csv_dir(rows.sheets, tmp_path / "csv")
    hierarchy = next((tmp_path / "csv").glob("hierarchy*.csv"))
    text = hierarchy.read_text(encoding="utf-8-sig")
    label = next(line for line in text.splitlines()[1:] if line).split(",")[2]
    for name, broken in (("nul-quoted", text.replace(label, '"a\x00b"', 1)),
                         ("nul-bare", text.replace(label, "a\x00b", 1)),
                         ("huge", text.replace(label, '"' + "ก" * 200_000 + '"', 1))):
        folder = tmp_path / name
        write_csv_dir(rows.sheets, folder)
        next(folder.glob("hierarchy*.csv")).write_text(broken, encoding="utf-8")
        result = CliRunner().invoke(main, ["--store", str(store), "import", str(folder)])
        assert result.exit_code in (1, 2), (name, result.output)
        assert "Traceback" not in result.output + result.stderr, name
        assert result.exception is None or isinstance(result.exception, SystemExit), name
        assert "hierarchy" in (result.output + result.stderr).lower(), (name, result.output)
    with OxigraphStore(store, read_only=True) as opened:
        assert sorted(opened.dump("nquads").splitlines()) == sorted(before.splitlines())
