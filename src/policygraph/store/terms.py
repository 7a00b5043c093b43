"""Conversions between pyoxigraph terms and rdflib terms.

rdflib terms are the lingua franca of policygraph's public API, so that a
remote SPARQL implementation of the store can return identical results.
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import TypeAlias

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Identifier, Node

from policygraph.errors import StoreError

__all__ = [
    "OxTerm",
    "RdfTerm",
    "RdfTriple",
    "checked_iri",
    "checked_named_node",
    "graph_name_to_oxigraph",
    "graph_name_to_rdflib",
    "to_oxigraph",
    "to_rdflib",
    "triple_to_oxigraph",
    "triple_to_rdflib",
]

RdfTerm: TypeAlias = URIRef | BNode | Literal
RdfTriple: TypeAlias = tuple[Node, Node, Node]
OxTerm: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_FORBIDDEN_IRI_CHARS = frozenset('<>"{}|^`\\')
# Deterministic so the same rdflib blank node maps to the same store node.
_BNODE_NS = uuid.UUID("6f1c0e0c-5a49-4c39-9a0f-7a1e2b9d4c11")


def checked_named_node(iri: str) -> ox.NamedNode:
    """Validate an absolute IRI strictly and return it as a pyoxigraph NamedNode.

    Stricter than pyoxigraph alone: the characters ``<>"{}|^`\\``, whitespace
    and controls are always rejected, so ``str()`` of the result is safe to
    embed in SPARQL text.

    Raises:
        ValueError: If the IRI is not a valid absolute IRI.
    """
    bad = sorted({c for c in iri if c in _FORBIDDEN_IRI_CHARS or c.isspace() or ord(c) < 0x20})
    if bad:
        raise ValueError(f"invalid IRI {iri!r}: it contains {''.join(bad)!r}")
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise ValueError(f"invalid IRI {iri!r}: {exc}") from exc


def to_rdflib(term: object) -> RdfTerm:
    """Convert a pyoxigraph term to the equivalent rdflib term.

    Plain ``xsd:string`` literals become datatype-less rdflib literals and
    lexical forms are kept verbatim (no normalisation), so round trips are
    exact. Literal base direction (RDF 1.2) has no rdflib equivalent and is
    dropped; the language tag is kept.

    Args:
        term: A ``NamedNode``, ``BlankNode`` or ``Literal``.

    Returns:
        The rdflib ``URIRef``, ``BNode`` or ``Literal``.

    Raises:
        TypeError: For RDF 1.2 triple terms or anything else unsupported.
    """
    if isinstance(term, ox.NamedNode | ox.Literal):
        # Query results repeat the same labels, levels and IRIs: building rdflib terms
        # (literals especially) costs more than the lookup, so they are cached.
        return _cached_to_rdflib(term)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"unsupported RDF term for rdflib: {term!r}")


@lru_cache(maxsize=1 << 16)
def _cached_to_rdflib(term: ox.NamedNode | ox.Literal) -> RdfTerm:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype), normalize=False)


def _blank_node(node_id: str) -> ox.BlankNode:
    try:
        return ox.BlankNode(node_id)
    except ValueError:
        return ox.BlankNode(uuid.uuid5(_BNODE_NS, node_id).hex)


def to_oxigraph(term: object) -> OxTerm:
    """Convert an rdflib term to the equivalent pyoxigraph term.

    Args:
        term: An rdflib ``URIRef``, ``BNode`` or ``Literal``.

    Returns:
        The pyoxigraph ``NamedNode``, ``BlankNode`` or ``Literal``.

    Raises:
        ValueError: If an IRI is not a valid absolute IRI.
        TypeError: For variables, graphs and other non-terms.
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return _blank_node(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is None or str(term.datatype) == _LANG_STRING:
            return ox.Literal(str(term))
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    raise TypeError(f"unsupported RDF term for pyoxigraph: {term!r}")


def graph_name_to_rdflib(name: object) -> URIRef | BNode | None:
    """Convert a pyoxigraph graph name; the default graph becomes None."""
    if isinstance(name, ox.DefaultGraph):
        return None
    term = to_rdflib(name)
    if isinstance(term, Literal):
        raise TypeError(f"a literal cannot name a graph: {name!r}")
    return term


def graph_name_to_oxigraph(
    name: Identifier | None,
) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
    """Convert an rdflib graph name; None means the default graph."""
    if name is None:
        return ox.DefaultGraph()
    term = to_oxigraph(name)
    if isinstance(term, ox.Literal):
        raise TypeError(f"a literal cannot name a graph: {name!r}")
    return term


def triple_to_rdflib(triple: ox.Triple | ox.Quad) -> RdfTriple:
    """Convert a pyoxigraph triple (or a quad's triple part) to an rdflib tuple."""
    return (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))


def triple_to_oxigraph(
    triple: tuple[Node, Node, Node],
) -> tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, OxTerm]:
    """Convert an rdflib ``(s, p, o)`` tuple to pyoxigraph terms, checking positions.

    Raises:
        TypeError: If a term is in a position RDF does not allow.
    """
    s, p, o = (to_oxigraph(t) for t in triple)
    if isinstance(s, ox.Literal):
        raise TypeError(f"a literal cannot be a subject: {triple[0]!r}")
    if not isinstance(p, ox.NamedNode):
        raise TypeError(f"a predicate must be an IRI: {triple[1]!r}")
    return s, p, o


def checked_iri(iri: str | URIRef) -> ox.NamedNode:
    """Validate an absolute IRI strictly (see :func:`checked_named_node`).

    Raises:
        StoreError: If the IRI contains a forbidden character or is not absolute.
    """
    try:
        return checked_named_node(str(iri))
    except ValueError as exc:
        raise StoreError(str(exc)) from exc
