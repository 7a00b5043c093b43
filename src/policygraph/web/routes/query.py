"""The query page (/query): named queries with a field per parameter, a SPARQL editor, results.

A named query runs through :func:`policygraph.query.registry.run_query` (parameters bound as RDF
terms); free SPARQL runs through the endpoint's service, with its time and size limits.
Both work from plain HTML forms; the script only turns the textarea into an editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from rdflib import Graph
from starlette.concurrency import run_in_threadpool

from policygraph.endpoint.errors import SparqlError, error_response
from policygraph.endpoint.formats import FORMATS
from policygraph.endpoint.lifespan import service_for
from policygraph.endpoint.protocol import endpoint_iri
from policygraph.endpoint.service import QueryRequest
from policygraph.errors import PolicygraphError, UnknownNameError
from policygraph.namespaces import PREFIXES
from policygraph.query.display import render_csv, render_json
from policygraph.query.params import EXPECTED
from policygraph.query.registry import NamedQuery, get_query, list_queries, run_query
from policygraph.store.remote.sparql import parse_results
from policygraph.store.results import QueryResult
from policygraph.web.deps import Lang, Store, render
from policygraph.web.views.querytable import Table, from_answer, table
from policygraph.web.views.querytext import page_text

__all__ = ["router"]

router = APIRouter(tags=["pages"])

EXAMPLE = """# The plans in the store, with their Thai names
SELECT ?plan ?label ?level WHERE {
  ?plan a pg:Plan ;
        skos:prefLabel ?label .
  OPTIONAL { ?plan pg:planLevel ?level }
  FILTER (LANGMATCHES(LANG(?label), "th"))
}
ORDER BY ?level ?plan
"""
_DOWNLOADS = {"select": ("csv", "json"), "ask": ("json",), "graph": ("turtle", "jsonld")}
_LABELS = {"csv": "CSV", "json": "JSON", "turtle": "Turtle", "jsonld": "JSON-LD"}


@dataclass(frozen=True)
class Field:
    """A form field for one parameter of a named query."""

    name: str
    type: str
    required: bool
    default: str | None
    description: str
    hint: str
    value: str


def _given(request: Request, query: NamedQuery) -> dict[str, str]:
    """The parameter values in the request; empty fields count as absent."""
    return {p.name: text for p in query.params
            if (text := request.query_params.get(p.name, "").strip())}


def _values(request: Request, query: NamedQuery, lang: str) -> dict[str, str]:
    values = _given(request, query)
    if "lang" in {p.name for p in query.params} and "lang" not in values:
        values["lang"] = lang  # labels follow the page's language unless asked otherwise
    return values


def _fields(query: NamedQuery, values: dict[str, str]) -> list[Field]:
    return [Field(p.name, p.type, p.required, p.default, p.description, EXPECTED[p.type],
                  values.get(p.name, "")) for p in query.params]


def _links(kind: str, base: dict[str, str]) -> list[tuple[str, str]]:
    return [(_LABELS[key], "/query/download?" + urlencode(base | {"format": key}))
            for key in _DOWNLOADS[kind]]


async def _free(request: Request, text: str) -> QueryResult:
    service = service_for(request.app)
    query = QueryRequest(text, base_iri=endpoint_iri(request))
    answer = await run_in_threadpool(service.query, query, "json", "ntriples")
    return from_answer(answer.format, answer.body)


async def _page(request: Request, store: Store, lang: str, text: str | None) -> Response:
    context: dict[str, object] = {"queries": list_queries(), "q": page_text(lang),
                                  "selected": None, "fields": [], "editor": EXAMPLE,
                                  "table": None, "error": None, "downloads": []}
    status = 200
    name = request.query_params.get("name")
    try:
        result: QueryResult | None = None
        base: dict[str, str] = {}
        if text is not None:
            context["editor"] = text
            result, base = await _free(request, text), {"query": text}
        elif name:
            query = get_query(name)
            values = _values(request, query, lang)
            context |= {"selected": query, "fields": _fields(query, values),
                        "editor": query.text}
            wanted = request.query_params.get("run") is not None
            if wanted or all(p.name in values for p in query.params if p.required):
                result = await run_in_threadpool(run_query, store, name, values)
                base = {"name": name} | values
        if result is not None:
            shown: Table = table(result, lang)
            context |= {"table": shown, "downloads": _links(shown.kind, base)}
    except SparqlError as exc:
        status, context["error"] = exc.status, exc.message
    except UnknownNameError as exc:
        status, context["error"] = 404, str(exc)
    except PolicygraphError as exc:
        status, context["error"] = 400, str(exc)
    response: Response = render(request, "query.html", lang, status=status, **context)
    return response


@router.get("/query", response_class=HTMLResponse, summary="Query page")
async def query_page(request: Request, store: Store, lang: Lang) -> Response:
    """The page: ``?name=`` picks a named query (run once its required values are given)."""
    return await _page(request, store, lang, request.query_params.get("query"))


@router.post("/query", response_class=HTMLResponse, summary="Run SPARQL from the page")
async def query_page_post(request: Request, store: Store, lang: Lang) -> Response:
    """Run the SPARQL in the editor form's ``query`` field."""
    form = await request.form()
    text = form.get("query")
    return await _page(request, store, lang, text if isinstance(text, str) else "")


