"""Atomic writes to the embedded store: staging graphs, the journal, and the sweep after a crash.

:class:`~policygraph.store.oxstore.OxigraphStore` writes through these functions;
:mod:`policygraph.load.staging` stages files in pyoxigraph for :func:`write_staged`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pyoxigraph as ox
from rdflib import URIRef

from policygraph.store.terms import RdfTriple, checked_iri, triple_to_oxigraph

__all__ = ["LOADING_PREFIX", "Generated", "Patch", "graph_size", "replace_graphs",
           "sweep_staging_graphs", "visible_graphs", "write_staged"]

# Staging graphs live outside the project's IRI space so they can never clash
# with a real graph, and can be recognised (and swept) after a crash.
LOADING_PREFIX = "urn:x-policygraph:loading:"
# While write_staged bulk-writes graphs that did not exist, this graph lists them
# (<graph> _PENDING "token"); it is dropped in the same transaction that completes the
# write, so after a crash the sweep knows which graphs are incomplete.
_JOURNAL = ox.NamedNode(LOADING_PREFIX + "journal")
_PENDING = ox.NamedNode(LOADING_PREFIX + "pending")

# Graphs bulk-written side by side by write_staged.
_WRITERS = max(1, min(4, os.cpu_count() or 1))


def sweep_staging_graphs(store: ox.Store) -> None:
    """Remove what a load that died left: the graphs its journal lists, every staging graph."""
    # Only reachable if a previous process died between staging and MOVE (or during
    # write_staged); the write lock guarantees no load is in flight now. Graphs the
    # journal lists were being written when it died: they go first.
    for quad in list(store.quads_for_pattern(None, _PENDING, None, _JOURNAL)):
        store.remove_graph(quad.subject)  # type: ignore[arg-type]
    for name in list(store.named_graphs()):
        if isinstance(name, ox.NamedNode) and name.value.startswith(LOADING_PREFIX):
            store.remove_graph(name)


def visible_graphs(store: ox.Store) -> list[ox.NamedNode] | None:
    """The graphs a reader may see when a load that died left its work behind: every named
    graph but the staging ones, the journal and the graphs the journal lists as being written;
    None when nothing was left (read the union of all graphs then).

    A writable open sweeps what was left (:func:`sweep_staging_graphs`); a read-only open, as
    ``policygraph serve`` makes, cannot, so it reads only these graphs and answers the old state.
    """
    names = [name for name in store.named_graphs() if isinstance(name, ox.NamedNode)]
    if not any(name.value.startswith(LOADING_PREFIX) for name in names):
        return None
    pending = {quad.subject for quad in store.quads_for_pattern(None, _PENDING, None, _JOURNAL)}
    return [name for name in names
            if not name.value.startswith(LOADING_PREFIX) and name not in pending]


def replace_graphs(store: ox.Store, contents: Mapping[URIRef, Iterable[RdfTriple]]
                   ) -> dict[URIRef, int]:
    """Replace several named graphs of ``store`` at once (see ``OxigraphStore.replace_graphs``).

    Returns:
        Graph IRI to the number of triples now in that graph.
    """
    targets = {graph: checked_iri(graph) for graph in contents}
    staging: dict[URIRef, ox.NamedNode] = {}
    written: dict[URIRef, int] = {}
    try:
        for graph, triples in contents.items():
            tmp = ox.NamedNode(LOADING_PREFIX + uuid.uuid4().hex)
            staging[graph] = tmp
            counter = [0]
            store.extend(_quads(triples, tmp, counter))
            written[graph] = counter[0]
        operations = [
            f"DROP SILENT GRAPH {targets[graph]}"
            if written[graph] == 0
            else f"MOVE SILENT GRAPH {staging[graph]} TO GRAPH {targets[graph]}"
            for graph in contents
        ]
        store.update(" ;\n".join(operations))
    except BaseException:
        for tmp in staging.values():
            # Best effort: the original error matters more than a cleanup failure.
            with contextlib.suppress(Exception):
                store.remove_graph(tmp)
        raise
    return {graph: graph_size(store, targets[graph]) for graph in contents}


#: A change to a graph, in the same atomic write: the graphs of the source holding the triples
#: to remove from it and those to add to it.
Patch = tuple[ox.NamedNode, ox.NamedNode]
#: A graph's content made on demand: given the graph to write into, its quads.
Generated = Callable[[ox.NamedNode], Iterable[ox.Quad]]


def write_staged(store: ox.Store, source: ox.Store, graphs: Sequence[URIRef],
                 patches: Mapping[URIRef, Patch] | None = None,
                 generated: Mapping[URIRef, Generated] | None = None) -> dict[URIRef, int]:
    """Replace ``graphs`` with those of ``source``, and change each graph of ``patches`` by
    its removals and additions, all or nothing (``OxigraphStore.write_staged``); each graph
    of ``generated`` is replaced too, by the quads its function yields for the graph it is
    given (written as they come, never held in memory).

    Returns:
        Graph IRI to the number of triples now in that graph (``graphs`` and ``generated``).
    """
    patched = {checked_iri(graph): patch for graph, patch in (patches or {}).items()}
    made = dict(generated or {})
    graphs = [*made, *graphs]  # the made ones first: the longest to write, as a rule
    targets = {graph: checked_iri(graph) for graph in graphs}
    fresh = [g for g in graphs
             if next(iter(store.quads_for_pattern(None, None, None, targets[g])), None) is None]
    staging = {g: ox.NamedNode(LOADING_PREFIX + uuid.uuid4().hex)
               for g in graphs if g not in fresh}
    token = ox.Literal(uuid.uuid4().hex)
    patch_graphs: list[ox.NamedNode] = []
    counts: dict[URIRef, int] = {}
    try:
        if fresh:
            store.extend(ox.Quad(targets[g], _PENDING, token, _JOURNAL) for g in fresh)
            store.flush()  # the journal is on disk before any graph it lists

        def bulk_write(graph: URIRef, folder: str) -> None:
            into = staging.get(graph, targets[graph])
            if graph in made:
                counts[graph] = _bulk_extend(store, made[graph](into))
                return
            # Serialised to a file and re-read in Rust: no Python object per triple, and no
            # copy of the graph in memory. (Blank nodes get fresh identifiers, as any load
            # gives them.)
            path = os.path.join(folder, uuid.uuid4().hex + ".nt")
            source.dump(output=path, format=ox.RdfFormat.N_TRIPLES,
                        from_graph=ox.NamedNode(str(graph)))
            store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=into)
            os.remove(path)

        # pyoxigraph releases the GIL here: graphs are written side by side.
        with (tempfile.TemporaryDirectory(prefix="policygraph-write-") as folder,
              ThreadPoolExecutor(max_workers=_WRITERS) as pool):
            list(pool.map(partial(bulk_write, folder=folder), graphs))
        operations = [f"DROP SILENT GRAPH {targets[g]} ; ADD SILENT GRAPH {staging[g]} TO "
                      f"GRAPH {targets[g]}" for g in staging]
        for target, (removals, additions) in patched.items():
            parts = []
            for name in (removals, additions):
                tmp = ox.NamedNode(LOADING_PREFIX + uuid.uuid4().hex)
                patch_graphs.append(tmp)
                store.bulk_load(input=source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
                                or b"", format=ox.RdfFormat.N_TRIPLES, to_graph=tmp)
                parts.append(tmp)
            operations.append(f"DELETE {{ GRAPH {target} {{ ?s ?p ?o }} }} WHERE {{ GRAPH "
                              f"{parts[0]} {{ ?s ?p ?o }} }} ; ADD SILENT GRAPH {parts[1]} TO "
                              f"GRAPH {target}")
        store.update(" ;\n".join([*operations, f"DROP SILENT GRAPH {_JOURNAL}"]))
    except BaseException:
        for name in [*(targets[g] for g in fresh), *staging.values(), *patch_graphs, _JOURNAL]:
            with contextlib.suppress(Exception):
                store.remove_graph(name)
        raise
    for name in [*staging.values(), *patch_graphs]:
        with contextlib.suppress(Exception):  # leftovers are swept at the next open
            store.remove_graph(name)
    return {graph: counts[graph] if graph in made else graph_size(source, ox.NamedNode(str(graph)))
            for graph in graphs}


def graph_size(store: ox.Store, graph: ox.NamedNode) -> int:
    """The number of triples in one named graph of a pyoxigraph store (counted in Rust)."""
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    for row in result if isinstance(result, ox.QuerySolutions) else ():
        count = row["n"]
        return int(count.value) if isinstance(count, ox.Literal) else 0
    return 0


def _bulk_extend(store: ox.Store, quads: Iterable[ox.Quad]) -> int:
    """Bulk-write ``quads`` as they come; how many there were."""
    count = [0]

    def counted() -> Iterator[ox.Quad]:
        for quad in quads:
            count[0] += 1
            yield quad

    store.bulk_extend(counted())
    return count[0]


def _quads(
    triples: Iterable[RdfTriple], graph: ox.NamedNode, counter: list[int]
) -> Iterator[ox.Quad]:
    for triple in triples:
        counter[0] += 1
        yield ox.Quad(*triple_to_oxigraph(triple), graph)
