"""The ``policygraph`` command line: load, validate, query and export the knowledge graph.

Extension point: further commands live in :mod:`policygraph.cli.analysis`,
which is imported at the end of this module and registers them with
``main.add_command(...)``. They can use :data:`pass_app` to receive the
:class:`AppContext` (``app.open_store()``) and :func:`print_result`; any
:class:`~policygraph.errors.PolicygraphError` they raise becomes
``error: …`` on stderr with exit status 2.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from policygraph import __version__
from policygraph.config import STORE_ENV, default_store_path
from policygraph.errors import PolicygraphError, StoreError, ValidationFailed
from policygraph.load.checks import ValidateFn, check_files, check_store
from policygraph.load.loader import load_many
from policygraph.load.parsing import DeriveFn
from policygraph.query.display import FORMATS, render
from policygraph.query.export import EXPORT_FORMATS, BuildGraph, export, resolve_graph
from policygraph.query.registry import bind_params, execute, get_query, list_queries
from policygraph.resources import data_files, ontology_files
from policygraph.store import GraphStore, OxigraphStore
from policygraph.store.remote.store import EndpointConfig
from policygraph.store.results import QueryResult

__all__ = ["AppContext", "main", "pass_app", "print_result"]


@dataclass
class AppContext:
    """State shared by all commands; tests may pass one as ``obj`` to inject callables.

    Attributes:
        store_path: The store directory (set from ``--store``).
        validate: Validation callable; None means ``policygraph.load.validate.validate_graph``.
        derive: Derivation callable; None means ``policygraph.load.derive.derive``.
        queries_dir: Where named queries live; None means the bundled ones.
        build_graph: GraphML view builder; None means ``policygraph.query.trace.alignment_graph``.
        endpoint: A SPARQL server to use instead of the embedded store (``--endpoint``).
    """

    store_path: Path | None = None
    validate: ValidateFn | None = None
    derive: DeriveFn | None = None
    queries_dir: Path | None = None
    build_graph: BuildGraph | None = None
    endpoint: EndpointConfig | None = None

    @contextlib.contextmanager
    def open_store(
        self, *, read_only: bool = False, create: bool = False
    ) -> Iterator[GraphStore]:
        """Open the store (the embedded one, or ``--endpoint``) for a ``with`` block.

        Args:
            read_only: Open without the write lock (queries, exports).
            create: Create the store if it does not exist (only ``load`` should; a remote
                server's graphs need no creating).
        """
        if self.endpoint is not None:
            with self.endpoint.open(read_only=read_only) as remote:
                yield remote
            return
        path = self.store_path or default_store_path()
        with OxigraphStore(path, read_only=read_only, create=create) as store:
            yield store

    def pipeline(self) -> tuple[ValidateFn, DeriveFn]:
        """Return the (validate, derive) callables: the injected ones or the real ones."""
        from policygraph.load.derive import derive
        from policygraph.load.validate import VALIDATOR

        return self.validate or VALIDATOR, self.derive or derive


pass_app = click.make_pass_decorator(AppContext, ensure=True)


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


def _progress(count: int) -> None:
    if sys.stderr.isatty():
        click.echo(f"\r  {count:,} triples parsed…", err=True, nl=False)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--show-report", is_flag=True, help="Print validation warnings for each file.")
@pass_app
def load(app: AppContext, files: Sequence[Path], show_report: bool) -> None:
    """Load Turtle FILES into the store, each into its own named graph.

    Without FILES, loads every bundled ontology and data file. Each file
    replaces the graph <https://w3id.org/policygraph/graph/FILE-STEM>. All
    files are parsed, derived and SHACL-validated first; if any fails,
    nothing is written.

    \b
    Examples:
      policygraph load
      policygraph load data/opdc-acp-2567.ttl
    """
    paths = list(files) or ontology_files() + data_files()
    if not paths:
        raise PolicygraphError("nothing to load: no FILES given and no bundled files found")
    validate, derive = app.pipeline()
    with app.open_store(create=True) as store:
        reports = load_many(store, paths, validate=validate, derive=derive, progress=_progress)
    if sys.stderr.isatty():
        click.echo("\r\033[K", err=True, nl=False)
    width = max(len(str(report.graph)) for report in reports)
    for report in reports:
        iri = str(report.graph).ljust(width)
        click.echo(f"{iri}  {report.triples:>9,} triples  {report.seconds:7.2f} s")
        if show_report and report.warnings_report:
            click.echo(report.warnings_report.rstrip())
    total = sum(r.triples for r in reports)
    seconds = sum(r.seconds for r in reports)
    click.echo(f"total: {len(reports)} file(s), {total:,} triples, {seconds:.2f} s")
    warned = [r for r in reports if r.warnings_report]
    if warned and not show_report:
        click.echo(f"{len(warned)} file(s) have validation warnings; see --show-report", err=True)


@main.command("validate")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-v", "--verbose", is_flag=True, help="Print reports of conforming data too.")
@pass_app
@click.pass_context
def validate_command(
    ctx: click.Context, app: AppContext, files: Sequence[Path], verbose: bool
) -> None:
    """Check FILES (or the store's contents) against the SHACL shapes.

    FILES are checked exactly as ``load`` would check them (against the
    store's other graphs), but nothing is written. Without FILES, each named
    graph in the store is checked against the others.

    Exit status: 0 conforms, 1 does not conform, 2 error (e.g. unparsable file).

    \b
    Examples:
      policygraph validate data/opdc-acp-2567.ttl
      policygraph validate
    """
    validate, derive = app.pipeline()
    results: list[tuple[object, Any]]
    if files:
        with contextlib.ExitStack() as stack:
            store: GraphStore | None
            try:
                store = stack.enter_context(app.open_store(read_only=True))
            except StoreError:
                store = None  # no store yet: validate against the other FILES only
            results = list(check_files(store, list(files), validate=validate, derive=derive))
    else:
        with app.open_store(read_only=True) as store:
            if not store.graphs():
                raise PolicygraphError("the store is empty; run 'policygraph load' first")
            results = list(check_store(store, validate))
    conforms = True
    for label, report in results:
        click.echo(f"{label}: {'conforms' if report.conforms else 'DOES NOT CONFORM'}")
        if verbose or not report.conforms:
            click.echo(report.text().rstrip())
        conforms = conforms and bool(report.conforms)
    ctx.exit(0 if conforms else 1)


def _parse_params(pairs: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise PolicygraphError(f"--param {pair!r} must look like NAME=VALUE")
        if name in params:
            raise PolicygraphError(f"--param {name} given twice")
        params[name] = value
    return params


def print_result(result: QueryResult, fmt: str = "table", *, max_width: int = 48) -> None:
    """Print a query result to stdout; for tables, the row count goes to stderr."""
    click.echo(render(result, fmt, max_width=max_width), nl=False)
    if fmt == "table" and result.kind == "select":
        click.echo(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})", err=True)


def _list_queries(app: AppContext) -> None:
    for query in list_queries(app.queries_dir):
        click.echo(f"{query.name}  —  {query.summary}")
        for param in query.params:
            need = "required" if param.required else "optional"
            if param.default is not None:
                need += f", default {param.default}"
            click.echo(f"    -p {param.name}=<{param.type}>  ({need})  {param.description}")
        click.echo(f"    returns: {query.returns}")


@main.command()
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter; repeat for several.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True, help="table for people, csv / json (SPARQL results) for tools.")
@click.option("--list", "list_only", is_flag=True, help="List the named queries and their params.")
@click.option("--max-width", type=click.IntRange(min=0), default=48, show_default=True,
              help="Longest table cell in columns (0: no limit).")
@pass_app
def query(
    app: AppContext,
    name: str | None,
    params: Sequence[str],
    fmt: str,
    list_only: bool,
    max_width: int,
) -> None:
    """Run the named query NAME (see --list) against the store.

    Parameter values are typed: IRIs may be CURIEs (id:…), dates may be
    Buddhist era or Thai (1 มี.ค. 67); they are bound as RDF terms, never
    pasted into the query text.

    \b
    Examples:
      policygraph query --list
      policygraph query trace-up -p element=id:opdc-acp-2567/s1
      policygraph query trace-up -p element=id:opdc-acp-2567/s1 -f csv > trace.csv
    """
    if list_only:
        _list_queries(app)
        return
    if not name:
        raise click.UsageError("give a query NAME, or --list to see them")
    named = get_query(name, app.queries_dir)
    values = _parse_params(params)
    bind_params(named, values)  # fail on bad params before touching the store
    with app.open_store(read_only=True) as store:
        result = execute(store, named, values)
    print_result(result, fmt, max_width=max_width)


@main.command("export")
@click.option("-f", "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="turtle",
              show_default=True, help="graphml is the alignment view (for Gephi, yEd…); "
              "xlsx is the planner's workbook of the plan in -g GRAPH.")
@click.option("-g", "--graph", "graph_name", metavar="NAME",
              help="Only this named graph (file stem such as opdc-acp-2567, or full IRI).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Write to FILE (replaced atomically) instead of stdout.")
@pass_app
def export_command(app: AppContext, fmt: str, graph_name: str | None, output: str) -> None:
    """Export the store (or one graph) as RDF, or the alignment view as GraphML.

    \b
    Examples:
      policygraph export -f turtle -o policygraph.ttl
      policygraph export -f trig -g opdc-acp-2567
      policygraph export -f graphml -o alignment.graphml
      policygraph export -f xlsx -g opdc-acp-2567 -o plan.xlsx
    """
    with app.open_store(read_only=True) as store:
        graph = resolve_graph(store, graph_name) if graph_name else None
        data = export(store, fmt, graph, build_graph=app.build_graph)
    try:
        with click.open_file(output, "wb", atomic=output != "-") as stream:
            stream.write(data)
    except OSError as exc:
        raise PolicygraphError(f"cannot write {output}: {exc.strerror or exc}") from exc
    if output != "-":
        click.echo(f"wrote {len(data):,} bytes to {output}", err=True)


# Registers the analysis commands on ``main``; must stay last (see module docstring).
from policygraph.cli import analysis, bench, planner, serve, synth  # noqa: E402, F401
