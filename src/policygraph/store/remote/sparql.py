"""SPARQL text for a remote store: safe terms, parameters bound by ``VALUES``, results read.

A remote endpoint has no equivalent of pyoxigraph's ``substitutions``, so parameters are bound
by rewriting the query: a ``VALUES ?name { term }`` block goes at the start of the outer
``WHERE`` group, and of every other group graph pattern (sub-``SELECT``, ``UNION`` branch,
``FILTER NOT EXISTS`` …) whose text uses the variable, which gives the variable that one value
everywhere, as substitution does (an IRI also gets ``FILTER (?name = <iri>)``, which Virtuoso
needs to start a property path there). In an ``OPTIONAL`` group right inside another group the
variable is written as its term instead, where that is valid SPARQL (no sub-``SELECT``, not
after ``AS`` or ``BOUND``): a ``VALUES`` block there makes Oxigraph evaluate the optional part
on its own, over the whole store (a trace-up took 10 ms instead of 1.5 ms at 100k triples).
Virtuoso 7.2 gets ``VALUES`` blocks there as well (``substitute=False``): with the term written
in, it ran the budget roll-up for over a minute on a few thousand triples, and with the
variable left to the outer binding it miscounted that roll-up's aggregates.

The term is written by :func:`sparql_term` from a validated rdflib term (an IRI checked by
:func:`policygraph.store.terms.checked_named_node`, a literal fully escaped), so no parameter can
change the query's structure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Identifier, Node

from policygraph.errors import QueryError
from policygraph.namespaces import PREFIXES
from policygraph.store.lexer import Token, tokens
from policygraph.store.results import QueryResult
from policygraph.store.terms import RdfTerm, RdfTriple, checked_named_node

__all__ = [
    "MalformedResult",
    "ntriples_batches",
    "parse_graph",
    "parse_results",
    "sparql_term",
    "with_bindings",
    "with_prefixes",
]

_LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
          "\f": "\\f"}
_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)


class MalformedResult(ValueError):
    """The server's answer is not a well-formed SPARQL result."""


def _iri(value: str) -> str:
    try:
        return str(checked_named_node(value))
    except ValueError as exc:
        raise QueryError(str(exc)) from exc


