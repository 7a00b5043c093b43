"""The ontology's documentation: every class, property and concept with Thai and English text."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from policygraph.namespaces import PG
from policygraph.resources import ontology_dir

__all__ = ["ONTOLOGY_FILE", "Term", "ontology_graph", "ontology_terms"]

ONTOLOGY_FILE = "policygraph.ttl"
_SECTIONS = ((OWL.Class, "classes"), (OWL.ObjectProperty, "object_properties"),
             (OWL.DatatypeProperty, "datatype_properties"), (OWL.NamedIndividual, "individuals"))


@dataclass
class Term:
    """One documented term."""

    iri: URIRef
    name: str
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    parents: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology file as a graph (read once)."""
    graph = Graph()
    graph.parse(ontology_dir() / ONTOLOGY_FILE, format="turtle")
    return graph


def _texts(graph: Graph, node: URIRef, *predicates: URIRef) -> dict[str, str]:
    found: dict[str, str] = {}
    for predicate in predicates:
        for value in graph.objects(node, predicate):
            if isinstance(value, Literal) and value.language and value.language not in found:
                found[value.language] = str(value)
    return found


def _names(graph: Graph, nodes: object) -> list[str]:
    return sorted(graph.namespace_manager.normalizeUri(str(n)) for n in nodes  # type: ignore[attr-defined]
                  if isinstance(n, URIRef))


def ontology_terms() -> dict[str, list[Term]]:
    """Terms grouped by section (classes, object/datatype properties, individuals), by name."""
    graph = ontology_graph()
    sections: dict[str, list[Term]] = {}
    for kind, section in _SECTIONS:
        terms = []
        for iri in graph.subjects(RDF.type, kind):
            if not isinstance(iri, URIRef) or not str(iri).startswith(str(PG)):
                continue
            terms.append(Term(
                iri=iri,
                name=str(iri).removeprefix(str(PG)),
                labels=_texts(graph, iri, RDFS.label, SKOS.prefLabel),
                definitions=_texts(graph, iri, SKOS.definition, RDFS.comment),
                parents=_names(graph, graph.objects(iri, RDFS.subClassOf))
                + _names(graph, graph.objects(iri, RDFS.subPropertyOf)),
                domain=_names(graph, graph.objects(iri, RDFS.domain)),
                range=_names(graph, graph.objects(iri, RDFS.range)),
                types=_names(graph, (t for t in graph.objects(iri, RDF.type)
                                     if t not in (kind, OWL.NamedIndividual))),
            ))
        sections[section] = sorted(terms, key=lambda term: term.name)
    return sections
