"""The web app: ``create_app(settings)`` builds a FastAPI app on a store, one router per concern."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from policygraph import __version__
from policygraph.errors import PolicygraphError
from policygraph.i18n import kind_name, request_lang
from policygraph.query.resolve import UnknownElementError
from policygraph.resources import web_dir
from policygraph.settings import Settings
from policygraph.store import GraphStore, OxigraphStore
from policygraph.store.remote.store import open_endpoint
from policygraph.thaidate import format_be
from policygraph.web.deps import render
from policygraph.web.headers import SecurityHeaders
from policygraph.web.routes import ROUTERS
from policygraph.web.urls import be_year, element_url, external_href, money

__all__ = ["create_app"]


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(web_dir() / "templates"))
    # Autoescape on for every template, whatever Jinja2Templates' default: pages are built
    # from user text and labels, and no HTML is ever made by string concatenation.
    templates.env.autoescape = True
    templates.env.filters["be_date"] = format_be
    templates.env.filters["be_year"] = be_year
    templates.env.filters["element_url"] = element_url
    templates.env.filters["external_href"] = external_href
    templates.env.filters["kind_name"] = kind_name
    templates.env.filters["money"] = money
    return templates


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app.

    Args:
        settings: Configuration; read from POLICYGRAPH_* variables when None.
        store: The store to serve; when None the app opens ``settings.endpoint`` (a SPARQL
            server) or else ``settings.store`` at startup (read-only unless admin mode is on;
            copied into memory with ``settings.memory``) and closes it at shutdown.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            async with opened(app):
                yield
        finally:
            suggestions = getattr(app.state, "suggestions", None)
            if suggestions is not None:
                suggestions.close()  # its worker process, if it started one

    @asynccontextmanager
    async def opened(app: FastAPI) -> AsyncIterator[None]:
        if store is not None:
            app.state.store = store
            yield
            return
        if settings.remote is not None:
            with open_endpoint(settings.remote, read_only=not settings.admin) as remote:
                app.state.store = remote
                yield
            return
        if settings.memory:
            with OxigraphStore.in_memory_copy(settings.store) as copy:
                app.state.store = copy
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
        docs_url=None,  # served below with local assets: no CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.templates = _templates()
    if store is not None:
        app.state.store = store
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(web_dir() / "static")), name="static")
    for router in ROUTERS:
        app.include_router(router)
    app.add_exception_handler(PolicygraphError, _policygraph_error)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request) -> Response:
        """The OpenAPI page, with Swagger UI served from /static (works offline) and started
        by a script file (the pages run no inline script)."""
        response: Response = app.state.templates.TemplateResponse(request, "api_docs.html", {})
        return response

    return app


async def _policygraph_error(request: Request, exc: Exception) -> Response:
    """User errors (unknown element, bad parameter) as 404/400: JSON under /api, else a page."""
    status = 404 if isinstance(exc, UnknownElementError) else 400
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": str(exc)}, status_code=status)
    lang = request_lang(request, request.app.state.settings.lang)
    response: Response = render(request, "error.html", lang, status=status, message=str(exc))
    return response
