"""What every command shares: the :class:`AppContext`, its ``pass_app`` decorator, printing.

Sub-command modules import this module, never :mod:`policygraph.cli.main` (which imports them
to register their commands).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from policygraph.config import EndpointConfig, default_store_path
from policygraph.load.checks import ValidateFn
from policygraph.load.loader import load_many
from policygraph.load.parsing import DeriveFn
from policygraph.namespaces import GRAPH
from policygraph.query.display import render
from policygraph.query.export import BuildGraph
from policygraph.resources import data_files, ontology_files
from policygraph.store import GraphStore, OxigraphStore
from policygraph.store.remote.store import open_endpoint
from policygraph.store.results import QueryResult

__all__ = ["AppContext", "ensure_loaded", "pass_app", "print_result"]


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
            with open_endpoint(self.endpoint, read_only=read_only) as remote:
                yield remote
            return
        path = self.store_path or default_store_path()
        with OxigraphStore(path, read_only=read_only, create=create) as store:
            _check_facts_kept(store)
            yield store

    def pipeline(self) -> tuple[ValidateFn, DeriveFn]:
        """Return the (validate, derive) callables: the injected ones or the real ones."""
        from policygraph.load.derive import derive
        from policygraph.load.validate import VALIDATOR

        return self.validate or VALIDATOR, self.derive or derive


pass_app = click.make_pass_decorator(AppContext, ensure=True)


def print_result(result: QueryResult, fmt: str = "table", *, max_width: int = 48) -> None:
    """Print a query result to stdout; for tables, the row count goes to stderr."""
    click.echo(render(result, fmt, max_width=max_width), nl=False)
    if fmt == "table" and result.kind == "select":
        click.echo(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})", err=True)



def ensure_loaded(app: AppContext, reload: bool) -> str:
    """Load the bundled files unless the store already has them; say what happened."""
    bundled = ontology_files() + data_files()
    wanted = {GRAPH[path.stem] for path in bundled}
    with app.open_store(create=True) as store:
        if not reload and wanted <= set(store.graphs()):
            return f"using the loaded store ({store.triple_count():,} triples)"
        validate, derive = app.pipeline()
        started = time.perf_counter()
        reports = load_many(store, bundled, validate=validate, derive=derive)
        total = sum(r.triples for r in reports)
        return (f"loaded {len(reports)} files, {total:,} triples "
                f"in {time.perf_counter() - started:.1f} s")



def _check_facts_kept(store: OxigraphStore) -> None:
    """A store written before the facts were derived (an older policygraph) gets them when it
    is opened for writing; opened read-only, it says how to get them."""
    from policygraph.load.materialise import has_facts, refresh_facts

    graphs = store.graphs()
    if not graphs or has_facts(store):
        return
    if store.read_only:
        click.echo(f"warning: the store at {store.path} has no derived facts (it was written by "
                   "an older policygraph), so traces, coverage and budget roll-ups are "
                   "incomplete; run 'policygraph derive' once", err=True)
    else:
        refresh_facts(store)
