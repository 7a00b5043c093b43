"""One element of the linkage graph, read on its own: for drawing part of a large store.

:func:`node_facts` runs the ``graph-node`` named query (one indexed lookup per fact of one
element, never a scan) and :func:`graph_node` turns the facts into the same
:class:`~policygraph.web.views.graph.models.GraphNode` the whole-store view draws. Rows come from
fixed bands (:data:`FOCUS_BANDS`) instead of the whole graph's deepest chain, so nodes fetched
later land on the same rows as those drawn first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib.term import Literal, Node

from policygraph.i18n import kind_name
from policygraph.namespaces import PG
from policygraph.query.registry import NamedQuery, execute, get_query, load_query
from policygraph.store import GraphStore
from policygraph.thaidate import BE_OFFSET
from policygraph.web.urls import element_url, money
from policygraph.web.views.graph.caption import caption
from policygraph.web.views.graph.models import GraphEdge, GraphNode, Labels, NodeBudget, UnitRef

__all__ = ["DRAWN_KINDS", "FOCUS_BANDS", "NodeFacts", "focus_row", "graph_node", "node_edges",
           "node_facts"]

#: Kinds the graph draws, in legend order (as :data:`~.build.KIND_STYLES`).
DRAWN_KINDS = ("Plan", "StandardSet", "Strategy", "SubPlan", "Milestone", "Tactic",
               "StandardItem", "Project", "Activity", "Target", "Indicator")

#: Rows per plan-level band, top to bottom; a deeper element stays on its band's last row.
FOCUS_BANDS: tuple[tuple[str, int], ...] = (("1", 3), ("2", 4), ("", 3), ("3", 5))

_STRUCTURAL = ("partOf", "targetOf", "indicatorOf")
_PLAN_KINDS = ("Plan", "StandardSet")


@dataclass
class NodeFacts:
    """What the graph shows of one element.

    Attributes:
        iri: The element.
        kind: Local name of its drawn kind (see :data:`DRAWN_KINDS`).
        labels: Preferred label per language.
        depth: Number of structural steps up to its plan (0 for a plan).
        plan: IRI of its plan or set of standards, or None.
        level: Plan level ``1``, ``2`` or ``3``, or None.
        fiscal_year: Gregorian year its plan's fiscal year ends in, or None.
        units: Responsible units with their label per language.
        budget: Budget status (local name) and amount, or None.
        links: Upward links: (relation, target IRI, basis local name or None).
    """

    iri: str
    kind: str
    labels: dict[str, str] = field(default_factory=dict)
    depth: int = 0
    plan: str | None = None
    level: str | None = None
    fiscal_year: int | None = None
    units: dict[str, dict[str, str]] = field(default_factory=dict)
    budget: tuple[str, float | None] | None = None
    links: list[tuple[str, str, str | None]] = field(default_factory=list)


@lru_cache(maxsize=8)
def _query_path(name: str) -> Path:
    return get_query(name).path


def _query(name: str) -> NamedQuery:
    """A named query, its file found once (a slice runs one per node, and finding it lists
    the query directory); the file is still read again when it changes."""
    return load_query(_query_path(name))


def _local(term: Node | None) -> str:
    return str(term).removeprefix(str(PG)) if term is not None else ""


def _year(term: Node | None) -> int | None:
    try:
        return int(str(term)[:4]) if isinstance(term, Literal) else None
    except ValueError:
        return None


def _kind(kinds: set[str]) -> str | None:
    return next((kind for kind in DRAWN_KINDS if kind in kinds), None)


def node_facts(store: GraphStore, iri: str) -> NodeFacts | None:
    """The facts of ``iri`` (one ``graph-node`` query), or None if the graph does not draw it."""
    rows = execute(store, _query("graph-node"), {"element": iri}).rows
    kinds = {_local(row["kind"]) for row in rows if row.get("kind") is not None}
    kind = _kind(kinds)
    if kind is None:
        return None
    facts = NodeFacts(iri=iri, kind=kind)
    ancestors: set[str] = set()
    plans: list[str] = []
    for row in rows:
        label = row.get("label")
        if isinstance(label, Literal) and label.language in ("th", "en"):
            facts.labels.setdefault(label.language, str(label))
        if (ancestor := row.get("ancestor")) is not None:
            ancestors.add(str(ancestor))
            if _local(row.get("ancestorKind")) in _PLAN_KINDS:
                plans.append(str(ancestor))
            facts.level = facts.level or (str(row["level"]) if row.get("level") else None)
            facts.fiscal_year = facts.fiscal_year or _year(row.get("fiscalYear"))
        if (unit := row.get("unit")) is not None:
            labels = facts.units.setdefault(str(unit), {})
            unit_label = row.get("unitLabel")
            if isinstance(unit_label, Literal) and unit_label.language in ("th", "en"):
                labels.setdefault(unit_label.language, str(unit_label))
        if row.get("budgetStatus") is not None:
            amount = row.get("amount")
            facts.budget = (_local(row["budgetStatus"]),
                            float(str(amount)) if isinstance(amount, Literal) else None)
        if row.get("relation") is not None and row.get("target") is not None:
            basis = _local(row.get("basis")) or None
            facts.links.append((_local(row["relation"]), str(row["target"]), basis))
    facts.depth = len(ancestors - {iri})
    facts.plan = sorted(plans)[0] if plans else None
    facts.links = sorted(set(facts.links), key=lambda link: (link[0], link[1], link[2] or ""))
    return facts


def focus_row(level: str | None, depth: int) -> int:
    """The drawing row of an element of plan level ``level`` at structural ``depth``."""
    offset = 0
    for band, size in FOCUS_BANDS:
        if band == (level or ""):
            return offset + min(depth, size - 1)
        offset += size
    return offset + depth


def _pick(labels: Mapping[str, str], lang: str) -> str | None:
    other = "en" if lang == "th" else "th"
    return labels.get(lang) or labels.get(other)


def _budget(budget: tuple[str, float | None] | None, text: Mapping[str, str]) -> NodeBudget | None:
    names = {"BudgetStated": text["budget_stated"], "NoBudget": text["no_budget"],
             "BudgetNotStated": text["budget_not_stated"]}
    if budget is None or budget[0] not in names:
        return None
    status, amount = budget
    amount = amount if status == "BudgetStated" else None
    return NodeBudget(status=status, status_name=names[status],
                      amount=amount, amount_text=money(amount) if amount is not None else None)


def graph_node(facts: NodeFacts, lang: str, text: Mapping[str, str]) -> GraphNode:
    """The drawn node of ``facts``, in ``lang`` (as :func:`~.build.graph_view` draws them)."""
    labels = Labels(th=facts.labels.get("th"), en=facts.labels.get("en"))
    label = _pick(facts.labels, lang) or facts.iri
    other = labels.en if lang == "th" else labels.th
    about = kind_name(facts.kind, lang) + " · " + (
        f"{text['level']} {facts.level}" if facts.level else text["no_level"])
    title = "\n".join(part for part in (label, other if other != label else None, about) if part)
    units = sorted((UnitRef(id=unit, label=_pick(names, lang) or unit, url=element_url(unit))
                    for unit, names in facts.units.items()), key=lambda unit: unit.id)
    year = facts.fiscal_year
    return GraphNode(
        id=facts.iri, labels=labels, label=label, caption=caption(label), title=title,
        kind=facts.kind, kind_name=kind_name(facts.kind, lang), level=facts.level,
        row=focus_row(facts.level, facts.depth), plan=facts.plan, fiscal_year=year,
        fiscal_year_be=year + BE_OFFSET if year is not None else None, units=units,
        budget=_budget(facts.budget, text), url=element_url(facts.iri))


def node_edges(facts: NodeFacts) -> list[GraphEdge]:
    """The upward links of ``facts`` as drawn edges (ids stable across responses)."""
    edges = []
    for relation, target, basis in facts.links:
        if relation not in (*_STRUCTURAL, "supports"):
            continue
        style = "structural" if relation in _STRUCTURAL else (
            "stated" if basis == "Stated" else "inferred")
        edges.append(GraphEdge(id=f"{facts.iri} {relation} {target}", source=facts.iri,
                               target=target, relation=relation,
                               basis=basis if relation == "supports" else None,
                               style=style))
    return edges
