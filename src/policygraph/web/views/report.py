"""The reports behind /reports and /api: coverage with the work behind each target, budget
roll-up, orphans and a timeline on the plan's own month grid."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef

from policygraph.query.registry import run_query
from policygraph.store import GraphStore
from policygraph.thaidate import BE_OFFSET, THAI_MONTHS_ABBR

__all__ = ["COVERAGE_PAGE_SIZE", "LISTED_WORK", "CoveragePage", "PlanChoice", "Timeline",
           "budget_rows", "chosen_plan", "coverage_page", "coverage_rows",
           "default_budget_plan",
           "default_timeline_plan", "orphan_rows", "plan_choices", "timeline"]

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {key: (value.toPython() if hasattr(value, "toPython") and not isinstance(value, URIRef)
                  else value) for key, value in row.items()}


def coverage_rows(store: GraphStore, lang: str, level: str | None = None) -> list[dict[str, Any]]:
    """Every target-like element with its level, plan and the projects and activities behind it."""
    params = {"lang": lang} | ({"level": level} if level else {})
    work: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in run_query(store, "coverage-work", params).rows:
        work[row["element"]].append({"iri": row["work"], "label": str(row["workLabel"] or "")})
    rows = []
    for row in run_query(store, "coverage", params).rows:
        item = _plain(row)
        item["work"] = work.get(row["element"], [])
        item["gap"] = not item["work"]
        rows.append(item)
    return rows


#: Targets per page of the coverage report, and the most supporting work items it lists by
#: name for one target (more are one link away: the supporting-work query).
COVERAGE_PAGE_SIZE = 100
LISTED_WORK = 10


@dataclass(frozen=True)
class CoveragePage:
    """One page of the coverage report: its targets (each with ``work``, the work items listed
    by name, or None when there are more than :data:`LISTED_WORK`), and the whole report's
    counts."""

    rows: list[dict[str, Any]]
    page: int
    pages: int
    total: int
    gaps: int


def coverage_page(store: GraphStore, lang: str, level: str | None, page: int) -> CoveragePage:
    """Page ``page`` (from 1; past the last, the last) of the coverage report: the targets from
    ``coverage.rq`` (counts read from the derived roll-ups), and for each target on the page
    with at most :data:`LISTED_WORK` supporting work items, those items (``supporting-work``)."""
    params = {"lang": lang} | ({"level": level} if level else {})
    every = [_plain(row) for row in run_query(store, "coverage", params).rows]
    pages = max(1, -(-len(every) // COVERAGE_PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = every[(page - 1) * COVERAGE_PAGE_SIZE:page * COVERAGE_PAGE_SIZE]
    for row in rows:
        count = int(row.get("workItems") or 0)
        row["gap"] = count == 0
        row["work"] = [] if count == 0 else None
        if 0 < count <= LISTED_WORK:
            found = run_query(store, "supporting-work",
                              {"element": str(row["element"]), "lang": lang}).rows
            row["work"] = sorted(({"iri": w["work"], "label": str(w["workLabel"] or "")}
                                  for w in found), key=lambda w: (w["label"], str(w["iri"])))
    gaps = sum(1 for row in every if not int(row.get("workItems") or 0))
    return CoveragePage(rows, page, pages, len(every), gaps)


@dataclass(frozen=True)
class PlanChoice:
    """A plan the reports can be drawn for, as the plan picker offers it."""

    iri: str
    label: str
    level: str
    fiscal_year: int | None
    work_items: int


def plan_choices(store: GraphStore, lang: str) -> list[PlanChoice]:
    """The store's plans (``plans.rq``; not sets of standards): what the reports' pickers list."""
    choices = []
    for row in run_query(store, "plans", {"lang": lang}).rows:
        if row.get("level") is None:
            continue
        year = row.get("fiscalYear")
        choices.append(PlanChoice(str(row["plan"]), str(row.get("label") or row["plan"]),
                                  str(row["level"]), int(str(year)) if year is not None else None,
                                  int(str(row.get("workItems") or 0))))
    return choices


def default_budget_plan(choices: list[PlanChoice]) -> str | None:
    """The plan a budget roll-up opens on: the first Level-1 plan (the national strategy)."""
    ranked = sorted(choices, key=lambda c: (c.level, c.iri))
    return ranked[0].iri if ranked else None


def default_timeline_plan(choices: list[PlanChoice]) -> str | None:
    """The plan a timeline opens on: the plan with work items of the latest fiscal year (the
    most work items first), else the first plan."""
    with_work = [c for c in choices if c.work_items > 0]
    if not with_work:
        return choices[0].iri if choices else None
    return max(with_work, key=lambda c: (c.fiscal_year or 0, c.work_items, c.iri)).iri


def chosen_plan(store: GraphStore, lang: str, plan: str | None,
                default: Callable[[list[PlanChoice]], str | None]) -> str | None:
    """``plan`` as asked for, else the store's default one (``default`` of its plans)."""
    return plan or default(plan_choices(store, lang))


