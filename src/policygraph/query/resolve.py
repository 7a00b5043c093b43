"""Find the element a user means: by IRI, CURIE, IRI path, notation or a Thai/English label."""

from __future__ import annotations

from rdflib import URIRef

from policygraph.errors import PolicygraphError
from policygraph.namespaces import ID
from policygraph.query.params import expand_curie
from policygraph.query.registry import run_query
from policygraph.store import GraphStore
from policygraph.store.terms import checked_named_node

__all__ = ["AmbiguousElementError", "UnknownElementError", "resolve_element"]

_MAX_CANDIDATES = 10


class UnknownElementError(PolicygraphError):
    """Nothing in the store matches what the user typed."""


class AmbiguousElementError(PolicygraphError):
    """Several elements match; the message lists them so the user can pick one."""


def _exists(store: GraphStore, iri: URIRef) -> bool:
    result = store.query("ASK { ?s ?p ?o }", {"s": iri})
    return bool(result.boolean)


def resolve_element(store: GraphStore, text: str) -> URIRef:
    """Return the IRI of the one element ``text`` names.

    ``text`` may be a full IRI, a CURIE (``id:opdc-acp-2567/s1-a3``), an IRI path under the data
    namespace (``opdc-acp-2567/s1-a3``), a notation (``4.1``) or part of a Thai or English label.
    An exact label match wins over partial ones.

    Raises:
        UnknownElementError: Nothing matches.
        AmbiguousElementError: Several elements match equally well.
    """
    needle = text.strip()
    if not needle:
        raise UnknownElementError("no element given: type an IRI, a notation or part of a label")
    for candidate in (expand_curie(needle), needle if "://" in needle else None, str(ID) + needle):
        if candidate is None:
            continue
        try:
            iri = URIRef(checked_named_node(candidate).value)
        except ValueError:  # not an IRI: fall through to the label search
            continue
        if _exists(store, iri):
            return iri
    rows = run_query(store, "find-element", {"text": needle}).rows
    found: dict[URIRef, str] = {}
    for row in rows:
        element = row["element"]
        if isinstance(element, URIRef):
            found.setdefault(element, str(row["label"]))
    exact = [e for e, label in found.items() if label.casefold() == needle.casefold()]
    if len(exact) == 1:
        return exact[0]
    if len(found) == 1:
        return next(iter(found))
    if not found:
        raise UnknownElementError(
            f"no element matches {needle!r}: give an IRI, a CURIE such as "
            "id:opdc-acp-2567/s1-a3, a notation, or part of a Thai or English label"
        )
    listed = "\n".join(f"  {iri}  {label}" for iri, label in list(found.items())[:_MAX_CANDIDATES])
    more = len(found) - _MAX_CANDIDATES
    tail = f"\n  … and {more} more" if more > 0 else ""
    raise AmbiguousElementError(
        f"{len(found)} elements match {needle!r}; use one of these IRIs:\n{listed}{tail}"
    )
