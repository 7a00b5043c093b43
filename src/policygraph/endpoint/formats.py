"""The result and RDF formats the SPARQL endpoint speaks, and content negotiation between them.

Formats are named by short keys (``"json"``, ``"turtle"``…) so that the worker processes,
which import only pyoxigraph, can map them to Oxigraph's formats without this module
importing anything heavy.
"""

from __future__ import annotations

from dataclasses import dataclass

from policygraph.conneg import best_match

__all__ = [
    "ASK_FORMATS",
    "FORMATS",
    "GRAPH_FORMATS",
    "SELECT_FORMATS",
    "Format",
    "body_format",
    "negotiate",
]


@dataclass(frozen=True)
class Format:
    """A serialisation: its key, media type and the Content-Type header sent with it."""

    key: str
    media_type: str
    content_type: str
    extension: str


FORMATS: dict[str, Format] = {f.key: f for f in (
    Format("json", "application/sparql-results+json", "application/sparql-results+json", "srj"),
    Format("xml", "application/sparql-results+xml", "application/sparql-results+xml", "srx"),
    Format("csv", "text/csv", "text/csv; charset=utf-8", "csv"),
    Format("tsv", "text/tab-separated-values", "text/tab-separated-values; charset=utf-8",
           "tsv"),
    Format("turtle", "text/turtle", "text/turtle; charset=utf-8", "ttl"),
    Format("ntriples", "application/n-triples", "application/n-triples; charset=utf-8", "nt"),
    Format("jsonld", "application/ld+json", "application/ld+json", "jsonld"),
    Format("rdfxml", "application/rdf+xml", "application/rdf+xml", "rdf"),
)}

#: Offered media types (first = default when the client has no preference) to format keys.
SELECT_FORMATS: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
ASK_FORMATS: dict[str, str] = {
    media: key for media, key in SELECT_FORMATS.items() if key in ("json", "xml")
}
GRAPH_FORMATS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/x-turtle": "turtle",
    "text/plain": "ntriples",
}
# What request bodies (Graph Store Protocol) may be written in.
_BODY_FORMATS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}


def negotiate(accept: str | None, offered: dict[str, str]) -> str | None:
    """The format key the Accept header prefers among ``offered`` (q-values honoured).

    No or an empty Accept header gets the first offer; None means nothing offered is
    acceptable (answer 406).
    """
    media = best_match(accept, list(offered))
    return offered[media] if media is not None else None


def body_format(content_type: str | None) -> str | None:
    """The RDF format key of a request body's Content-Type, or None if unsupported."""
    if not content_type:
        return None
    media = content_type.split(";", 1)[0].strip().lower()
    return _BODY_FORMATS.get(media)
