"""The RDF namespaces policygraph uses, in one place."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

#: The policygraph ontology (classes, properties, concept schemes).
PG = Namespace("https://w3id.org/policygraph/ontology#")
#: Instance data: plans, components, targets, organisations, alignments.
ID = Namespace("https://w3id.org/policygraph/id/")
#: Named graphs: one per source file, ``GRAPH[<file stem>]``.
GRAPH = Namespace("https://w3id.org/policygraph/graph/")
#: The named graph of the facts derived from all the others (see policygraph.load.facts).
DERIVED_GRAPH = URIRef("https://w3id.org/policygraph/derived")
#: The budget roll-up nodes in that graph, one per element: ``ROLLUP[<hash of its IRI>]``.
ROLLUP = Namespace("https://w3id.org/policygraph/derived/rollup/")
#: W3C Organization Ontology.
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Prefixes offered to every query and serialisation.
PREFIXES: dict[str, str] = {
    "pg": str(PG),
    "id": str(ID),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "org": str(ORG),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}

__all__ = ["DCTERMS", "DERIVED_GRAPH", "FOAF", "GRAPH", "ID", "ORG", "OWL", "PG", "PREFIXES",
           "PROV", "RDF", "RDFS", "ROLLUP", "SH", "SKOS", "XSD"]
