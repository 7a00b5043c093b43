"""Load Turtle files into the store: parse, validate, derive, then write atomically.

Each file goes into its own named graph, ``GRAPH[<file stem>]`` (for example
``data/opdc-acp-2567.ttl`` → ``https://w3id.org/policygraph/graph/opdc-acp-2567``),
so reloading a file replaces exactly what it contributed. With ``derive``, the facts derived
from all the graphs (:mod:`policygraph.load.facts`) are derived again and written in the same
step. Nothing is written unless every step succeeds for every file.

Into the embedded store, with the project's derive and validate (or none), loading takes the
fast path of :mod:`policygraph.load.staging` (pyoxigraph throughout, no rdflib graphs) and writes
with :meth:`~policygraph.store.oxstore.OxigraphStore.write_staged`; any other store or callables
go through rdflib graphs and :meth:`~policygraph.store.GraphStore.replace_graphs`. Both give
the same graphs, reports and errors.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from policygraph.errors import ValidationFailed
from policygraph.load.checks import ValidateFn, check_unique, fast_path, validate_prepared
from policygraph.load.materialise import replace_with_facts, write_with_facts
from policygraph.load.parsing import (
    DeriveFn,
    ProgressFn,
    add_derived,
    graph_iri,
    parse_file,
    prepare_file,
)
from policygraph.load.staging import derive_staged, stage_files, validate_staged
from policygraph.store import GraphStore
from policygraph.store.oxstore import OxigraphStore

__all__ = ["LoadReport", "graph_iri", "load_file", "load_many", "parse_file"]


@dataclass(frozen=True)
class LoadReport:
    """What loading one file did.

    Attributes:
        file: The source file.
        graph: The named graph it was written to.
        triples: Triples now in that graph (source plus derived).
        seconds: Wall time spent on this file, including its share of the write.
        warnings_report: The validation report text when validation ran, the
            data conformed and the report has warnings (a report without a
            ``warnings`` attribute is always kept), else None.
        steps: On the embedded store's fast path, seconds per step of the whole load
            ("parse", "derive", "context", "validate", "write": with the derived facts),
            shared by all reports.
    """

    file: Path
    graph: URIRef
    triples: int
    seconds: float
    warnings_report: str | None = None
    steps: dict[str, float] | None = field(default=None, compare=False, repr=False)


def _warnings_text(report: Any) -> str | None:
    # Reports that expose ``warnings`` (policygraph.load.validate does) are only
    # worth showing when there are some; others are passed through as text.
    if report is None or not getattr(report, "warnings", True):
        return None
    return str(report.text())


def load_many(
    store: GraphStore,
    paths: Sequence[Path],
    *,
    context_graphs: bool = True,
    validate: ValidateFn | None = None,
    derive: DeriveFn | None = None,
    progress: ProgressFn | None = None,
) -> list[LoadReport]:
    """Load several files all-or-nothing.

    Every file is parsed first; each is then validated against the union of
    the store's graphs that are not being replaced and the other new files;
    only if all succeed are the files derived (derivation never runs on data
    that failed the shapes) and the graphs replaced, in one atomic store
    operation.

    Args:
        store: The target store.
        paths: Turtle files; their stems must be distinct.
        context_graphs: Pass the other graphs to ``validate`` as context.
        validate: ``validate(data, context) -> report``; skipped if None.
        derive: ``derive(data) -> extra triples``; skipped if None.
        progress: Parsing progress callback, see :func:`parse_file`.

    Returns:
        One :class:`LoadReport` per file, in order.

    Raises:
        LoadError: If any file cannot be read or parsed.
        ValidationFailed: If any file does not conform (first one reported).
    """
    check_unique(paths)
    if isinstance(store, OxigraphStore) and fast_path(validate, derive):
        return _load_staged(store, paths, context_graphs, validate, derive, progress)
    prepared = [prepare_file(path, progress=progress) for path in paths]
    checked: list[tuple[Any, float]] = [(None, 0.0)] * len(prepared)
    if validate is not None:
        checked = list(validate_prepared(prepared, store, validate, context_graphs))
        for item, (report, _) in zip(prepared, checked, strict=True):
            if not report.conforms:
                raise ValidationFailed(report, item.file)
    if derive is not None:
        add_derived(prepared, derive)
    start = time.perf_counter()
    contents = {item.graph: item.data for item in prepared}
    counts = (replace_with_facts(store, contents) if derive is not None
              else store.replace_graphs(contents))
    write_seconds = time.perf_counter() - start
    total = sum(len(item.data) for item in prepared) or 1
    return [
        LoadReport(
            file=item.file,
            graph=item.graph,
            triples=counts[item.graph],
            # The write is one transaction; attribute it by share of triples.
            seconds=item.seconds + seconds + write_seconds * len(item.data) / total,
            warnings_report=_warnings_text(report),
        )
        for item, (report, seconds) in zip(prepared, checked, strict=True)
    ]


def _load_staged(
    store: OxigraphStore,
    paths: Sequence[Path],
    context_graphs: bool,
    validate: ValidateFn | None,
    derive: DeriveFn | None,
    progress: ProgressFn | None,
) -> list[LoadReport]:
    """:func:`load_many` into the embedded store, through pyoxigraph only."""
    staging = stage_files(paths, progress=progress)
    checked: list[tuple[Any, float]] = [(None, 0.0)] * len(staging.files)
    if validate is not None:
        checked = list(validate_staged(staging, validate, store.oxigraph,  # type: ignore[arg-type]
                                       context_graphs))
        for item, (report, _) in zip(staging.files, checked, strict=True):
            if not report.conforms:
                raise ValidationFailed(report, item.file)
    if derive is not None:
        derive_staged(staging, derive)  # type: ignore[arg-type]
    graphs = [item.graph for item in staging.files]
    start = time.perf_counter()
    counts = (write_with_facts(store, staging.store, graphs) if derive is not None
              else store.write_staged(staging.store, graphs))
    write_seconds = time.perf_counter() - start
    staging.seconds["write"] = write_seconds
    total = sum(item.triples for item in staging.files) or 1
    return [
        LoadReport(
            file=item.file,
            graph=item.graph,
            triples=counts[item.graph],
            seconds=item.seconds + seconds + write_seconds * item.triples / total,
            warnings_report=_warnings_text(report),
            steps=staging.seconds,
        )
        for item, (report, seconds) in zip(staging.files, checked, strict=True)
    ]


def load_file(
    store: GraphStore,
    path: Path,
    *,
    context_graphs: bool = True,
    validate: ValidateFn | None = None,
    derive: DeriveFn | None = None,
    progress: ProgressFn | None = None,
) -> LoadReport:
    """Load one Turtle file into its named graph, replacing what was there.

    Steps: parse (errors carry file/line/column) → ``validate(graph, context)``
    where context holds every other named graph in the store → ``derive(graph)``
    adds inferred triples → atomic :meth:`GraphStore.replace_graph`.

    Raises:
        LoadError: If the file cannot be read or parsed, or has no triples.
        ValidationFailed: If the data does not conform; nothing is written.
    """
    return load_many(
        store,
        [Path(path)],
        context_graphs=context_graphs,
        validate=validate,
        derive=derive,
        progress=progress,
    )[0]
