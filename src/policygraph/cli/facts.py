"""The commands that keep the derived facts: derive them again, drop graphs with their facts."""

from __future__ import annotations

from collections.abc import Sequence

import click

from policygraph.cli.context import AppContext, pass_app
from policygraph.errors import PolicygraphError
from policygraph.load.materialise import drop_graphs, refresh_facts
from policygraph.namespaces import DERIVED_GRAPH
from policygraph.query.export import resolve_graph

__all__ = ["COMMANDS", "derive_command", "drop_command"]


@click.command("derive")
@pass_app
def derive_command(app: AppContext) -> None:
    """Derive the facts again from every graph of the store.

    ``load``, ``import`` and the SPARQL endpoint's writes keep the derived graph
    <https://w3id.org/policygraph/derived> up to date; run this after the store was
    changed by other means, or when ``validate`` says the facts are out of date.

    \b
    Example:
      policygraph derive
    """
    with app.open_store(create=False) as store:
        count = refresh_facts(store)
    click.echo(f"{DERIVED_GRAPH}: {count:,} derived facts")


@click.command("drop")
@click.argument("graphs", nargs=-1, required=True, metavar="GRAPH...")
@pass_app
def drop_command(app: AppContext, graphs: Sequence[str]) -> None:
    """Remove named graphs (file stems such as opdc-acp-2567, or full IRIs), and the facts
    derived from them, in one step.

    \b
    Example:
      policygraph drop synth-plans-2024
    """
    with app.open_store(create=False) as store:
        names = [resolve_graph(store, name) for name in graphs]
        if DERIVED_GRAPH in names:
            raise PolicygraphError(f"<{DERIVED_GRAPH}> is derived from the other graphs; "
                                   "it cannot be dropped on its own")
        drop_graphs(store, names)
    for name in names:
        click.echo(f"dropped {name}")


COMMANDS = (derive_command, drop_command)
