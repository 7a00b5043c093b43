"""The SPARQL 1.1 Graph Store HTTP Protocol at /sparql/store.

https://www.w3.org/TR/sparql11-http-rdf-update/ — a graph is named indirectly
(``/sparql/store?graph=IRI``, or ``?default`` for the store's own default graph) or directly
(``/sparql/store/<path>`` is the graph whose IRI is that URL). GET and HEAD read (open to
all, like queries); PUT replaces, POST merges (a POST to ``/sparql/store`` itself creates a
graph and answers its IRI in ``Location``), DELETE drops — these need admin mode and its
bearer token. Bodies: Turtle, N-Triples, RDF/XML, JSON-LD, or multipart/form-data of them.
Writes are stored as sent: no SHACL validation or derivation (``policygraph load`` does that).
"""

from __future__ import annotations

import uuid

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from policygraph.endpoint.auth import require_admin
from policygraph.endpoint.errors import SparqlError, error_response
from policygraph.endpoint.formats import FORMATS, GRAPH_FORMATS, body_format, negotiate
from policygraph.endpoint.graphs import GraphDataError, parse_graph
from policygraph.endpoint.lifespan import service_for
from policygraph.endpoint.protocol import endpoint_iri
from policygraph.endpoint.service import SparqlService
from policygraph.store.terms import checked_named_node

__all__ = ["router"]

router = APIRouter(prefix="/sparql/store", tags=["sparql"])
_FORMATS_HINT = "text/turtle, application/n-triples, application/rdf+xml, application/ld+json"


def _checked(iri: str, what: str) -> ox.NamedNode:
    try:
        return checked_named_node(iri)
    except ValueError as exc:
        raise SparqlError(400, f"{what}: {exc}") from None


def _target(request: Request, direct: bool) -> tuple[str, ox.NamedNode | None]:
    """``("graph", iri)``, ``("default", None)`` or ``("store", None)`` (no graph named)."""
    params = request.query_params
    graphs = params.getlist("graph")
    if direct:
        if graphs or "default" in params:
            raise SparqlError(400, "a graph named by its URL takes no ?graph or ?default")
        return "graph", _checked(endpoint_iri(request), "graph URL")
    if len(graphs) > 1 or (graphs and "default" in params):
        raise SparqlError(400, "name one graph: ?graph=IRI or ?default")
    if graphs:
        return "graph", _checked(graphs[0], "graph")
    return ("default", None) if "default" in params else ("store", None)


async def _triples(request: Request, base: str) -> list[ox.Triple]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        parts = [(value.content_type, await value.read())
                 for _, value in (await request.form()).multi_items()
                 if isinstance(value, UploadFile)]
    else:
        parts = [(request.headers.get("content-type"), await request.body())]
    triples: list[ox.Triple] = []
    for content_type, data in parts:
        key = body_format(content_type)
        if key is None:
            raise SparqlError(415, f"unsupported RDF media type {content_type!r}; send "
                                   f"{_FORMATS_HINT} (UTF-8)")
        try:
            triples += await run_in_threadpool(parse_graph, data, key, base)
        except GraphDataError as exc:
            raise SparqlError(400, str(exc)) from None
    return triples


async def _read(request: Request, service: SparqlService, graph: ox.NamedNode | None) -> Response:
    key = negotiate(request.headers.get("accept"), GRAPH_FORMATS)
    if key is None:
        raise SparqlError(406, f"a graph can be sent as {_FORMATS_HINT}")
    if not service.graph_exists(graph):
        raise SparqlError(404, f"no graph {graph} in the store")
    headers = {"Vary": "Accept"}
    media = FORMATS[key].content_type
    if request.method == "HEAD":
        return Response(b"", media_type=media, headers=headers)
    body = await run_in_threadpool(service.read_graph, graph, key)
    return Response(body, media_type=media, headers=headers)


async def _handle(request: Request, direct: bool = False) -> Response:
    try:
        service = service_for(request.app)
        kind, graph = _target(request, direct)
        if request.method in ("GET", "HEAD"):
            if kind == "store":
                raise SparqlError(400, "name a graph: ?graph=IRI or ?default")
            return await _read(request, service, graph)
        require_admin(request, request.app.state.settings)
        headers = {}
        if kind == "store":
            if request.method != "POST":
                raise SparqlError(400, "name a graph: ?graph=IRI or ?default")
            graph = _checked(f"{endpoint_iri(request).rstrip('/')}/{uuid.uuid4().hex}", "graph")
            headers["Location"] = graph.value
        if request.method == "DELETE":
            deleted = await run_in_threadpool(service.delete_graph, graph)
            if not deleted:
                raise SparqlError(404, f"no graph {graph} in the store")
            return Response(status_code=204)
        base = graph.value if graph is not None else endpoint_iri(request)
        triples = await _triples(request, base)
        created = await run_in_threadpool(
            lambda: service.write_graph(graph, triples, replace=request.method == "PUT"))
        return Response(status_code=201 if created else 204, headers=headers)
    except SparqlError as exc:
        return error_response(exc)


@router.get("", summary="Read a graph (Graph Store Protocol)")
async def gsp_get(request: Request) -> Response:
    """GET ``?graph=IRI`` or ``?default``: the graph as Turtle, N-Triples, JSON-LD or RDF/XML."""
    return await _handle(request)


@router.head("", include_in_schema=False)
async def gsp_head(request: Request) -> Response:
    """HEAD: like GET, without the body."""
    return await _handle(request)


@router.put("", summary="Replace a graph (admin)")
async def gsp_put(request: Request) -> Response:
    """PUT ``?graph=IRI`` or ``?default``: replace the graph's content (201 if new, else 204)."""
    return await _handle(request)


@router.post("", summary="Add to a graph, or create one (admin)")
async def gsp_post(request: Request) -> Response:
    """POST ``?graph=IRI`` or ``?default``: merge into the graph; without either: new graph."""
    return await _handle(request)


@router.delete("", summary="Drop a graph (admin)")
async def gsp_delete(request: Request) -> Response:
    """DELETE ``?graph=IRI``: drop the graph (404 if absent); ``?default``: empty it."""
    return await _handle(request)


@router.api_route("/{path:path}", methods=["GET", "HEAD", "PUT", "POST", "DELETE"],
                  include_in_schema=False)
async def gsp_direct(request: Request, path: str) -> Response:
    """Direct identification: the graph whose IRI is this URL."""
    return await _handle(request, direct=True)
