"""The ``serve`` command: load the bundled plans if needed, then run the web app."""

from __future__ import annotations

import socket
from typing import Any

import click
from pydantic import ValidationError

from policygraph.cli.context import AppContext, ensure_loaded, pass_app
from policygraph.config import default_store_path

__all__ = ["COMMANDS", "serve"]


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _endpoint_settings(app: AppContext) -> dict[str, Any]:
    """The ``--endpoint`` options as :class:`~policygraph.settings.Settings` fields."""
    remote = app.endpoint
    if remote is None:
        return {}
    return {"endpoint": remote.query_url, "update_endpoint": remote.update_url,
            "graph_store_endpoint": remote.graph_store_url, "endpoint_user": remote.user,
            "endpoint_password": remote.password, "endpoint_auth": remote.auth,
            "endpoint_timeout": remote.timeout}


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port (0: any free port).")
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True,
              help="Default page language.")
@click.option("--query-timeout", type=click.FloatRange(min=0, min_open=True), default=10.0,
              show_default=True, help="Seconds a SPARQL query may run.")
@click.option("--result-limit", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows or triples a SPARQL query returns.")
@click.option("--admin-token", envvar="POLICYGRAPH_ADMIN_TOKEN", default=None,
              help="Enable admin mode (SPARQL Update, Graph Store Protocol) for requests with "
                   "'Authorization: Bearer TOKEN'. Off by default. Env: POLICYGRAPH_ADMIN_TOKEN.")
@click.option("--reload-data", is_flag=True, help="Reload the bundled files before serving.")
@click.option("--memory", is_flag=True,
              help="Serve a read-only copy of the store held in memory (faster for queries "
                   "that walk paths over many triples; needs about the store's size in RAM). "
                   "Not with --endpoint or --admin-token.")
@pass_app
def serve(app: AppContext, host: str, port: int, lang: str, query_timeout: float,
          result_limit: int, admin_token: str | None, reload_data: bool, memory: bool) -> None:
    """Serve the web app: linkage graph, element pages, reports, SPARQL endpoint, JSON API.

    Loads the bundled plans into the store first if it does not have them. Every page, script,
    style and font is served by the app itself, so it works with no internet.

    \b
    Examples:
      policygraph serve
      policygraph serve --port 0 --lang en
      policygraph serve --memory
    """
    import uvicorn

    from policygraph.settings import Settings
    from policygraph.web.app import create_app

    click.echo(ensure_loaded(app, reload_data), err=True)
    port = port or _free_port(host)
    try:
        settings = Settings(store=app.store_path or default_store_path(), host=host, port=port,
                            lang=lang, query_timeout=query_timeout, result_limit=result_limit,
                            admin_token=admin_token, memory=memory, **_endpoint_settings(app))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise click.UsageError(problems) from exc
    click.echo(f"policygraph is serving at http://{host}:{port}/  (Ctrl+C to stop)")
    if settings.admin:
        click.echo("admin mode: SPARQL Update and the Graph Store Protocol are enabled", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


COMMANDS = (serve,)
