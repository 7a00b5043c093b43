"""The web app: ``create_app(settings)`` builds a FastAPI app on a store, one router per concern."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from policygraph import __version__
from policygraph.resources import web_dir
from policygraph.routes import ROUTERS
from policygraph.settings import Settings
from policygraph.store import GraphStore, OxigraphStore
from policygraph.thaidate import format_be
from policygraph.urls import be_year, element_url

__all__ = ["create_app"]


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(web_dir() / "templates"))
    # Autoescape is on for .html (Jinja2Templates' default); say so where it is relied upon.
    assert templates.env.autoescape
    templates.env.filters["be_date"] = format_be
    templates.env.filters["be_year"] = be_year
    templates.env.filters["element_url"] = element_url
    return templates


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app.

    Args:
        settings: Configuration; read from POLICYGRAPH_* variables when None.
        store: The store to serve; when None the app opens ``settings.store`` at startup
            (read-only unless admin mode is on) and closes it at shutdown.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if store is not None:
            app.state.store = store
            yield
            return
        with OxigraphStore(settings.store, read_only=not settings.admin, create=False) as opened:
            app.state.store = opened
            yield

    app = FastAPI(
        title="policygraph",
        version=__version__,
        summary="Alignment of Thai government plans as a knowledge graph.",
        description="Trace, coverage, budget and search over the plan graph; a SPARQL 1.1 "
                    "endpoint at /sparql. Labels are Thai and English.",
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        swagger_ui_parameters={"syntaxHighlight": False},
    )
    app.state.settings = settings
    app.state.templates = _templates()
    if store is not None:
        app.state.store = store
    app.mount("/static", StaticFiles(directory=str(web_dir() / "static")), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app
