"""The app's routers, one module per concern; :data:`ROUTERS` lists them in mounting order.

home, graph, elements, reports, planner, api (JSON), ontology, sparql (the endpoint's routes)
and query (the query page, mounted by sparql). Routers may import the views, ``deps`` and
``urls``, the services and below; no view imports a router.
"""

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
