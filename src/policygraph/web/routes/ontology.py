"""The ontology: documentation page, and the Turtle itself by content negotiation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from policygraph.conneg import RDF_TYPES, best_match
from policygraph.resources import ontology_dir
from policygraph.web.deps import Lang, render
from policygraph.web.views.ontology import ONTOLOGY_FILE, ontology_graph, ontology_terms

router = APIRouter(tags=["ontology"])

_OFFERED = ["text/html", *RDF_TYPES]


@router.get("/ontology", response_class=HTMLResponse)
def ontology(request: Request, lang: Lang) -> Response:
    """Every class and property with Thai and English labels and definitions; RDF by Accept."""
    media = best_match(request.headers.get("accept"), _OFFERED)
    if media is None:
        return Response("Not acceptable: offered " + ", ".join(_OFFERED), status_code=406,
                        media_type="text/plain")
    if media == "text/turtle":
        return ontology_turtle()
    if media != "text/html":
        body = ontology_graph().serialize(format=RDF_TYPES[media], encoding="utf-8")
        return Response(body, media_type=media, headers={"Vary": "Accept"})
    response = render(request, "ontology.html", lang, sections=ontology_terms(),
                      graph=ontology_graph())
    response.headers["Vary"] = "Accept"
    return response


@router.get("/ontology.ttl")
def ontology_turtle() -> Response:
    """The ontology file exactly as published (Turtle, with its comments)."""
    body = (ontology_dir() / ONTOLOGY_FILE).read_bytes()
    return Response(body, media_type="text/turtle", headers={"Vary": "Accept"})
