"""A :class:`policygraph.store.GraphStore` on any SPARQL 1.1 server (Oxigraph, Virtuoso, Fuseki…).

Queries go over the SPARQL Protocol and loads over SPARQL Update (``INSERT DATA`` in batches)
or, when a Graph Store Protocol URL is given, GSP ``POST`` s, always into a private staging
graph that one final update then ``MOVE`` s over the target: a load that fails or is cut off
half-way leaves the previous graph in place. Results come back as rdflib terms, exactly as
from :class:`policygraph.store.oxstore.OxigraphStore`.

The default graph is the union of the named graphs, on every server: each query (unless it
names its own dataset with ``FROM``) is sent with the store's named graphs as both the
protocol's ``default-graph-uri`` and ``named-graph-uri`` lists, so neither a server's own
system graphs (Virtuoso's ``virtrdf#`` …) nor the staging graph of an interrupted load ever
show in an answer. ``dataset="server"`` leaves the dataset to the server instead (then
Oxigraph server needs ``--union-default-graph``; Virtuoso unions every graph by itself).
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self
from typing import Literal as TypingLiteral

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Identifier

from policygraph.config import EndpointConfig
from policygraph.errors import QueryError, StoreError, UnknownNameError
from policygraph.namespaces import PREFIXES
from policygraph.store.lexer import has_dataset_clause, query_form
from policygraph.store.oxstore import DUMP_FORMATS, checked_iri
from policygraph.store.oxwrite import (
    LOADING_PREFIX,  # staging graphs, named as the embedded store names them
)
from policygraph.store.remote.http import AUTH_SCHEMES, Endpoint
from policygraph.store.remote.sparql import (
    MalformedResult,
    ntriples_batches,
    parse_graph,
    parse_results,
    with_bindings,
    with_prefixes,
)
from policygraph.store.results import QueryResult
from policygraph.store.terms import RdfTriple

__all__ = ["DEFAULT_BATCH", "SYSTEM_GRAPHS", "RemoteStore", "open_endpoint"]

_LOG = logging.getLogger(__name__)
#: A graph that never exists: the dataset of a query on a store with no graphs.
_NO_GRAPH = "urn:x-policygraph:no-graph"
#: Graphs a server keeps for itself (Virtuoso's metadata, DAV and service description graphs).
SYSTEM_GRAPHS = re.compile(
    r"^(?:http://www\.openlinksw\.com/schemas/virtrdf#|http://www\.w3\.org/ns/ldp#"
    r"|https?://[^/]+/(?:DAV/|sparql))$")
_STALE_STAGING_SECONDS = 3600
#: Seconds a complete listing of the graphs is trusted while the cheap probe sees no change.
FULL_LISTING_TTL = 300.0
_ALL_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
#: The probe: graphs holding a typed resource, one index lookup even on Virtuoso, whose
#: complete listing scans every quad (about 8 s at 1M triples).
_TYPED_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a ?type } }"
#: Triples per load request. Virtuoso 7.2 compiles an update to SQL and refuses one of more
#: than about 1,000 triples (SP031, "generated SQL text has exceeded 10000 lines").
DEFAULT_BATCH = 1000
_RESULTS = "application/sparql-results+json"
_GRAPH_ACCEPT = "text/turtle, application/n-triples;q=0.9"


class RemoteStore:
    """:class:`GraphStore` over the SPARQL 1.1 Protocol (HTTP: :mod:`.wire`).

    Args:
        query_url: The query endpoint, e.g. ``http://127.0.0.1:7878/query``.
        update_url: The update endpoint; defaults to ``query_url`` (Virtuoso, GraphDB's
            ``/statements`` differ: see the README).
        graph_store_url: A Graph Store Protocol endpoint to load through (else SPARQL Update).
        user: User for HTTP authentication (with ``password``).
        password: Its password.
        token: A bearer token, sent as ``Authorization: Bearer …``.
        auth: ``"basic"`` or ``"digest"`` (Virtuoso's ``/sparql-auth``).
        timeout: Seconds to wait for any one answer.
        read_only: Refuse writes here, before any request.
        batch_size: Triples per ``INSERT DATA`` or GSP request.
        dataset: ``"listed"`` (send the named graphs as the dataset) or ``"server"``.
        graph_list_ttl: Seconds the list of named graphs is reused as is; after that a cheap
            probe (the graphs holding a typed resource) decides whether to list them again
            (see :meth:`graphs`).
    """

    def __init__(self, query_url: str, update_url: str | None = None, *,
                 graph_store_url: str | None = None, user: str | None = None,
                 password: str | None = None, token: str | None = None, auth: str = "basic",
                 timeout: float = 60.0, read_only: bool = False, batch_size: int = DEFAULT_BATCH,
                 dataset: TypingLiteral["listed", "server"] = "listed",
                 graph_list_ttl: float = 2.0) -> None:
        if auth not in AUTH_SCHEMES:
            raise UnknownNameError("authentication scheme", auth, AUTH_SCHEMES)
        for url in (query_url, update_url, graph_store_url):
            if url is not None and not re.match(r"^https?://[^\s/]+", url):
                raise StoreError(f"{url!r} is not an http(s) URL of a SPARQL endpoint")
        self.endpoint = Endpoint(query_url, update_url or query_url, graph_store_url, user,
                                 password, token, auth, timeout)
        self.read_only = read_only
        self.batch_size = batch_size
        self.dataset = dataset
        self.graph_list_ttl = graph_list_ttl
        self._graphs: _GraphList | None = None
        self._server: str | None = None
        self._closed = False

    @property
    def query_url(self) -> str:
        """The query endpoint's URL."""
        return self.endpoint.query_url

    def _open(self) -> Endpoint:
        if self._closed:
            raise StoreError(f"the connection to {self.query_url} is closed")
        return self.endpoint

    def _visible_graphs(self) -> list[str]:
        return [str(graph) for graph in self.graphs()] or [_NO_GRAPH]

    @property
    def virtuoso(self) -> bool:
        """True if the server names itself Virtuoso (its ``Server`` header; asked once), whose
        7.2 needs parameters bound without substitution (see :func:`with_bindings`)."""
        if self._server is None:
            self._select("ASK {}")
        return "virtuoso" in (self._server or "").lower()

    def _select(self, text: str, named: Iterable[str] = ()) -> QueryResult:
        response = self._open().query(with_prefixes(text), _RESULTS, (), list(named))
        self._server = response.server
        try:
            return parse_results(response.body)
        except MalformedResult as exc:
            raise StoreError(f"the SPARQL server at {self.query_url} sent a malformed "
                             f"result: {exc}") from None

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        """Run a read-only query; ``bindings`` pre-bind variables to RDF terms (by ``VALUES``).

        Raises:
            QueryError: If the query or a binding is invalid, or the server rejects the query.
            StoreError: If the server cannot be reached, fails, or answers something malformed.
        """
        text = with_prefixes(with_bindings(sparql, bindings, substitute=not self.virtuoso)
                             if bindings else sparql)
        form = query_form(text)
        if form is None:
            raise QueryError("invalid SPARQL: no SELECT, ASK, CONSTRUCT or DESCRIBE")
        graphs: list[str] = []
        if self.dataset == "listed" and not has_dataset_clause(text):
            graphs = self._visible_graphs()
        accept = _RESULTS if form in ("select", "ask") else _GRAPH_ACCEPT
        response = self._open().query(text, accept, graphs, graphs)
        self._server = response.server
        try:
            if form in ("select", "ask"):
                return parse_results(response.body)
            return parse_graph(response.body, response.content_type)
        except MalformedResult as exc:
            raise StoreError(f"the SPARQL server at {self.query_url} sent a malformed "
                             f"result: {exc}") from None

    def _writable(self) -> Endpoint:
        if self.read_only:
            raise StoreError(f"the store at {self.query_url} was opened read-only")
        return self._open()

    def replace_graph(self, graph: URIRef, triples: Iterable[RdfTriple]) -> int:
        """Replace ``graph``'s content with ``triples`` (see :meth:`replace_graphs`)."""
        return self.replace_graphs({graph: triples})[graph]

    def replace_graphs(self, contents: Mapping[URIRef, Iterable[RdfTriple]]) -> dict[URIRef, int]:
        """Replace several named graphs: stage each in a new graph, then swap all in one update.

        Each graph's triples are sent in batches into a staging graph of its own; only when all
        have arrived does one update ``MOVE`` them over their targets (or ``DROP`` a target
        whose new content is empty). If anything fails first (a triples iterable raising, the
        server going away), the staging graphs are dropped if the server still answers and the
        targets are untouched; leftovers are invisible to queries and swept by a later load.

        Returns:
            Graph IRI to the number of triples now in that graph.

        Raises:
            StoreError: On an invalid graph IRI, read-only store, or a server error.
        """
        endpoint = self._writable()
        targets = {graph: checked_iri(graph) for graph in contents}
        self._sweep_stale_staging()
        staging: dict[URIRef, str] = {}
        written: dict[URIRef, int] = {}
        try:
            for graph, triples in contents.items():
                tmp = f"{LOADING_PREFIX}{int(time.time())}-{uuid.uuid4().hex}"
                staging[graph] = tmp
                written[graph] = 0
                for text, count, blank in ntriples_batches(triples, self.batch_size):
                    if endpoint.graph_store_url is not None:
                        endpoint.post_graph(tmp, text)
                    elif blank:  # Virtuoso refuses blank nodes in INSERT DATA
                        endpoint.update(f"INSERT {{ GRAPH <{tmp}> {{\n{text}}} }} WHERE {{}}")
                    else:
                        endpoint.update(f"INSERT DATA {{ GRAPH <{tmp}> {{\n{text}}} }}")
                    written[graph] += count
            endpoint.update(" ;\n".join(
                f"DROP SILENT GRAPH {targets[graph]}" if written[graph] == 0
                else f"MOVE SILENT GRAPH <{staging[graph]}> TO GRAPH {targets[graph]}"
                for graph in contents))
        except BaseException:
            with contextlib.suppress(Exception):  # the original error matters more
                if staging:
                    endpoint.update(" ;\n".join(f"DROP SILENT GRAPH <{tmp}>"
                                                for tmp in staging.values()))
            raise
        finally:
            self._graphs = None
        return self._counts(list(contents))

    def _counts(self, graphs: list[URIRef]) -> dict[URIRef, int]:
        counts = dict.fromkeys(graphs, 0)
        if not graphs:
            return counts
        result = self._select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            [str(graph) for graph in graphs])
        for row in result.rows:
            if isinstance(row["g"], URIRef) and row["g"] in counts and row["n"] is not None:
                counts[row["g"]] = int(str(row["n"]))
        return counts

    def _sweep_stale_staging(self) -> None:
        now = time.time()
        stale = []
        for graph in self._list_graphs(include_staging=True):
            stamp = str(graph).removeprefix(LOADING_PREFIX).partition("-")[0]
            if str(graph).startswith(LOADING_PREFIX) and stamp.isdigit() \
                    and now - int(stamp) > _STALE_STAGING_SECONDS:
                try:  # the server names the graph: checked like every IRI written in an update
                    stale.append(f"DROP SILENT GRAPH {checked_iri(graph)}")
                except StoreError:
                    _LOG.warning("not dropping a staging graph with an invalid IRI: %r", graph)
        if stale:
            self._writable().update(" ;\n".join(stale))

    def drop_graph(self, graph: URIRef) -> None:
        """Remove a named graph and its triples (no error if absent)."""
        name = checked_iri(graph)
        try:
            self._writable().update(f"DROP SILENT GRAPH {name}")
        finally:
            self._graphs = None

    def _list_graphs(self, include_staging: bool = False, query: str = _ALL_GRAPHS
                     ) -> list[URIRef]:
        names = {row["g"] for row in self._select(query).rows if isinstance(row["g"], URIRef)}
        return sorted(name for name in names if not SYSTEM_GRAPHS.match(str(name))
                      and (include_staging or not str(name).startswith(LOADING_PREFIX)))

    def graphs(self, fresh: bool = False) -> list[URIRef]:
        """List the named graphs, sorted (without server system graphs and staging graphs).

        Listing every graph scans every quad on some servers, so the list is kept: as is for
        ``graph_list_ttl`` seconds, then for as long as the graphs holding a typed resource
        (one cheap query) stay the same, up to :data:`FULL_LISTING_TTL` seconds. A write
        through this store, or ``fresh``, lists them again. So a graph someone else adds
        shows within ``graph_list_ttl`` seconds if it holds a typed resource (every graph
        policygraph loads does), else within :data:`FULL_LISTING_TTL`. If the server answers
        the probe but fails the complete listing (stopped at its time limit), the graphs the
        probe found are used, with a warning in the log.
        """
        now = time.monotonic()
        cached = self._graphs
        if not fresh and cached is not None:
            if now - cached.checked <= self.graph_list_ttl:
                return list(cached.graphs)
            if (now - cached.listed <= FULL_LISTING_TTL
                    and self._list_graphs(query=_TYPED_GRAPHS) == cached.typed):
                cached.checked = now
                return list(cached.graphs)
        typed = self._list_graphs(query=_TYPED_GRAPHS)
        try:
            listed = self._list_graphs()
        except StoreError as exc:
            # The server answered the probe but not the scan of every quad: it stopped it at its
            # time limit (Virtuoso at 5M triples: SR171). The typed graphs stand in until the
            # next complete listing is due.
            _LOG.warning("listing every graph failed (%s); using the %d graphs that hold a "
                         "typed resource", exc, len(typed))
            listed = typed
        self._graphs = _GraphList(listed, typed, now, now)
        return list(listed)

    def forget_graphs(self) -> None:
        """Drop the kept list of graphs (after a write sent around this store)."""
        self._graphs = None

    def triple_count(self, graph: URIRef | None = None) -> int:
        """Count the triples of one named graph, or the quads of all of them."""
        graphs = [URIRef(checked_iri(graph).value)] if graph is not None else self.graphs()
        return sum(self._counts(graphs).values())

    def _quads(self, graph: URIRef | None) -> Dataset:
        names = [URIRef(checked_iri(graph).value)] if graph is not None else self.graphs()
        dataset = Dataset()
        if names:
            rows = self._select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                                [str(name) for name in names]).rows
            for row in rows:
                dataset.graph(row["g"]).add((row["s"], row["p"], row["o"]))  # type: ignore[arg-type]
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace, replace=True)
        return dataset

    def dump(self, format: str, graph: URIRef | None = None) -> bytes:
        """Serialise one graph, or the whole store, in one of :data:`DUMP_FORMATS`.

        Raises:
            UnknownNameError: For an unsupported format.
        """
        if format not in DUMP_FORMATS:
            raise UnknownNameError("format", format, DUMP_FORMATS)
        dataset = self._quads(graph)
        if format in ("nquads", "trig") or (format == "jsonld" and graph is None):
            rdflib_format = {"nquads": "nquads", "trig": "trig", "jsonld": "json-ld"}[format]
            options: dict[str, Any] = (
                {"context": dict(PREFIXES), "indent": 2} if format == "jsonld" else {})
            return dataset.serialize(format=rdflib_format, encoding="utf-8", **options)
        union = Graph()
        for prefix, namespace in PREFIXES.items():
            union.bind(prefix, namespace, replace=True)
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        if format == "jsonld":
            return union.serialize(format="json-ld", encoding="utf-8", context=dict(PREFIXES),
                                   indent=2)
        return union.serialize(format="nt" if format == "ntriples" else "turtle",
                               encoding="utf-8")

    def close(self) -> None:
        """Forget the connection; later calls fail."""
        self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r}, read_only={self.read_only})"


@dataclass
class _GraphList:
    """A complete listing of a store's graphs, with the probe's answer at that time."""

    graphs: list[URIRef]
    typed: list[URIRef]
    listed: float
    checked: float


def open_endpoint(config: EndpointConfig, *, read_only: bool = False) -> RemoteStore:
    """A :class:`RemoteStore` on the server ``config`` names (``--endpoint``, the settings)."""
    return RemoteStore(config.query_url, config.update_url,
                       graph_store_url=config.graph_store_url, user=config.user,
                       password=config.password, token=config.token, auth=config.auth,
                       timeout=config.timeout, read_only=read_only)
