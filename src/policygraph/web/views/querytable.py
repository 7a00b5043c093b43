"""Query results as the query page shows them: a table of cells, IRIs linked to their pages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from policygraph.query.display import cell_text
from policygraph.store.results import QueryResult
from policygraph.store.terms import RdfTerm
from policygraph.web.urls import element_url

__all__ = ["Cell", "Table", "from_answer", "table"]

_NUMERIC = {XSD[name] for name in ("integer", "decimal", "double", "float", "int", "long",
                                   "nonNegativeInteger", "positiveInteger")}


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, a link for IRIs, the full term as a tooltip."""

    text: str
    href: str | None = None
    title: str = ""
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """A result ready for the template.

    Attributes:
        kind: ``"select"``, ``"ask"`` or ``"graph"``.
        columns: Column headings (variable names, or subject/predicate/object).
        rows: The rows shown, at most ``shown``.
        total: How many rows (or triples) the result has.
        boolean: The answer of an ASK query.
    """

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    total: int = 0
    boolean: bool | None = None

    @property
    def truncated(self) -> bool:
        """True if fewer rows are shown than the result has."""
        return len(self.rows) < self.total


def _cell(term: object, lang: str) -> Cell:
    if term is None:
        return Cell(cell_text(None))
    if isinstance(term, URIRef):
        return Cell(cell_text(term), f"{element_url(term)}?lang={lang}", str(term))
    if isinstance(term, Literal):
        note = f"@{term.language}" if term.language else (
            str(term.datatype) if term.datatype is not None else "")
        return Cell(cell_text(term), title=note, numeric=term.datatype in _NUMERIC)
    return Cell(cell_text(term))


def table(result: QueryResult, lang: str, shown: int = 500) -> Table:
    """Lay a result out as a table of at most ``shown`` rows."""
    if result.kind == "ask":
        return Table("ask", boolean=bool(result.boolean))
    if result.kind == "graph":
        triples = sorted(result.triples, key=lambda t: tuple(str(x) for x in t))
        return Table("graph", ["subject", "predicate", "object"],
                     [[_cell(term, lang) for term in triple] for triple in triples[:shown]],
                     total=len(triples))
    rows = [[_cell(row.get(name), lang) for name in result.variables]
            for row in result.rows[:shown]]
    return Table("select", list(result.variables), rows, total=len(result.rows))


def _term(value: dict[str, Any]) -> RdfTerm:
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind == "triple":
        inner = value["value"]
        parts = (_term(inner[k]) for k in ("subject", "predicate", "object"))
        return Literal("<< " + " ".join(part.n3() for part in parts) + " >>")
    datatype = value.get("datatype")
    return Literal(value["value"], lang=value.get("xml:lang"),
                   datatype=URIRef(datatype) if datatype else None)


def from_answer(format: str, body: bytes) -> QueryResult:
    """Read a service answer in SPARQL JSON (SELECT/ASK) or N-Triples (graphs) back as terms."""
    if format == "ntriples":
        graph = Graph()
        graph.parse(data=body.decode("utf-8"), format="nt")
        return QueryResult("graph", triples=list(graph))
    document = json.loads(body)
    if "boolean" in document:
        return QueryResult("ask", boolean=bool(document["boolean"]))
    names = list(document["head"].get("vars", []))
    rows: list[dict[str, RdfTerm | None]] = [
        {name: (_term(binding[name]) if name in binding else None) for name in names}
        for binding in document["results"]["bindings"]]
    return QueryResult("select", variables=names, rows=rows)
