"""Validate parsed files or stored graphs against the other graphs, without writing."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import Graph, URIRef

from policygraph.errors import LoadError
from policygraph.load.parsing import PreparedFile, ProgressFn, graph_iri, prepare_file
from policygraph.load.staging import (
    DatasetValidator,
    StoreDeriver,
    copy_graphs,
    stage_files,
    validate_staged,
)
from policygraph.namespaces import DERIVED_GRAPH
from policygraph.store import GraphStore, graph_triples
from policygraph.store.oxstore import OxigraphStore

__all__ = [
    "BatchValidator",
    "ValidateFn",
    "ValidationReport",
    "check_files",
    "check_store",
    "check_unique",
    "fast_path",
    "store_context",
    "validate_prepared",
]


class ValidationReport(Protocol):
    """What loading needs from a validation report."""

    @property
    def conforms(self) -> bool:
        """True when nothing blocks the load."""
        ...

    def text(self) -> str:
        """Return the human-readable report."""
        ...


ValidateFn = Callable[[Graph, Graph | None], ValidationReport]


@runtime_checkable
class BatchValidator(Protocol):
    """A validator that can also check several graphs in one run (much faster for many files)."""

    def __call__(self, data: Graph, context: Graph | None) -> ValidationReport:
        """Validate one graph."""
        ...

    def many(self, graphs: Sequence[Graph], context: Graph | None) -> list[ValidationReport]:
        """Validate several graphs together; one report per graph, in order."""
        ...


def fast_path(validate: object | None, derive: object | None) -> bool:
    """Whether ``validate`` and ``derive`` (each optional) can work on pyoxigraph directly.

    True for the project's own (:data:`policygraph.load.validate.VALIDATOR`,
    :data:`policygraph.load.derive.derive`); then files headed for (or checked against) the
    embedded store go through :mod:`policygraph.load.staging` instead of rdflib graphs.
    """
    return (validate is None or isinstance(validate, DatasetValidator)) and \
        (derive is None or isinstance(derive, StoreDeriver))


def store_context(store: GraphStore | None, exclude: Collection[URIRef]) -> Graph:
    """Merge every named graph of ``store`` except ``exclude`` into one rdflib Graph."""
    context = Graph()
    if store is not None:
        for graph in store.graphs():
            if graph not in exclude:
                for triple in graph_triples(store, graph):
                    context.add(triple)
    return context


def check_unique(paths: Sequence[Path]) -> None:
    """Refuse two files that would load into the same named graph.

    Raises:
        LoadError: Naming the second file and the first one it clashes with.
    """
    seen: dict[URIRef, Path] = {}
    for path in paths:
        iri = graph_iri(path)
        if iri in seen:
            raise LoadError(path, f"has the same name as {seen[iri]}; both would load into <{iri}>")
        seen[iri] = path


def validate_prepared(
    prepared: Sequence[PreparedFile],
    store: GraphStore | None,
    validate: ValidateFn,
    context_graphs: bool,
) -> list[tuple[ValidationReport, float]]:
    """Validate each prepared file against the store's other graphs plus the other files.

    Graphs about to be replaced by ``prepared`` are left out of the context;
    with ``context_graphs=False`` the context is None.

    Returns:
        ``(report, seconds)`` per file, in order.
    """
    replaced = {p.graph for p in prepared} | {DERIVED_GRAPH}  # the facts are derived after
    base = store_context(store, replaced) if context_graphs else None
    if isinstance(validate, BatchValidator) and base is not None and len(prepared) > 1:
        start = time.perf_counter()
        reports = validate.many([item.data for item in prepared], base)
        share = (time.perf_counter() - start) / len(prepared)
        return [(_located(report, item.file), share)
                for item, report in zip(prepared, reports, strict=True)]
    results = []
    for item in prepared:
        context: Graph | None = None
        if base is not None:
            context = Graph()
            context += base
            for other in prepared:
                if other is not item:
                    context += other.data
        start = time.perf_counter()
        report = validate(item.data, context)
        results.append((_located(report, item.file), time.perf_counter() - start))
    return results


def _located(report: ValidationReport, path: Path) -> ValidationReport:
    """Let a report that can (see :mod:`~policygraph.load.validate`) point findings at lines."""
    locate = getattr(report, "locate", None)
    return locate(path) if callable(locate) else report


def check_files(
    store: GraphStore | None,
    paths: Sequence[Path],
    *,
    validate: ValidateFn,
    context_graphs: bool = True,
    progress: ProgressFn | None = None,
) -> list[tuple[Path, ValidationReport]]:
    """Validate files exactly as :func:`load_many` would, without writing anything.

    As there, nothing is derived: the shapes see each file as written.

    Returns:
        ``(file, report)`` pairs, whether or not each conforms.

    Raises:
        LoadError: If a file cannot be parsed.
    """
    check_unique(paths)
    if (store is None or isinstance(store, OxigraphStore)) and fast_path(validate, None):
        staging = stage_files(paths, progress=progress)
        context = store.oxigraph if store is not None else None
        reports = validate_staged(staging, validate, context,  # type: ignore[arg-type]
                                  context_graphs)
        return [(item.file, report) for item, (report, _) in zip(staging.files, reports,
                                                                 strict=True)]
    prepared = [prepare_file(path, progress=progress) for path in paths]
    checked = validate_prepared(prepared, store, validate, context_graphs)
    return [(item.file, report) for item, (report, _) in zip(prepared, checked, strict=True)]


def check_store(store: GraphStore, validate: ValidateFn) -> list[tuple[URIRef, ValidationReport]]:
    """Validate each named graph of the store against all the others as context.

    The derived graph is held to the shapes of the derived facts only, and the other graphs to
    all the others (the facts name the data's elements as their subjects).
    """
    return [(name, _own_findings(name, report)) for name, report in _check_store(store, validate)]


#: The shapes of the facts derived on load (ontology/shapes.ttl, "Derived facts").
DERIVED_SHAPES = frozenset({"BudgetRollupShape", "ReachedShape", "SupportedInYearShape"})


def _own_findings(graph: URIRef, report: ValidationReport) -> ValidationReport:
    findings = getattr(report, "findings", None)
    if findings is None or not dataclasses.is_dataclass(report):
        return report
    derived = graph == DERIVED_GRAPH
    kept = [f for f in findings
            if (str(f.shape).rsplit("#", 1)[-1].rsplit(":", 1)[-1] in DERIVED_SHAPES) == derived]
    return report if len(kept) == len(findings) else dataclasses.replace(  # type: ignore[type-var]
        report, findings=kept)


def _check_store(store: GraphStore, validate: ValidateFn
                 ) -> list[tuple[URIRef, ValidationReport]]:
    names = store.graphs()
    if isinstance(store, OxigraphStore) and isinstance(validate, DatasetValidator):
        dataset = ox.Store()
        copy_graphs(store.oxigraph, dataset)
        checked = [ox.NamedNode(str(name)) for name in names]
        return list(zip(names, validate.check_dataset(dataset, checked), strict=True))
    graphs = []
    for name in names:
        data = Graph()
        for triple in graph_triples(store, name):
            data.add(triple)
        graphs.append(data)
    if isinstance(validate, BatchValidator) and len(graphs) > 1:
        # One run over everything: each graph's context is exactly the other graphs.
        return list(zip(names, validate.many(graphs, None), strict=True))
    return [(name, validate(data, store_context(store, {name})))
            for name, data in zip(names, graphs, strict=True)]
