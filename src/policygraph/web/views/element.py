"""What an element's page shows, gathered from the store: the view model behind /id/… pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS
from rdflib.term import Node

from policygraph.namespaces import ORG, PG
from policygraph.query.reach import Reached, reached
from policygraph.query.registry import run_query
from policygraph.query.trace import Hop, trace_up
from policygraph.store import GraphStore

__all__ = ["ElementView", "describe", "element_view"]

#: Kinds shown on pages, in order of the plan hierarchy.
KINDS = ("Plan", "StandardSet", "Strategy", "SubPlan", "Milestone", "Tactic", "Project", "Activity",
         "StandardItem", "Target", "Indicator", "Observation", "Measure")


@dataclass
class ElementView:
    """Everything an element page needs, already in the page's language."""

    iri: URIRef
    labels: dict[str, str]
    kind: str
    level: str = ""
    plan: URIRef | None = None
    ancestors: list[dict[str, Any]] = field(default_factory=list)
    children: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    budget: dict[str, Any] | None = None
    schedule: dict[str, Any] | None = None
    units: list[dict[str, Any]] = field(default_factory=list)
    alignments: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    organisation: bool = False
    reached: list[Reached] = field(default_factory=list)
    chains: list[list[Hop]] = field(default_factory=list)
    trace_labels: dict[URIRef, str] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        """The label in ``lang``, else the other language, else the IRI."""
        return self.labels.get(lang) or next(iter(self.labels.values()), str(self.iri))


def describe(store: GraphStore, iri: URIRef) -> Graph:
    """The element's RDF description (``describe-element.rq``) as an rdflib graph."""
    graph = Graph()
    for prefix, namespace in (("pg", PG), ("skos", SKOS), ("dcterms", DCTERMS)):
        graph.bind(prefix, namespace)
    for triple in run_query(store, "describe-element", {"element": str(iri)}).triples:
        graph.add(triple)
    return graph


def _text(graph: Graph, node: Node, predicate: URIRef, lang: str) -> str:
    values = [v for v in graph.objects(node, predicate) if isinstance(v, Literal)]
    for value in values:
        if value.language == lang:
            return str(value)
    return str(values[0]) if values else ""


def _local(term: Node | None) -> str:
    return str(term).rsplit("#", 1)[-1] if term is not None else ""


def element_view(store: GraphStore, iri: URIRef, lang: str) -> ElementView | None:
    """Gather the page of ``iri``; None when the store says nothing about it."""
    graph = describe(store, iri)
    kinds = [_local(k) for k in graph.objects(iri, RDF.type) if str(k).startswith(str(PG))]
    if (iri, None, None) not in graph:
        return None
    if not kinds and (iri, RDF.type, ORG.OrganizationalUnit) in graph:
        kinds = ["OrganizationalUnit"]
    elif not kinds and (iri, RDF.type, ORG.Organization) in graph:
        kinds = ["Organization"]
    labels = {v.language or "": str(v) for v in graph.objects(iri, SKOS.prefLabel)
              if isinstance(v, Literal)}
    about = run_query(store, "element", {"element": str(iri)}).rows
    view = ElementView(
        iri=iri,
        labels=labels,
        kind=next((k for k in KINDS if k in kinds), kinds[0] if kinds else ""),
        level=str(about[0]["level"] or "") if about else "",
        plan=about[0]["plan"] if about and isinstance(about[0]["plan"], URIRef) else None,
        organisation=bool({ORG.Organization, ORG.OrganizationalUnit}
                          & set(graph.objects(iri, RDF.type))),
    )
    params = {"element": str(iri), "lang": lang}
    view.ancestors = _chain(iri, run_query(store, "element-ancestors", params).rows)
    view.children = [dict(row) for row in run_query(store, "element-children", params).rows
                     if row["relation"] != PG.indicatorOf]
    view.indicators = [dict(row) for row in run_query(store, "element-indicators", params).rows]
    view.alignments = [dict(row, direction=str(row["direction"]))
                       for row in run_query(store, "element-alignments", params).rows]
    view.budget = _record(graph, graph.value(iri, PG.budget), lang)
    view.schedule = _record(graph, graph.value(iri, PG.schedule), lang)
    view.units = [{"iri": u, "label": _text(graph, u, SKOS.prefLabel, lang)}
                  for u in sorted(graph.objects(iri, PG.responsibleUnit), key=str)]
    view.sources = [_source(graph, loc, lang) for loc in graph.objects(iri, PG.sourceLocation)]
    view.notes = [str(n) for p in (SKOS.editorialNote, SKOS.note)
                  for n in graph.objects(iri, p)]
    view.facts = _facts(graph, iri, lang)
    if view.kind not in ("Measure", "Observation") and not view.organisation:
        trace = trace_up(store, iri, lang)
        view.reached = [r for r in reached(trace) if r.level in ("1", "2")]
        view.chains = trace.shortest_chains()
        view.trace_labels = trace.labels
    return view


def _chain(iri: URIRef, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    parent_of = {row["child"]: row for row in rows}
    chain: list[dict[str, Any]] = []
    node: Node = iri
    while node in parent_of and len(chain) < 50:
        row = parent_of[node]
        chain.append({"iri": row["parent"], "label": row["label"], "kind": _local(row["kind"])})
        node = row["parent"]
    return list(reversed(chain))


def _record(graph: Graph, node: Node | None, lang: str) -> dict[str, Any] | None:
    if node is None:
        return None
    record: dict[str, Any] = {"node": node}
    for predicate, value in graph.predicate_objects(node):
        key = _local(predicate)
        if isinstance(value, URIRef):
            record[key] = value
            record[key + "_label"] = _text(graph, value, SKOS.prefLabel, lang) or _local(value)
        elif isinstance(value, Literal):
            if key not in record or value.language == lang:
                record[key] = value
    return record


def _source(graph: Graph, location: Node, lang: str) -> dict[str, Any]:
    document = graph.value(location, PG.document)
    return {
        "document": document,
        "title": _text(graph, document, DCTERMS.title, lang) if document is not None else "",
        "page": graph.value(document, FOAF.page) if document is not None else None,
        "section": str(graph.value(location, PG.section) or ""),
        "locator": _text(graph, location, PG.locator, lang),
    }


_SHOWN = {RDF.type, SKOS.prefLabel, SKOS.note, SKOS.editorialNote, PG.budget, PG.schedule,
          PG.sourceLocation, PG.responsibleUnit, PG.supports, PG.partOf, PG.targetOf,
          PG.indicatorOf}


def _facts(graph: Graph, iri: URIRef, lang: str) -> list[tuple[str, str]]:
    """The element's remaining properties as (property, value) text pairs."""
    facts = []
    for predicate, value in sorted(graph.predicate_objects(iri)):
        if predicate in _SHOWN or isinstance(value, BNode):
            continue
        if isinstance(value, Literal) and value.language not in (None, lang):
            continue
        shown = _text(graph, value, SKOS.prefLabel, lang) if isinstance(value, URIRef) else ""
        facts.append((graph.namespace_manager.normalizeUri(str(predicate)), shown or str(value)))
    return facts
