"""The importer's working state: the graph being built, minted IRIs, and cell readers.

Every cell reader records a :class:`~policygraph.planner.reading.Problem` naming sheet, row and
column instead of raising, so one run reports every problem of a workbook at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from policygraph.namespaces import ID, ORG, PG, PREFIXES
from policygraph.planner.cells import (
    CellError,
    cell_text,
    parse_date_cell,
    parse_decimal,
    parse_int,
    parse_locations,
    parse_year_cell,
)
from policygraph.planner.layout import Column
from policygraph.planner.reading import Problem, Row, Table
from policygraph.planner.vocab import VOCABULARIES, header_key, vocabulary_lookup
from policygraph.query.params import expand_curie
from policygraph.store.terms import checked_named_node

__all__ = ["Builder", "Known", "Origin"]

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: Classes whose members an alignment may point to.
TARGET_KINDS = frozenset({PG.Plan, PG.StandardSet, PG.Strategy, PG.SubPlan, PG.Milestone,
                          PG.Tactic, PG.Project, PG.Activity, PG.StandardItem, PG.Target,
                          PG.Indicator})


@dataclass
class Known:
    """What the store already holds that a workbook may name: types and labels by IRI."""

    types: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    labels: dict[URIRef, dict[str, str]] = field(default_factory=dict)

    def of(self, kinds: frozenset[URIRef] | set[URIRef]) -> list[URIRef]:
        """The known IRIs with one of ``kinds``, sorted."""
        return sorted(iri for iri, types in self.types.items() if types & kinds)

    def label(self, iri: URIRef, lang: str = "th") -> str:
        """The label in ``lang`` (else any), or ``""``."""
        labels = self.labels.get(iri, {})
        return labels.get(lang) or next(iter(labels.values()), "")


#: Where an imported node came from: (sheet, row).
Origin = tuple[str, int]

UNIT_KINDS = frozenset({ORG.Organization, ORG.OrganizationalUnit})


def curie(iri: URIRef) -> str:
    """``id:…`` for IRIs under the data namespace, else the IRI."""
    text = str(iri)
    for prefix, namespace in PREFIXES.items():
        if prefix == "id" and text.startswith(namespace):
            return f"id:{text[len(namespace):]}"
    return text


class Builder:
    """Collects the triples, minted IRIs, origins and problems of one import."""

    def __init__(self, known: Known) -> None:
        self.known = known
        self.graph = Graph()
        self.problems: list[Problem] = []
        self.origins: dict[Node, Origin] = {}
        self.codes: dict[str, URIRef] = {}
        self.kinds: dict[URIRef, URIRef] = {}
        self.plan: URIRef | None = None
        self.plan_key = ""
        self.document: str | None = None
        self.fiscal_year: int | None = None

    # Problems ----------------------------------------------------------------------------

    def problem(self, table: Table, row: Row | None, column: Column | None, th: str, en: str,
                severity: str = "error") -> None:
        """Record a problem at a cell (or a row, or a sheet)."""
        letter = table.letters.get(column.key, "") if column is not None else ""
        self.problems.append(Problem(severity, table.sheet.name, row.number if row else None,
                                     column, letter, th, en))

    def cell(self, table: Table, row: Row, key: str) -> str:
        """A cell's text (``""`` when blank or when the column is absent)."""
        return cell_text(row.values.get(key))

    # IRIs --------------------------------------------------------------------------------

    def mint(self, table: Table, row: Row, column: Column | None, code: str) -> URIRef | None:
        """The IRI ``id:<plan>/<code>``, after checking the code; None (and a problem) if bad."""
        if not _CODE.match(code):
            self.problem(table, row, column,
                         f"รหัส '{code}' ใช้ได้เฉพาะตัวอักษรอังกฤษ ตัวเลข . _ -",
                         f"the code '{code}' may hold only letters, digits, '.', '_' and '-'")
            return None
        iri = URIRef(checked_named_node(f"{ID}{self.plan_key}/{code}").value)
        if iri in self.origins:
            sheet, number = self.origins[iri]
            self.problem(table, row, column, f"รหัส '{code}' ซ้ำกับ {sheet} แถวที่ {number}",
                         f"the code '{code}' is already used on {sheet} row {number}")
            return None
        self.origins[iri] = (table.sheet.name, row.number)
        return iri

    def element(self, table: Table, row: Row, key: str, *, blank_is_plan: bool = True
                ) -> URIRef | None:
        """Resolve a code of this workbook (blank or the plan key: the plan)."""
        text = self.cell(table, row, key)
        if not text or text == self.plan_key:
            if blank_is_plan and self.plan is not None:
                return self.plan
            self.problem(table, row, table.sheet.column(key), "ต้องระบุรหัส", "a code is needed")
            return None
        if text in self.codes:
            return self.codes[text]
        self.problem(table, row, table.sheet.column(key),
                     f"ไม่รู้จักรหัส '{text}' (ไม่มีในแผ่นงาน Hierarchy)",
                     f"unknown code '{text}' (not on the Hierarchy sheet)")
        return None

    def reference(self, text: str, base: str) -> URIRef | None:
        """An IRI typed as a CURIE, a full IRI or a bare key under ``id:<base>``."""
        text = text.split(" | ")[0].strip()
        candidate = (expand_curie(text) or text) if ":" in text else f"{ID}{base}{text}"
        try:
            return URIRef(checked_named_node(candidate).value)
        except ValueError:
            return None

    # Generic columns ---------------------------------------------------------------------

    def fill(self, subject: URIRef, table: Table, row: Row) -> None:
        """Add the triples of every generic column of ``row`` to ``subject``."""
        for column in table.sheet.columns:
            text = self.cell(table, row, column.key)
            if column.pred is None or column.kind in ("source",):
                continue
            if not text:
                if column.required and column.key in table.letters:
                    self.problem(table, row, column, "ต้องกรอกช่องนี้", "this cell is required")
                continue
            try:
                for value in self._values(column, text, row.values.get(column.key)):
                    self.graph.add((subject, column.pred, value))
            except CellError as exc:
                self.problem(table, row, column, exc.message_th, exc.message_en)
        for column in table.sheet.columns:
            if column.kind == "source":
                self.locations(subject, table, row, column)

    def _values(self, column: Column, text: str, raw: object) -> list[Node]:
        kind = column.kind
        if kind == "text":
            return [Literal(text, lang=column.lang)]
        if kind == "texts":
            return [Literal(line.strip(), lang=column.lang)
                    for line in text.splitlines() if line.strip()]
        if kind == "plain":
            return [Literal(text)]
        if kind == "int":
            return [Literal(parse_int(text))]
        if kind == "decimal":
            return [Literal(parse_decimal(text), datatype=XSD.decimal)]
        if kind == "year":
            return [Literal(f"{parse_year_cell(text):04d}", datatype=XSD.gYear)]
        if kind == "date":
            return [Literal(parse_date_cell(raw)[0].isoformat(), datatype=XSD.date)]
        if kind == "concept":
            return [self.concept(column, text)]
        if kind == "ref":
            iri = self.reference(text, column.base)
            if iri is None or (iri not in self.known.types and column.base != "doc/"):
                raise CellError(f"ไม่รู้จัก '{text}'", f"'{text}' is not known in the store")
            return [iri]
        raise AssertionError(f"column {column.key} has no generic reader")  # pragma: no cover

    def concept(self, column: Column, text: str) -> URIRef:
        """The IRI a vocabulary word stands for."""
        found = vocabulary_lookup(column.vocab).get(header_key(text))
        if found is None:
            words = ", ".join(word for _, word, _ in VOCABULARIES[column.vocab])
            raise CellError(f"'{text}' ไม่ใช่ค่าที่ใช้ได้ ({words})",
                            f"'{text}' is not one of the accepted values ({words})")
        return found

    def locations(self, subject: URIRef, table: Table, row: Row, column: Column) -> None:
        """Add the source (or evidence) locations of a cell as blank nodes."""
        assert column.pred is not None
        text = self.cell(table, row, column.key)
        if column.pred == PG.evidenceLocation and not text:
            return  # evidence may have no location (a warning, from the shapes)
        try:
            found = parse_locations(text, self.document)
        except CellError as exc:
            self.problem(table, row, column, exc.message_th, exc.message_en)
            return
        for loc in found:
            node = BNode()
            self.origins[node] = (table.sheet.name, row.number)
            self.graph.add((subject, column.pred, node))
            doc = URIRef(checked_named_node(f"{ID}doc/{loc.document}").value)
            self.graph.add((node, PG.document, doc))
            if loc.section:
                self.graph.add((node, PG.section, Literal(loc.section)))
            if loc.locator:
                self.graph.add((node, PG.locator, Literal(loc.locator, lang="th")))

    def typed(self, subject: URIRef, kind: URIRef) -> None:
        """State ``subject``'s class and remember it."""
        self.graph.add((subject, RDF.type, kind))
        self.kinds[subject] = kind

    def date(self, table: Table, row: Row, key: str, *, end: bool) -> tuple | None:
        """Read a date cell; None (and a problem) if it is not a date."""
        try:
            return parse_date_cell(row.values.get(key), end=end)
        except CellError as exc:
            self.problem(table, row, table.sheet.column(key), exc.message_th, exc.message_en)
            return None


def known_labels(rows: Mapping[URIRef, dict[str, str]]) -> dict[str, URIRef]:
    """Exact labels (any language, case-folded) to IRIs, for labels naming one IRI only."""
    found: dict[str, URIRef | None] = {}
    for iri, labels in rows.items():
        for label in labels.values():
            key = label.strip().casefold()
            found[key] = iri if found.get(key, iri) == iri else None
    return {k: v for k, v in found.items() if v is not None}
