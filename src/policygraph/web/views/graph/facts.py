"""Facts the linkage graph shows beside the alignment graph: plans' years, units and budgets.

Everything comes from the named queries in ``queries/`` (``plans``, ``responsibility``,
``unit-work``, ``trace-down``), so no SPARQL is written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib.term import Literal, Node

from policygraph.namespaces import PG
from policygraph.query.registry import run_query
from policygraph.store import GraphStore

__all__ = ["BudgetFact", "GraphFacts", "PlanFact", "gather_facts"]


@dataclass(frozen=True)
class PlanFact:
    """A plan's (or set of standards') year information.

    Attributes:
        fiscal_year: The Gregorian year its fiscal year ends in (``2024`` is B.E. 2567), or None.
        period: First and last Gregorian year of a multi-year plan, or None.
    """

    fiscal_year: int | None = None
    period: tuple[int, int] | None = None


@dataclass(frozen=True)
class BudgetFact:
    """A project's or activity's budget.

    Attributes:
        status: ``BudgetStated``, ``NoBudget`` or ``BudgetNotStated`` (local names in ``pg:``).
        amount: The stated amount in THB, only when the status is ``BudgetStated``.
    """

    status: str
    amount: float | None = None


@dataclass
class GraphFacts:
    """What the graph's nodes carry besides labels, kinds and levels.

    Attributes:
        plans: Year information per plan IRI.
        unit_labels: Labels per unit IRI, per language (``{"th": …, "en": …}``).
        units: Responsible unit IRIs per element IRI, sorted.
        budgets: Budget per element IRI (projects and activities only).
    """

    plans: dict[str, PlanFact] = field(default_factory=dict)
    unit_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    units: dict[str, list[str]] = field(default_factory=dict)
    budgets: dict[str, BudgetFact] = field(default_factory=dict)


def _year(term: Node | None) -> int | None:
    if not isinstance(term, Literal):
        return None
    try:
        return int(str(term)[:4])
    except ValueError:
        return None


def _budget(status: Node | None, amount: Node | None) -> BudgetFact | None:
    if status is None:
        return None
    value = float(str(amount)) if isinstance(amount, Literal) else None
    return BudgetFact(str(status).removeprefix(str(PG)), value)


def gather_facts(store: GraphStore) -> GraphFacts:
    """Collect plan years, responsible units and budgets from the store."""
    facts = GraphFacts()
    work_plans: list[str] = []
    for row in run_query(store, "plans").rows:
        start, end = _year(row.get("periodStart")), _year(row.get("periodEnd"))
        period = (start, end) if start is not None and end is not None else None
        facts.plans[str(row["plan"])] = PlanFact(_year(row.get("fiscalYear")), period)
        if int(str(row.get("workItems") or 0)):
            work_plans.append(str(row["plan"]))
    # Budgets of every project and activity under a plan (also those with no unit).
    for plan in work_plans:
        for row in run_query(store, "trace-down", {"target": plan}).rows:
            budget = _budget(row.get("budgetStatus"), row.get("amount"))
            if budget is not None:
                facts.budgets[str(row["element"])] = budget
    for lang in ("th", "en"):
        for row in run_query(store, "responsibility", {"lang": lang}).rows:
            labels = facts.unit_labels.setdefault(str(row["unit"]), {})
            if row.get("unitLabel") is not None:
                labels[lang] = str(row["unitLabel"])
    for unit in sorted(facts.unit_labels):
        for row in run_query(store, "unit-work", {"unit": unit}).rows:
            element = str(row["element"])
            facts.units.setdefault(element, []).append(unit)
            budget = _budget(row.get("budgetStatus"), row.get("amount"))
            if budget is not None:
                facts.budgets.setdefault(element, budget)
    for units in facts.units.values():
        units.sort()
    return facts
