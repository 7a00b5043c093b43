"""What the exporter's rows are made of: the cell type, and the writer reading a plan's graph."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from policygraph.namespaces import ID, PG
from policygraph.planner.cells import (
    Location,
    format_date,
    format_decimal,
    format_locations,
    format_year,
)
from policygraph.planner.import_core import Known, curie
from policygraph.planner.layout import Column, Sheet
from policygraph.planner.vocab import vocabulary_word

__all__ = ["Cell", "RowWriter", "target_entry"]

Cell = str | int | float | None


def target_entry(iri: URIRef, known: Known) -> str:
    """How a known target or unit is written in a cell and in the drop-down lists."""
    label = known.label(iri, "th")
    return f"{curie(iri)} | {label}" if label else curie(iri)


class RowWriter:
    """Reads one plan's graph into cells, remembering which triples the cells hold."""

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
