"""Lay one plan's graph out in the planner's workbook rows (the inverse of the importer).

:func:`plan_rows` returns, per sheet, the rows as cell values by column key, and the triples of
the graph the layout could not hold (reported, never silently dropped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from policygraph.load.derive import derive
from policygraph.namespaces import ID, PG
from policygraph.planner.cells import (
    Location,
    format_date,
    format_decimal,
    format_locations,
    format_year,
)
from policygraph.planner.import_core import Known, curie
from policygraph.planner.layout import HIERARCHY, Column, Sheet
from policygraph.planner.vocab import VOCABULARIES, vocabulary_word

__all__ = ["PlanRows", "plan_rows", "target_entry"]

Cell = str | int | float | None
_KIND_ORDER = [iri for iri, _, _ in VOCABULARIES["kind"]]


def target_entry(iri: URIRef, known: Known) -> str:
    """How a known target or unit is written in a cell and in the drop-down lists."""
    label = known.label(iri, "th")
    return f"{curie(iri)} | {label}" if label else curie(iri)


@dataclass
class PlanRows:
    """A plan laid out in sheets, and what of its graph the layout did not hold."""

    plan_key: str
    sheets: dict[str, list[dict[str, Cell]]] = field(default_factory=dict)
    leftover: list[tuple[Node, Node, Node]] = field(default_factory=list)


class _Writer:
    def __init__(self, graph: Graph, plan: URIRef, known: Known) -> None:
        self.g, self.plan, self.known = graph, plan, known
        self.prefix = f"{plan}/"
        self.used: set[tuple[Node, Node, Node]] = set()
        self.document: str | None = None

    def take(self, s: Node, p: Node, o: Node) -> Node:
        self.used.add((s, p, o))
        return o

    def code(self, node: Node | None) -> str:
        if node is None or node == self.plan:
            return ""
        text = str(node)
        return text[len(self.prefix):] if text.startswith(self.prefix) else curie(URIRef(text))

    def mine(self, kind: URIRef) -> list[URIRef]:
        return sorted((s for s in self.g.subjects(RDF.type, kind)
                       if isinstance(s, URIRef) and str(s).startswith(self.prefix)), key=str)

    def generic(self, subject: Node, sheet: Sheet, row: dict[str, Cell]) -> dict[str, Cell]:
        for column in sheet.columns:
            if column.pred is None:
                continue
            values = [o for o in self.g.objects(subject, column.pred)
                      if column.lang is None or getattr(o, "language", None) == column.lang]
            if column.kind == "source":
                row[column.key] = self.locations(subject, column.pred, values)
                continue
            if not values:
                continue
            for value in values:
                self.take(subject, column.pred, value)
            row[column.key] = self.cell(column, sorted(values, key=str))
        return row

    def cell(self, column: Column, values: list[Node]) -> Cell:
        value = values[0]
        if column.kind in ("text", "texts", "plain") or len(values) > 1:
            return "\n".join(str(v) for v in values)
        if column.kind == "int":
            return int(str(value))
        if column.kind == "decimal":
            return format_decimal(Decimal(str(value)))
        if column.kind == "year":
            return format_year(int(str(value)))
        if column.kind == "date":
            return format_date(dt.date.fromisoformat(str(value)))
        if column.kind == "concept":
            return vocabulary_word(column.vocab, value) or curie(URIRef(str(value)))
        if column.kind == "ref":
            text = str(value)
            base = f"{ID}{column.base}"
            return text[len(base):] if column.base and text.startswith(base) else curie(
                URIRef(text))
        return str(value)

    def locations(self, subject: Node, pred: URIRef, nodes: list[Node]) -> Cell:
        found = []
        for node in nodes:
            doc = self.g.value(node, PG.document)
            others = {p for p, _ in self.g.predicate_objects(node)} - {
                PG.document, PG.section, PG.locator}
            sections = list(self.g.objects(node, PG.section))
            locators = list(self.g.objects(node, PG.locator))
            if (not isinstance(node, BNode) or doc is None or others or len(sections) > 1
                    or len(locators) > 1 or any(getattr(x, "language", None) != "th"
                                                for x in locators)):
                continue
            self.take(subject, pred, node)
            self.take(node, PG.document, doc)
            for x in sections:
                self.take(node, PG.section, x)
            for x in locators:
                self.take(node, PG.locator, x)
            found.append(Location(str(doc).removeprefix(f"{ID}doc/"),
                                  str(sections[0]) if sections else "",
                                  str(locators[0]) if locators else ""))
        text = format_locations(found, self.document)
        return "" if pred == PG.evidenceLocation and text == "-" else text

    def typed(self, subject: Node, kind: URIRef) -> None:
        self.take(subject, RDF.type, kind)


def _hierarchy(w: _Writer) -> Iterator[dict[str, Cell]]:
    children: dict[Node | None, list[tuple[URIRef, URIRef, Node | None]]] = {}
    for kind in _KIND_ORDER:
        pred = PG.targetOf if kind == PG.Target else PG.partOf
        for node in w.mine(kind):
            parent = w.g.value(node, pred)
            children.setdefault(parent, []).append((node, kind, parent))

    def order(item: tuple[URIRef, URIRef, Node | None]) -> tuple[int, int, str]:
        sequence = w.g.value(item[0], PG.sequence)
        return (_KIND_ORDER.index(item[1]) if item[1] == PG.Target else 0,
                int(str(sequence)) if sequence is not None else 0, str(item[0]))

    def walk(parent: Node | None) -> Iterator[dict[str, Cell]]:
        for node, kind, owner in sorted(children.get(parent, []), key=order):
            w.typed(node, kind)
            if owner is not None:
                w.take(node, PG.targetOf if kind == PG.Target else PG.partOf, owner)
            yield w.generic(node, HIERARCHY, {
                "code": w.code(node), "parent": w.code(owner),
                "kind": vocabulary_word("kind", kind)})
            yield from walk(node)

    yield from walk(w.plan)
    for parent in list(children):  # elements whose parent is outside the plan's tree
        if parent != w.plan and not (isinstance(parent, URIRef)
                                     and str(parent).startswith(w.prefix)):
            yield from walk(parent)


def plan_rows(graph: Graph, plan: URIRef, known: Known) -> PlanRows:
    """Lay out the plan ``plan`` of ``graph`` (its named graph) in the workbook's sheets."""
    from policygraph.planner.xlsx_rows import owned_rows, plan_row

    w = _Writer(graph, plan, known)
    key = str(plan).removeprefix(str(ID))
    source = graph.value(plan, DCTERMS.source)
    if source is not None:
        w.document = str(source).removeprefix(f"{ID}doc/")
    out = PlanRows(key)
    out.sheets["Plan"] = [plan_row(w, key)]
    out.sheets["Hierarchy"] = list(_hierarchy(w))
    out.sheets.update(owned_rows(w))
    derived = set(derive(graph))  # materialised on load, made again on import
    out.leftover = sorted((t for t in graph if t not in w.used and t not in derived), key=str)
    return out
