"""The app's routers, one module per concern; :data:`ROUTERS` lists them in mounting order."""

from fastapi import APIRouter

from policygraph.web.routes import api, elements, graph, home, ontology, planner, reports, sparql

ROUTERS: list[APIRouter] = [
    home.router,
    graph.router,
    elements.router,
    reports.router,
    planner.router,
    api.router,
    ontology.router,
    sparql.router,
]

__all__ = ["ROUTERS"]
