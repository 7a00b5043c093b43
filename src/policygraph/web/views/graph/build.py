"""The linkage graph's view: which nodes and edges are drawn, on which row, in which style.

:func:`graph_view` turns the alignment graph (:func:`policygraph.query.trace.alignment_graph`)
and the facts beside it (:mod:`policygraph.web.views.graph.facts`) into a :class:`GraphView`,
already in the page's language. The page's script only draws it and reacts to the user.

Rows: Level 1 on top, then Level 2, then sets of standards (no plan level), then Level 3; inside
each band a node sits one row below the element it is part of (or a target or indicator of), so
plans, strategies, tactics and projects/activities each get a row.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

from policygraph.i18n import kind_name
from policygraph.query.trace import alignment_graph
from policygraph.store import GraphStore
from policygraph.thaidate import BE_OFFSET
from policygraph.web.urls import element_url, money
from policygraph.web.views.graph.caption import caption
from policygraph.web.views.graph.facts import GraphFacts, gather_facts
from policygraph.web.views.graph.models import (
    EdgeClass,
    EdgeStyle,
    GraphEdge,
    GraphNode,
    GraphView,
    KindStyle,
    Labels,
    NodeBudget,
    PlanOption,
    UnitRef,
    YearOption,
)
from policygraph.web.views.graph.text import graph_text

__all__ = ["BAND_ORDER", "KIND_STYLES", "STRUCTURAL", "edge_styles", "graph_view", "rows"]

#: Relations that make up a plan's structure (drawn thin and grey).
STRUCTURAL = ("partOf", "targetOf", "indicatorOf")

#: Plan levels from top to bottom; "" is for sets of standards, which have no plan level.
BAND_ORDER = ("1", "2", "", "3")

#: Colour, vis-network shape and size per kind, in legend order.
KIND_STYLES: dict[str, tuple[str, str, int]] = {
    "Plan": ("#1f3a5f", "box", 0),
    "StandardSet": ("#5b3f8c", "box", 0),
    "Strategy": ("#2e6fb7", "hexagon", 14),
    "SubPlan": ("#5aa0d8", "hexagon", 12),
    "Milestone": ("#0f8b8d", "star", 15),
    "Tactic": ("#7a5195", "diamond", 12),
    "StandardItem": ("#a58bd0", "square", 10),
    "Project": ("#c0392b", "square", 12),
    "Activity": ("#e08e0b", "dot", 11),
    "Target": ("#2a9d8f", "triangle", 12),
    "Indicator": ("#8d99ae", "triangleDown", 8),
}

_EDGE_STYLES: dict[EdgeClass, tuple[str, float, bool]] = {
    "structural": ("#aab4be", 1.0, False),
    "stated": ("#1f7a3a", 2.5, False),
    "inferred": ("#b5651d", 2.5, True),
}

def _parents(graph: nx.MultiDiGraph, node: str) -> list[str]:
    return sorted({target for _, target, data in graph.out_edges(node, data=True)
                   if data.get("relation") in STRUCTURAL and "kind" in graph.nodes[target]})


def _depths(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Structural depth of every node: 0 for a plan, 1 for its parts, and so on."""
    depths: dict[str, int] = {}

    def depth(node: str, seen: frozenset[str]) -> int:
        if node not in depths:
            parents = [p for p in _parents(graph, node) if p not in seen]
            depths[node] = 1 + max((depth(p, seen | {node}) for p in parents), default=-1)
        return depths[node]

    for node in graph.nodes:
        depth(node, frozenset())
    return depths


def rows(graph: nx.MultiDiGraph) -> dict[str, int]:
    """The drawing row of every node: the band of its plan level, then its structural depth."""
    depths = _depths(graph)
    band_of = {node: str(graph.nodes[node].get("level") or "") for node in graph.nodes}
    bands = sorted(set(band_of.values()),
                   key=lambda b: (BAND_ORDER.index(b) if b in BAND_ORDER else len(BAND_ORDER), b))
    offsets: dict[str, int] = {}
    offset = 0
    for band in bands:
        offsets[band] = offset
        offset += 1 + max(depths[n] for n, b in band_of.items() if b == band)
    return {node: offsets[band_of[node]] + depths[node] for node in graph.nodes}


def _plan_of(graph: nx.MultiDiGraph, node: str) -> str | None:
    seen = {node}
    while parents := [p for p in _parents(graph, node) if p not in seen]:
        node = parents[0]
        seen.add(node)
    return node if graph.nodes[node]["kind"] in ("Plan", "StandardSet") else None


def _label(labels: Labels, lang: str, fallback: str) -> str:
    first, second = (labels.th, labels.en) if lang == "th" else (labels.en, labels.th)
    return first or second or fallback


