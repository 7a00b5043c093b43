"""The data commands: load, validate, query and export."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from policygraph.cli.context import AppContext, pass_app, print_result
from policygraph.errors import PolicygraphError, StoreError
from policygraph.load.checks import check_files, check_store
from policygraph.load.loader import load_many
from policygraph.load.materialise import check_facts
from policygraph.planner.xlsx_plan import plan_workbook
from policygraph.query.display import FORMATS
from policygraph.query.export import EXPORT_FORMATS, export, resolve_graph
from policygraph.query.registry import bind_params, execute, get_query, list_queries
from policygraph.resources import data_files, ontology_files
from policygraph.store import GraphStore

__all__ = ["COMMANDS", "export_command", "load", "query", "validate_command"]


def _progress(count: int) -> None:
    if sys.stderr.isatty():
        click.echo(f"\r  {count:,} triples parsed…", err=True, nl=False)



@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--show-report", is_flag=True, help="Print validation warnings for each file.")
@pass_app
def load(app: AppContext, files: Sequence[Path], show_report: bool) -> None:
    """Load Turtle FILES into the store, each into its own named graph.

    Without FILES, loads every bundled ontology and data file. Each file
    replaces the graph <https://w3id.org/policygraph/graph/FILE-STEM>. All
    files are parsed and SHACL-validated first, and derived only when all
    pass; if any fails, nothing is written.

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


@click.command("validate")
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
    graph in the store is checked against the others, and the derived facts
    against a derivation from scratch.

    Exit status: 0 conforms, 1 does not conform, 2 error (e.g. unparsable file).

    \b
    Examples:
      policygraph validate data/opdc-acp-2567.ttl
      policygraph validate
    """
    validate, _ = app.pipeline()
    results: list[tuple[object, Any]]
    if files:
        with contextlib.ExitStack() as stack:
            store: GraphStore | None
            try:
                store = stack.enter_context(app.open_store(read_only=True))
            except StoreError:
                store = None  # no store yet: validate against the other FILES only
            results = list(check_files(store, list(files), validate=validate))
    else:
        with app.open_store(read_only=True) as store:
            if not store.graphs():
                raise PolicygraphError("the store is empty; run 'policygraph load' first")
            results = list(check_store(store, validate))
            facts = check_facts(store)
    conforms = True
    for label, report in results:
        click.echo(f"{label}: {'conforms' if report.conforms else 'DOES NOT CONFORM'}")
        if verbose or not report.conforms:
            click.echo(report.text().rstrip())
        conforms = conforms and bool(report.conforms)
    if not files:
        if facts.current:
            click.echo("derived facts: current (what the graphs give)")
        else:
            click.echo(f"derived facts: OUT OF DATE, {facts.missing:,} missing and {facts.extra:,} "
                       "that the graphs do not give; run 'policygraph derive'")
        conforms = conforms and facts.current
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



def _list_queries(app: AppContext) -> None:
    for query in list_queries(app.queries_dir):
        click.echo(f"{query.name}  —  {query.summary}")
        for param in query.params:
            need = "required" if param.required else "optional"
            if param.default is not None:
                need += f", default {param.default}"
            click.echo(f"    -p {param.name}=<{param.type}>  ({need})  {param.description}")
        click.echo(f"    returns: {query.returns}")


@click.command()
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


@click.command("export")
@click.option("-f", "--format", "fmt", type=click.Choice((*EXPORT_FORMATS, "xlsx")),
              default="turtle",
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
        if fmt == "xlsx":  # the planner's workbook of the one plan in GRAPH
            data = plan_workbook(store, graph)[0]
        else:
            data = export(store, fmt, graph, build_graph=app.build_graph)
    try:
        with click.open_file(output, "wb", atomic=output != "-") as stream:
            stream.write(data)
    except OSError as exc:
        raise PolicygraphError(f"cannot write {output}: {exc.strerror or exc}") from exc
    if output != "-":
        click.echo(f"wrote {len(data):,} bytes to {output}", err=True)




COMMANDS = (load, validate_command, query, export_command)
