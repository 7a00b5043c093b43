"""The linkage graph of a large store: never everything, only the neighbourhood of one element.

A store whose graph has more than :data:`SMALL_GRAPH` elements (a national dataset) is drawn
from a chosen plan or target: :func:`node_slice` gives the element, its chain up to Level 1 and
what is under it (or supports it) a level or two down, at most :data:`SLICE_CAP` nodes; the page
asks for more around a node on demand and keeps at most :data:`PAGE_CAP`. Every query is a
named one that starts from a given element and follows indexes (``graph-up``, ``graph-down``,
``graph-node``); only :func:`element_count` counts the store, over the type index.
"""

from __future__ import annotations

from collections.abc import Mapping

from policygraph.i18n import kind_name
from policygraph.namespaces import PG
from policygraph.query.registry import run_query
from policygraph.store import GraphStore
from policygraph.web.views.graph.models import (
    GraphEdge,
    GraphNode,
    GraphSlice,
    PlanOption,
    SearchHit,
)
from policygraph.web.views.graph.node import (
    DRAWN_KINDS,
    NodeFacts,
    graph_node,
    node_edges,
    node_facts,
)
from policygraph.web.views.graph.text import graph_text

__all__ = ["PAGE_CAP", "SLICE_CAP", "SMALL_GRAPH", "YEAR_CHECKS", "element_count", "fiscal_years",
           "graph_search", "is_large", "node_slice", "start_plans"]

#: A graph of at most this many elements is drawn whole, as it always was.
SMALL_GRAPH = 400
#: Most nodes one slice (the first drawing, or one expansion) may have.
SLICE_CAP = 150
#: Most nodes the page keeps at once; it asks for no more once it has them.
PAGE_CAP = 400
#: With a year filter, most elements below looked at once a slice is full (to count the rest).
YEAR_CHECKS = 2 * SLICE_CAP

_STRUCTURAL = (str(PG.partOf), str(PG.targetOf), str(PG.indicatorOf))


def element_count(store: GraphStore) -> int:
    """How many elements the graph could draw (one count over the type index)."""
    rows = run_query(store, "graph-count").rows
    return int(str(rows[0]["count"])) if rows else 0


def is_large(store: GraphStore, limit: int = SMALL_GRAPH) -> bool:
    """Whether the store has too many elements to draw at once."""
    return element_count(store) > limit


def _up(store: GraphStore, iri: str) -> list[str]:
    """``iri`` and every element above it, nearest first."""
    above: dict[str, list[str]] = {}
    for row in run_query(store, "graph-up", {"element": iri}).rows:
        above.setdefault(str(row["source"]), []).append(str(row["target"]))
    order, todo = [iri], [iri]
    while todo:
        for target in sorted(above.get(todo.pop(0), [])):
            if target not in order:
                order.append(target)
                todo.append(target)
    return order


def _down(store: GraphStore, iri: str, indicators: bool) -> list[str]:
    """What is directly under ``iri`` or supports it: structure first, then alignments."""
    rank: dict[str, int] = {}
    kinds: dict[str, set[str]] = {}
    for row in run_query(store, "graph-down", {"element": iri}).rows:
        child = str(row["child"])
        kinds.setdefault(child, set()).add(str(row.get("kind") or "").removeprefix(str(PG)))
        order = 0 if str(row["relation"]) in _STRUCTURAL else 1
        rank[child] = min(rank.get(child, order), order)
    drawn = set(DRAWN_KINDS) - (set() if indicators else {"Indicator"})
    return sorted((child for child in rank
                   if kinds[child] & drawn and (indicators or "Indicator" not in kinds[child])),
                  key=lambda child: (rank[child], child))


class _Gather:
    """Collects the facts of a slice's nodes, at most ``limit``, and counts what is left out."""

    def __init__(self, store: GraphStore, limit: int, year: int | None) -> None:
        self.store, self.limit, self.year = store, limit, year
        self.chosen: list[NodeFacts] = []
        self.available = 0
        self.checked = 0

    def offer(self, elements: list[str], *, always: bool = False) -> list[str]:
        """Take what fits of ``elements`` (those of another fiscal year left out); return the
        elements that count (those unchecked counted as if they matched)."""
        kept = []
        for element in elements:
            if (not always and self.year is not None and len(self.chosen) >= self.limit
                    and self.checked >= YEAR_CHECKS):
                self.available += 1  # not looked at: counted, perhaps of another year
                continue
            if len(self.chosen) >= self.limit and self.year is None and not always:
                self.available += 1
                kept.append(element)
                continue
            facts = node_facts(self.store, element)
            self.checked += 1
            if facts is None or (not always and self.year is not None
                                 and facts.fiscal_year not in (None, self.year)):
                continue
            self.available += 1
            kept.append(element)
            if len(self.chosen) < self.limit:
                self.chosen.append(facts)
        return kept


