"""The app's SPARQL service: created on first use (or at startup), stopped at shutdown."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from policygraph.endpoint.errors import SparqlError
from policygraph.endpoint.remote import RemoteService
from policygraph.endpoint.service import OxigraphService, SparqlService
from policygraph.settings import Settings
from policygraph.store.oxstore import OxigraphStore
from policygraph.store.remote.store import RemoteStore

__all__ = ["service_for", "sparql_lifespan"]

_lock = threading.Lock()


def service_for(app: FastAPI) -> SparqlService:
    """The SPARQL service of ``app``'s store, created on first use.

    Raises:
        SparqlError: 501 if the app's store is neither embedded nor remote.
    """
    with _lock:
        store = app.state.store
        service: OxigraphService | RemoteService | None = getattr(
            app.state, "sparql_service", None)
        if service is not None and service.store is store:
            return service
        if service is not None:
            service.close()
        settings: Settings = app.state.settings
        if isinstance(store, RemoteStore):
            service = RemoteService(store, settings)
        elif isinstance(store, OxigraphStore):
            service = OxigraphService(store, settings)
        else:
            raise SparqlError(501, f"the SPARQL endpoint cannot serve a {type(store).__name__}")
        app.state.sparql_service = service
        return service


@asynccontextmanager
async def sparql_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start a query worker with the app, and stop all workers when the app stops."""
    if isinstance(getattr(app.state, "store", None), OxigraphStore | RemoteStore):
        service = service_for(app)
        if isinstance(service, OxigraphService | RemoteService):
            await run_in_threadpool(service.warm)
    try:
        yield
    finally:
        running: SparqlService | None = getattr(app.state, "sparql_service", None)
        if running is not None:
            running.close()
            app.state.sparql_service = None
