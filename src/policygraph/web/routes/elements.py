"""Element pages: one per plan, component, target, indicator and unit, HTML or RDF by Accept."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import URIRef

from policygraph.conneg import RDF_TYPES, best_match
from policygraph.planner.suggest_service import SuggestionsBusy, SuggestionService, target_label
from policygraph.query.registry import run_query
from policygraph.store.terms import checked_named_node
from policygraph.web.deps import Lang, Store, Suggestions, render
from policygraph.web.urls import iri_for_path
from policygraph.web.views.element import ElementView, describe, element_view

router = APIRouter(tags=["pages"])

_OFFERED = ["text/html", *RDF_TYPES]
_FORMATS = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
            "rdf": "application/rdf+xml", "html": "text/html"}


def _suggestions(service: SuggestionService, view: ElementView, asked: bool,
                 lang: str) -> list[dict[str, object]] | None:
    """Ranked targets for a project or activity with no alignment of its own, or when asked;
    None while the suggestion index is being read (the page says so).

    Raises:
        SuggestionsBusy: When every suggestion slot stayed busy.
    """
    if view.kind not in ("Project", "Activity"):
        return []
    if not asked and any(a["direction"] == "up" for a in view.alignments):
        return []
    found = service.suggest(view.iri, 5)
    if found is None:
        return None
    return [{"target": s.target, "label": target_label(service.store, s.target, lang),
             "score": round(s.score, 2), "shared": list(s.shared), "evidence": s.evidence}
            for s in found]


def _page(request: Request, store: Store, lang: str, iri_text: str,
          fmt: str | None, suggest: bool = False,
          suggestions: SuggestionService | None = None) -> Response:
    try:
        iri = URIRef(checked_named_node(iri_text).value)
    except ValueError as exc:
        return render(request, "error.html", lang, status=400, message=str(exc))
    media = _FORMATS.get(fmt or "") or best_match(request.headers.get("accept"), _OFFERED)
    if media is None:
        return Response("Not acceptable: offered " + ", ".join(_OFFERED), status_code=406,
                        media_type="text/plain")
    if media != "text/html":
        graph = describe(store, iri)
        if len(graph) == 0:
            return Response(f"No description of <{iri}>", status_code=404, media_type="text/plain")
        body = graph.serialize(format=RDF_TYPES[media], encoding="utf-8")
        return Response(body, media_type=media, headers={"Vary": "Accept"})
    view = element_view(store, iri, lang)
    if view is None:
        return render(request, "error.html", lang, status=404, message=str(iri))
    work = []
    if view.organisation:
        work = run_query(store, "unit-work", {"unit": str(iri), "lang": lang}).rows
    try:
        ranked = _suggestions(suggestions, view, suggest, lang) if suggestions is not None \
            else []
    except SuggestionsBusy as exc:
        response = render(request, "error.html", lang, status=503, message=str(exc))
        response.headers["Retry-After"] = "2"
        return response
    response = render(request, "element.html", lang, view=view, unit_work=work,
                      suggestions=ranked, asked=suggest, preparing=ranked is None)
    response.headers["Vary"] = "Accept"
    return response


@router.get("/id/{path:path}", response_class=HTMLResponse, summary="Element page or description")
def element_page(request: Request, path: str, store: Store, lang: Lang,
                 suggestions: Suggestions,
                 format: Annotated[str | None, Query(pattern="^(ttl|jsonld|nt|rdf|html)$")] = None,
                 suggest: bool = False) -> Response:
    """The page of a data element; ``Accept: text/turtle`` (or ``?format=ttl``) gives its RDF.

    ``?suggest=true`` ranks alignment targets for a project or activity (shown anyway when it
    has no alignment of its own); suggestions are never written to the store.
    """
    return _page(request, store, lang, iri_for_path(path), format, suggest, suggestions)


@router.get("/resource", response_class=HTMLResponse, summary="Page of any IRI in the store")
def resource_page(request: Request, iri: str, store: Store, lang: Lang,
                  format: Annotated[str | None, Query(pattern="^(ttl|jsonld|nt|rdf|html)$")] = None,
                  ) -> Response:
    """Like /id/…, for IRIs outside the data namespace."""
    return _page(request, store, lang, iri, format)
