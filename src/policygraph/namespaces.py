"""The RDF namespaces policygraph uses, in one place."""

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

#: The policygraph ontology (classes, properties, concept schemes).
PG = Namespace("https://w3id.org/policygraph/ontology#")
#: Instance data: plans, components, targets, organisations, alignments.
ID = Namespace("https://w3id.org/policygraph/id/")
#: Named graphs: one per source file, ``GRAPH[<file stem>]`` (see :func:`graph_named`).
GRAPH = Namespace("https://w3id.org/policygraph/graph/")
#: The named graph of the facts derived from all the others (see policygraph.load.facts).
DERIVED_GRAPH = URIRef("https://w3id.org/policygraph/derived")
#: The budget roll-up nodes in that graph, one per element: ``ROLLUP[<hash of its IRI>]``.
ROLLUP = Namespace("https://w3id.org/policygraph/derived/rollup/")
#: W3C Organization Ontology.
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")

# What may stay as it is in a graph name (RFC 3987 ipchar less "%"): letters, digits, Thai and
# other printable characters beyond ASCII, "-._~", the sub-delimiters and ":@"; and "%" that
# starts a percent-encoded byte.
_KEPT = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2}")


def graph_named(name: str) -> URIRef:
    """The named graph of a file stem or plan key: ``GRAPH[name]``, with any character an IRI
    cannot hold there (a space, a quote, ``\\ ^ ` { } | < > / ? #``, a control character, a
    lone ``%``) percent-encoded as UTF-8, so every name gives a valid IRI, the same one
    each time. Names that are already valid are unchanged."""
    parts, index = [], 0
    while index < len(name):
        char = name[index]
        kept = _KEPT.match(name, index)
        if kept:
            parts.append(kept.group())
            index = kept.end()
            continue
        if ord(char) >= 0xA0 and char.isprintable() and not char.isspace():
            parts.append(char)
        else:
            parts.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8",
                                                                          "surrogatepass")))
        index += 1
    return GRAPH["".join(parts)]


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
           "PROV", "RDF", "RDFS", "ROLLUP", "SH", "SKOS", "XSD", "graph_named"]
