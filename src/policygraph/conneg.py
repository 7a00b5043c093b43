"""HTTP content negotiation: pick the best media type an Accept header allows."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["RDF_TYPES", "best_match"]

#: RDF media types the app serves, with their rdflib serializer names.
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


def _parse(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((pieces[0].lower(), quality))
    return ranges


def best_match(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered type the Accept header ranks highest (ties: the order of ``offered``).

    A missing or empty header accepts the first offer; None means nothing offered is acceptable.
    """
    if not accept or not accept.strip():
        return offered[0] if offered else None
    ranges = _parse(accept)
    best: tuple[float, int, int] | None = None
    choice = None
    for index, media in enumerate(offered):
        kind = media.split("/")[0] + "/*"
        # The most specific range that matches decides this type's quality.
        matches = [(specificity, q) for specificity, pattern in ((2, media), (1, kind), (0, "*/*"))
                   for r, q in ranges if r == pattern]
        if not matches:
            continue
        specificity, quality = max(matches, key=lambda match: match[0])
        if quality <= 0:
            continue
        rank = (quality, specificity, -index)
        if best is None or rank > best:
            best, choice = rank, media
    return choice
