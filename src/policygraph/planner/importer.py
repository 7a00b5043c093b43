"""Turn a filled planner's workbook into the RDF of one agency plan (nothing is written here).

:func:`build_plan` reads the tables :func:`policygraph.planner.reading.read_workbook` returns, mints
IRIs from the plan key and each row's code (``id:<plan>/<code>``), and reports every problem
with sheet, row and column. :mod:`policygraph.planner.import_run` validates and writes the result.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from rdflib.term import Node

from policygraph.namespaces import ID, PG
from policygraph.planner.cells import CellError, parse_amount, parse_year_cell
from policygraph.planner.import_core import UNIT_KINDS, Builder, Known, Origin, known_labels
from policygraph.planner.import_links import read_alignments
from policygraph.planner.reading import Problem, Row, Table
from policygraph.planner.vocab import vocabulary_lookup
from policygraph.store.terms import checked_named_node
from policygraph.thaidate import normalise_digits

__all__ = ["ImportResult", "build_plan"]

WORK_ITEMS = frozenset({PG.Project, PG.Activity})


@dataclass
class ImportResult:
    """What a workbook turned into: the plan's graph, where each node came from, problems."""

    plan: URIRef | None
    plan_key: str
    graph: Graph
    origins: dict[Node, Origin] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    letters: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the import."""
        return [p for p in self.problems if p.severity == "error"]


def _plan(b: Builder, table: Table) -> None:
    if len(table.rows) != 1:
        b.problem(table, None, None, "แผ่นงาน Plan ต้องมีข้อมูลหนึ่งแถวพอดี",
                  f"the Plan sheet needs exactly one filled row (it has {len(table.rows)})")
        if not table.rows:
            return
    row = table.rows[0]
    key = b.cell(table, row, "key")
    if not key:
        b.problem(table, row, table.sheet.column("key"), "ต้องระบุรหัสแผน", "the plan key is needed")
        return
    b.plan_key = key
    try:
        b.plan = URIRef(checked_named_node(f"{ID}{key}").value)
    except ValueError:
        b.problem(table, row, table.sheet.column("key"), f"รหัสแผน '{key}' ใช้ไม่ได้",
                  f"the plan key '{key}' cannot be used in an IRI")
        return
    b.origins[b.plan] = (table.sheet.name, row.number)
    b.typed(b.plan, PG.Plan)
    doc_text = b.cell(table, row, "source_document")
    doc = b.reference(doc_text, "doc/") if doc_text else None
    title = b.cell(table, row, "source_title_th")
    if doc is not None:
        b.document = str(doc).removeprefix(f"{ID}doc/")
        if doc not in b.known.types:
            if not title:
                b.problem(table, row, table.sheet.column("source_document"),
                          f"ไม่รู้จักเอกสาร '{doc_text}': ใส่ชื่อเอกสารเพื่อเพิ่มเป็นเอกสารใหม่",
                          f"unknown source document '{doc_text}': give its title to add it")
            else:
                b.graph.add((doc, RDF.type, PG.SourceDocument))
                b.graph.add((doc, DCTERMS.title, Literal(title, lang="th")))
                b.graph.add((doc, PG.sourceKind, PG.PrimarySource))
                b.origins[doc] = (table.sheet.name, row.number)
    b.fill(b.plan, table, row)
    year = b.cell(table, row, "fiscal_year")
    if year:
        try:
            b.fiscal_year = parse_year_cell(year)
        except CellError:
            pass  # already reported by fill


def _hierarchy(b: Builder, table: Table) -> None:
    if not {"code", "kind"} <= set(table.letters):
        return  # the missing column is already reported
    kinds = vocabulary_lookup("kind")
    rows = []
    for row in table.rows:
        code, iri = _row_iri(b, table, row)
        if iri is None:
            continue
        b.codes[code] = iri
        kind_text = b.cell(table, row, "kind")
        try:
            kind = b.concept(table.sheet.column("kind"), kind_text) if kind_text else None
        except CellError as exc:
            b.problem(table, row, table.sheet.column("kind"), exc.message_th, exc.message_en)
            kind = None
        if kind_text and kind is None:
            continue
        if kind is None:
            b.problem(table, row, table.sheet.column("kind"), "ต้องระบุประเภท",
                      f"the kind is needed ({', '.join(sorted(set(kinds)))[:60]}…)")
            continue
        b.typed(iri, kind)
        rows.append((row, iri, kind))
    parents: dict[URIRef, URIRef] = {}
    for row, iri, kind in rows:
        parent = b.element(table, row, "parent")
        if parent is not None:
            if parent == iri:
                b.problem(table, row, table.sheet.column("parent"), "องค์ประกอบเป็นส่วนของตัวเองไม่ได้",
                          "an element cannot be its own parent")
                continue
            parents[iri] = parent
            b.graph.add((iri, PG.targetOf if kind == PG.Target else PG.partOf, parent))
        b.fill(iri, table, row)
    for row, iri, _ in rows:
        seen, node = {iri}, parents.get(iri)
        while node is not None and node not in seen:
            seen.add(node)
            node = parents.get(node)
        if node is not None:
            b.problem(table, row, table.sheet.column("parent"), "ส่วนที่สูงกว่าวนกลับมาที่ตัวเอง",
                      "the parents loop back to this element")


def _owned(b: Builder, table: Table, row, *, suffix: str, work_item: bool) -> tuple | None:
    element = b.element(table, row, "element", blank_is_plan=not work_item)
    if element is None:
        return None
    if work_item and b.kinds.get(element) not in WORK_ITEMS:
        b.problem(table, row, table.sheet.column("element"),
                  "ต้องเป็นโครงการหรือกิจกรรม", "this must be a project or an activity")
        return None
    code = b.cell(table, row, "code") or f"{str(element).rsplit('/', 1)[-1]}{suffix}"
    if element == b.plan:
        code = b.cell(table, row, "code") or suffix.lstrip("-")
    iri = b.mint(table, row, table.sheet.column("code"), code)
    return (element, iri) if iri is not None else None


def _indicators(b: Builder, table: Table) -> None:
    for row in table.rows:
        sequence = normalise_digits(b.cell(table, row, "sequence")) or str(row.number - 1)
        found = _owned(b, table, row, suffix=f"-i{sequence}", work_item=False)
        if found:
            element, iri = found
            b.typed(iri, PG.Indicator)
            b.graph.add((iri, PG.indicatorOf, element))
            b.fill(iri, table, row)


def _budgets(b: Builder, table: Table) -> None:
    per_element = Counter(b.cell(table, row, "element") for row in table.rows)
    statuses = vocabulary_lookup("status")
    for row in table.rows:
        year_text = b.cell(table, row, "fiscal_year")
        suffix = "-budget"
        if per_element[b.cell(table, row, "element")] > 1:
            try:
                suffix = f"-budget-{parse_year_cell(year_text) + 543}"
            except CellError:
                suffix = f"-budget-row{row.number}"
        found = _owned(b, table, row, suffix=suffix, work_item=True)
        if not found:
            continue
        element, iri = found
        b.typed(iri, PG.Budget)
        b.graph.add((element, PG.budget, iri))
        b.fill(iri, table, row)
        try:
            status, amount = parse_amount(b.cell(table, row, "amount"))
        except CellError as exc:
            b.problem(table, row, table.sheet.column("amount"), exc.message_th, exc.message_en)
            continue
        said = statuses.get("".join(b.cell(table, row, "status").split()).casefold())
        if b.cell(table, row, "status") and said != status:
            b.problem(table, row, table.sheet.column("amount"),
                      "จำนวนเงินไม่ตรงกับสถานะ (เช่น มีจำนวนเงินแต่สถานะ 'ไม่มีการใช้งบประมาณ')",
                      "the amount does not match the status (e.g. an amount with 'no budget')")
        b.graph.add((iri, PG.budgetStatus, status))
        if amount is not None:
            b.graph.add((iri, PG.amount, Literal(Decimal(amount), datatype=XSD.decimal)))
            if not b.cell(table, row, "currency"):
                b.graph.add((iri, PG.currency, Literal("THB")))
        if not year_text and b.fiscal_year is not None:
            b.graph.add((iri, PG.fiscalYear, Literal(f"{b.fiscal_year:04d}", datatype=XSD.gYear)))


def _schedule(b: Builder, table: Table) -> None:
    for row in table.rows:
        found = _owned(b, table, row, suffix="-schedule", work_item=True)
        if not found:
            continue
        element, iri = found
        if (element, PG.schedule, None) in b.graph:
            b.problem(table, row, table.sheet.column("element"),
                      "โครงการ/กิจกรรมนี้มีระยะเวลาแล้ว (หนึ่งแถวต่อหนึ่งโครงการ)",
                      "this element already has a schedule (one row per element)")
            continue
        b.typed(iri, PG.Schedule)
        b.graph.add((element, PG.schedule, iri))
        b.fill(iri, table, row)
        start = b.date(table, row, "start", end=False)
        end = b.date(table, row, "end", end=True)
        for (date, precision), (pred, pprec) in zip(
                [d for d in (start, end) if d], [(PG.startDate, PG.startPrecision),
                                                 (PG.endDate, PG.endPrecision)], strict=False):
            b.graph.add((iri, pred, Literal(date.isoformat(), datatype=XSD.date)))
            b.graph.add((iri, pprec, precision))
        if start and end and start[0] > end[0]:
            b.problem(table, row, table.sheet.column("end"), "วันสิ้นสุดอยู่ก่อนวันเริ่มต้น",
                      "the end date is before the start date")
        if start and end and b.fiscal_year is not None:
            first = dt.date(b.fiscal_year - 1, 10, 1)
            last = dt.date(b.fiscal_year, 9, 30)
            for key, (date, _) in (("start", start), ("end", end)):
                if not first <= date <= last:
                    b.problem(table, row, table.sheet.column(key),
                              f"วันที่อยู่นอกปีงบประมาณ พ.ศ. {b.fiscal_year + 543}",
                              f"the date is outside fiscal year {b.fiscal_year} "
                              f"({first} – {last})", severity="warning")


def _units(b: Builder, table: Table) -> None:
    by_label = known_labels({i: b.known.labels.get(i, {}) for i in b.known.of(UNIT_KINDS)})
    for row in table.rows:
        element = b.element(table, row, "element", blank_is_plan=False)
        text = b.cell(table, row, "unit")
        if element is None:
            continue
        if not text:
            b.problem(table, row, table.sheet.column("unit"), "ต้องระบุหน่วยงาน", "a unit is needed")
            continue
        unit = b.reference(text, "org/")
        if unit is None or not b.known.types.get(unit, set()) & UNIT_KINDS:
            unit = by_label.get(text.strip().casefold())
        if unit is None:
            b.problem(table, row, table.sheet.column("unit"),
                      f"ไม่รู้จักหน่วยงาน '{text}' (เลือกจากรายการ UnitsList)",
                      f"unknown unit '{text}' (pick one from the UnitsList sheet)")
            continue
        b.graph.add((element, PG.responsibleUnit, unit))


def _row_iri(b: Builder, table: Table, row: Row) -> tuple[str, URIRef | None]:
    """The row's code and the IRI minted from it; a missing or bad code is reported."""
    code = b.cell(table, row, "code")
    if not code:
        b.problem(table, row, table.sheet.column("code"), "ต้องระบุรหัส", "a code is needed")
        return "", None
    return code, b.mint(table, row, table.sheet.column("code"), code)


def _observations(b: Builder, table: Table) -> None:
    for row in table.rows:
        iri = _row_iri(b, table, row)[1]
        if iri is not None:
            b.typed(iri, PG.Observation)
            b.fill(iri, table, row)


def build_plan(tables: dict[str, Table], known: Known,
               problems: list[Problem] | None = None) -> ImportResult:
    """Build the plan's graph from the workbook's tables.

    Args:
        tables: The sheets as read, by English name.
        known: What the store holds (targets, units, measures, documents).
        problems: Problems already found while reading (missing sheets and columns).

    Returns:
        The graph (possibly partial when there are errors), origins and every problem.
    """
    b = Builder(known)
    b.problems.extend(problems or [])
    steps = (("Plan", _plan), ("Hierarchy", _hierarchy), ("Indicators", _indicators),
             ("Budgets", _budgets), ("Schedule", _schedule), ("Units", _units),
             ("Alignments", read_alignments), ("Observations", _observations))
    for name, step in steps:
        if name in tables and (name == "Plan" or b.plan is not None):
            step(b, tables[name])
    return ImportResult(b.plan, b.plan_key, b.graph, b.origins, b.problems,
                        {name: table.letters for name, table in tables.items()})