def budget_rows(store: GraphStore, plan: str | None, lang: str) -> list[dict[str, Any]]:
    """The budget roll-up (``budget-rollup.rq``) for the elements of ``plan`` (none without)."""
    if plan is None:
        return []
    return [_plain(row) for row in
            run_query(store, "budget-rollup", {"plan": plan, "lang": lang}).rows]


def orphan_rows(store: GraphStore, lang: str, kind: str | None = None) -> list[dict[str, Any]]:
    """Elements that cannot trace up to Level 1 (``orphans.rq``)."""
    params = {"lang": lang} | ({"kind": kind} if kind else {})
    return [_plain(row) for row in run_query(store, "orphans", params).rows]


@dataclass
class Timeline:
    """Bars on a month grid: ``months`` are labels, each bar has percentage offsets."""

    months: list[str] = field(default_factory=list)
    bars: list[dict[str, Any]] = field(default_factory=list)


def _month_label(day: dt.date, lang: str) -> str:
    if lang == "th":
        return f"{THAI_MONTHS_ABBR[day.month - 1]} {(day.year + BE_OFFSET) % 100:02d}"
    return f"{_EN_MONTHS[day.month - 1]} {day.year}"


def _date(term: object) -> dt.date | None:
    value = term.toPython() if isinstance(term, Literal) else None
    return value if isinstance(value, dt.date) else None


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, cursor = [], first.replace(day=1)
    while cursor <= last:
        months.append(cursor)
        cursor = (cursor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def timeline(store: GraphStore, plan: str | None, lang: str) -> Timeline:
    """The plan's work items as bars across its months (Oct-Sep for a fiscal-year plan).

    The grid is the plan's own period when it has one, else the span of its schedules; no
    plan (an empty store) draws nothing.
    """
    if plan is None:
        return Timeline()
    rows = run_query(store, "timeline", {"plan": plan, "lang": lang}).rows
    spans = {row["element"]: (_date(row["start"]), _date(row["end"])) for row in rows}
    firsts = [d for d in (_date(r["planStart"]) for r in rows) if d] or \
        [s for s, _ in spans.values() if s]
    lasts = [d for d in (_date(r["planEnd"]) for r in rows) if d] or \
        [e for _, e in spans.values() if e]
    if not firsts or not lasts:
        return Timeline(bars=[{"iri": r["element"], "label": str(r["label"]), "left": None}
                              for r in rows])
    first, last = min(firsts).replace(day=1), max(lasts)
    days = (last - first).days + 1
    bars = []
    for row in rows:
        bar: dict[str, Any] = {"iri": row["element"], "label": str(row["label"] or row["element"]),
                               "left": None}
        start, end = spans[row["element"]]
        if start and end:
            bar |= {"start": start, "end": end,
                    "left": round(100 * max((start - first).days, 0) / days, 2),
                    "width": round(100 * ((min(end, last) - max(start, first)).days + 1) / days, 2),
                    "month_only": str(row["startPrecision"] or "").endswith("MonthPrecision")}
        bars.append(bar)
    return Timeline(months=[_month_label(m, lang) for m in _months(first, last)], bars=bars)
