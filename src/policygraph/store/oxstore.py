"""The embedded pyoxigraph (RocksDB) implementation of :class:`policygraph.store.GraphStore`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Identifier

from policygraph.errors import QueryError, StoreError
from policygraph.namespaces import PREFIXES
from policygraph.store.oxdump import DUMP_FORMATS, dump
from policygraph.store.oxwrite import (
    LOADING_PREFIX,
    Generated,
    Patch,
    graph_size,
    replace_graphs,
    sweep_staging_graphs,
    visible_graphs,
    write_staged,
)
from policygraph.store.resultcache import ResultCache
from policygraph.store.results import QueryResult
from policygraph.store.terms import (
    RdfTriple,
    checked_iri,
    to_oxigraph,
    to_rdflib,
    triple_to_rdflib,
)

__all__ = ["DUMP_FORMATS", "LOADING_PREFIX", "OxigraphStore", "checked_iri", "graph_size"]

_Substitutions = dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]
def _open_error(path: Path, exc: OSError) -> StoreError:
    message = str(exc)
    if "lock" in message.lower():
        return StoreError(
            f"the store at {path} is in use by another policygraph process (or another "
            "open store in this one); wait for it to finish, or pass --store / set "
            "POLICYGRAPH_STORE to use a different store"
        )
    return StoreError(f"cannot open the store at {path}: {message}")


class OxigraphStore:
    """An embedded pyoxigraph (RocksDB) store implementing :class:`GraphStore`.

    Every query runs with ``use_default_graph_as_union=True``: the default
    graph is the union of all named graphs, so queries need no ``GRAPH``
    clause unless they care where a triple came from. (A read-only store that a load
    which died left its staging graphs in reads only the other graphs, as they were
    before that load: :func:`~policygraph.store.oxwrite.visible_graphs`.) Queries are parsed with
    :data:`policygraph.namespaces.PREFIXES`, so they may omit PREFIX lines.

    Args:
        path: Store directory; None keeps the store in memory (for tests).
        read_only: Open without taking the write lock; writes then fail.
        create: Create the directory if missing; if False a missing store
            is an error (read commands should not create stores as a side effect).

    Raises:
        StoreError: If the store is missing, locked or unreadable.
    """

    def __init__(
        self, path: Path | str | None = None, *, read_only: bool = False, create: bool = True
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        #: Answers kept while the store cannot change (opened read-only), else None.
        self.cache = ResultCache() if read_only else None
        self._store: ox.Store | None = None
        #: On a read-only store that a dead load left work in, the graphs queries may read.
        self._visible: list[ox.NamedNode] | None = None
        self._generation = 0
        if self.path is None:
            self._store = ox.Store()
            return
        exists = (self.path / "CURRENT").exists()
        if not exists and (read_only or not create):
            raise StoreError(
                f"no store at {self.path}; run 'policygraph load' first or pass --store"
            )
        try:
            if read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise _open_error(self.path, exc) from exc
        if not read_only:
            sweep_staging_graphs(self._ox)
        else:
            self._visible = visible_graphs(self._ox)

    @classmethod
    def in_memory_copy(cls, path: Path | str) -> OxigraphStore:
        """A read-only copy in memory of the store at ``path`` (see ``serve --memory``).

        pyoxigraph's memory store answers queries that scan many triples several times faster
        than RocksDB on disk (BENCHMARKS.md), for about the memory the store takes.

        Raises:
            StoreError: If there is no store at ``path`` or it cannot be read.
        """
        copy = cls(None, read_only=True)
        with cls(path, read_only=True, create=False) as disk:
            try:
                # What a load that died left is not copied.
                graphs = [None] if disk._visible is None else disk._visible
                for graph in graphs:
                    copy._ox.bulk_extend(disk._ox.quads_for_pattern(None, None, None, graph))
            except OSError as exc:
                raise StoreError(f"cannot read the store at {path}: {exc}") from exc
        copy.path = Path(path)  # where the SPARQL endpoint's workers read the same data
        return copy

    @property
    def _ox(self) -> ox.Store:
        if self._store is None:
            raise StoreError("the store is closed")
        return self._store

    @property
    def oxigraph(self) -> ox.Store:
        """The open pyoxigraph store, for the SPARQL endpoint; all else uses :class:`GraphStore`.

        The endpoint needs Oxigraph's dataset arguments and native serialisers.

        Raises:
            StoreError: If the store is closed.
        """
        return self._ox

    def _writable(self) -> ox.Store:
        if self.read_only:
            raise StoreError(f"the store at {self.path} was opened read-only")
        self.mark_changed()
        return self._ox

    @property
    def generation(self) -> int:
        """A number that changes whenever this handle writes the store (and when
        :meth:`mark_changed` says another writer did): what was read from an older generation
        may be out of date. Always 0 for a read-only open."""
        return self._generation

    def mark_changed(self) -> None:
        """Say the store's contents changed (or are about to): see :attr:`generation`."""
        self._generation += 1

    def query(
        self, sparql: str, bindings: Mapping[str, Identifier] | None = None
    ) -> QueryResult:
        """Run a SPARQL query; ``bindings`` pre-bind variables to RDF terms.

        Bindings use SEP-0007 substitution, never text splicing, so values
        cannot change the query's structure. A read-only store keeps its answers
        (:class:`policygraph.store.resultcache.ResultCache`): it cannot change while open.

        Args:
            sparql: A SELECT, ASK, CONSTRUCT or DESCRIBE query.
            bindings: Variable name (without ``?``) to rdflib term.

        Returns:
            The fully materialised :class:`QueryResult`.

        Raises:
            QueryError: If the query or a binding is invalid.
            StoreError: If the store cannot be read.
        """
        try:
            substitutions: _Substitutions = {
                ox.Variable(name): to_oxigraph(term) for name, term in (bindings or {}).items()
            }
        except (ValueError, TypeError) as exc:
            raise QueryError(f"invalid query binding: {exc}") from exc
        if self.cache is not None:
            return self.cache.answer(sparql, bindings, lambda: self._query(sparql, substitutions))
        return self._query(sparql, substitutions)

    def _query(self, sparql: str, substitutions: _Substitutions) -> QueryResult:
        try:
            dataset: dict[str, Any] = (
                {"use_default_graph_as_union": True} if self._visible is None
                else {"default_graph": self._visible, "named_graphs": self._visible})
            result = self._ox.query(
                sparql,
                prefixes=PREFIXES,
                substitutions=substitutions or None,
                **dataset,
            )
            return _materialise(result)
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot read the store: {exc}") from exc
        except RuntimeError as exc:  # pyoxigraph's evaluation and substitution errors
            raise QueryError(f"query failed: {exc}") from exc

    def replace_graph(self, graph: URIRef, triples: Iterable[RdfTriple]) -> int:
        """Atomically replace ``graph``'s content with ``triples``.

        See :meth:`replace_graphs` for how atomicity is achieved.

        Returns:
            The number of (distinct) triples now in the graph.
        """
        return self.replace_graphs({graph: triples})[graph]

    def replace_graphs(self, contents: Mapping[URIRef, Iterable[RdfTriple]]) -> dict[URIRef, int]:
        """Atomically replace the content of several named graphs.

        Each graph's triples are first written (one transaction per graph)
        into a private staging graph; then a single SPARQL update of
        ``MOVE SILENT GRAPH <staging> TO GRAPH <target>`` operations swaps them
        all in. Oxigraph applies an update as one transaction, so readers see
        either all old graphs or all new ones. If anything fails (including
        the ``triples`` iterables raising), staging graphs are removed, the
        targets are untouched, and the exception propagates.

        Returns:
            Graph IRI to the number of triples now in that graph.

        Raises:
            StoreError: On an invalid graph IRI, read-only store or I/O error.
        """
        try:
            return replace_graphs(self._writable(), contents)
        finally:
            self.mark_changed()  # as the write ends, too: a reader meanwhile saw part of it

    def write_staged(self, source: ox.Store, graphs: Sequence[URIRef],
                     patches: Mapping[URIRef, Patch] | None = None,
                     generated: Mapping[URIRef, Generated] | None = None) -> dict[URIRef, int]:
        """Replace ``graphs`` with the same-named graphs of ``source``, all or nothing.

        The fast counterpart of :meth:`replace_graphs` for data already in pyoxigraph (see
        :mod:`policygraph.load.staging`): no rdflib terms, and Oxigraph's bulk loader, about three
        times faster than a transaction, wherever atomicity allows it:

        - a graph that is new (or empty) is bulk-written straight into place, listed first
          in a journal graph;
        - a graph that exists is bulk-written into a private staging graph, and one SPARQL
          update (one transaction) then drops the old graph, copies the staging graph over
          it, and drops the journal: that commits the whole load. The staging graphs are
          removed afterwards.

        ``patches`` change other graphs in the same transaction: for each, the triples of one
        graph of ``source`` are removed from it and those of another added (see
        :data:`~policygraph.store.oxwrite.Patch`). Each graph of ``generated`` is replaced by
        the quads its function yields for the graph it is given to write into, streamed to
        the bulk loader as they come (the derived facts, too many to stage in memory first).

        If anything fails, everything written is removed and the exception propagates; if
        the process dies, the next writable open drops the journal's graphs and the staging
        graphs (the sweep), so either way the previous graphs are what remains. Unlike
        :meth:`replace_graphs`, readers opening the store *during* the write may already
        see part of a new graph.

        Returns:
            Graph IRI to the number of triples now in that graph.

        Raises:
            StoreError: On an invalid graph IRI, read-only store or I/O error.
        """
        try:
            return write_staged(self._writable(), source, graphs, patches, generated)
        finally:
            self.mark_changed()

    def drop_graph(self, graph: URIRef) -> None:
        """Remove a named graph and all its triples; absent graphs are ignored."""
        try:
            self._writable().remove_graph(checked_iri(graph))
        except OSError as exc:
            raise StoreError(f"cannot write the store: {exc}") from exc
        finally:
            self.mark_changed()

    def graphs(self) -> list[URIRef]:
        """List the named graphs (IRIs only), sorted."""
        names = (
            URIRef(name.value)
            for name in (self._ox.named_graphs() if self._visible is None else self._visible)
            if isinstance(name, ox.NamedNode) and not name.value.startswith(LOADING_PREFIX)
        )
        return sorted(names)

    def triple_count(self, graph: URIRef | None = None) -> int:
        """Count the triples of one named graph, or all quads when ``graph`` is None."""
        if graph is None:
            if self._visible is not None:
                return sum(graph_size(self._ox, name) for name in self._visible)
            return len(self._ox)
        result = self._ox.query(
            # Oxigraph only substitutes projected variables, hence ?g and GROUP BY.
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            substitutions={ox.Variable("g"): checked_iri(graph)},
        )
        if isinstance(result, ox.QuerySolutions):
            for solution in result:
                count = solution["n"]
                return int(count.value) if count is not None else 0
        return 0

    def dump(self, format: str, graph: URIRef | None = None) -> bytes:
        """Serialise the store or one named graph (see :func:`policygraph.store.oxdump.dump`).

        After a load died, a read-only open dumps only what its queries see (the old state).

        Raises:
            UnknownNameError: For an unsupported format.
        """
        return dump(self._ox, format, None if graph is None else checked_iri(graph),
                    self._visible)

    def close(self) -> None:
        """Flush and release the store; RocksDB drops its lock when the handle is freed."""
        if self._store is not None and not self.read_only and self.path is not None:
            self._store.flush()
        self._store = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        where = str(self.path) if self.path is not None else "memory"
        return f"OxigraphStore({where!r}, read_only={self.read_only})"


def _materialise(result: Any) -> QueryResult:
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [variable.value for variable in result.variables]
        rows = [
            {name: (to_rdflib(value) if (value := solution[name]) is not None else None)
             for name in names}
            for solution in result
        ]
        return QueryResult(kind="select", variables=names, rows=rows)
    return QueryResult(kind="graph", triples=[triple_to_rdflib(t) for t in result])