def _named_download(store: Store, request: Request, name: str, format: str) -> Response:
    result = run_query(store, name, _given(request, get_query(name)))
    if format not in _DOWNLOADS[result.kind]:
        raise SparqlError(406, f"a {result.kind} result cannot be downloaded as {format}; "
                               f"choose {', '.join(_DOWNLOADS[result.kind])}")
    if format == "csv":
        body = render_csv(result, for_spreadsheets=True).encode("utf-8")
    elif format == "turtle":
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in result.triples:
            graph.add(triple)
        body = graph.serialize(format="turtle", encoding="utf-8")
    else:
        body = render_json(result).encode("utf-8")
    return _attachment(body, format, result.kind, name)


def _attachment(body: bytes, format: str, kind: str, stem: str) -> Response:
    key = {"json": "jsonld" if kind == "graph" else "json"}.get(format, format)
    media = FORMATS[key]
    return Response(body, media_type=media.content_type, headers={
        "Content-Disposition": f'attachment; filename="{stem}.{media.extension}"'})


@router.get("/query/download", summary="Download a query's result")
async def query_download(request: Request, store: Store) -> Response:
    """``?format=csv|json|turtle|jsonld`` with ``name=`` and its parameters, or ``query=``."""
    format = request.query_params.get("format", "csv")
    name, text = request.query_params.get("name"), request.query_params.get("query")
    try:
        if format not in _LABELS:
            raise SparqlError(400, f"unknown format {format!r}; choose {', '.join(_LABELS)}")
        if name:
            return await run_in_threadpool(_named_download, store, request, name, format)
        if text is None:
            raise SparqlError(400, "give a named query (name=) or SPARQL (query=)")
        service = service_for(request.app)
        query = QueryRequest(text, base_iri=endpoint_iri(request))
        # CSV is made here from the JSON results (parse_results: they say which cells are numbers)
        # so that text cells can be made safe for spreadsheet programs (spreadsheet_safe).
        results = "json" if format in ("csv", "json") else None
        graphs = {"turtle": "turtle", "jsonld": "jsonld", "json": "jsonld"}.get(format)
        answer = await run_in_threadpool(service.query, query, results, graphs)
        body = answer.body
        if format == "csv" and answer.format == "json":
            table = parse_results(body)
            if table.kind != "select":
                raise SparqlError(406, "an ask result cannot be downloaded as csv; choose json")
            body, answer_format = render_csv(table, for_spreadsheets=True).encode("utf-8"), "csv"
        else:
            answer_format = answer.format
        media = FORMATS[answer_format]
        return Response(body, media_type=media.content_type, headers={
            "Content-Disposition": f'attachment; filename="query.{media.extension}"'})
    except SparqlError as exc:
        return error_response(exc)
    except UnknownNameError as exc:
        return PlainTextResponse(str(exc) + "\n", status_code=404)
    except PolicygraphError as exc:
        return PlainTextResponse(str(exc) + "\n", status_code=400)
