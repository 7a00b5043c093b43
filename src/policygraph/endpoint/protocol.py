"""Read a SPARQL 1.1 Protocol request: which operation, its text and its dataset, or a 400 why not.

https://www.w3.org/TR/sparql11-protocol/ — a query by GET (``?query=``), by POST of a form
(``application/x-www-form-urlencoded``) or directly (``application/sparql-query``); an
update by POST of a form or directly (``application/sparql-update``). Texts must be UTF-8.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import Request
from starlette.datastructures import MultiDict

from policygraph.endpoint.errors import SparqlError
from policygraph.endpoint.service import QueryRequest, UpdateRequest
from policygraph.store.terms import checked_named_node

__all__ = ["endpoint_iri", "read_operation"]

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
_ALLOW = {"Allow": "GET, POST"}


def _bad(message: str) -> SparqlError:
    return SparqlError(400, message, _ALLOW)


def endpoint_iri(request: Request) -> str:
    """The endpoint's own IRI (no query string): the base IRI of relative IRIs in requests."""
    return str(request.url.replace(query="", fragment=""))


def _media_type(request: Request) -> tuple[str, str | None]:
    header = request.headers.get("content-type", "")
    media, *parameters = (part.strip() for part in header.split(";"))
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(f"the {what} is not valid UTF-8 ({exc.reason} at byte {exc.start})") from None


def _iris(values: Sequence[str], parameter: str) -> tuple[ox.NamedNode, ...]:
    try:
        return tuple(checked_named_node(value) for value in values)
    except ValueError as exc:
        raise _bad(f"{parameter}: {exc}") from None


def _single(params: MultiDict, name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise _bad(f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


def _operation(params: MultiDict, base: str, text: str | None = None,
               kind: str | None = None) -> QueryRequest | UpdateRequest | None:
    query, update = _single(params, "query"), _single(params, "update")
    if text is not None and (query is not None or update is not None):
        raise _bad(f"the {kind} is in the request body; a 'query' or 'update' parameter "
                   "cannot be sent with it")
    if query is not None and update is not None:
        raise _bad("the request has both 'query' and 'update'; send one operation")
    if kind == "query" or query is not None:
        if params.getlist("using-graph-uri") or params.getlist("using-named-graph-uri"):
            raise _bad("using-graph-uri and using-named-graph-uri apply to updates; "
                       "a query's dataset is given by default-graph-uri and named-graph-uri")
        defaults = params.getlist("default-graph-uri")
        named = params.getlist("named-graph-uri")
        given = bool(defaults or named)
        return QueryRequest(
            text=text if text is not None else query or "",
            default_graphs=_iris(defaults, "default-graph-uri") if given else None,
            named_graphs=_iris(named, "named-graph-uri") if given else None,
            base_iri=base)
    if kind == "update" or update is not None:
        if params.getlist("default-graph-uri") or params.getlist("named-graph-uri"):
            raise _bad("default-graph-uri and named-graph-uri apply to queries; "
                       "an update's dataset is given by using-graph-uri and "
                       "using-named-graph-uri")
        return UpdateRequest(
            text=text if text is not None else update or "",
            using_graphs=_iris(params.getlist("using-graph-uri"), "using-graph-uri"),
            using_named_graphs=_iris(params.getlist("using-named-graph-uri"),
                                     "using-named-graph-uri"),
            base_iri=base)
    return None


async def read_operation(request: Request) -> QueryRequest | UpdateRequest | None:
    """The operation a protocol request asks for; None for a bare GET (service description).

    Raises:
        SparqlError: 400 for every protocol error: a method other than GET or POST, an
            update by GET, a missing or unsupported Content-Type, a charset other than
            UTF-8, repeated or conflicting operations, an invalid dataset IRI.
    """
    base = endpoint_iri(request)
    url_params = MultiDict(request.query_params.multi_items())
    if request.method == "GET":
        if url_params.getlist("update"):
            raise _bad("SPARQL Update must be sent by POST (a form with 'update=', or an "
                       "application/sparql-update body), never by GET")
        return _operation(url_params, base)
    if request.method != "POST":
        raise _bad(f"the SPARQL protocol uses GET or POST, not {request.method}")
    media, charset = _media_type(request)
    if charset is not None and charset not in ("utf-8", "utf8"):
        raise _bad(f"the body must be UTF-8, not {charset}")
    body = await request.body()
    if media == _FORM:
        try:
            form = parse_qsl(_utf8(body, "form"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise _bad("a form field is not valid UTF-8 once percent-decoded") from None
        operation = _operation(MultiDict(url_params.multi_items() + form), base)
        if operation is None:
            raise _bad("the form has neither a 'query' nor an 'update' field")
        return operation
    if media == _QUERY:
        return _operation(url_params, base, _utf8(body, "query"), "query")
    if media == _UPDATE:
        return _operation(url_params, base, _utf8(body, "update"), "update")
    if not media:
        raise _bad(f"a POST needs a Content-Type: {_FORM}, {_QUERY} or {_UPDATE}")
    raise _bad(f"unsupported Content-Type {media!r}; use {_FORM}, {_QUERY} or {_UPDATE}")
