"""Shared test helpers: where the resources are, stand-in validators, store snapshots, RDF
compared by isomorphism."""

from __future__ import annotations

import http.server
import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
from rdflib import Graph, Namespace

from policygraph.store import OxigraphStore

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "EX", "QUERIES", "RESOURCES", "FakeReport",
           "browser_unavailable", "canonical",
           "java_unavailable", "conforming", "derived_graph", "rejects_hostile", "sparql_listener",
           "compare_with_reference", "load_synthetic", "serving", "snapshot", "synthetic_store"]

RESOURCES = Path(__file__).parent / "resources"
#: The plain forms of the named queries rewritten for speed (no derived facts, plain paths).
REFERENCE_QUERIES = Path(__file__).parents[1] / "queries" / "plain"
QUERIES = RESOURCES / "queries"
EX = Namespace("https://example.org/ns#")
#: Debian's Chromium, which Playwright drives (it cannot download browsers here).
CHROMIUM = Path(os.environ.get("POLICYGRAPH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@dataclass
class FakeReport:
    """A validation report as policygraph.load.validate returns it (conforms + text())."""

    conforms: bool
    message: str = ""

    def text(self) -> str:
        """Return the report text."""
        return self.message or f"Conforms: {self.conforms}"


def conforming(data: Graph, context: Graph | None) -> FakeReport:
    """A validator that accepts everything."""
    return FakeReport(True)


def rejects_hostile(data: Graph, context: Graph | None) -> FakeReport:
    """A validator that rejects any graph typing something ex:Hostile."""
    from rdflib.namespace import RDF

    bad = sorted(str(s) for s in data.subjects(RDF.type, EX.Hostile))
    if bad:
        return FakeReport(False, "Violation: ex:Hostile is not allowed: " + ", ".join(bad))
    return FakeReport(True)


def snapshot(store: OxigraphStore) -> set[str]:
    """The whole store as a set of N-Quads lines (order-independent)."""
    return set(store.dump("nquads").decode("utf-8").splitlines())


def derived_graph(*paths: Path) -> Graph:
    """The Turtle files parsed into one graph with the triples loading derives from them."""
    from policygraph.load.derive import derive

    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    for triple in list(derive(graph)):
        graph.add(triple)
    return graph


def canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` with xsd:decimal literals in one lexical form (57, 57.0 and 57.00 are
    the same value; stores may return any of them), for comparison by isomorphism."""
    from decimal import Decimal

    from rdflib import Literal
    from rdflib.namespace import XSD

    def fix(term: object) -> object:
        if isinstance(term, Literal) and term.datatype == XSD.decimal:
            text = format(Decimal(str(term)), "f")
            text = text.rstrip("0").rstrip(".") if "." in text else text
            return Literal(text, datatype=XSD.decimal, normalize=False)
        return term

    out = Graph()
    for s, p, o in graph:
        out.add((s, p, fix(o)))  # type: ignore[arg-type]
    return out


def browser_unavailable(reason: str) -> None:
    """Skip a browser test on a workstation; fail it in CI, where it must run."""
    if (os.environ.get("CI", "").lower() == "true"
            or os.environ.get("POLICYGRAPH_REQUIRE_BROWSER") == "1"):
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def java_unavailable(message: str) -> NoReturn:
    """Skip a test that runs Java (HermiT, the OWL API, Jena) on a workstation without it; fail
    it in CI, where it must run."""
    if os.environ.get("CI", "").lower() == "true" or \
            os.environ.get("POLICYGRAPH_REQUIRE_JAVA") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class _Answering(http.server.BaseHTTPRequestHandler):
    """Answers any request with one empty solution, noting the path it asked for."""

    hits: list[str] = []

    def _answer(self) -> None:
        self.hits.append(self.path)
        body = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def sparql_listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP listener that answers as a SPARQL endpoint: ``(its URL, the requests that
    reached it)``, to show whether a query made the engine fetch anything."""
    hits: list[str] = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             type("Handler", (_Answering,), {"hits": hits}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serving(store_dir: Path, **settings: Any) -> Iterator[str]:
    """Run the real app on ``store_dir`` with uvicorn in a thread, on a free port of 127.0.0.1.

    Yields:
        The app's base URL.
    """
    import uvicorn

    from policygraph.settings import Settings
    from policygraph.web.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # a free port, held from now on: no race with other processes
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(Settings(store=store_dir, **settings)),
                            log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def load_synthetic(store: OxigraphStore, folder: Path, agencies: int, years: int, *,
                   validate: bool = True) -> None:
    """Write a seeded synthetic national dataset into ``folder`` and load it, with the ontology,
    into ``store`` as ``load`` does (``validate=False`` skips SHACL: the data is generated in
    the real ontology, and validating thousands of elements takes long)."""
    from policygraph.bench.synth import SynthSpec, write_dataset
    from policygraph.load.derive import derive
    from policygraph.load.loader import load_many
    from policygraph.load.validate import VALIDATOR
    from policygraph.resources import ontology_files

    files = [path for path, _ in write_dataset(SynthSpec(agencies=agencies, years=years), folder)]
    load_many(store, ontology_files() + files, validate=VALIDATOR if validate else None,
              derive=derive)


@contextmanager
def synthetic_store(folder: Path, agencies: int, years: int) -> Iterator[OxigraphStore]:
    """An in-memory store with the ontology and a synthetic national dataset, validated."""
    with OxigraphStore() as store:
        load_synthetic(store, folder, agencies, years)
        yield store


def _cell(value: object) -> object:
    from decimal import Decimal

    from rdflib import Literal

    if isinstance(value, Literal) and isinstance(value.toPython(), Decimal | int | float):
        return Decimal(str(value.toPython()))
    if value is not None and " | " in str(value):  # joined locations: order is the engine's
        return frozenset(str(value).split(" | "))
    return None if value is None else str(value)


def _rows(store: Any, query_path: Path | None, name: str, params: dict[str, str]) -> Counter:
    from policygraph.query.registry import execute, get_query, load_query

    query = load_query(query_path) if query_path else get_query(name)
    result = execute(store, query, params)
    return Counter(tuple(_cell(row.get(v)) for v in result.variables) for row in result.rows)


def compare_with_reference(store: Any, name: str, params: dict[str, str]) -> int:
    """Assert the named query ``name`` gives the rows its plain form in ``REFERENCE_QUERIES``
    gives (numbers compared as numbers); return how many rows."""
    expected = _rows(store, REFERENCE_QUERIES / f"{name}.rq", name, params)
    got = _rows(store, None, name, params)
    assert got == expected, (name, params, list((expected - got).items())[:3],
                             list((got - expected).items())[:3])
    return sum(expected.values())
