"""Compare two plans year over year: work added, removed, renamed, and what changed in each.

Elements are matched by their code (the IRI after the plan key, so ``…2567/s1-a3`` matches
``…2568/s1-a3``); the rest are matched by the similarity of their Thai labels (difflib ratio at
least :data:`RENAME_THRESHOLD`, best pairs first). For matched elements the diff reports label,
budget, indicator, unit and alignment changes; for the plans, the higher targets each reaches
directly (coverage gained and lost).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from policygraph.namespaces import PG

__all__ = ["RENAME_THRESHOLD", "Change", "PlanDiff", "diff_plans"]

#: Least label similarity (0-1) for two unmatched elements to count as one renamed element.
RENAME_THRESHOLD = 0.6
_COMPONENTS = (PG.Strategy, PG.Tactic, PG.SubPlan, PG.Milestone, PG.Project, PG.Activity,
               PG.Target)


@dataclass(frozen=True)
class Change:
    """One difference: its kind, the element in each plan (None when absent), and details."""

    kind: str
    before: URIRef | None
    after: URIRef | None
    label: str
    detail: str = ""


@dataclass
class PlanDiff:
    """Everything that differs between plan A and plan B."""

    plan_a: URIRef
    plan_b: URIRef
    changes: list[Change] = field(default_factory=list)

    def of(self, kind: str) -> list[Change]:
        """The changes of one kind."""
        return [c for c in self.changes if c.kind == kind]

    def text(self) -> str:
        """A readable report, grouped by kind of change."""
        lines = [f"{self.plan_a} → {self.plan_b}: {len(self.changes)} change(s)"]
        for kind in dict.fromkeys(c.kind for c in self.changes):
            lines.append(f"\n{kind}:")
            for c in self.of(kind):
                detail = f" — {c.detail}" if c.detail else ""
                lines.append(f"  {c.label}{detail}")
        return "\n".join(lines)


def _label(g: Graph, node: Node) -> str:
    labels = {getattr(o, "language", None): str(o) for o in g.objects(node, SKOS.prefLabel)}
    return labels.get("th") or labels.get("en") or str(node)


def _elements(g: Graph, plan: URIRef) -> dict[str, URIRef]:
    prefix = f"{plan}/"
    return {str(s)[len(prefix):]: s for kind in _COMPONENTS for s in g.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and str(s).startswith(prefix)}


def _match(ga: Graph, a: dict[str, URIRef], gb: Graph, b: dict[str, URIRef]
           ) -> tuple[list[tuple[URIRef, URIRef]], list[URIRef], list[URIRef]]:
    pairs = [(a[code], b[code]) for code in sorted(a.keys() & b.keys())]
    rest_a = [a[c] for c in sorted(a.keys() - b.keys())]
    rest_b = [b[c] for c in sorted(b.keys() - a.keys())]
    scored = sorted(((SequenceMatcher(None, _label(ga, x), _label(gb, y)).ratio(), str(x), str(y))
                     for x in rest_a for y in rest_b), reverse=True)
    used_a: set[str] = set()
    used_b: set[str] = set()
    for score, x, y in scored:
        if score >= RENAME_THRESHOLD and x not in used_a and y not in used_b:
            used_a.add(x)
            used_b.add(y)
            pairs.append((URIRef(x), URIRef(y)))
    return (pairs, [x for x in rest_a if str(x) not in used_a],
            [y for y in rest_b if str(y) not in used_b])


def _budgets(g: Graph, node: URIRef) -> dict[str, str]:
    found = {}
    for budget in g.objects(node, PG.budget):
        year = str(g.value(budget, PG.fiscalYear) or "?")
        status = g.value(budget, PG.budgetStatus)
        amount = g.value(budget, PG.amount)
        if amount is not None:
            found[year] = f"{Decimal(str(amount)):,.2f} THB"
        else:
            words: dict[Node | None, str] = {PG.NoBudget: "no budget",
                                             PG.BudgetNotStated: "not stated"}
            found[year] = words.get(status, "?")
    return found


def _indicators(g: Graph, node: URIRef) -> set[str]:
    found = set()
    for ind in g.subjects(PG.indicatorOf, node):
        value = g.value(ind, PG.targetValue)
        text = g.value(ind, PG.targetText)
        target = f" [{Decimal(str(value)).normalize()}]" if value is not None else ""
        found.add(f"{_label(g, ind)}: {text or ''}{target}")
    return found


def _targets(g: Graph, node: URIRef) -> set[URIRef]:
    return {URIRef(str(t)) for a in g.subjects(PG.fromElement, node)
            for t in g.objects(a, PG.toElement)}


def _compare(diff: PlanDiff, ga: Graph, x: URIRef, gb: Graph, y: URIRef, labels: Graph) -> None:
    name = _label(gb, y)
    if _label(ga, x) != name:
        diff.changes.append(Change("renamed", x, y, name, f"was: {_label(ga, x)}"))
    if str(x).rsplit("/", 1)[-1] != str(y).rsplit("/", 1)[-1]:
        diff.changes.append(Change("code changed", x, y, name,
                                   f"{str(x).rsplit('/', 1)[-1]} → {str(y).rsplit('/', 1)[-1]}"))
    before, after = _budgets(ga, x), _budgets(gb, y)
    # Year over year the fiscal years differ by design: compare the amounts, show the years.
    if sorted(before.values()) != sorted(after.values()):
        diff.changes.append(Change("budget changed", x, y, name, f"{before} → {after}"))
    before_i, after_i = _indicators(ga, x), _indicators(gb, y)
    for text in sorted(before_i - after_i):
        diff.changes.append(Change("indicator removed", x, y, name, text))
    for text in sorted(after_i - before_i):
        diff.changes.append(Change("indicator added", x, y, name, text))
    units_a = {_label(labels, u) for u in ga.objects(x, PG.responsibleUnit)}
    units_b = {_label(labels, u) for u in gb.objects(y, PG.responsibleUnit)}
    if units_a != units_b:
        diff.changes.append(Change("units changed", x, y, name,
                                   f"{sorted(units_a)} → {sorted(units_b)}"))
    local = {f"{diff.plan_a}/": f"{diff.plan_b}/"}
    moved = {URIRef(str(t).replace(*next(iter(local.items())))) for t in _targets(ga, x)}
    for target in sorted(moved - _targets(gb, y)):
        diff.changes.append(Change("alignment removed", x, y, name, _label(labels, target)))
    for target in sorted(_targets(gb, y) - moved):
        diff.changes.append(Change("alignment added", x, y, name, _label(labels, target)))


def diff_plans(ga: Graph, plan_a: URIRef, gb: Graph, plan_b: URIRef,
               labels: Graph | None = None) -> PlanDiff:
    """Compare plan A (in ``ga``) with plan B (in ``gb``).

    Args:
        ga: A graph holding plan A.
        plan_a: Plan A's IRI.
        gb: A graph holding plan B.
        plan_b: Plan B's IRI.
        labels: Where the labels of targets and units are looked up (e.g. the whole store).
    """
    names = Graph()
    names += ga
    names += gb
    if labels is not None:
        names += labels
    diff = PlanDiff(plan_a, plan_b)
    elements_a, elements_b = _elements(ga, plan_a), _elements(gb, plan_b)
    pairs, removed, added = _match(ga, elements_a, gb, elements_b)
    for node in removed:
        diff.changes.append(Change("removed", node, None, _label(ga, node)))
    for node in added:
        diff.changes.append(Change("added", None, node, _label(gb, node)))
    for x, y in pairs:
        _compare(diff, ga, x, gb, y, names)
    reach_a = {t for e in [plan_a, *elements_a.values()] for t in _targets(ga, e)
               if not str(t).startswith(f"{plan_a}/")}
    reach_b = {t for e in [plan_b, *elements_b.values()] for t in _targets(gb, e)
               if not str(t).startswith(f"{plan_b}/")}
    for target in sorted(reach_b - reach_a):
        diff.changes.append(Change("coverage gained", None, target, _label(names, target)))
    for target in sorted(reach_a - reach_b):
        diff.changes.append(Change("coverage lost", target, None, _label(names, target)))
    return diff
