"""The SPARQL 1.1 Service Description returned by a bare GET of the endpoint."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

__all__ = ["RDFLIB_FORMATS", "service_description"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
_FORMATS = Namespace("http://www.w3.org/ns/formats/")
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                   "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")
#: rdflib's serializer name for each graph format key.
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def service_description(endpoint: str, graphs: list[URIRef], *, update: bool) -> Graph:
    """Describe the endpoint: languages, result formats, union default graph, named graphs.

    Args:
        endpoint: The endpoint's IRI.
        graphs: The store's named graphs.
        update: Whether SPARQL Update is available (admin mode).
    """
    description = Graph()
    description.bind("sd", SD)
    description.bind("dcterms", DCTERMS)
    service = URIRef(endpoint)
    description.add((service, RDF.type, SD.Service))
    description.add((service, SD.endpoint, service))
    description.add((service, DCTERMS.title, Literal("policygraph SPARQL endpoint", lang="en")))
    description.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if update:
        description.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    description.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in _RESULT_FORMATS:
        description.add((service, SD.resultFormat, _FORMATS[name]))
    dataset = BNode()
    default = BNode()
    description.add((service, SD.defaultDataset, dataset))
    description.add((dataset, RDF.type, SD.Dataset))
    description.add((dataset, SD.defaultGraph, default))
    description.add((default, RDF.type, SD.Graph))
    for graph in graphs:
        named = BNode()
        description.add((dataset, SD.namedGraph, named))
        description.add((named, RDF.type, SD.NamedGraph))
        description.add((named, SD.name, graph))
    return description
