"""Read the Alignments sheet: qualified links from the plan's elements to higher targets."""

from __future__ import annotations

from rdflib import URIRef

from policygraph.namespaces import ID, PG
from policygraph.planner.import_core import TARGET_KINDS, Builder, known_labels
from policygraph.planner.reading import Row, Table

__all__ = ["alignment_code", "read_alignments", "resolve_target"]


def alignment_code(source_code: str, target: URIRef, codes: dict[str, URIRef]) -> str:
    """The default code of an alignment: ``alignment-<from>--<to>`` (``/`` written ``-``)."""
    local = next((code for code, iri in codes.items() if iri == target), None)
    if local is None:
        local = str(target).removeprefix(str(ID)).replace("/", "-")
    return f"alignment-{source_code}--{local}"


def resolve_target(b: Builder, text: str) -> URIRef | None:
    """The element a "to" cell names: a code of this plan, a drop-down entry, a CURIE or IRI,
    or the exact Thai or English label of one known target."""
    head = text.split(" | ")[0].strip()
    if head in b.codes:
        return b.codes[head]
    if head == b.plan_key and b.plan is not None:
        return b.plan
    if ":" in head:
        iri = b.reference(head, "")
        if iri is not None and b.known.types.get(iri, set()) & TARGET_KINDS:
            return iri
        return None
    targets = b.known.of(TARGET_KINDS)
    return known_labels({i: b.known.labels.get(i, {}) for i in targets}).get(
        text.strip().casefold())


def _one(b: Builder, table: Table, row: Row) -> None:
    source = b.element(table, row, "from")
    text = b.cell(table, row, "to")
    column = table.sheet.column("to")
    if not text:
        b.problem(table, row, column, "ต้องระบุเป้าหมายที่เชื่อมโยงไป", "the target is needed")
        return
    target = resolve_target(b, text)
    if target is None:
        b.problem(table, row, column,
                  f"ไม่รู้จักเป้าหมาย '{text}' (เลือกจากรายการ Targets หรือใช้รหัสในแผนนี้)",
                  f"unknown alignment target '{text}' (pick one from the Targets sheet or use a "
                  "code of this plan)")
        return
    if source is None:
        return
    if source == target:
        b.problem(table, row, column, "องค์ประกอบเชื่อมโยงไปยังตัวเองไม่ได้",
                  "an element cannot be aligned to itself")
        return
    source_code = "plan" if source == b.plan else str(source).rsplit("/", 1)[-1]
    code = b.cell(table, row, "code") or alignment_code(source_code, target, b.codes)
    iri = b.mint(table, row, table.sheet.column("code"), code)
    if iri is None:
        return
    b.typed(iri, PG.Alignment)
    b.graph.add((iri, PG.fromElement, source))
    b.graph.add((iri, PG.toElement, target))
    b.fill(iri, table, row)
    basis = b.graph.value(iri, PG.basis)
    rationale = b.cell(table, row, "rationale_th") or b.cell(table, row, "rationale_en")
    if basis == PG.Inferred and not rationale:
        b.problem(table, row, table.sheet.column("rationale_en"),
                  "ความเชื่อมโยงที่อนุมานต้องมีเหตุผล (คอลัมน์ rationale)",
                  "an inferred alignment needs a rationale")


def read_alignments(b: Builder, table: Table) -> None:
    """Add one ``pg:Alignment`` per row of the Alignments sheet."""
    for row in table.rows:
        _one(b, table, row)
