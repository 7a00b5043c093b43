"""The RDF namespaces policygraph uses, in one place."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

#: The policygraph ontology (classes, properties, concept schemes).
PG = Namespace("https://w3id.org/policygraph/ontology#")
#: Instance data: plans, components, targets, organisations, alignments.
ID = Namespace("https://w3id.org/policygraph/id/")
#: Named graphs: one per source file, ``GRAPH[<file stem>]``.
GRAPH = Namespace("https://w3id.org/policygraph/graph/")
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

__all__ = ["DCTERMS", "FOAF", "GRAPH", "ID", "ORG", "OWL", "PG", "PREFIXES", "PROV", "RDF",
           "RDFS", "SH", "SKOS", "XSD"]
