"""Shared test helpers: where the resources are, stand-in validators, store snapshots, RDF
compared by isomorphism."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Namespace

from policygraph.store import OxigraphStore

__all__ = ["EX", "QUERIES", "RESOURCES", "FakeReport", "canonical", "conforming",
           "derived_graph", "rejects_hostile", "snapshot"]

RESOURCES = Path(__file__).parent / "resources"
QUERIES = RESOURCES / "queries"
EX = Namespace("https://example.org/ns#")


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
