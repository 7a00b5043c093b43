"""The embedded store's fast load path: files parsed, validated and derived in pyoxigraph.

Nothing here goes through rdflib: each file is parsed straight into an in-memory pyoxigraph
store, in the named graph it will have in the store (:func:`stage_files`); the context (the
store's other graphs) is copied beside them and the validator checks them all in one run
(:func:`validate_staged`); only when every file passed do the derivation rules run over those
quads (:func:`derive_staged`, :meth:`policygraph.load.derive.Derivation.in_store`).
:meth:`policygraph.store.oxstore.OxigraphStore.write_staged` then writes the staged graphs.
:mod:`~policygraph.load.loader` and :mod:`~policygraph.load.checks` take this path when the store
is an :class:`~policygraph.store.oxstore.OxigraphStore` and the derive and validate callables
have pyoxigraph entry points (the project's own do); otherwise they go through rdflib as before.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import Graph, URIRef

from policygraph.errors import LoadError
from policygraph.load import parsing
from policygraph.load.parsing import ProgressFn, graph_iri
from policygraph.namespaces import DERIVED_GRAPH
from policygraph.shacl.findings import ValidationReport
from policygraph.store.oxstore import LOADING_PREFIX, graph_size
from policygraph.store.terms import RdfTriple

__all__ = ["DatasetValidator", "StagedFile", "Staging", "StoreDeriver", "copy_graphs",
           "derive_staged", "stage_files", "validate_staged"]


@runtime_checkable
class StoreDeriver(Protocol):
    """A derivation (``derive(graph)``) that can also derive from a pyoxigraph named graph."""

    def __call__(self, graph: Graph) -> Iterable[RdfTriple]:
        """The triples derived from an rdflib graph."""
        ...

    def in_store(self, store: ox.Store, graph: ox.NamedNode) -> list[ox.Quad]:
        """The quads derived from one named graph of ``store``, in that graph."""
        ...


@runtime_checkable
class DatasetValidator(Protocol):
    """A validator (``validate(data, context)``) that can also check graphs in pyoxigraph."""

    def __call__(self, data: Graph, context: Graph | None) -> ValidationReport:
        """Validate an rdflib graph."""
        ...

    def check_dataset(self, store: ox.Store,
                      checked: Sequence[ox.NamedNode]) -> list[ValidationReport]:
        """Validate the named graphs ``checked``, every graph of ``store`` as context."""
        ...


@dataclass
class StagedFile:
    """A parsed file (derived once it passed), waiting in the staging store in its graph."""

    file: Path
    graph: URIRef
    name: ox.NamedNode
    triples: int
    seconds: float


@dataclass
class Staging:
    """The staging store and the files in it; ``seconds`` times each step."""

    store: ox.Store
    files: list[StagedFile]
    seconds: dict[str, float] = field(default_factory=dict)


def _parse_into(store: ox.Store, path: Path, name: ox.NamedNode) -> None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, f"cannot read file: {exc.strerror or exc}") from exc
    text = parsing.decode(path, raw)
    try:
        # Store.load gives every file's blank nodes fresh identifiers, as parse_file does.
        store.load(input=text, format=ox.RdfFormat.TURTLE, to_graph=name)
    except SyntaxError as exc:
        raise parsing.syntax_error(path, exc) from exc
    except MemoryError as exc:
        raise parsing.too_long(path, text, exc) from exc


def stage_files(paths: Sequence[Path], *, progress: ProgressFn | None = None) -> Staging:
    """Parse each file into its named graph of a new in-memory store, ready to be validated.

    Raises:
        LoadError: As :func:`policygraph.load.parsing.parse_file` would, for the first bad file.
    """
    store = ox.Store()
    files = []
    parse_seconds = 0.0
    for path in map(Path, paths):
        start = time.perf_counter()
        graph = graph_iri(path)
        name = ox.NamedNode(str(graph))
        _parse_into(store, path, name)
        count = graph_size(store, name)
        if count == 0:
            raise LoadError(path, "contains no triples")
        if progress is not None and count > parsing.PROGRESS_THRESHOLD:
            progress(count)
        seconds = time.perf_counter() - start
        parse_seconds += seconds
        files.append(StagedFile(path, graph, name, count, seconds))
    return Staging(store, files, {"parse": parse_seconds})


def derive_staged(staging: Staging, derive: StoreDeriver) -> None:
    """Add to each staged file's graph the quads ``derive`` infers from it.

    Called only once every file has passed the shapes (:func:`validate_staged`): derivation
    never runs on data that failed them.
    """
    start = time.perf_counter()
    for item in staging.files:
        begun = time.perf_counter()
        staging.store.extend(derive.in_store(staging.store, item.name))
        item.triples = graph_size(staging.store, item.name)
        item.seconds += time.perf_counter() - begun
    staging.seconds["derive"] = time.perf_counter() - start


def copy_graphs(source: ox.Store, target: ox.Store, exclude: Collection[str] = ()) -> None:
    """Copy every named graph of ``source`` into ``target``, but ``exclude`` and staging ones."""
    for name in source.named_graphs():
        if isinstance(name, ox.NamedNode) and (name.value in exclude or
                                               name.value.startswith(LOADING_PREFIX)):
            continue
        target.extend(source.quads_for_pattern(None, None, None, name))


def validate_staged(staging: Staging, validator: DatasetValidator, context: ox.Store | None,
                    context_graphs: bool) -> list[tuple[ValidationReport, float]]:
    """Validate the staged files as :func:`policygraph.load.checks.validate_prepared` would.

    With ``context_graphs``, every file sees the others and ``context``'s graphs (those not
    being replaced); without, each file is checked alone.

    Returns:
        ``(report, seconds)`` per file, in order; reports point at file lines.
    """
    start = time.perf_counter()
    files = staging.files
    if context_graphs and context is not None:
        # The derived facts are left out: they are derived again once the files pass.
        copy_graphs(context, staging.store, {str(f.graph) for f in files} | {str(DERIVED_GRAPH)})
    copied = time.perf_counter()
    if context_graphs:
        reports = validator.check_dataset(staging.store, [f.name for f in files])
    else:
        reports = []
        for item in files:
            alone = ox.Store()
            alone.extend(staging.store.quads_for_pattern(None, None, None, item.name))
            reports += validator.check_dataset(alone, [item.name])
    located = [report.locate(item.file) for item, report in zip(files, reports, strict=True)]
    end = time.perf_counter()
    staging.seconds.update(context=copied - start, validate=end - copied)
    share = (end - start) / max(len(files), 1)
    return [(report, share) for report in located]
