"""The ``policygraph`` command group: global options, errors as exit statuses, the commands.

Each command family lives in its own module (:mod:`~policygraph.cli.data`,
:mod:`~policygraph.cli.analysis`, :mod:`~policygraph.cli.planner`, :mod:`~policygraph.cli.serve`,
:mod:`~policygraph.cli.bench`, :mod:`~policygraph.cli.synth`) as plain ``click`` commands listed
in its ``COMMANDS``; this module adds them to :func:`main`. Commands get the
:class:`~policygraph.cli.context.AppContext` through ``pass_app``; any
:class:`~policygraph.errors.PolicygraphError` they raise becomes ``error: …`` on stderr with exit
status 2 (1 for data that does not conform).
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path
from typing import Any

import click

from policygraph import __version__
from policygraph.cli import analysis, bench, data, facts, planner, serve, synth
from policygraph.cli.context import AppContext, pass_app
from policygraph.config import STORE_ENV, EndpointConfig
from policygraph.errors import PolicygraphError, ValidationFailed

__all__ = ["main"]


def _utf8_stdio() -> None:
    # Thai must survive pipes and non-UTF-8 locales (LANG=C in cron, CI, …).
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, io.UnsupportedOperation):
                reconfigure(encoding="utf-8")


class _Main(click.Group):
    """A group that turns PolicygraphError into ``error: …`` and an exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; map ValidationFailed to exit 1, other PolicygraphError to 2."""
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            click.echo(exc.report.text().rstrip(), err=True)
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except PolicygraphError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store_path",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=STORE_ENV,
    show_envvar=True,
    help="Store directory. Default: $XDG_DATA_HOME/policygraph/store "
    "(~/.local/share/policygraph/store).",
)
@click.option("--endpoint", metavar="URL", envvar="POLICYGRAPH_ENDPOINT", show_envvar=True,
              help="Use the SPARQL 1.1 query endpoint at URL instead of the embedded store "
              "(Oxigraph server, Virtuoso, Fuseki, GraphDB…).")
@click.option("--update-endpoint", metavar="URL", envvar="POLICYGRAPH_UPDATE_ENDPOINT",
              show_envvar=True, help="Its SPARQL Update endpoint, when not the same URL.")
@click.option("--graph-store-endpoint", metavar="URL", envvar="POLICYGRAPH_GRAPH_STORE_ENDPOINT",
              show_envvar=True, help="Load through this Graph Store Protocol endpoint instead "
              "of SPARQL Update.")
@click.option("--endpoint-user", metavar="USER", envvar="POLICYGRAPH_ENDPOINT_USER",
              show_envvar=True, help="User for the endpoint's HTTP authentication.")
@click.option("--endpoint-password", metavar="PASSWORD", envvar="POLICYGRAPH_ENDPOINT_PASSWORD",
              show_envvar=True, help="Its password (prefer the environment variable).")
@click.option("--endpoint-auth", type=click.Choice(["basic", "digest"]), default="basic",
              envvar="POLICYGRAPH_ENDPOINT_AUTH", show_envvar=True, show_default=True,
              help="HTTP authentication scheme (Virtuoso's /sparql-auth wants digest).")
@click.option("--endpoint-timeout", type=click.FloatRange(min=0, min_open=True), default=60.0,
              envvar="POLICYGRAPH_ENDPOINT_TIMEOUT", show_envvar=True, show_default=True,
              help="Seconds to wait for each answer from the endpoint.")
@click.version_option(__version__, prog_name="policygraph")
@pass_app
def main(app: AppContext, store_path: Path | None, endpoint: str | None,
         update_endpoint: str | None, graph_store_endpoint: str | None,
         endpoint_user: str | None, endpoint_password: str | None, endpoint_auth: str,
         endpoint_timeout: float) -> None:
    """Thai government plans as an RDF knowledge graph of policy alignment.

    \b
    Typical session:
      policygraph load                      # bundled ontology + data
      policygraph query --list
      policygraph query trace-up -p element=id:opdc-acp-2567/s1
      policygraph export -f turtle -o graph.ttl

    Exit status: 0 success, 1 data does not conform, 2 error.
    """
    _utf8_stdio()
    if store_path is not None:
        app.store_path = store_path
    if endpoint:
        app.endpoint = EndpointConfig(endpoint, update_endpoint or None,
                                      graph_store_endpoint or None, endpoint_user or None,
                                      endpoint_password or None, None, endpoint_auth,
                                      endpoint_timeout)
    elif update_endpoint or graph_store_endpoint:
        raise click.UsageError("--update-endpoint and --graph-store-endpoint need --endpoint")




for _module in (data, facts, analysis, planner, serve, bench, synth):
    for _command in _module.COMMANDS:
        main.add_command(_command)