def _message(text: Mapping[str, str], shown: int, available: int, label: str) -> str:
    return text["cap_slice"].format(label=label, shown=f"{shown:,}", available=f"{available:,}")


def node_slice(store: GraphStore, iri: str, lang: str = "th", *, depth: int = 1,
               limit: int = SLICE_CAP, year: int | None = None,
               indicators: bool = False) -> GraphSlice | None:
    """The neighbourhood of ``iri``: itself, its chain up to Level 1, and ``depth`` levels down.

    A level down is only looked at while everything found so far fits under ``limit``. With
    ``year``, elements below are checked one by one, at most :data:`YEAR_CHECKS` of them once
    the slice is full; those left unchecked still count in ``available``.

    Args:
        store: The store.
        iri: The element to start from.
        lang: Language of labels and names.
        depth: How many levels down (0 to 2) to follow parts and supporting elements.
        limit: Most nodes to return (never more than :data:`SLICE_CAP`).
        year: Only elements below of plans of this fiscal year (Gregorian), if given.
        indicators: Whether to include indicators below.

    Returns:
        The slice, or None if the graph does not draw ``iri``.
    """
    limit = max(1, min(limit, SLICE_CAP))
    if node_facts(store, iri) is None:
        return None
    gather = _Gather(store, limit, year)
    up = _up(store, iri)
    gather.offer(up, always=True)
    seen, frontier = set(up), [iri]
    for _ in range(max(0, depth)):
        if gather.available > limit:
            break
        below: list[str] = []
        for node in frontier:
            for child in _down(store, node, indicators):
                if child not in seen:
                    seen.add(child)
                    below.append(child)
        frontier = gather.offer(below)
    text = graph_text(lang)
    nodes: list[GraphNode] = []
    edges: dict[str, GraphEdge] = {}
    for facts in gather.chosen:
        nodes.append(graph_node(facts, lang, text))
        edges.update((edge.id, edge) for edge in node_edges(facts) if edge.id not in edges)
    available = max(gather.available, len(nodes))
    truncated = available > len(nodes)
    return GraphSlice(
        lang=lang, focus=iri, nodes=nodes, edges=list(edges.values()), cap=limit,
        available=available, total=element_count(store), truncated=truncated,
        message=_message(text, len(nodes), available, nodes[0].label) if truncated else None)


def start_plans(store: GraphStore, lang: str = "th") -> list[PlanOption]:
    """The Level 1 and Level 2 plans: where the graph of a large store can start."""
    plans = []
    for row in run_query(store, "graph-plans").rows:
        first, second = ("labelTh", "labelEn") if lang == "th" else ("labelEn", "labelTh")
        label = row.get(first) or row.get(second) or row["plan"]
        plans.append(PlanOption(id=str(row["plan"]), label=str(label), level=str(row["level"])))
    return plans


def fiscal_years(store: GraphStore) -> list[int]:
    """The fiscal years of the plans in the store (Gregorian)."""
    years = {int(str(row["fiscalYear"])[:4]) for row in run_query(store, "graph-years").rows
             if str(row.get("fiscalYear") or "")[:4].isdigit()}
    return sorted(years)


def graph_search(store: GraphStore, query: str, lang: str = "th") -> list[SearchHit]:
    """Elements whose label contains ``query`` (at most 30), one hit per element."""
    hits: dict[str, SearchHit] = {}
    for row in run_query(store, "graph-search", {"text": query}).rows:
        kind = str(row["kind"]).removeprefix(str(PG))
        element = str(row["element"])
        if kind not in DRAWN_KINDS or element in hits:
            continue
        hits[element] = SearchHit(id=element, label=str(row["label"]), kind=kind,
                                  kind_name=kind_name(kind, lang))
    return list(hits.values())
