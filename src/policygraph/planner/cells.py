"""Read and write the planner's cells: Thai digits, B.E. years and dates, amounts, locations.

Readers raise :class:`CellError` with a Thai and an English message; writers produce the forms
the readers accept, so an exported workbook reads back to the same values.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import URIRef

from policygraph.namespaces import PG
from policygraph.thaidate import (
    BE_OFFSET,
    format_be,
    format_be_month,
    normalise_digits,
    parse_month,
    parse_year,
)
from policygraph.thaidate import parse_date as parse_thai_date

__all__ = [
    "NO_BUDGET_WORDS",
    "CellError",
    "Location",
    "cell_text",
    "format_date",
    "format_decimal",
    "format_locations",
    "parse_amount",
    "parse_date_cell",
    "parse_decimal",
    "parse_int",
    "parse_locations",
    "parse_year_cell",
]


class CellError(ValueError):
    """A cell's text cannot be read; carries the reason in Thai and English."""

    def __init__(self, message_th: str, message_en: str) -> None:
        self.message_th = message_th
        self.message_en = message_en
        super().__init__(message_en)


def cell_text(value: object) -> str:
    """A cell's value as the text a planner sees (dates as ISO, whole floats without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰*"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def _number_text(text: str) -> str:
    value = normalise_digits(text).replace(",", "").replace("บาท", "").replace("THB", "")
    return "".join(value.split()).rstrip(_SUPERSCRIPTS)


def parse_decimal(text: str) -> Decimal:
    """Read a number: Thai or ASCII digits, thousands commas, an optional ``บาท``."""
    value = _number_text(text)
    if not _NUMBER.match(value):
        raise CellError(f"'{text}' ไม่ใช่ตัวเลข (เช่น 1,814,000 หรือ ๑,๘๑๔,๐๐๐)",
                        f"'{text}' is not a number (e.g. 1,814,000 or ๑,๘๑๔,๐๐๐)")
    try:
        return Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guards this
        raise CellError(f"'{text}' ไม่ใช่ตัวเลข", f"'{text}' is not a number") from exc


def parse_int(text: str) -> int:
    """Read a whole number (Thai digits allowed)."""
    number = parse_decimal(text)
    if number != number.to_integral_value():
        raise CellError(f"'{text}' ต้องเป็นจำนวนเต็ม", f"'{text}' must be a whole number")
    return int(number)


def parse_year_cell(text: str) -> int:
    """Read a year, B.E. (2567, ๒๕๖๗, พ.ศ. 2567) or C.E. (2024); return it Gregorian."""
    try:
        return parse_year(text)
    except ValueError as exc:
        raise CellError(f"'{text}' ไม่ใช่ปี (เช่น 2567 หรือ พ.ศ. 2567)",
                        f"'{text}' is not a year (e.g. 2567 or 2024)") from exc


def parse_date_cell(value: object, *, end: bool = False) -> tuple[dt.date, URIRef]:
    """Read a date or a month-only date; return the date and its precision.

    A month alone (``ต.ค. 66``) means its first day for a start and its last day for an end
    (``end=True``), with precision ``pg:MonthPrecision``.
    """
    if isinstance(value, dt.datetime):
        return value.date(), PG.DayPrecision
    if isinstance(value, dt.date):
        return value, PG.DayPrecision
    text = cell_text(value)
    try:
        return parse_thai_date(text), PG.DayPrecision
    except ValueError as day_error:
        try:
            year, month = map(int, parse_month(text).split("-"))
        except ValueError:
            raise CellError(
                f"'{text}' ไม่ใช่วันที่ (เช่น 1 ต.ค. 66, 1 ตุลาคม 2566, ต.ค. 66 หรือ 2023-10-01)",
                f"'{text}' is not a date (e.g. 1 ต.ค. 66, 1 ตุลาคม 2566, ต.ค. 66 or 2023-10-01)",
            ) from day_error
        day = calendar.monthrange(year, month)[1] if end else 1
        return dt.date(year, month, day), PG.MonthPrecision


def format_date(date: dt.date, precision: object = PG.DayPrecision) -> str:
    """Write a date the Thai way (``1 ต.ค. 2566``; month precision ``ต.ค. 2566``)."""
    return format_be_month(date) if precision == PG.MonthPrecision else format_be(date)


def format_decimal(value: Decimal) -> int | float:
    """A number for a spreadsheet cell: whole numbers as int."""
    return int(value) if value == value.to_integral_value() else float(value)


def format_year(year: int) -> int:
    """A Gregorian year written as B.E. for a spreadsheet cell."""
    return year + BE_OFFSET


#: What the budget cell says when no budget is used (compared without spaces).
NO_BUDGET_WORDS = ("ไม่มีการใช้งบประมาณ", "ไม่ใช้งบประมาณ", "nobudget", "nobudgetused")


def parse_amount(text: str) -> tuple[URIRef, Decimal | None]:
    """Read a budget cell: an amount, ``ไม่มีการใช้งบประมาณ`` (no budget) or blank (not stated).

    Raises:
        CellError: For a number together with "no budget", or anything else unreadable.
    """
    compact = "".join(text.split()).casefold()
    if not compact:
        return PG.BudgetNotStated, None
    said_none = any(word in compact for word in NO_BUDGET_WORDS)
    if said_none:
        if re.search(r"[0-9๐-๙]", compact):
            raise CellError(
                f"'{text}' ระบุทั้งจำนวนเงินและ 'ไม่มีการใช้งบประมาณ' ให้เลือกอย่างใดอย่างหนึ่ง",
                f"'{text}' gives both an amount and 'no budget'; keep one of them",
            )
        return PG.NoBudget, None
    amount = parse_decimal(text)
    if amount < 0:
        raise CellError(f"'{text}' จำนวนเงินต้องไม่ติดลบ", f"'{text}': an amount cannot be negative")
    return PG.BudgetStated, amount


@dataclass(frozen=True)
class Location:
    """One place in a source document: its key (under ``id:doc/``), section and locator."""

    document: str
    section: str = ""
    locator: str = ""


def parse_locations(text: str, default_document: str | None) -> list[Location]:
    """Read a source cell: one ``section | locator`` (or ``doc:KEY | section | locator``) a line.

    A blank cell is one location naming only ``default_document``; ``-`` is none at all.

    Raises:
        CellError: For a line without a document when there is no default document.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines in (["-"], ["—"]):
        return []
    if not lines:
        return [Location(default_document)] if default_document else []
    found = []
    for line in lines:
        parts = [part.strip() for part in line.split("|")]
        document = default_document
        if parts[0].startswith(("doc:", "id:doc/")):
            document = parts.pop(0).removeprefix("id:doc/").removeprefix("doc:")
        if not document:
            raise CellError(
                f"'{line}' ไม่ได้ระบุเอกสาร: ใส่ 'doc:รหัส |' หรือระบุเอกสารแหล่งที่มาในแผ่นงาน Plan",
                f"'{line}' names no document: start it with 'doc:KEY |' or give the plan's "
                "source document on the Plan sheet",
            )
        if len(parts) > 2:
            raise CellError(f"'{line}' มีส่วนเกิน: ใช้ 'หัวข้อ | ตำแหน่ง'",
                            f"'{line}' has too many parts: use 'section | locator'")
        section = parts[0] if parts else ""
        locator = parts[1] if len(parts) > 1 else ""
        found.append(Location(document, section, locator))
    return found


def format_locations(locations: list[Location], default_document: str | None) -> str:
    """Write locations one a line; the default document is left implicit; none is ``-``."""
    if not locations:
        return "-"
    lines = []
    for loc in sorted(locations, key=lambda x: (x.document, x.section, x.locator)):
        parts = [] if loc.document == default_document else [f"doc:{loc.document}"]
        if loc.section or loc.locator:
            parts += [loc.section, loc.locator] if loc.locator else [loc.section]
        lines.append(" | ".join(parts) if parts else f"doc:{loc.document}")
    return "\n".join(lines)
