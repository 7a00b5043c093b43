"""FastAPI dependencies: the store, the settings and the templates, injected per request."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from policygraph.i18n import request_lang, translations
from policygraph.planner.suggest_service import SuggestionService
from policygraph.settings import Settings
from policygraph.store import GraphStore

__all__ = ["Lang", "Store", "Suggestions", "get_lang", "get_settings", "get_store",
           "get_suggestions", "render"]

_SUGGESTIONS_LOCK = threading.Lock()


def get_store(request: Request) -> GraphStore:
    """The store the app was created with (tests swap it with ``dependency_overrides``)."""
    store: GraphStore = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_lang(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> str:
    """The language of this request's page."""
    return request_lang(request, settings.lang)


Store = Annotated[GraphStore, Depends(get_store)]
Lang = Annotated[str, Depends(get_lang)]


def get_suggestions(request: Request, store: Store) -> SuggestionService:
    """The app's suggestion service for its store (made on first use, one per store)."""
    with _SUGGESTIONS_LOCK:
        service: SuggestionService | None = getattr(request.app.state, "suggestions", None)
        if service is None or service.store is not store:
            settings: Settings = request.app.state.settings
            service = request.app.state.suggestions = SuggestionService(
                store, timeout=settings.query_timeout)  # the SPARQL time limit
        return service


Suggestions = Annotated[SuggestionService, Depends(get_suggestions)]


def render(request: Request, template: str, lang: str, *, status: int = 200,
           **context: Any) -> Any:
    """Render a template with the language, its interface strings and the request."""
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(
        request, template, {"lang": lang, "t": translations(lang), "status": status, **context},
        status_code=status)
    response.headers.setdefault("Content-Language", lang)
    if request.query_params.get("lang") == lang:
        response.set_cookie("lang", lang, samesite="lax")
    return response