def _unit(iri: str, labels: Mapping[str, str], lang: str) -> UnitRef:
    other = "en" if lang == "th" else "th"
    return UnitRef(id=iri, label=labels.get(lang) or labels.get(other) or iri,
                   url=element_url(iri))


def _budget(facts: GraphFacts, node: str, text: Mapping[str, str]) -> NodeBudget | None:
    fact = facts.budgets.get(node)
    if fact is None:
        return None
    names = {"BudgetStated": text["budget_stated"], "NoBudget": text["no_budget"],
             "BudgetNotStated": text["budget_not_stated"]}
    if fact.status not in names:
        return None
    return NodeBudget(
        status=fact.status,
        status_name=names[fact.status], amount=fact.amount,
        amount_text=money(fact.amount) if fact.amount is not None else None)


def _node(graph: nx.MultiDiGraph, node: str, row: int, facts: GraphFacts, lang: str,
          text: Mapping[str, str]) -> GraphNode:
    data = graph.nodes[node]
    labels = Labels(th=data.get("label_th") or None, en=data.get("label_en") or None)
    label = _label(labels, lang, node)
    other = labels.en if lang == "th" else labels.th
    level = data.get("level") or None
    kind = data["kind"]
    plan = _plan_of(graph, node)
    fiscal = facts.plans[plan].fiscal_year if plan in facts.plans else None
    about = kind_name(kind, lang) + " · " + (f"{text['level']} {level}" if level
                                             else text["no_level"])
    title = "\n".join(part for part in (label, other if other != label else None, about) if part)
    unit_labels = facts.unit_labels
    return GraphNode(
        id=node, labels=labels, label=label, caption=caption(label), title=title, kind=kind,
        kind_name=kind_name(kind, lang), level=level, row=row, plan=plan, fiscal_year=fiscal,
        fiscal_year_be=fiscal + BE_OFFSET if fiscal is not None else None,
        units=[_unit(u, unit_labels.get(u, {}), lang) for u in facts.units.get(node, [])],
        budget=_budget(facts, node, text), url=element_url(node))


def _edges(graph: nx.MultiDiGraph) -> list[GraphEdge]:
    edges = []
    for source, target, data in graph.edges(data=True):
        if "kind" not in graph.nodes[source] or "kind" not in graph.nodes[target]:
            continue
        relation = data["relation"]
        basis = data.get("basis") or None
        style = "structural" if relation in STRUCTURAL else (
            "stated" if basis == "Stated" else "inferred")
        edges.append((source, relation, target, basis, style))
    edges.sort()
    return [GraphEdge(id=f"e{index}", source=source, target=target, relation=relation,
                      basis=basis, style=style)
            for index, (source, relation, target, basis, style) in enumerate(edges)]


def edge_styles(lang: str) -> dict[EdgeClass, EdgeStyle]:
    """How each class of edge is drawn, named in ``lang``."""
    text = graph_text(lang)
    return {name: EdgeStyle(name=text[f"edge_{name}"], color=color, width=width, dashes=dashes)
            for name, (color, width, dashes) in _EDGE_STYLES.items()}


def graph_view(store: GraphStore, lang: str = "th") -> GraphView:
    """The linkage graph of everything in ``store``, with labels and names in ``lang``."""
    graph = alignment_graph(store)
    graph.remove_nodes_from([n for n, data in graph.nodes(data=True)
                             if data.get("kind") not in KIND_STYLES])
    facts = gather_facts(store)
    text = graph_text(lang)
    row_of = rows(graph)
    nodes = [_node(graph, node, row_of[node], facts, lang, text)
             for node in sorted(graph.nodes, key=lambda n: (row_of[n], n))]
    counts = {kind: sum(1 for n in nodes if n.kind == kind) for kind in KIND_STYLES}
    kinds = [KindStyle(kind=kind, name=kind_name(kind, lang), color=color, shape=shape,
                       size=size, count=counts[kind])
             for kind, (color, shape, size) in KIND_STYLES.items() if counts[kind]]
    plans = []
    for node in nodes:
        if node.kind in ("Plan", "StandardSet"):
            fact = facts.plans.get(node.id)
            period = fact.period if fact else None
            plans.append(PlanOption(
                id=node.id, label=node.label, level=node.level,
                fiscal_year_be=node.fiscal_year_be,
                period_be=(period[0] + BE_OFFSET, period[1] + BE_OFFSET) if period else None))
    years = sorted({n.fiscal_year for n in nodes if n.fiscal_year is not None})
    units = sorted((_unit(u, labels, lang) for u, labels in facts.unit_labels.items()),
                   key=lambda unit: unit.label)
    return GraphView(
        lang=lang, nodes=nodes, edges=_edges(graph), kinds=kinds,
        edge_styles=edge_styles(lang),
        plans=plans, fiscal_years=[YearOption(year=y, year_be=y + BE_OFFSET) for y in years],
        units=units)
