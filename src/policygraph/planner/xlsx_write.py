"""Write the planner's workbook: README, data sheets with drop-downs, and the reference lists.

The same writer makes the empty template and the export of a plan; CSV files (one per sheet)
carry the same columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from policygraph.planner.import_core import TARGET_KINDS, UNIT_KINDS, Known
from policygraph.planner.layout import SHEETS, Sheet
from policygraph.planner.reading import column_letter
from policygraph.planner.vocab import VOCABULARIES
from policygraph.planner.xlsx_writer import Cell, target_entry

__all__ = ["workbook_bytes", "write_csv_dir"]

_HEAD = Font(bold=True)
_FILL = PatternFill("solid", fgColor="DDEBF7")
_INTRO = (
    ("แบบฟอร์มแผนปฏิบัติการของหน่วยงาน (policygraph)",
     "Agency plan workbook (policygraph)"),
    ("กรอกแต่ละแผ่นงานตามคำอธิบายด้านล่าง แล้วใช้คำสั่ง policygraph import ไฟล์.xlsx",
     "Fill each sheet as described below, then run: policygraph import FILE.xlsx"),
    ("ตัวเลขไทย (๑๒๓) ปี พ.ศ. และเดือนย่อ (ต.ค. 66) ใช้ได้ จำนวนเงินมีจุลภาคได้ "
     "'ไม่มีการใช้งบประมาณ' = ไม่ใช้งบประมาณ เว้นว่าง = เอกสารไม่ได้ระบุ",
     "Thai digits, B.E. years and Thai month abbreviations are accepted; amounts may have "
     "commas; 'ไม่มีการใช้งบประมาณ' means no budget, a blank cell means not stated."),
    ("แผ่นงาน Targets UnitsList Lists เป็นรายการให้เลือก ไม่ต้องแก้ไข",
     "The Targets, UnitsList and Lists sheets hold the drop-down choices; do not edit them."),
)


def _readme(book: Workbook) -> None:
    sheet = book.active
    sheet.title = "README"
    for th, en in _INTRO:
        sheet.append([th, en])
    sheet.append([])
    sheet.append(["sheet / แผ่นงาน", "column / คอลัมน์", "required / จำเป็น",
                  "คำอธิบาย (ไทย)", "what to type (English)"])
    for cell in sheet[sheet.max_row]:
        cell.font = _HEAD
    for data in SHEETS:
        sheet.append([f"{data.name} / {data.th}", "", "", data.help_th, data.help_en])
        sheet[sheet.max_row][0].font = _HEAD
        for column in data.columns:
            sheet.append(["", column.header, "✓" if column.required else "",
                          column.help_th, column.help_en])
    for letter, width in zip("ABCDE", (24, 30, 10, 70, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet["A1"].font = Font(bold=True, size=14)


def _lists(book: Workbook, known: Known, own_prefix: str) -> dict[str, str]:
    """Write the reference sheets; return each drop-down's range by column kind or vocab."""
    ranges: dict[str, str] = {}
    targets = [i for i in known.of(TARGET_KINDS) if not str(i).startswith(own_prefix)]
    for title, items, key in (("Targets", targets, "target"),
                              ("UnitsList", known.of(UNIT_KINDS), "unitref")):
        sheet = book.create_sheet(title)
        sheet.append(["choice / ตัวเลือก", "label_th / ชื่อ (ไทย)", "label_en / ชื่อ (อังกฤษ)"])
        for iri in items:
            sheet.append([target_entry(iri, known), known.label(iri, "th"),
                          known.labels.get(iri, {}).get("en", "")])
        sheet.column_dimensions["A"].width = 60
        ranges[key] = f"={title}!$A$2:$A${max(2, len(items) + 1)}"
    sheet = book.create_sheet("Lists")
    for index, (vocab, words) in enumerate(VOCABULARIES.items()):
        letter = column_letter(index)
        sheet[f"{letter}1"] = vocab
        for number, (_, word, _) in enumerate(words, start=2):
            sheet[f"{letter}{number}"] = word
        ranges[vocab] = f"=Lists!${letter}$2:${letter}${len(words) + 1}"
    return ranges


def _data_sheet(book: Workbook, sheet: Sheet, rows: Sequence[Mapping[str, Cell]],
                ranges: dict[str, str]) -> None:
    ws = book.create_sheet(sheet.name)
    ws.append([c.header for c in sheet.columns])
    for cell in ws[1]:
        cell.font, cell.fill = _HEAD, _FILL
    for row in rows:
        ws.append([row.get(c.key) for c in sheet.columns])
    ws.freeze_panes = "A2"
    last = max(ws.max_row + 300, 500)
    for index, column in enumerate(sheet.columns):
        letter = column_letter(index)
        ws.column_dimensions[letter].width = 40 if column.kind in ("text", "texts", "source",
                                                                   "target") else 16
        source = ranges.get(column.vocab or column.kind)
        if source:
            check = DataValidation(type="list", formula1=source, allow_blank=True,
                                   showErrorMessage=False)
            check.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(check)
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook_bytes(sheets: Mapping[str, Sequence[Mapping[str, Cell]]], known: Known,
                   own_prefix: str = "\0") -> bytes:
    """The ``.xlsx`` bytes of a workbook holding ``sheets`` (empty for the template).

    Args:
        sheets: Rows by English sheet name, as
            :func:`policygraph.planner.xlsx_export.plan_rows` gives.
        known: The store's targets and units, offered as drop-downs.
        own_prefix: IRIs of the plan itself, left out of the Targets list.
    """
    book = Workbook()
    _readme(book)
    ranges = _lists(book, known, own_prefix)
    for sheet in SHEETS:
        _data_sheet(book, sheet, sheets.get(sheet.name, []), ranges)
    for name in ("Targets", "UnitsList", "Lists"):  # the reference lists go last
        book.move_sheet(name, offset=len(book.sheetnames) - 1 - book.sheetnames.index(name))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_csv_dir(sheets: Mapping[str, Sequence[Mapping[str, Cell]]],
                  directory: Path) -> list[Path]:
    """Write one UTF-8 CSV file per sheet (``plan.csv``, ``hierarchy.csv``, …) to ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for sheet in SHEETS:
        path = directory / f"{sheet.name.lower()}.csv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            out = csv.writer(stream)
            out.writerow([c.header for c in sheet.columns])
            for row in sheets.get(sheet.name, []):
                out.writerow(["" if row.get(c.key) is None else row.get(c.key)
                              for c in sheet.columns])
        written.append(path)
    return written
