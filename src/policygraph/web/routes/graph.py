"""Routes: the interactive linkage graph page (/graph) and its data (/api/graph…).

A store small enough (:data:`~policygraph.web.views.graph.focus.SMALL_GRAPH` elements) is drawn
whole; a larger one only around a chosen element (``?focus=``), expanded on demand through
``/api/graph/node`` (see :mod:`policygraph.web.views.graph.focus`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from policygraph.web.deps import Lang, Store, render
from policygraph.web.views.graph.build import graph_view
from policygraph.web.views.graph.focus import (
    PAGE_CAP,
    SLICE_CAP,
    SMALL_GRAPH,
    element_count,
    graph_search,
    node_slice,
)
from policygraph.web.views.graph.models import GraphSlice, GraphView, SearchHit
from policygraph.web.views.graph.page import focus_page_view
from policygraph.web.views.graph.text import graph_text

__all__ = ["router"]

router = APIRouter()

ApiLang = Annotated[Literal["th", "en"] | None,
                    Query(description="Language of labels and names "
                                      "(default: the lang cookie, else Thai).")]


@router.get("/graph", response_class=HTMLResponse, tags=["pages"],
            summary="Interactive linkage graph")
def graph_page(request: Request, store: Store, lang: Lang,
               focus: Annotated[str | None, Query(description="IRI of an element to select.",
                                                  max_length=2000)] = None) -> Any:
    """Every plan from Level 1 down to projects and activities, with search and filters.

    On a large store, only the neighbourhood of ``focus`` (or a chooser of plans without it).
    """
    text = graph_text(lang)
    total = element_count(store)
    if total <= SMALL_GRAPH:
        view = graph_view(store, lang)
        known = focus if focus is not None and any(n.id == focus for n in view.nodes) else None
        payload: dict[str, Any] = {"view": view.model_dump(mode="json"), "text": text,
                                   "focus": known, "mode": "full"}
    else:
        view, piece = focus_page_view(store, focus, lang)
        payload = {"view": view.model_dump(mode="json"), "text": text,
                   "focus": piece.focus if piece else None, "mode": "focus",
                   "limits": {"page": PAGE_CAP, "slice": SLICE_CAP, "total": total},
                   "slice": piece.model_dump(mode="json", include={
                       "available", "total", "truncated", "message"}) if piece else None}
    return render(request, "graph.html", lang, view=view, text=text, payload=payload,
                  mode=payload["mode"], total=total)


@router.get("/api/graph", response_model=GraphView, tags=["api"],
            summary="The linkage graph as JSON",
            responses={413: {"description": "The store is too large to return whole; "
                                            "use /api/graph/node."}})
def graph_data(store: Store, page_lang: Lang, lang: ApiLang = None) -> GraphView:
    """Nodes (plans, their components, targets, indicators) and upward edges, with styles.

    Each node has its IRI, Thai and English labels, kind, plan level, drawing row, plan, fiscal
    year (Gregorian and Buddhist era), responsible units and budget; each edge its relation
    (partOf, targetOf, indicatorOf, supports) and, for alignments, its basis (Stated or
    Inferred). The page /graph draws exactly this. A store with more than 400 elements is
    never returned whole (413): ask ``/api/graph/node`` for the part around an element.
    """
    if element_count(store) > SMALL_GRAPH:
        raise HTTPException(413, f"more than {SMALL_GRAPH} elements: use /api/graph/node")
    return graph_view(store, lang or page_lang)


@router.get("/api/graph/node", response_model=GraphSlice, tags=["api"],
            summary="The linkage graph around one element")
def graph_node_data(
        store: Store, page_lang: Lang,
        iri: Annotated[str, Query(description="IRI of the element.", max_length=2000)],
        depth: Annotated[int, Query(ge=0, le=2, description="Levels down to follow.")] = 1,
        limit: Annotated[int, Query(ge=1, le=SLICE_CAP,
                                    description="Most nodes to return.")] = SLICE_CAP,
        year: Annotated[int | None, Query(ge=1900, le=2200,
                                          description="Only elements below of plans of this "
                                                      "fiscal year (Gregorian).")] = None,
        indicators: Annotated[bool, Query(description="Include indicators below.")] = False,
        lang: ApiLang = None) -> GraphSlice:
    """The element, its chain up to Level 1, and what is under it or supports it.

    At most ``limit`` (and never more than 150) nodes; ``truncated``, ``available`` and
    ``message`` say when the cap left some out. Edges are the upward links of the nodes
    returned, some to elements not in the response.
    """
    piece = node_slice(store, iri, lang or page_lang, depth=depth, limit=limit, year=year,
                       indicators=indicators)
    if piece is None:
        raise HTTPException(404, "no such element in the graph")
    return piece


@router.get("/api/graph/search", response_model=list[SearchHit], tags=["api"],
            summary="Starting points of the linkage graph")
def graph_search_data(
        store: Store, page_lang: Lang,
        q: Annotated[str, Query(min_length=1, max_length=200, description="Words to find.")],
        lang: ApiLang = None) -> list[SearchHit]:
    """Plans, strategies, sub-plans, milestones, targets and tactics whose label contains
    ``q`` (at most 30)."""
    return graph_search(store, q.strip() or q, lang or page_lang)
