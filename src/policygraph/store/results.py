"""The result of a SPARQL query, in rdflib terms, independent of the store behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from policygraph.store.terms import RdfTerm, RdfTriple

__all__ = ["QueryResult"]


@dataclass(frozen=True)
class QueryResult:
    """The materialised result of a SPARQL query, expressed in rdflib terms.

    Attributes:
        kind: ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT / DESCRIBE).
        variables: Projected variable names, in order (SELECT only).
        rows: One dict per solution; unbound variables map to None.
        boolean: The answer of an ASK query, else None.
        triples: The triples of a CONSTRUCT / DESCRIBE query.
    """

    kind: Literal["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, RdfTerm | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[RdfTriple] = field(default_factory=list)
