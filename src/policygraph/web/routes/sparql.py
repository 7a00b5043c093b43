"""The SPARQL 1.1 Protocol endpoint at /sparql, the Graph Store Protocol and the query page.

Queries are read-only and run in killable worker processes under the settings' time and
result limits, on the embedded store or on the app's SPARQL server (then checked here and
answered by the server); updates need admin mode and its bearer token. Errors are plain text.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from policygraph.endpoint.auth import require_admin
from policygraph.endpoint.description import RDFLIB_FORMATS, service_description
from policygraph.endpoint.errors import SparqlError, error_response
from policygraph.endpoint.formats import (
    ASK_FORMATS,
    FORMATS,
    GRAPH_FORMATS,
    SELECT_FORMATS,
    negotiate,
)
from policygraph.endpoint.gsp import router as gsp_router
from policygraph.endpoint.lifespan import service_for, sparql_lifespan
from policygraph.endpoint.protocol import endpoint_iri, read_operation
from policygraph.endpoint.service import QueryRequest, SparqlService, UpdateRequest
from policygraph.settings import Settings
from policygraph.store.lexer import query_form
from policygraph.web.routes.query import router as page_router

__all__ = ["answer_query", "router"]

router = APIRouter(lifespan=sparql_lifespan)
router.include_router(gsp_router)
router.include_router(page_router)

_DOC = ("SPARQL 1.1 Protocol: a query by GET `?query=`, or by POST of a form or of an "
        "`application/sparql-query` body; `default-graph-uri` / `named-graph-uri` give the "
        "dataset (else the default graph is the union of all named graphs). SELECT/ASK "
        "results as SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle "
        "(default), N-Triples, JSON-LD or RDF/XML, by Accept. Updates (POST `update=` or "
        "`application/sparql-update`) need admin mode and `Authorization: Bearer <token>`. "
        "Every query has a time limit (503 past it) and a result-size limit (413 past it). "
        "A GET without parameters returns the service description.")


async def answer_query(service: SparqlService, request: QueryRequest,
                       accept: str | None) -> Response:
    """Run a query and answer in the format the Accept header prefers.

    Raises:
        SparqlError: 406 if no acceptable format fits the query's form, or the service's
            error (400 invalid, 413 too large, 503 too slow or busy).
    """
    form = query_form(request.text)
    results_format = negotiate(accept, ASK_FORMATS if form == "ask" else SELECT_FORMATS)
    graph_format = negotiate(accept, GRAPH_FORMATS)
    wanted = graph_format if form in ("construct", "describe") else results_format
    if form is not None and wanted is None:
        offered = GRAPH_FORMATS if form in ("construct", "describe") else (
            ASK_FORMATS if form == "ask" else SELECT_FORMATS)
        raise SparqlError(406, f"Cannot answer a {form.upper()} query in any format the "
                               f"Accept header allows; offered: {', '.join(offered)}.")
    answer = await run_in_threadpool(service.query, request, results_format, graph_format)
    return Response(answer.body, media_type=FORMATS[answer.format].content_type,
                    headers={"Vary": "Accept"})


async def _describe(request: Request, service: SparqlService) -> Response:
    settings: Settings = request.app.state.settings
    key = negotiate(request.headers.get("accept"), GRAPH_FORMATS)
    if key is None:
        raise SparqlError(406, "The service description is RDF; accept one of: "
                               + ", ".join(GRAPH_FORMATS))
    graphs = await run_in_threadpool(service.graphs)
    description = service_description(endpoint_iri(request), graphs, update=settings.admin)
    body = description.serialize(format=RDFLIB_FORMATS[key], encoding="utf-8")
    return Response(body, media_type=FORMATS[key].content_type, headers={"Vary": "Accept"})


async def _endpoint(request: Request) -> Response:
    try:
        operation = await read_operation(request)
        service = service_for(request.app)
        if operation is None:
            return await _describe(request, service)
        if isinstance(operation, UpdateRequest):
            require_admin(request, request.app.state.settings)
            await run_in_threadpool(service.update, operation)
            return Response(status_code=204)
        return await answer_query(service, operation, request.headers.get("accept"))
    except SparqlError as exc:
        return error_response(exc)


@router.get("/sparql", tags=["sparql"], summary="SPARQL query (GET)", description=_DOC)
async def sparql_get(request: Request) -> Response:
    """Answer a SPARQL query sent by GET, or describe the service."""
    return await _endpoint(request)


@router.post("/sparql", tags=["sparql"], summary="SPARQL query or update (POST)",
             description=_DOC)
async def sparql_post(request: Request) -> Response:
    """Answer a SPARQL query or run an update sent by POST."""
    return await _endpoint(request)


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"],
                  include_in_schema=False)
async def sparql_other(request: Request) -> Response:
    """Other methods are protocol errors (400)."""
    return await _endpoint(request)
