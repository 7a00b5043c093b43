"""The JSON API: trace up and down, coverage, orphans, budget, timeline, search, suggestions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from policygraph.planner.suggest_service import SuggestionsBusy
from policygraph.query.reach import trace_as_dict
from policygraph.query.registry import run_query
from policygraph.query.resolve import resolve_element
from policygraph.query.trace import trace_up
from policygraph.web.deps import Store, Suggestions
from policygraph.web.views.report import (
    budget_rows,
    chosen_plan,
    coverage_rows,
    default_budget_plan,
    default_timeline_plan,
    orphan_rows,
    timeline,
)

router = APIRouter(prefix="/api", tags=["api"])

Lang = Annotated[str, Query(pattern="^(th|en)$", description="Label language.")]
Element = Annotated[str, Query(min_length=1, max_length=500, description=(
    "An IRI, a CURIE (id:opdc-acp-2567/s1-a3), a notation (4.1) or part of a Thai or "
    "English label."))]


class Hop(BaseModel):
    """One upward step of a chain."""

    from_: str = Field(alias="from")
    relation: str
    to: str
    basis: str | None = Field(None, description="pg:Stated or pg:Inferred; null for structure.")
    evidence: str | None = None
    location: str | None = None


class Reached(BaseModel):
    """An element above the traced one, with the strongest basis of any chain to it."""

    element: str
    label: str
    level: str
    basis: str = Field(description="'stated' if a chain of stated links reaches it.")


class Trace(BaseModel):
    """Everything above an element, up to the National Strategy."""

    element: str
    label: str
    level1: list[str] = Field(description="Where the chains enter Level 1.")
    chains: list[list[Hop]]
    reached: list[Reached]


class Row(BaseModel):
    """A row of a report; column names as in the named query."""

    model_config = {"extra": "allow"}


def _rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v if isinstance(v, int | float | bool | list) or v is None else str(v))
             for k, v in row.items()} for row in rows]


@router.get("/trace", response_model=Trace, response_model_by_alias=True)
def api_trace(store: Store, element: Element, lang: Lang = "th") -> dict[str, object]:
    """Trace an element up to Level 1: every chain, each hop with its basis and evidence."""
    return trace_as_dict(trace_up(store, resolve_element(store, element), lang))


@router.get("/trace/down", response_model=list[Row])
def api_trace_down(store: Store, target: Element, lang: Lang = "th") -> list[dict[str, Any]]:
    """Everything that supports a target, with each project's budget status and amount."""
    iri = resolve_element(store, target)
    rows = run_query(store, "trace-down", {"target": str(iri), "lang": lang}).rows
    return _rows([dict(row) for row in rows])


@router.get("/coverage", response_model=list[Row])
def api_coverage(store: Store, lang: Lang = "th",
                 level: Annotated[str | None, Query(pattern="^[123]$")] = None,
                 ) -> list[dict[str, Any]]:
    """Targets at each level with the projects behind them; ``gap`` is true when none."""
    rows = coverage_rows(store, lang, level)
    for row in rows:
        row["work"] = [{"iri": str(w["iri"]), "label": w["label"]} for w in row["work"]]
    return _rows(rows)


@router.get("/orphans", response_model=list[Row])
def api_orphans(store: Store, lang: Lang = "th") -> list[dict[str, Any]]:
    """Elements that cannot trace up to Level 1."""
    return _rows(orphan_rows(store, lang))


@router.get("/budget", response_model=list[Row])
def api_budget(store: Store, plan: Annotated[str | None, Query(max_length=500)] = None,
               lang: Lang = "th") -> list[dict[str, Any]]:
    """Budget roll-up per element of ``plan`` (default: the store's Level-1 plan)."""
    return _rows(budget_rows(store, chosen_plan(store, lang, plan, default_budget_plan), lang))


@router.get("/timeline", response_model=list[Row])
def api_timeline(store: Store, plan: Annotated[str | None, Query(max_length=500)] = None,
                 lang: Lang = "th") -> list[dict[str, Any]]:
    """A plan's projects and activities with their schedules (Gregorian ISO dates); by default
    the latest plan with projects."""
    bars = timeline(store, chosen_plan(store, lang, plan, default_timeline_plan), lang).bars
    return _rows([{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in bar.items()}
                  for bar in bars])


@router.get("/search", response_model=list[Row])
def api_search(store: Store, q: Annotated[str, Query(min_length=1, max_length=200)],
               limit: Annotated[int, Query(ge=1, le=200)] = 20) -> list[dict[str, Any]]:
    """Elements whose Thai or English label (or notation) contains ``q``."""
    rows = run_query(store, "find-element", {"text": q}).rows
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(str(row["element"]), dict(row))
    return _rows(list(seen.values())[:limit])


class Suggested(BaseModel):
    """A target ranked for a project or activity (never written to the store)."""

    target: str
    score: float = Field(description="BM25 score over Thai and English words.")
    shared: list[str] = Field(description="The words that matched, best first.")
    evidence: str = Field(description="The nearest evidence quote the target already has.")


@router.get("/suggestions", response_model=list[Suggested],
            responses={503: {"description": "The index is being prepared, or every "
                                            "suggestion slot is busy: try again (Retry-After)."}})
def api_suggestions(store: Store, suggestions: Suggestions, element: Element,
                    limit: Annotated[int, Query(ge=1, le=20)] = 5) -> Any:
    """Targets ranked for a project or activity, from an index read once per state of the
    store; while it is being read, or when too many ask at once, 503 with Retry-After."""
    iri = resolve_element(store, element)
    try:
        found = suggestions.suggest(iri, limit)
    except SuggestionsBusy as exc:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "2"})
    if found is None:
        return JSONResponse({"detail": "the suggestion index is being prepared; try again"},
                            status_code=503, headers={"Retry-After": "2"})
    return [{"target": str(s.target), "score": round(s.score, 4), "shared": list(s.shared),
             "evidence": s.evidence} for s in found]
