"""Routes: the interactive linkage graph page (/graph) and its data (/api/graph)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from policygraph.deps import Lang, Store, render
from policygraph.graphview import graph_view
from policygraph.graphview_models import GraphView
from policygraph.graphview_text import graph_text

__all__ = ["router"]

router = APIRouter()

#: The page runs only its own scripts and connects only to the app (vis-network injects its
#: stylesheet, hence inline styles; images are vis-network's data: icons).
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'self'")


@router.get("/graph", response_class=HTMLResponse, tags=["pages"],
            summary="Interactive linkage graph")
def graph_page(request: Request, store: Store, lang: Lang,
               focus: Annotated[str | None, Query(description="IRI of an element to select.",
                                                  max_length=2000)] = None) -> Any:
    """Every plan from Level 1 down to projects and activities, with search and filters."""
    view = graph_view(store, lang)
    text = graph_text(lang)
    known = focus if focus is not None and any(n.id == focus for n in view.nodes) else None
    payload = {"view": view.model_dump(mode="json"), "text": text, "focus": known}
    response = render(request, "graph.html", lang, view=view, text=text, payload=payload)
    response.headers["Content-Security-Policy"] = _CSP
    return response


@router.get("/api/graph", response_model=GraphView, tags=["api"],
            summary="The linkage graph as JSON")
def graph_data(store: Store, page_lang: Lang,
               lang: Annotated[Literal["th", "en"] | None,
                               Query(description="Language of labels and names "
                                                 "(default: the lang cookie, else Thai).")] = None,
               ) -> GraphView:
    """Nodes (plans, their components, targets, indicators) and upward edges, with styles.

    Each node has its IRI, Thai and English labels, kind, plan level, drawing row, plan, fiscal
    year (Gregorian and Buddhist era), responsible units and budget; each edge its relation
    (partOf, targetOf, indicatorOf, supports) and, for alignments, its basis (Stated or
    Inferred). The page /graph draws exactly this.
    """
    return graph_view(store, lang or page_lang)
