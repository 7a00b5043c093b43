"""Planner pages: compare two plans year over year."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import Graph, URIRef

from policygraph.errors import PolicygraphError
from policygraph.planner.diff import diff_plans
from policygraph.planner.xlsx_plan import plan_graph
from policygraph.query.registry import run_query
from policygraph.web.deps import Lang, Store, render

router = APIRouter(prefix="/planner", tags=["planner"])

GraphName = Annotated[str | None, Query(max_length=500, description="A named graph IRI.")]


@router.get("/diff", response_class=HTMLResponse)
def diff(request: Request, store: Store, lang: Lang, a: GraphName = None,
         b: GraphName = None) -> Response:
    """Choose two plans (named graphs) and see what changed from A to B."""
    choices = run_query(store, "plan-graphs", {"lang": lang}).rows
    known = {str(row["graph"]) for row in choices}
    result = None
    if a and b:
        for name in (a, b):
            if name not in known:
                raise PolicygraphError(f"unknown plan graph {name!r}; choose one of the list")
        ga, plan_a = plan_graph(store, URIRef(a))
        gb, plan_b = plan_graph(store, URIRef(b))
        names = Graph()  # the labels of what the plans point to, not the whole store
        for name in (a, b):
            for triple in run_query(store, "plan-labels", {"graph": name}).triples:
                names.add(triple)
        result = diff_plans(ga, plan_a, gb, plan_b, names)
    return render(request, "planner_diff.html", lang, choices=choices, a=a, b=b, result=result)
