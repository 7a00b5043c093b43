"""Read a planner's workbook (``.xlsx``, or one CSV file per sheet) into rows by column.

Problems are collected, not raised: each names its sheet, row and column in Thai and English
so a planner can find the cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from policygraph.errors import PolicygraphError
from policygraph.planner.layout import OPTIONAL_SHEETS, SHEETS, Column, Sheet, sheet_by_name
from policygraph.planner.vocab import header_key

__all__ = ["Problem", "Row", "Table", "column_letter", "read_workbook"]


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One thing wrong (``error``) or worth a look (``warning``) in a workbook."""

    severity: str
    sheet: str
    row: int | None
    column: Column | None
    letter: str
    message_th: str
    message_en: str

    def where_th(self) -> str:
        """Where the problem is, in Thai."""
        parts = [f"แผ่นงาน {self.sheet}"]
        if self.row is not None:
            parts.append(f"แถวที่ {self.row}")
        if self.column is not None:
            parts.append(f"คอลัมน์ {self.letter} ({self.column.th})".replace("  ", " "))
        return " ".join(parts)

    def where_en(self) -> str:
        """Where the problem is, in English."""
        parts = [f"sheet {self.sheet}"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.letter} ({self.column.key})".replace("  ", " "))
        return ", ".join(parts)

    def text(self) -> str:
        """Two lines: Thai, then English, each saying where and what."""
        return (f"{self.where_th()}: {self.message_th}\n"
                f"    {self.where_en()}: {self.message_en}")


@dataclass
class Row:
    """One filled row: its spreadsheet row number and its raw cell values by column key."""

    number: int
    values: dict[str, object]


@dataclass
class Table:
    """One sheet as read: which column key sits in which letter, and the filled rows."""

    sheet: Sheet
    letters: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)


def _table(sheet: Sheet, title: str, grid: list[list[object]],
           problems: list[Problem]) -> Table:
    table = Table(sheet)
    header = [str(v).strip() if v is not None else "" for v in (grid[0] if grid else [])]
    wanted = {}
    index_of: dict[str, int] = {}
    for column in sheet.columns:
        for name in (column.header, column.key, column.th):
            wanted[header_key(name)] = column.key
    for index, text in enumerate(header):
        key = wanted.get(header_key(text))
        if key is None and " / " in text:
            key = next((wanted[k] for k in map(header_key, text.split(" / ")) if k in wanted),
                       None)
        if key is not None and key not in index_of:
            index_of[key] = index
            table.letters[key] = column_letter(index)
    for column in sheet.columns:
        if column.required and column.key not in table.letters:
            problems.append(Problem(
                "error", sheet.name, 1, column, "", f"ไม่มีคอลัมน์ '{column.header}'",
                f"the column '{column.header}' is missing"))
    for number, cells in enumerate(grid[1:], start=2):
        values = {key: cells[i] if i < len(cells) else None for key, i in index_of.items()}
        if any(v is not None and str(v).strip() for v in values.values()):
            table.rows.append(Row(number, values))
    return table


def _xlsx_grids(path: Path) -> dict[str, list[list[object]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise PolicygraphError(f"{path}: not a readable .xlsx workbook ({exc})") from exc
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
                for ws in book.worksheets}
    finally:
        book.close()


def _csv_grid(path: Path) -> list[list[object]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicygraphError(f"{path}: cannot read it as UTF-8 CSV ({exc})") from exc
    reader = csv.reader(io.StringIO(text))
    try:
        return [[cell if cell != "" else None for cell in row] for row in reader]
    except csv.Error as exc:  # a NUL byte, an overlong field…
        raise PolicygraphError(f"{path}: line {reader.line_num}: not a readable CSV row "
                               f"({exc})") from exc


def read_workbook(paths: Sequence[Path]) -> tuple[dict[str, Table], list[Problem]]:
    """Read an ``.xlsx`` workbook, a directory of CSV files, or CSV files named by sheet.

    CSV files are matched to sheets by file name (``hierarchy.csv`` or ``โครงสร้าง.csv``).

    Returns:
        The tables by English sheet name, and the problems found (missing sheets, missing
        columns).
    """
    grids: dict[str, list[list[object]]] = {}
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(path.glob("*.csv")))
        elif path.suffix.lower() == ".xlsx":
            grids.update(_xlsx_grids(path))
        else:
            files.append(path)
    for path in files:
        grids[path.stem] = _csv_grid(path)
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    for title, grid in grids.items():
        sheet = sheet_by_name(title)
        if sheet is not None and sheet.name not in tables:
            tables[sheet.name] = _table(sheet, title, grid, problems)
    for sheet in SHEETS:
        if sheet.name not in tables and sheet.name not in OPTIONAL_SHEETS:
            problems.append(Problem(
                "error", sheet.name, None, None, "",
                f"ไม่มีแผ่นงาน '{sheet.name}' ({sheet.th})",
                f"the sheet '{sheet.name}' ({sheet.th}) is missing"))
    return tables, problems
