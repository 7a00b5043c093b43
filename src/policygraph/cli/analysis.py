"""The analysis commands: trace, coverage and demo."""

from __future__ import annotations

import json
import time
from collections import Counter

import click
from rdflib import URIRef

from policygraph.cli.context import AppContext, ensure_loaded, pass_app, print_result
from policygraph.errors import PolicygraphError
from policygraph.namespaces import ID, PG
from policygraph.query.display import FORMATS
from policygraph.query.reach import reached, trace_as_dict
from policygraph.query.registry import run_query
from policygraph.query.resolve import resolve_element
from policygraph.query.trace import Trace, trace_up
from policygraph.store import GraphStore

__all__ = ["COMMANDS", "coverage", "demo", "trace"]

DEMO_PLAN = ID["opdc-acp-2567"]
LEVEL_NAMES = {"1": "Level 1 (Z)", "2": "Level 2 (Y)", "3": "Level 3 (X)"}


def _curie(node: URIRef) -> str:
    text = str(node)
    return "id:" + text.removeprefix(str(ID)) if text.startswith(str(ID)) else text


def _print_trace(trace: Trace, show_all: bool) -> None:
    click.echo(f"{trace.label(trace.element)}  <{_curie(trace.element)}>")
    ends = trace.level1()
    if not ends:
        click.echo("  does not trace up to Level 1 (an orphan)")
        return
    click.echo("  reaches Level 1: " + " · ".join(trace.label(end) for end in ends))
    chains = trace.chains()
    shown = chains if show_all else trace.shortest_chains()
    hint = "" if show_all else "; --all for every chain"
    click.echo(f"\nChains ({len(shown)} of {len(chains)}{hint}):")
    used = {}
    for number, chain in enumerate(shown, 1):
        click.echo(f"{number:>3}. {trace.label(chain[0].source)}")
        for hop in chain:
            target = f"{trace.label(hop.target)}  <{_curie(hop.target)}>"
            click.echo(f"       ─ {hop.relation_name} → {target}")
            if hop.basis is not None:
                used[(hop.source, hop.target)] = hop
    if used:
        click.echo("\nEvidence for the alignments above:")
        for hop in used.values():
            click.echo(f"  {trace.label(hop.source)} → {trace.label(hop.target)} "
                       f"[{'stated' if hop.basis == PG.Stated else 'inferred'}] {hop.location}")
            if hop.evidence:
                click.echo(f"    “{hop.evidence}”")


def _trace_json(trace: Trace) -> str:
    return json.dumps(trace_as_dict(trace), ensure_ascii=False, indent=2) + "\n"


@click.command()
@click.argument("element")
@click.option("--down", is_flag=True, help="Trace down instead: everything that supports ELEMENT.")
@click.option("--all", "show_all", is_flag=True, help="Show every chain, not the shortest per end.")
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True,
              help="Label language.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", *FORMATS]), default="text",
              show_default=True, help="text for people; json for tools (csv/table with --down).")
@pass_app
def trace(app: AppContext, element: str, down: bool, show_all: bool, lang: str, fmt: str) -> None:
    """Trace ELEMENT up to the National Strategy (or --down to its supporting projects).

    ELEMENT is an IRI, a CURIE (id:opdc-acp-2567/s1-a3), a notation (4.1) or part of a Thai or
    English label. Every hop shows its relation; alignments show their basis (stated / inferred)
    and the quoted evidence with its place in the source.

    \b
    Examples:
      policygraph trace id:opdc-acp-2567/s1-a3
      policygraph trace ศูนย์บริการครบวงจร
      policygraph trace id:mp21/target --down
    """
    with app.open_store(read_only=True) as store:
        iri = resolve_element(store, element)
        if down:
            result = run_query(store, "trace-down", {"target": str(iri), "lang": lang})
            print_result(result, "table" if fmt == "text" else fmt)
            return
        started = time.perf_counter()
        found = trace_up(store, iri, lang)
        seconds = time.perf_counter() - started
    if fmt == "json":
        click.echo(_trace_json(found), nl=False)
    else:
        _print_trace(found, show_all)
        click.echo(f"\n({len(found.hops)} hops, {seconds * 1000:.1f} ms)", err=True)


