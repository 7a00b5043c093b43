"""What runs inside a query worker process: open a read-only view of the store, run, serialise.

A worker serves jobs over a :mod:`multiprocessing` pipe until the pipe closes. The first
job, and the first after each write to the store, comes with the :class:`Source` to read (a
store directory, opened with ``Store.read_only``, or an N-Quads snapshot of an in-memory
store). The reply is the serialised result, so nothing but bytes
crosses back. This module imports only pyoxigraph and the standard library, so that
workers start fast and can be killed at any moment without harm to the server; it runs as
``python -m policygraph.endpoint.worker``, never importing the server's main module.

A job for a remote store (:attr:`Job.remote`) is checked on the worker's store, an empty
one, exactly as the embedded store would parse it (so an ASK, which pyoxigraph evaluates
eagerly, is still under the time limit), then sent to the server by
:mod:`policygraph.endpoint.forward`, and its answer serialised by the same code as a local
result: the same formats, the same result-size limit.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from policygraph.endpoint.forward import Remote, RemoteFailure, read_results, read_triples
from policygraph.endpoint.sandbox import isolate
from policygraph.store.oxwrite import visible_graphs

__all__ = ["Job", "Reply", "Source", "execute", "main", "open_source", "serve"]

_RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Source:
    """What a worker reads: a store directory, or N-Quads data; ``generation`` names a state."""

    generation: int
    path: str | None = None
    nquads: bytes | None = None


@dataclass(frozen=True)
class Job:
    """One query to run.

    Attributes:
        query: The SPARQL text, as the client sent it.
        base_iri: The base IRI for relative IRIs (the endpoint's URL).
        union: Use the union of all graphs as the default graph (no dataset given).
        default_graphs: Protocol ``default-graph-uri`` IRIs, or None if not given.
        named_graphs: Protocol ``named-graph-uri`` IRIs, or None if not given.
        results_format: Format key for SELECT/ASK results, None if the client accepts none.
        graph_format: Format key for CONSTRUCT/DESCRIBE results, None if none is accepted.
        limit: The most rows or triples to return; more is an error.
        prefixes: Prefixes the query may use undeclared, also used to write Turtle.
        remote: For a remote store: the text to send to the server, where and with which
            dataset (``union``, ``default_graphs`` and ``named_graphs`` are then unused).
    """

    query: str
    base_iri: str | None
    union: bool
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    results_format: str | None
    graph_format: str | None
    limit: int
    prefixes: dict[str, str] = field(default_factory=dict)
    remote: Remote | None = None


@dataclass(frozen=True)
class Reply:
    """A worker's answer: ``ok`` with the format key and bytes, or an error kind and message.

    Error kinds: ``syntax`` (the query does not parse), ``limit`` (too many results),
    ``not-acceptable`` (no accepted format for this kind of result), ``failed``
    (evaluation error), ``store`` (the store could not be read); for a remote store also
    ``remote`` (the server failed or cannot be reached) and ``partial`` (the server stopped
    the query at its own time limit).
    """

    status: str
    format: str = ""
    body: bytes = b""
    message: str = ""


#: Attempts at opening a store on disk read-only, with the pause before each retry.
OPEN_ATTEMPTS = 6
_OPEN_PAUSE = 0.05
_pause = time.sleep


def open_source(source: Source) -> ox.Store:
    """Open the store a source names, read-only (or load the snapshot into memory).

    A read-only view of a store on disk is opened from its file list at that moment; the
    writer (admin mode) may compact and delete a listed file meanwhile, which RocksDB reports
    as corruption (a ``RuntimeError``). The store itself is fine, and a fresh open reads the
    new list: so the open is retried a few times before the error is reported.
    """
    if source.path is not None:
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return ox.Store.read_only(source.path)
            except (OSError, RuntimeError):
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                _pause(_OPEN_PAUSE * 2**attempt)
    store = ox.Store()
    if source.nquads:
        store.load(input=source.nquads, format=ox.RdfFormat.N_QUADS)
    return store


def _term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _LANG_STRING):
            value["datatype"] = term.datatype.value
        return value
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _term(term.subject),
                                            "predicate": _term(term.predicate),
                                            "object": _term(term.object)}}
    raise TypeError(f"unsupported term {term!r}")


_WHAT = {"select": "SELECT results", "ask": "a boolean (ASK) result", "graph": "an RDF graph"}


def _unacceptable(form: str, job: Job) -> Reply | None:
    """A ``not-acceptable`` reply if no accepted format fits a ``select``/``ask``/``graph``."""
    wanted = job.graph_format if form == "graph" else job.results_format
    if wanted is None or (form == "ask" and wanted not in ("json", "xml")):
        return Reply("not-acceptable", message=_WHAT[form])
    return None


def _solutions(names: list[str], rows: Iterable[Any], job: Job) -> Reply:
    """Serialise rows (``row[name]`` is a term or None) under the limit."""
    if job.results_format is None:
        return Reply("not-acceptable", message=_WHAT["select"])
    bindings: list[dict[str, Any]] = []
    for solution in rows:
        if len(bindings) == job.limit:
            return Reply("limit", message=f"the result has more than {job.limit} rows")
        bindings.append({name: _term(value) for name in names
                         if (value := solution[name]) is not None})
    document = {"head": {"vars": names}, "results": {"bindings": bindings}}
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    if job.results_format != "json":
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        body = parsed.serialize(format=_RESULTS_FORMATS[job.results_format]) or b""
    return Reply("ok", job.results_format, body)


def _triples(result: Iterable[ox.Triple], job: Job) -> Reply:
    if job.graph_format is None:
        return Reply("not-acceptable", message=_WHAT["graph"])
    triples = list(islice(result, job.limit + 1))
    if len(triples) > job.limit:
        return Reply("limit", message=f"the result has more than {job.limit} triples")
    prefixes = job.prefixes if job.graph_format in ("turtle", "rdfxml") else None
    body = ox.serialize(triples, format=_RDF_FORMATS[job.graph_format], prefixes=prefixes)
    return Reply("ok", job.graph_format, body or b"")


def _boolean(result: ox.QueryBoolean | bool, job: Job) -> Reply:
    if job.results_format not in ("json", "xml"):
        return Reply("not-acceptable", message=_WHAT["ask"])
    if isinstance(result, bool):
        document = json.dumps({"head": {}, "boolean": result}).encode("utf-8")
        parsed = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
        assert isinstance(parsed, ox.QueryBoolean)
        result = parsed
    body = result.serialize(format=_RESULTS_FORMATS[job.results_format]) or b""
    return Reply("ok", job.results_format, body)


def _form(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> str:
    if isinstance(result, ox.QuerySolutions):
        return "select"
    return "ask" if isinstance(result, ox.QueryBoolean) else "graph"


def _check(store: ox.Store, job: Job, remote: Remote) -> str | Reply:
    """Parse the query as the client sent it (for the parser's own message), then as it will
    be sent; its form (``select``, ``ask``, ``graph``) or the error reply.

    The store is empty: SELECT and CONSTRUCT are only planned, an ASK is evaluated (on
    nothing). Planning refuses functions the embedded store does not have, so a server's own
    (Virtuoso's ``bif:`` procedures) cannot be reached.
    """
    form = ""
    for text, base_iri, prefixes in ((job.query, job.base_iri, job.prefixes),
                                     (remote.query, None, None)):
        try:
            form = _form(store.query(text, base_iri=base_iri, prefixes=prefixes))
        except _QUERY_ERRORS as exc:
            return _failure(exc)
    return form


def _forward(store: ox.Store, job: Job, remote: Remote) -> Reply:
    """Check a query, send it to the server and serialise the server's answer."""
    form = _check(store, job, remote)
    if isinstance(form, Reply):
        return form
    if (refused := _unacceptable(form, job)) is not None:
        return refused
    try:
        if form == "graph":
            with read_triples(remote) as triples:
                return _triples(triples, job)
        answer = read_results(remote)
        if isinstance(answer, bool) != (form == "ask"):
            return Reply("remote", message=f"the SPARQL server at {remote.url} answered a "
                                           f"{form.upper()} query with the wrong kind of result")
        if isinstance(answer, bool):
            return _boolean(answer, job)
        return _solutions(*answer, job)
    except RemoteFailure as exc:
        return Reply(exc.kind, message=exc.message)
    except Exception as exc:  # noqa: BLE001 - whatever else the answer does, the worker lives
        return Reply("remote", message=f"the answer of the SPARQL server at {remote.url} "
                                       f"could not be read: {exc}")


def execute(store: ox.Store, job: Job, visible: list[ox.NamedNode] | None = None) -> Reply:
    """Run one job on an open store and serialise its result (never raises for query errors).

    A remote job is checked on ``store`` and run on its server (see the module docstring).
    ``visible``: the graphs a union reads when a load that died left staging graphs in the
    store (:func:`~policygraph.store.oxwrite.visible_graphs`), else None.
    """
    if job.remote is not None:
        return _forward(store, job, job.remote)
    arguments: dict[str, Any] = {"base_iri": job.base_iri, "prefixes": job.prefixes}
    if job.default_graphs is not None or job.named_graphs is not None:
        arguments["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        arguments["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    elif job.union and visible is not None:
        arguments["default_graph"] = arguments["named_graphs"] = visible
    elif job.union:
        arguments["use_default_graph_as_union"] = True
    try:
        result = store.query(job.query, **arguments)
        if isinstance(result, ox.QuerySolutions):
            return _solutions([variable.value for variable in result.variables], result, job)
        if isinstance(result, ox.QueryBoolean):
            return _boolean(result, job)
        return _triples(result, job)
    except _QUERY_ERRORS as exc:
        return _failure(exc)


#: What pyoxigraph raises for a query it cannot parse or run.
_QUERY_ERRORS = (SyntaxError, OSError, RuntimeError, ValueError, TypeError)


def _failure(exc: Exception) -> Reply:
    """The reply for a query pyoxigraph refused: bad syntax, a store error, or a failure."""
    kind = "syntax" if isinstance(exc, SyntaxError) else "store" if isinstance(exc, OSError) \
        else "failed"
    return Reply(kind, message=str(exc))


def serve(conn: Connection) -> None:
    """A worker's main loop: ``(Source | None, Job)`` in, :class:`Reply` out, until EOF.

    A :class:`Source` comes only with the first job and when the store's state has changed;
    the worker then drops its view and opens the new one.
    """
    store: ox.Store | None = None
    visible: list[ox.NamedNode] | None = None
    while True:
        try:
            source, job = conn.recv()
        except (EOFError, OSError):
            return
        if source is not None:
            store = None  # release the old view before opening the new one
            try:
                store = open_source(source)
                visible = visible_graphs(store)
            except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
                conn.send(Reply("store", message=f"cannot open the store: {exc}"))
                continue
        if store is None:
            conn.send(Reply("store", message="no store is open in this worker"))
            continue
        conn.send(execute(store, job, visible))


def _watch_parent(parent: int) -> None:
    # pyoxigraph releases the GIL while it evaluates, so this thread runs even mid-query:
    # a worker whose server died exits instead of finishing a runaway query.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def main(argv: list[str] | None = None) -> None:
    """Entry point: ``python -m policygraph.endpoint.worker FD PARENT_PID [--offline]``.

    FD is this end of a socket pair made by the pool; the worker exits when the pipe
    closes or the parent process goes away. With ``--offline`` it first cuts itself off the
    network (:func:`policygraph.endpoint.sandbox.isolate`), before any thread or query, and
    sends how as its first message.
    """
    args = list(argv if argv is not None else sys.argv[1:])
    offline = "--offline" in args
    fd, parent = (int(arg) for arg in args if arg != "--offline")
    conn = Connection(fd)
    if offline:
        conn.send(isolate())
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    serve(conn)


if __name__ == "__main__":
    # Run the imported module's main, so pickled classes are named after the module,
    # not __main__.
    from policygraph.endpoint.worker import main as _main

    _main()
