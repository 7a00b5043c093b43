"""The /graph page's view of a large store: the slice around the focus, plus what to start from.

:func:`focus_page_view` gives the same :class:`~policygraph.web.views.graph.models.GraphView` the
whole-store page draws, but with only the nodes of one slice, the Level 1–2 plans (the chooser
and the plan filter) and the store's fiscal years.
"""

from __future__ import annotations

from policygraph.errors import PolicygraphError
from policygraph.i18n import kind_name
from policygraph.store import GraphStore
from policygraph.thaidate import BE_OFFSET
from policygraph.web.views.graph.build import KIND_STYLES, edge_styles
from policygraph.web.views.graph.focus import fiscal_years, node_slice, start_plans
from policygraph.web.views.graph.models import (
    GraphSlice,
    GraphView,
    KindStyle,
    PlanOption,
    YearOption,
)

__all__ = ["FOCUS_DEPTH", "focus_page_view"]

#: Levels below the focus drawn first.
FOCUS_DEPTH = 2


def _slice(store: GraphStore, focus: str | None, lang: str) -> GraphSlice | None:
    if not focus:
        return None
    try:
        return node_slice(store, focus, lang, depth=FOCUS_DEPTH)
    except PolicygraphError:  # not an IRI: the page shows the chooser
        return None


def focus_page_view(store: GraphStore, focus: str | None,
                    lang: str) -> tuple[GraphView, GraphSlice | None]:
    """The page's view around ``focus`` (without one, or not an element: only the chooser).

    Returns:
        The view to draw and the slice it came from (None without a known focus).
    """
    piece = _slice(store, focus, lang)
    nodes = piece.nodes if piece else []
    plans = start_plans(store, lang)
    listed = {plan.id for plan in plans}
    for node in nodes:
        if node.kind in ("Plan", "StandardSet") and node.id not in listed:
            plans.append(PlanOption(id=node.id, label=node.label, level=node.level,
                                    fiscal_year_be=node.fiscal_year_be))
    counts = {kind: sum(1 for n in nodes if n.kind == kind) for kind in KIND_STYLES}
    kinds = [KindStyle(kind=kind, name=kind_name(kind, lang), color=color, shape=shape,
                       size=size, count=counts[kind])
             for kind, (color, shape, size) in KIND_STYLES.items()]
    units = {unit.id: unit for node in nodes for unit in node.units}
    view = GraphView(
        lang=lang, nodes=nodes, edges=piece.edges if piece else [], kinds=kinds,
        edge_styles=edge_styles(lang), plans=plans,
        fiscal_years=[YearOption(year=y, year_be=y + BE_OFFSET) for y in fiscal_years(store)],
        units=sorted(units.values(), key=lambda unit: unit.label))
    return view, piece
