"""Suggestions for work items without alignments, and accepted suggestions as Turtle."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from policygraph.namespaces import PG, PREFIXES
from policygraph.planner.importer import ImportResult
from policygraph.planner.suggest import Suggester, Suggestion
from policygraph.store import GraphStore
from policygraph.store.terms import checked_named_node

__all__ = ["accepted_alignment", "store_graph", "suggest_for", "unlinked_suggestions"]


def store_graph(store: GraphStore) -> Graph:
    """Every triple of the store (the union of its graphs)."""
    graph = Graph()
    for triple in store.query("CONSTRUCT WHERE { ?s ?p ?o }").triples:
        graph.add(triple)
    return graph


def suggest_for(graph: Graph, element: URIRef, limit: int = 5) -> list[Suggestion]:
    """The best ``limit`` targets for ``element``, leaving out those it already links to."""
    return Suggester(graph).suggest(element, limit)


def _label(graph: Graph, node: URIRef) -> str:
    labels = {getattr(o, "language", None): str(o) for o in graph.objects(node, SKOS.prefLabel)}
    return labels.get("th") or labels.get("en") or str(node)


def unlinked_suggestions(store: GraphStore, result: ImportResult, limit: int = 3) -> str:
    """Text listing suggested targets for each imported project or activity with no link."""
    graph = store_graph(store)
    graph += result.graph
    lines = []
    for kind in (PG.Project, PG.Activity):
        for item in sorted(result.graph.subjects(RDF.type, kind), key=str):
            if (None, PG.fromElement, item) in result.graph or not isinstance(item, URIRef):
                continue
            lines.append(f"- {_label(graph, item)} <{item}>")
            for s in suggest_for(graph, item, limit):
                lines.append(f"    → {_label(graph, s.target)} <{s.target}>  "
                             f"[{', '.join(s.shared)}]")
    if not lines:
        return ""
    head = ("\nSuggested targets for work without alignments (not written; confirm with "
            "'policygraph suggest ELEMENT --accept TARGET') / เป้าหมายที่แนะนำ:")
    return "\n".join([head, *lines])


def accepted_alignment(element: URIRef, suggestion: Suggestion) -> Graph:
    """The alignment a planner accepted: basis inferred, the suggestion's reasoning as rationale.

    The IRI is ``<element>--accepted--<target's last segment>`` under the element's plan path.
    """
    tail = str(suggestion.target).rstrip("/").rsplit("/", 1)[-1]
    iri = URIRef(checked_named_node(f"{element}--accepted--{tail}").value)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.add((iri, RDF.type, PG.Alignment))
    graph.add((iri, PG.fromElement, element))
    graph.add((iri, PG.toElement, suggestion.target))
    graph.add((iri, PG.basis, PG.Inferred))
    graph.add((iri, PG.rationale, Literal(suggestion.reasoning(), lang="en")))
    if suggestion.evidence:
        graph.add((iri, PG.evidence, Literal(suggestion.evidence, lang="th")))
    graph.add((iri, DCTERMS.creator, Literal("policygraph suggest, accepted by a planner")))
    return graph