@click.command()
@click.option("--level", type=click.Choice(["1", "2", "3"]), help="Only this plan level.")
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True)
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True)
@click.option("--all", "show_all", is_flag=True, help="List covered targets too, with counts.")
@pass_app
def coverage(app: AppContext, level: str | None, lang: str, fmt: str, show_all: bool) -> None:
    """Targets at each plan level, and the gaps: those no project or activity supports.

    \b
    Examples:
      policygraph coverage
      policygraph coverage --level 2 --all
    """
    params = {"lang": lang} | ({"level": level} if level else {})
    with app.open_store(read_only=True) as store:
        full = run_query(store, "coverage", params)
        gaps = run_query(store, "coverage-gaps", params)
    if fmt == "table":
        totals = Counter(str(row["level"]) for row in full.rows)
        missing = Counter(str(row["level"]) for row in gaps.rows)
        for lvl in sorted(totals):
            click.echo(f"{LEVEL_NAMES.get(lvl, lvl)}: {totals[lvl]} targets, "
                       f"{totals[lvl] - missing[lvl]} supported, {missing[lvl]} gaps")
        click.echo("")
    print_result(full if show_all else gaps, fmt)




def _plan_summary(store: GraphStore, plan: URIRef, lang: str) -> None:
    rows = run_query(store, "trace-down", {"target": str(plan), "lang": lang}).rows
    work = {str(r["element"]): r for r in rows if r["kind"] in (PG.Project, PG.Activity)}
    for iri, row in sorted(work.items()):
        budget = row.get("budgetStatus")
        amount = row.get("amount")
        if budget == PG.BudgetStated and amount is not None:
            money = f"{float(amount):,.2f} บาท" if lang == "th" else f"THB {float(amount):,.2f}"
        elif budget == PG.NoBudget:
            money = "ไม่มีการใช้งบประมาณ / no budget used"
        else:
            money = "ไม่ได้ระบุงบประมาณ / budget not stated"
        click.echo(f"\n{_curie(URIRef(iri))}  {row['label']}\n    {money}")
        targets = reached(trace_up(store, URIRef(iri), lang))
        for lvl in ("2", "1"):
            hits = [r for r in targets if r.level == lvl and r.node != plan]
            if hits:
                click.echo(f"    {LEVEL_NAMES[lvl]}:")
                for r in hits:
                    click.echo(f"      - {r.label} [{r.basis}]")


@click.command()
@click.option("--reload", is_flag=True, help="Reload the bundled files even if already loaded.")
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True)
@pass_app
def demo(app: AppContext, reload: bool, lang: str) -> None:
    """Load the bundled plans (first time) and show how the FY B.E. 2567 plan aligns upward.

    For each project and activity of OPDC's plan: its budget, and the Level-2 and Level-1
    targets it reaches, marked [stated] when a chain of stated links gets there and [inferred]
    when only an analyst's inferred link does. Ends with the national targets nothing supports.
    """
    click.echo(ensure_loaded(app, reload), err=True)
    with app.open_store(read_only=True) as store:
        about = run_query(store, "element", {"element": str(DEMO_PLAN)}).rows
        if not about:
            raise PolicygraphError(f"the store has no {_curie(DEMO_PLAN)}; run with --reload")
        title = about[0]["labelTh" if lang == "th" else "labelEn"]
        click.echo(f"{title}\n<{_curie(DEMO_PLAN)}>")
        _plan_summary(store, DEMO_PLAN, lang)
        gaps = run_query(store, "coverage-gaps", {"lang": lang, "level": "1"})
        click.echo(f"\nLevel-1 targets with no supporting project or activity ({len(gaps.rows)}):")
        for row in gaps.rows:
            click.echo(f"  - {row['label']}  <{_curie(URIRef(str(row['element'])))}>")
    click.echo("\nNext: policygraph trace id:opdc-acp-2567/s1-a3 · policygraph coverage · "
               "policygraph query --list", err=True)


COMMANDS = (trace, coverage, demo)
