"""The home page: what is in the store, and where to go next."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from policygraph.query.registry import run_query
from policygraph.web.deps import Lang, Store, render

router = APIRouter(tags=["pages"])


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search(request: Request, store: Store, lang: Lang,
           q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    """Elements whose Thai or English label (or notation) contains the words typed."""
    rows = run_query(store, "find-element", {"text": q}).rows if q.strip() else []
    found: dict[str, dict[str, object]] = {}
    for row in rows:
        found.setdefault(str(row["element"]), dict(row))
    return render(request, "search.html", lang, q=q, results=list(found.values()))


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, store: Store, lang: Lang) -> HTMLResponse:
    """List the plans in the store by level."""
    plans = run_query(store, "plans", {"lang": lang}).rows
    return render(request, "home.html", lang, plans=plans)
