"""Planner commands: ``template`` and ``import`` (spreadsheets), ``diff`` and ``suggest``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
from rdflib.namespace import SKOS

from policygraph.cli.context import AppContext, pass_app
from policygraph.errors import PolicygraphError

__all__ = ["COMMANDS", "diff", "import_command", "suggest", "template"]


def _write(path: Path, data: bytes) -> None:
    try:
        with click.open_file(str(path), "wb", atomic=True) as stream:
            stream.write(data)
    except OSError as exc:
        raise PolicygraphError(f"cannot write {path}: {exc.strerror or exc}") from exc


@click.command()
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def template(app: AppContext, output: Path) -> None:
    """Write an empty plan workbook (.xlsx) to OUTPUT.

    Sheets: README (every column in Thai and English), Plan, Hierarchy (any depth), Indicators,
    Budgets (one row per fiscal year), Schedule, Units, Alignments, Observations; the
    alignment column offers the store's known targets as a drop-down with their Thai labels.

    \b
    Examples:
      policygraph template plan.xlsx
      policygraph import plan.xlsx
    """
    from policygraph.planner.xlsx_plan import template_workbook

    with app.open_store(read_only=True) as store:
        data = template_workbook(store)
    _write(output, data)
    click.echo(f"wrote {output}", err=True)


@click.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("-g", "--graph", "graph_name", metavar="IRI",
              help="Named graph to replace. Default: https://w3id.org/policygraph/graph/PLAN-KEY.")
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@click.option("--no-suggest", is_flag=True,
              help="Do not suggest targets for activities without alignments.")
@pass_app
@click.pass_context
def import_command(ctx: click.Context, app: AppContext, files: Sequence[Path],
                   graph_name: str | None, dry_run: bool, no_suggest: bool) -> None:
    """Import a filled plan workbook (FILES: one .xlsx, or CSV files / a directory of them).

    The plan goes into its own named graph, SHACL-validated first; every problem is reported
    with its sheet, row and column, in Thai and English. On any error nothing is written
    (exit status 1).

    \b
    Examples:
      policygraph import data/opdc-acp-2567.xlsx --dry-run
      policygraph import my-plan/          # plan.csv, hierarchy.csv, …
    """
    from rdflib import URIRef

    from policygraph.planner.import_run import import_workbook
    from policygraph.store.terms import checked_named_node

    validate, derive = app.pipeline()
    graph = None
    if graph_name:
        try:
            graph = URIRef(checked_named_node(graph_name).value)
        except ValueError as exc:
            raise PolicygraphError(str(exc)) from exc
    with app.open_store() as store:
        report = import_workbook(store, list(files), validate=validate, derive=derive,
                                 graph=graph, dry_run=dry_run)
        click.echo(report.text())
        if not report.errors and not no_suggest:
            from policygraph.planner.suggest_report import unlinked_suggestions

            text = unlinked_suggestions(store, report.result)
            if text:
                click.echo(text)
    if report.errors:
        ctx.exit(1)
    if dry_run:
        click.echo("dry run: nothing was written / ทดลองเท่านั้น ไม่มีการบันทึก")



def _plan_source(store: object, name: str) -> tuple[object, object]:
    """A plan as typed on the command line: a graph name, a .ttl file, or a workbook/CSV."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    from policygraph.load.parsing import parse_file
    from policygraph.namespaces import PG
    from policygraph.planner.import_run import read_plan
    from policygraph.planner.xlsx_plan import plan_graph
    from policygraph.query.export import resolve_graph

    path = Path(name)
    if path.suffix.lower() == ".ttl" and path.is_file():
        data: Graph = parse_file(path)
        plans = sorted(p for p in data.subjects(RDF.type, PG.Plan) if isinstance(p, URIRef))
        if len(plans) != 1:
            raise PolicygraphError(f"{path} describes {len(plans)} plans; give a file with one")
        return data, plans[0]
    if path.exists():
        result = read_plan(store, [path])  # type: ignore[arg-type]
        if result.errors or result.plan is None:
            listed = "\n".join(p.text() for p in result.errors)
            raise PolicygraphError(f"{path} cannot be read as a plan:\n{listed}")
        return result.graph, result.plan
    return plan_graph(store, resolve_graph(store, name))  # type: ignore[arg-type]


