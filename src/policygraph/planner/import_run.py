"""Import a workbook into the store: read, build, SHACL-validate, derive, then write atomically.

Nothing is written when any problem is an error, including a SHACL violation; the violation is
reported at the sheet and row the offending element came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from policygraph.load.checks import ValidateFn, store_context
from policygraph.load.materialise import replace_with_facts
from policygraph.load.parsing import DeriveFn
from policygraph.namespaces import PG, PREFIXES, graph_named
from policygraph.planner.import_core import Known
from policygraph.planner.importer import ImportResult, build_plan
from policygraph.planner.layout import SHEETS
from policygraph.planner.reading import Problem, read_workbook
from policygraph.query.registry import run_query
from policygraph.store import GraphStore

__all__ = ["ImportReport", "import_workbook", "known_from_store", "read_plan"]


def known_from_store(store: GraphStore) -> Known:
    """Everything in the store a workbook may name, with its labels."""
    known = Known()
    for row in run_query(store, "planner-vocabulary").rows:
        item, kind = row["item"], row["kind"]
        if not isinstance(item, URIRef) or not isinstance(kind, URIRef):
            continue
        known.types.setdefault(item, set()).add(kind)
        labels = known.labels.setdefault(item, {})
        for lang, name in (("th", "labelTh"), ("en", "labelEn")):
            if isinstance(row.get(name), Literal):
                labels.setdefault(lang, str(row[name]))
    return known


@dataclass
class ImportReport:
    """The outcome of one import: the plan, its graph, the problems, and whether it was written."""

    result: ImportResult
    graph: URIRef | None
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def errors(self) -> list[Problem]:
        """Problems that stop the import."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems worth a look that do not stop it."""
        return [p for p in self.problems if p.severity != "error"]

    def text(self) -> str:
        """The report a planner reads: a summary line, then errors, then warnings."""
        if self.written:
            head = (f"imported / นำเข้าแล้ว: {self.result.plan_key} → <{self.graph}>, "
                    f"{len(self.result.graph):,} triples")
        elif not self.errors:
            head = (f"checked, no errors / ตรวจแล้ว ไม่มีข้อผิดพลาด: {self.result.plan_key}, "
                    f"{len(self.result.graph):,} triples")
        else:
            head = (f"not imported; nothing was written / ไม่ได้นำเข้า ไม่มีการบันทึกข้อมูล "
                    f"({len(self.errors)} error(s) / ข้อผิดพลาด)")
        parts = [head]
        for title, items in (("Errors / ข้อผิดพลาด", self.errors),
                             ("Warnings / คำเตือน", self.warnings)):
            if items:
                parts.append(f"\n{title}:")
                parts.extend(f"- {p.text()}" for p in items)
        return "\n".join(parts)


#: The property each special column fills, so SHACL findings can name the column.
_SPECIAL = {"amount": PG.budgetStatus, "start": PG.startDate, "end": PG.endDate,
            "parent": PG.partOf, "from": PG.fromElement, "to": PG.toElement,
            "unit": PG.responsibleUnit}


def _shacl_problems(result: ImportResult, report: object) -> list[Problem]:
    names = Graph()
    for prefix, namespace in PREFIXES.items():
        names.bind(prefix, namespace, replace=True)
    sheets = {s.name: s for s in SHEETS}
    found = []
    for finding in getattr(report, "findings", []):
        sheet, number = result.origins.get(finding.focus, ("Plan", 2))
        column, letter = None, ""
        for candidate in sheets[sheet].columns:
            pred = candidate.pred or _SPECIAL.get(candidate.key)
            if pred is not None and names.namespace_manager.normalizeUri(pred) == finding.path:
                column = candidate
                letter = result.letters.get(sheet, {}).get(candidate.key, "")
                break
        value = f" ({finding.value})" if finding.value else ""
        found.append(Problem("error" if finding.severity == "violation" else "warning", sheet,
                             number, column, letter, finding.message_th + value,
                             finding.message_en + value))
    return found


def read_plan(store: GraphStore, paths: Sequence[Path]) -> ImportResult:
    """Read a workbook (or CSV files) and build its plan, without validating or writing."""
    tables, problems = read_workbook(paths)
    return build_plan(tables, known_from_store(store), problems)


def import_workbook(
    store: GraphStore,
    paths: Sequence[Path],
    *,
    validate: ValidateFn,
    derive: DeriveFn,
    graph: URIRef | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import a filled workbook into its own named graph, all or nothing.

    Args:
        store: The store; its graphs are the context references are checked against.
        paths: An ``.xlsx`` file, a directory of CSV files, or CSV files.
        validate: The SHACL validator (``policygraph.load.validate.VALIDATOR``).
        derive: Adds derived triples (``policygraph.load.derive.derive``).
        graph: The named graph to replace; default ``GRAPH[<plan key>]``.
        dry_run: Check everything but write nothing.

    Returns:
        The report; ``written`` is true only when the graph was replaced.
    """
    result = read_plan(store, paths)
    target = graph or (graph_named(result.plan_key) if result.plan_key else None)
    report = ImportReport(result, target, list(result.problems))
    if result.errors or target is None:
        return report
    data = Graph()
    data += result.graph
    shacl = validate(data, store_context(store, {target}))
    report.problems.extend(_shacl_problems(result, shacl))
    if report.errors or dry_run:
        return report
    for triple in list(derive(data)):  # only once the plan passed the shapes
        data.add(triple)
    replace_with_facts(store, {target: data})  # and the facts derived from all graphs
    report.written = True
    return report
