"""The exporter's rows for the plan and for what its elements own (indicators, budgets, …)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rdflib import URIRef

from policygraph.namespaces import PG
from policygraph.planner.cells import format_date, format_decimal
from policygraph.planner.layout import ALIGNMENTS, BUDGETS, INDICATORS, OBSERVATIONS, PLAN, SCHEDULE
from policygraph.planner.vocab import vocabulary_word
from policygraph.planner.xlsx_writer import Cell, RowWriter, target_entry

__all__ = ["owned_rows", "plan_row"]


def plan_row(w: RowWriter, key: str) -> dict[str, Cell]:
    """The Plan sheet's one row."""
    w.typed(w.plan, PG.Plan)
    return w.generic(w.plan, PLAN, {"key": key})


def _indicators(w: RowWriter) -> list[dict[str, Cell]]:
    rows = []
    for node in w.mine(PG.Indicator):
        w.typed(node, PG.Indicator)
        owner = w.g.value(node, PG.indicatorOf)
        if owner is not None:
            w.take(node, PG.indicatorOf, owner)
        rows.append(w.generic(node, INDICATORS, {"code": w.code(node), "element": w.code(owner)}))
    return rows


def _budgets(w: RowWriter) -> list[dict[str, Cell]]:
    rows = []
    for element, budget in sorted(w.g.subject_objects(PG.budget), key=lambda x: str(x[1])):
        if not str(budget).startswith(w.prefix):
            continue
        w.take(element, PG.budget, budget)
        w.typed(budget, PG.Budget)
        status = w.g.value(budget, PG.budgetStatus)
        amount = w.g.value(budget, PG.amount)
        row: dict[str, Cell] = {"code": w.code(budget), "element": w.code(element),
               "status": vocabulary_word("status", status)}
        if status is not None:
            w.take(budget, PG.budgetStatus, status)
        if status == PG.NoBudget:
            row["amount"] = "ไม่มีการใช้งบประมาณ"
        elif amount is not None:
            w.take(budget, PG.amount, amount)
            row["amount"] = format_decimal(Decimal(str(amount)))
        rows.append(w.generic(budget, BUDGETS, row))
    return rows


def _schedules(w: RowWriter) -> list[dict[str, Cell]]:
    rows = []
    for element, schedule in sorted(w.g.subject_objects(PG.schedule), key=lambda x: str(x[1])):
        if not str(schedule).startswith(w.prefix):
            continue
        w.take(element, PG.schedule, schedule)
        w.typed(schedule, PG.Schedule)
        row: dict[str, Cell] = {"code": w.code(schedule), "element": w.code(element)}
        for key, date_pred, precision_pred in (("start", PG.startDate, PG.startPrecision),
                                                ("end", PG.endDate, PG.endPrecision)):
            date = w.g.value(schedule, date_pred)
            precision = w.g.value(schedule, precision_pred)
            if date is None:
                continue
            w.take(schedule, date_pred, date)
            if precision is not None:
                w.take(schedule, precision_pred, precision)
            row[key] = format_date(dt.date.fromisoformat(str(date)), precision or PG.DayPrecision)
        rows.append(w.generic(schedule, SCHEDULE, row))
    return rows


def _units(w: RowWriter) -> list[dict[str, Cell]]:

    rows: list[dict[str, Cell]] = []
    for element, unit in sorted(w.g.subject_objects(PG.responsibleUnit), key=str):
        if element == w.plan or str(element).startswith(w.prefix):
            w.take(element, PG.responsibleUnit, unit)
            rows.append({"element": w.code(element),
                         "unit": target_entry(URIRef(str(unit)), w.known)})
    return rows


def _alignments(w: RowWriter) -> list[dict[str, Cell]]:

    rows = []
    for node in w.mine(PG.Alignment):
        w.typed(node, PG.Alignment)
        source = w.g.value(node, PG.fromElement)
        target = w.g.value(node, PG.toElement)
        row: dict[str, Cell] = {"code": w.code(node), "from": w.code(source)}
        if source is not None:
            w.take(node, PG.fromElement, source)
        if target is not None:
            w.take(node, PG.toElement, target)
            mine = target == w.plan or str(target).startswith(w.prefix)
            row["to"] = w.code(target) if mine else target_entry(URIRef(str(target)), w.known)
        rows.append(w.generic(node, ALIGNMENTS, row))
    return rows


def _observations(w: RowWriter) -> list[dict[str, Cell]]:
    rows = []
    for node in w.mine(PG.Observation):
        w.typed(node, PG.Observation)
        rows.append(w.generic(node, OBSERVATIONS, {"code": w.code(node)}))
    return rows


def owned_rows(w: RowWriter) -> dict[str, list[dict[str, Cell]]]:
    """Rows of every sheet after Hierarchy."""
    sheets = {"Indicators": _indicators(w), "Budgets": _budgets(w), "Schedule": _schedules(w),
              "Units": _units(w), "Alignments": _alignments(w), "Observations": _observations(w)}
    return sheets
