"""Each error class of the workbook importer, with its Thai and English message and its cell.

Every case starts from the FY2567 plan laid out by the exporter (which imports cleanly) and
breaks one thing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from policygraph.load.derive import derive
from policygraph.load.validate import VALIDATOR
from policygraph.planner.import_run import import_workbook, known_from_store, read_plan
from policygraph.planner.xlsx_export import PlanRows
from policygraph.planner.xlsx_write import workbook_bytes, write_csv_dir
from policygraph.store import OxigraphStore

PLAN = "opdc-acp-2567"
Sheets = dict[str, list[dict[str, Any]]]




def row_of(sheets: Sheets, sheet: str, **match: str) -> dict[str, Any]:
    return next(r for r in sheets[sheet] if all(r.get(k) == v for k, v in match.items()))


def _set(sheet: str, match: dict[str, str], **values: Any) -> Callable[[Sheets], None]:
    def change(sheets: Sheets) -> None:
        row_of(sheets, sheet, **match).update(values)
    return change


def _duplicate(sheets: Sheets) -> None:
    sheets["Hierarchy"].append({**row_of(sheets, "Hierarchy", code="s1-a2"), "sequence": 9})


def _loop(sheets: Sheets) -> None:
    row_of(sheets, "Hierarchy", code="s1")["parent"] = "s1-t1"


# (change, severity, sheet, column key, Thai words, English words)
CASES: dict[str, tuple[Callable[[Sheets], None], str, str, str | None, str, str]] = {
    "unknown parent": (_set("Hierarchy", {"code": "s1-t1"}, parent="s9"), "error",
                       "Hierarchy", "parent", "ไม่รู้จักรหัส 's9'", "unknown code 's9'"),
    "unknown element code": (_set("Indicators", {"code": "s1-a1-i1"}, element="s7-a1"),
                             "error", "Indicators", "element", "ไม่รู้จักรหัส",
                             "unknown code 's7-a1'"),
    "duplicate code": (_duplicate, "error", "Hierarchy", "code", "ซ้ำกับ Hierarchy แถวที่",
                       "already used on Hierarchy row"),
    "parent loop": (_loop, "error", "Hierarchy", "parent", "วนกลับ", "loop back"),
    "bad code": (_set("Hierarchy", {"code": "s1-a2"}, code="s1 a2"), "error", "Hierarchy",
                 "code", "ใช้ได้เฉพาะ", "may hold only letters"),
    "unknown kind": (_set("Hierarchy", {"code": "s1"}, kind="แผนงานใหญ่"), "error", "Hierarchy",
                     "kind", "ไม่ใช่ค่าที่ใช้ได้", "is not one of the accepted values"),
    "blank required cell": (_set("Hierarchy", {"code": "s1"}, label_th=None), "error",
                            "Hierarchy", "label_th", "ต้องกรอกช่องนี้", "this cell is required"),
    "bad number": (_set("Indicators", {"code": "s1-a3-i1"}, target_value="สิบ"), "error",
                   "Indicators", "target_value", "ไม่ใช่ตัวเลข", "is not a number"),
    "bad amount": (_set("Budgets", {"element": "s1-a2"}, amount="หกแสน"), "error", "Budgets",
                   "amount", "ไม่ใช่ตัวเลข", "is not a number"),
    "bad year": (_set("Budgets", {"element": "s1-a2"}, fiscal_year="ปีหน้า"), "error", "Budgets",
                 "fiscal_year", "ไม่ใช่ปี", "is not a year"),
    "bad date": (_set("Schedule", {"element": "s1-a2"}, start="32 มิ.ย. 67"), "error",
                 "Schedule", "start", "ไม่ใช่วันที่", "is not a date"),
    "end before start": (_set("Schedule", {"element": "s1-a2"}, end="1 ม.ค. 67"), "error",
                         "Schedule", "end", "ก่อนวันเริ่มต้น", "before the start date"),
    "date outside the fiscal year": (_set("Schedule", {"element": "s1-a2"}, end="31 ต.ค. 67"),
                                     "warning", "Schedule", "end", "นอกปีงบประมาณ พ.ศ. 2567",
                                     "outside fiscal year 2024"),
    "amount with no budget": (_set("Budgets", {"element": "s1-a2"},
                                   amount="ไม่มีการใช้งบประมาณ 600,000", status=None), "error",
                              "Budgets", "amount", "ระบุทั้งจำนวนเงินและ", "both an amount and"),
    "amount with status no budget": (_set("Budgets", {"element": "s1-a2"},
                                          status="ไม่มีการใช้งบประมาณ"), "error", "Budgets",
                                     "amount", "ไม่ตรงกับสถานะ", "does not match the status"),
    "budget of a strategy": (_set("Budgets", {"element": "s1-a2"}, element="s1"), "error",
                             "Budgets", "element", "ต้องเป็นโครงการหรือกิจกรรม",
                             "must be a project or an activity"),
    "second schedule": (lambda s: s["Schedule"].append(
        {**row_of(s, "Schedule", element="s1-a2"), "code": "s1-a2-schedule-2"}), "error",
        "Schedule", "element", "มีระยะเวลาแล้ว", "already has a schedule"),
    "unknown unit": (_set("Units", {"element": "s1-a2"}, unit="กองที่ไม่มีอยู่"), "error",
                     "Units", "unit", "ไม่รู้จักหน่วยงาน", "unknown unit"),
    "unknown alignment target": (_set("Alignments", {"code": "alignment-plan--ns-s1"},
                                      to="id:ns/s9"), "error", "Alignments", "to",
                                 "ไม่รู้จักเป้าหมาย", "unknown alignment target"),
    "inferred without rationale": (_set("Alignments", {"code": "alignment-s1-a3--nesdp13-m13"},
                                        rationale_en=None), "error", "Alignments", "rationale_en",
                                   "ต้องมีเหตุผล", "needs a rationale"),
    "unknown measure": (_set("Indicators", {"code": "s1-a1-i1"}, measure="happiness"), "error",
                        "Indicators", "measure", "ไม่รู้จัก", "is not known in the store"),
    "bad source line": (_set("Hierarchy", {"code": "s1"}, source="4 | ตาราง | เกิน"), "error",
                        "Hierarchy", "source", "มีส่วนเกิน", "too many parts"),
    "unknown source document": (_set("Plan", {"key": PLAN}, source_document="doc:nowhere"),
                                "error", "Plan", "source_document", "ไม่รู้จักเอกสาร",
                                "unknown source document"),
    # Found by the SHACL shapes, reported at the row the element came from.
    "shape: target value without unit": (_set("Indicators", {"code": "s1-a3-i1"}, unit=None,
                                              comparator=None), "error", "Indicators", None,
                                         "", ""),
}




@pytest.mark.parametrize("name", list(CASES))
def test_error_class(name: str, bundled_store: OxigraphStore, rows: PlanRows,
                     tmp_path: Path) -> None:
    change, severity, sheet, column, thai, english = CASES[name]
    sheets = copy.deepcopy(rows.sheets)
    change(sheets)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook_bytes(sheets, known_from_store(bundled_store)))
    report = import_workbook(bundled_store, [path], validate=VALIDATOR, derive=derive,
                             dry_run=True)
    # SHACL findings carry the shape's message in one language (pySHACL picks one).
    found = [p for p in report.problems if p.severity == severity and p.sheet == sheet
             and thai in p.message_th and english in p.message_en]
    assert found, report.text()
    problem = found[0]
    assert problem.row is not None and problem.row >= 2
    if column is not None:
        assert problem.column is not None and problem.column.key == column
        assert problem.letter  # the spreadsheet column letter, e.g. "C"
    text = problem.text()
    assert f"แผ่นงาน {sheet} แถวที่ {problem.row}" in text
    assert f"sheet {sheet}, row {problem.row}" in text
    assert (severity == "error") == bool(report.errors)


def test_the_row_number_is_the_spreadsheet_row(bundled_store: OxigraphStore, rows: PlanRows,
                                               tmp_path: Path) -> None:
    sheets = copy.deepcopy(rows.sheets)
    row_of(sheets, "Hierarchy", code="s2-a3")["parent"] = "nope"
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook_bytes(sheets, known_from_store(bundled_store)))
    problem = next(p for p in read_plan(bundled_store, [path]).errors)
    cell = load_workbook(path)["Hierarchy"][f"{problem.letter}{problem.row}"]
    assert cell.value == "nope"


def test_missing_sheet_and_missing_column(bundled_store: OxigraphStore, rows: PlanRows,
                                          tmp_path: Path) -> None:
    write_csv_dir(rows.sheets, tmp_path)
    (tmp_path / "units.csv").unlink()
    hierarchy = tmp_path / "hierarchy.csv"
    lines = hierarchy.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("kind / ประเภท", "type of thing")
    hierarchy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = read_plan(bundled_store, [tmp_path]).errors
    texts = [p.text() for p in problems]
    assert any("ไม่มีแผ่นงาน 'Units'" in t and "the sheet 'Units'" in t for t in texts), texts
    assert any("ไม่มีคอลัมน์ 'kind / ประเภท'" in t and "sheet Hierarchy, row 1" in t
               for t in texts), texts


def test_nothing_is_written_on_any_violation(fresh_store: OxigraphStore, rows: PlanRows,
                                             tmp_path: Path) -> None:
    sheets = copy.deepcopy(rows.sheets)
    row_of(sheets, "Indicators", code="s1-a3-i1").update(unit=None, comparator=None)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook_bytes(sheets, known_from_store(fresh_store)))
    before = set(fresh_store.dump("nquads").splitlines())
    report = import_workbook(fresh_store, [path], validate=VALIDATOR, derive=derive)
    assert report.errors and not report.written
    assert set(fresh_store.dump("nquads").splitlines()) == before