@click.command()
@click.argument("plan_a")
@click.argument("plan_b")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@pass_app
def diff(app: AppContext, plan_a: str, plan_b: str, fmt: str) -> None:
    """Compare two plans year over year (PLAN_A before, PLAN_B after).

    Each plan is a graph in the store (opdc-acp-2567), a .ttl file, an .xlsx workbook or a
    directory of CSV sheets. Reported: activities added, removed, renamed (matched by code, else
    by Thai label similarity), code changes, budget, indicator, unit and alignment changes,
    and coverage gained and lost (the higher targets each plan reaches directly).

    \b
    Examples:
      policygraph diff opdc-acp-2567 tests/resources/planner/opdc-acp-2568
      policygraph diff opdc-acp-2567 plan-2568.xlsx -f json
    """
    import json

    from rdflib import Graph

    from policygraph.planner.diff import diff_plans

    with app.open_store(read_only=True) as store:
        ga, pa = _plan_source(store, plan_a)
        gb, pb = _plan_source(store, plan_b)
        everything = Graph()
        for triple in store.query("CONSTRUCT WHERE { ?s ?p ?o }").triples:
            everything.add(triple)
    result = diff_plans(ga, pa, gb, pb, everything)  # type: ignore[arg-type]
    if fmt == "json":
        click.echo(json.dumps([{"kind": c.kind, "before": c.before, "after": c.after,
                                "label": c.label, "detail": c.detail} for c in result.changes],
                              ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(result.text())


@click.command()
@click.argument("element", required=False)
@click.option("-n", "--limit", type=click.IntRange(min=1), default=5, show_default=True)
@click.option("--evaluate", is_flag=True,
              help="Measure the ranking: leave-one-out over the stated alignments.")
@click.option("--all-bases", is_flag=True, help="With --evaluate: inferred alignments too.")
@click.option("--accept", "accept", metavar="TARGET",
              help="Write the alignment to TARGET (a suggested IRI or CURIE) as Turtle.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Where --accept writes its Turtle (then: policygraph load FILE).")
@pass_app
def suggest(app: AppContext, element: str | None, limit: int, evaluate: bool, all_bases: bool,
            accept: str | None, output: str) -> None:
    """Suggest higher targets for ELEMENT, ranked by BM25 over Thai and English words.

    Each suggestion shows why: the shared terms and the nearest existing evidence. Nothing is
    written to the store. --accept TARGET writes one alignment (basis inferred, the reasoning as
    rationale) as Turtle, for 'policygraph load' to validate and store.

    \b
    Examples:
      policygraph suggest id:opdc-acp-2567/s2-a4
      policygraph suggest --evaluate
      policygraph suggest id:opdc-acp-2567/s2-a4 --accept id:ethics-strategy -o accepted.ttl
    """
    from rdflib import URIRef

    from policygraph.planner.suggest_eval import evaluate as run_evaluation
    from policygraph.planner.suggest_report import accepted_alignment, store_graph, suggest_for
    from policygraph.query.params import expand_curie
    from policygraph.query.resolve import resolve_element

    with app.open_store(read_only=True) as store:
        graph = store_graph(store)
        iri = resolve_element(store, element) if element else None
    if evaluate:
        result = run_evaluation(graph, stated_only=not all_bases)
        click.echo(result.text("stated or inferred" if all_bases else "stated"))
        if iri is None:
            return
    if iri is None:
        raise click.UsageError("give an ELEMENT, or --evaluate")
    found = suggest_for(graph, iri, limit if accept is None else 10_000)
    if accept is not None:
        wanted = URIRef(expand_curie(accept.strip()) or accept.strip())
        chosen = next((s for s in found if s.target == wanted), None)
        if chosen is None:
            raise PolicygraphError(f"{accept} is not among the suggestions for {iri}")
        data = accepted_alignment(iri, chosen).serialize(format="turtle", encoding="utf-8")
        with click.open_file(output, "wb") as stream:
            stream.write(data)
        return
    for number, s in enumerate(found, 1):
        label = next((str(o) for o in graph.objects(s.target, SKOS.prefLabel) if
                      getattr(o, "language", None) == "th"), str(s.target))
        click.echo(f"{number}. {label}  <{s.target}>  score {s.score:.2f}")
        click.echo(f"     {s.reasoning()}")


COMMANDS = (template, import_command, suggest, diff)