def _string(value: str) -> str:
    out = []
    for char in value:
        if char in _ECHAR:
            out.append(_ECHAR[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def sparql_term(term: Node, blank_nodes: dict[BNode, str] | None = None) -> str:
    """Write an rdflib term as SPARQL / N-Triples text that cannot break out of its position.

    Args:
        term: A ``URIRef`` or ``Literal``; a ``BNode`` only when ``blank_nodes`` is given.
        blank_nodes: Labels given so far to blank nodes (for data, not for query parameters).

    Raises:
        QueryError: For an invalid IRI, language tag or datatype, or a blank node parameter.
    """
    if isinstance(term, URIRef):
        return _iri(str(term))
    if isinstance(term, Literal):
        text = _string(str(term))
        if term.language:
            if not _LANG_TAG.match(term.language):
                raise QueryError(f"invalid language tag {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype is None or str(term.datatype) in (_XSD_STRING, _LANG_STRING):
            return text
        return f"{text}^^{_iri(str(term.datatype))}"
    if isinstance(term, BNode) and blank_nodes is not None:
        return blank_nodes.setdefault(term, f"_:b{len(blank_nodes)}")
    raise QueryError(f"cannot send {term!r} to a SPARQL server as a parameter")


def with_prefixes(text: str) -> str:
    """Declare the project prefixes (``pg:``, ``id:`` …) the text does not declare itself."""
    declared = set()
    previous: Token | None = None
    for token in tokens(text):
        if previous is not None and previous.is_word("PREFIX") and token.kind == "word":
            declared.add(token.text.rstrip(":").lower())
        previous = token
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items() if name not in declared]
    return "\n".join([*lines, text])


@dataclass
class _Group:
    """A group graph pattern: where its ``{`` ends and its ``}`` starts, the variables in it,
    whether it is the outer ``WHERE``, whether it is a ``UNION`` branch, and whether it is an
    ``OPTIONAL`` right inside another group."""

    start: int
    end: int = -1
    variables: set[str] = field(default_factory=set)
    outer: bool = False
    branch: bool = False
    optional: bool = False


def _groups(items: list[Token]) -> list[_Group]:
    """The group graph patterns of a query's tokens (not data blocks, templates or the braces
    around a sub-``SELECT``)."""
    found: list[_Group] = []
    stack: list[_Group | None] = []
    previous: Token | None = None
    values_pending = False
    outer_seen = False
    for index, token in enumerate(items):
        if token.is_word("VALUES"):
            values_pending = True
        if token.kind == "open" and token.text == "{":
            following = items[index + 1] if index + 1 < len(items) else None
            template = previous is not None and previous.is_word("CONSTRUCT")
            if values_pending or template or (following is not None
                                              and following.is_word("SELECT")):
                stack.append(None)  # a data block, a template, or the braces of a sub-SELECT
            else:
                outer = not outer_seen and not any(entry is not None for entry in stack)
                outer_seen = outer_seen or outer
                stack.append(_Group(
                    token.start + 1, outer=outer,
                    branch=previous is not None and previous.is_word("UNION"),
                    optional=(previous is not None and previous.is_word("OPTIONAL")
                              and bool(stack) and stack[-1] is not None)))
            values_pending = False
        elif token.kind == "close" and token.text == "}" and stack:
            entry = stack.pop()
            following = items[index + 1] if index + 1 < len(items) else None
            if entry is not None:
                entry.end = token.start
                entry.branch = entry.branch or (following is not None
                                                and following.is_word("UNION"))
                found.append(entry)
        elif token.kind == "var":
            for entry in stack:
                if entry is not None:
                    entry.variables.add(token.text[1:])
        previous = token
    return found


def _substitutable(items: list[Token], group: _Group, names: Mapping[str, str]) -> bool:
    """True if the bound variables can be written as their terms all through ``group``: no
    sub-``SELECT`` inside, and none of them after ``AS``, ``BOUND (`` or ``VALUES``."""
    inside = [token for token in items if group.start <= token.start < group.end]
    for index, token in enumerate(inside):
        if token.is_word("SELECT", "VALUES"):
            return False
        if token.kind == "var" and token.text[1:] in names:
            before = inside[max(index - 2, 0):index]
            if any(t.is_word("AS", "BOUND") for t in before):
                return False
    return True


def with_bindings(text: str, bindings: Mapping[str, Identifier],
                  substitute: bool = True) -> str:
    """Bind variables to terms by ``VALUES`` blocks and substitution (see the module docstring).

    ``substitute=False`` puts ``VALUES`` blocks in ``OPTIONAL`` groups too, never writing a
    variable as its term: Virtuoso 7.2 needs that (see :attr:`RemoteStore.virtuoso`).

    Raises:
        QueryError: For a binding that is not an IRI or literal, a bad variable name, or a
            query with no group pattern to put the values in.
    """
    if not bindings:
        return text
    written: dict[str, str] = {}
    iris: set[str] = set()
    for name, term in bindings.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"invalid variable name {name!r}")
        written[name] = sparql_term(term)
        if isinstance(term, URIRef):
            iris.add(name)

    def block(name: str, branch: bool) -> str:
        # Virtuoso does not start a property path (p+, p*) from a VALUES binding but walks
        # from every node; it does start from an equality filter (which it fails to compile
        # inside a UNION branch, so not there).
        equal = f"FILTER (?{name} = {written[name]}) " if name in iris and not branch else ""
        return f"VALUES ?{name} {{ {written[name]} }} " + equal

    items = list(tokens(text))
    groups = _groups(items)
    if not any(group.outer for group in groups):
        raise QueryError("the query has no WHERE {…} group to bind parameters in")
    spans = [(group.start, group.end) for group in groups
             if substitute and group.optional and group.variables & written.keys()
             and _substitutable(items, group, written)]

    def substituted(position: int) -> bool:
        return any(start <= position < end for start, end in spans)

    edits: list[tuple[int, int, str]] = []
    for group in groups:
        if substituted(group.start):
            continue
        chosen = [block(name, group.branch)
                  for name in written if group.outer or name in group.variables]
        if chosen:
            edits.append((group.start, group.start, " " + "".join(chosen)))
    edits += [(token.start, token.start + len(token.text), written[token.text[1:]])
              for token in items
              if token.kind == "var" and token.text[1:] in written and substituted(token.start)]
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _components(triples: Iterable[RdfTriple]) -> list[list[RdfTriple]]:
    """Group triples so that all triples sharing a blank node stay together."""
    parent: dict[BNode, BNode] = {}

    def find(node: BNode) -> BNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    plain: list[list[RdfTriple]] = []
    linked: list[RdfTriple] = []
    for triple in triples:
        nodes = [term for term in triple if isinstance(term, BNode)]
        if not nodes:
            plain.append([triple])
            continue
        linked.append(triple)
        first = find(nodes[0])
        for other in nodes[1:]:
            parent[find(other)] = first
    groups: dict[BNode, list[RdfTriple]] = {}
    for triple in linked:
        root = find(next(term for term in triple if isinstance(term, BNode)))
        groups.setdefault(root, []).append(triple)
    return plain + list(groups.values())


def ntriples_batches(triples: Iterable[RdfTriple], size: int) -> Iterator[tuple[str, int, bool]]:
    """N-Triples text in batches of about ``size`` triples; blank nodes never cross batches.

    Yields:
        ``(text, triple count, whether it has blank nodes)`` per batch. Consumes ``triples``
        fully first, so an iterable that raises does so before anything is sent.

    Raises:
        QueryError: If a term cannot be written (e.g. a literal subject).
    """
    batch: list[str] = []
    labels: dict[BNode, str] = {}  # per batch: a label means one node within one request
    for component in _components(list(triples)):
        if batch and len(batch) + len(component) > size:
            yield "\n".join(batch) + "\n", len(batch), bool(labels)
            batch, labels = [], {}
        for s, p, o in component:
            if isinstance(s, Literal) or not isinstance(p, URIRef):
                raise QueryError(f"not an RDF triple: {(s, p, o)!r}")
            batch.append(f"{sparql_term(s, labels)} {sparql_term(p)} {sparql_term(o, labels)} .")
    if batch:
        yield "\n".join(batch) + "\n", len(batch), bool(labels)


def _term(value: Any) -> RdfTerm:
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise MalformedResult(f"a binding is not a SPARQL JSON term: {value!r}")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return Literal(text, lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype is None or datatype in (_XSD_STRING, _LANG_STRING):
            return Literal(text)
        return Literal(text, datatype=URIRef(datatype), normalize=False)
    raise MalformedResult(f"unknown term type {kind!r}")


def parse_results(body: bytes) -> QueryResult:
    """Read SPARQL 1.1 Query Results JSON (SELECT or ASK) into a :class:`QueryResult`.

    Raises:
        MalformedResult: If the body is not such a document.
    """
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedResult(f"not SPARQL results JSON ({exc}): {body[:80]!r}") from exc
    if not isinstance(document, dict):
        raise MalformedResult(f"not SPARQL results JSON: {body[:80]!r}")
    if isinstance(document.get("boolean"), bool):
        return QueryResult(kind="ask", boolean=document["boolean"])
    try:
        names = [str(name) for name in document["head"]["vars"]]
        bindings = document["results"]["bindings"]
        rows = [{name: (_term(row[name]) if name in row else None) for name in names}
                for row in bindings]
    except (KeyError, TypeError, AttributeError) as exc:
        raise MalformedResult(f"SPARQL results JSON without {exc}: {body[:80]!r}") from exc
    return QueryResult(kind="select", variables=names, rows=rows)


_GRAPH_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "text/plain": "nt",
                  "application/x-turtle": "turtle", "application/turtle": "turtle"}


def parse_graph(body: bytes, content_type: str) -> QueryResult:
    """Read a CONSTRUCT / DESCRIBE answer in Turtle or N-Triples into a :class:`QueryResult`.

    Raises:
        MalformedResult: If the body is not RDF in the format its content type says.
    """
    media = content_type.split(";")[0].strip().lower()
    graph = Graph()
    try:
        graph.parse(data=body.decode("utf-8"), format=_GRAPH_FORMATS.get(media, "turtle"))
    except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds of errors
        raise MalformedResult(f"not RDF ({media or 'no content type'}): {exc}") from exc
    return QueryResult(kind="graph", triples=list(graph))
