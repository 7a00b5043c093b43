"""Lay one plan's graph out in the planner's workbook rows (the inverse of the importer).

:func:`plan_rows` returns, per sheet, the rows as cell values by column key, and the triples of
the graph the layout could not hold (reported, never silently dropped).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from policygraph.load.derive import derive
from policygraph.namespaces import ID, PG
from policygraph.planner.import_core import Known
from policygraph.planner.layout import HIERARCHY
from policygraph.planner.vocab import VOCABULARIES, vocabulary_word
from policygraph.planner.xlsx_rows import owned_rows, plan_row
from policygraph.planner.xlsx_writer import Cell, RowWriter

__all__ = ["PlanRows", "plan_rows"]

_KIND_ORDER = [iri for iri, _, _ in VOCABULARIES["kind"]]


@dataclass
class PlanRows:
    """A plan laid out in sheets, and what of its graph the layout did not hold."""

    plan_key: str
    sheets: dict[str, list[dict[str, Cell]]] = field(default_factory=dict)
    leftover: list[tuple[Node, Node, Node]] = field(default_factory=list)


def _hierarchy(w: RowWriter) -> Iterator[dict[str, Cell]]:
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
    w = RowWriter(graph, plan, known)
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
