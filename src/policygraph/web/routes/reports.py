"""Reports for planners and auditors: coverage, orphans, budget roll-up, timeline (HTML + CSV)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from policygraph.query.display import spreadsheet_safe
from policygraph.query.params import expand_curie
from policygraph.web.deps import Lang, Store, render
from policygraph.web.views.report import (
    COVERAGE_PAGE_SIZE,
    budget_rows,
    chosen_plan,
    coverage_page,
    coverage_rows,
    default_budget_plan,
    default_timeline_plan,
    orphan_rows,
    plan_choices,
    timeline,
)

router = APIRouter(prefix="/reports", tags=["reports"])

Level = Annotated[str | None, Query(pattern="^[123]$", description="Plan level 1, 2 or 3.")]
Plan = Annotated[str | None, Query(
    max_length=500, description="A plan IRI or CURIE, e.g. id:ns. Default: from the store's "
                                "plans (budget: the Level-1 plan; timeline: the latest plan "
                                "with projects).")]


def _iri(plan: str | None) -> str:
    """The plan as a full IRI, as the picker's options name it."""
    return (expand_curie(plan) or plan) if plan else ""


def _csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], name: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else spreadsheet_safe(row.get(c))
                         for c in columns])
    return Response(out.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


Page = Annotated[int, Query(ge=1, le=1_000_000, description="Page of the report, from 1.")]


@router.get("/coverage", response_class=HTMLResponse)
def coverage(request: Request, store: Store, lang: Lang, level: Level = None,
             page: Page = 1) -> Response:
    """Targets at each level with the projects behind them, a page at a time; gaps
    highlighted."""
    return render(request, "report_coverage.html", lang,
                  report=coverage_page(store, lang, level, page), level=level,
                  page_size=COVERAGE_PAGE_SIZE)


@router.get("/coverage.csv")
def coverage_csv(store: Store, lang: Lang, level: Level = None) -> Response:
    """The coverage report as CSV (UTF-8 with BOM, so spreadsheet programs read Thai)."""
    rows = [r | {"work": " | ".join(w["label"] for w in r["work"])}
            for r in coverage_rows(store, lang, level)]
    return _csv(rows, ["level", "plan", "element", "label", "kind", "workItems", "work"],
                "coverage")


@router.get("/orphans", response_class=HTMLResponse)
def orphans(request: Request, store: Store, lang: Lang) -> Response:
    """Elements that do not trace up to Level 1."""
    return render(request, "report_orphans.html", lang, rows=orphan_rows(store, lang))


@router.get("/orphans.csv")
def orphans_csv(store: Store, lang: Lang) -> Response:
    """The orphans report as CSV."""
    return _csv(orphan_rows(store, lang), ["element", "label", "kind", "plan"], "orphans")


_BUDGET_COLUMNS = ["element", "label", "kind", "workItems", "statedTotal", "stated", "noBudget",
                   "notStated"]


@router.get("/budget", response_class=HTMLResponse)
def budget(request: Request, store: Store, lang: Lang, plan: Plan = None) -> Response:
    """Budget roll-up per element of a plan: national strategy, master-plan target, strategy…"""
    choices = plan_choices(store, lang)
    chosen = plan or default_budget_plan(choices)
    rows = budget_rows(store, chosen, lang)
    return render(request, "report_budget.html", lang, rows=rows, plan=chosen or "",
                  plan_iri=_iri(chosen), plans=choices)


@router.get("/budget.csv")
def budget_csv(store: Store, lang: Lang, plan: Plan = None) -> Response:
    """The budget roll-up as CSV."""
    chosen = chosen_plan(store, lang, plan, default_budget_plan)
    return _csv(budget_rows(store, chosen, lang), _BUDGET_COLUMNS, "budget")


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, store: Store, lang: Lang, plan: Plan = None) -> Response:
    """A plan's projects and activities as bars across its fiscal-year months."""
    choices = plan_choices(store, lang)
    chosen = plan or default_timeline_plan(choices)
    return render(request, "report_timeline.html", lang, timeline=timeline(store, chosen, lang),
                  plan=chosen or "",
                  plan_iri=_iri(chosen), plans=choices)


@router.get("/timeline.csv")
def timeline_csv(store: Store, lang: Lang, plan: Plan = None) -> Response:
    """The timeline's schedules as CSV."""
    chosen = chosen_plan(store, lang, plan, default_timeline_plan)
    return _csv(timeline(store, chosen, lang).bars, ["iri", "label", "start", "end"], "timeline")
