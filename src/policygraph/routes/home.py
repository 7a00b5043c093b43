"""The home page: what is in the store, and where to go next."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from policygraph.deps import Lang, Store, render
from policygraph.queries import run_query

router = APIRouter(tags=["pages"])


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, store: Store, lang: Lang) -> HTMLResponse:
    """List the plans in the store by level."""
    plans = run_query(store, "plans", {"lang": lang}).rows
    return render(request, "home.html", lang, plans=plans)
