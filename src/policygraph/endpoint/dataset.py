"""A query's own dataset (``FROM`` / ``FROM NAMED``): its graphs read, its clauses taken out.

On a remote store the endpoint sends every query's dataset as protocol parameters
(``default-graph-uri`` / ``named-graph-uri``), restricted to the store's graphs. The query's
own ``FROM`` clauses must then not reach the server as well: Virtuoso adds them to the
protocol's graphs instead of being overridden by them, so ``FROM <its-system-graph>`` would
be read. :func:`split_dataset` finds each top-level ``FROM [NAMED] graph`` clause with the
tokenizer of :mod:`policygraph.store.lexer`, resolves the graph's IRI as the parser does
(``BASE`` and ``PREFIX`` declarations, the endpoint's base IRI, the predeclared prefixes) and
returns the text without those clauses. The graphs found only ever select among the store's
graphs, so one that cannot be resolved is no graph of the store, never a way out of it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from policygraph.store.lexer import Token, tokens

__all__ = ["DatasetClauses", "iri_value", "resolve_iri", "split_dataset"]

# RFC 3986, appendix B: scheme, authority, path, query, fragment (None when absent).
_REFERENCE = re.compile(r"^(?:([A-Za-z][A-Za-z0-9+.\-]*):)?(?://([^/?#]*))?([^?#]*)"
                        r"(?:\?([^#]*))?(?:#(.*))?$", re.DOTALL)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")


@dataclass(frozen=True)
class DatasetClauses:
    """A query without its ``FROM`` clauses, and the graphs they named.

    Attributes:
        text: The query text with every top-level ``FROM [NAMED] graph`` clause removed.
        given: Whether the query had any such clause.
        default_graphs: The ``FROM`` graphs' IRIs (those that could be resolved), in order.
        named_graphs: The ``FROM NAMED`` graphs' IRIs, in order.
    """

    text: str
    given: bool
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


def _remove_dot_segments(path: str) -> str:
    """RFC 3986, section 5.2.4."""
    output: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith("./"):
            path = path[2:]
        elif path.startswith("/./"):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../") or path == "/..":
            path = "/" + path[4:] if path.startswith("/../") else "/"
            if output:
                output.pop()
        elif path in (".", ".."):
            path = ""
        else:
            start = 1 if path.startswith("/") else 0
            end = path.find("/", start)
            segment, path = (path, "") if end < 0 else (path[:end], path[end:])
            output.append(segment)
    return "".join(output)


def resolve_iri(reference: str, base: str | None) -> str | None:
    """Resolve an IRI reference against a base IRI (RFC 3986, section 5.2.2).

    Returns:
        The absolute IRI; None if the reference is relative and there is no base.
    """
    match = _REFERENCE.match(reference)
    if match is None:  # pragma: no cover - the pattern matches every string
        return None
    scheme, authority, path, query, fragment = match.groups()
    if scheme is None:
        based = _REFERENCE.match(base or "")
        if based is None or based.group(1) is None:
            return None
        base_scheme, base_authority, base_path, base_query, _ = based.groups()
        scheme = base_scheme
        if authority is None:
            authority = base_authority
            if not path:
                path = base_path
                query = query if query is not None else base_query
            elif not path.startswith("/"):
                if base_authority is not None and not base_path:
                    path = "/" + path
                else:
                    path = base_path[:base_path.rfind("/") + 1] + path
    path = _remove_dot_segments(path)
    return (f"{scheme}:" + (f"//{authority}" if authority is not None else "") + path
            + (f"?{query}" if query is not None else "")
            + (f"#{fragment}" if fragment is not None else ""))


def iri_value(token: Token) -> str:
    """The IRI (reference) of an ``<…>`` token, its ``\\u`` escapes decoded."""
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token.text[1:-1])


def _graph(token: Token, base: str | None, namespaces: Mapping[str, str]) -> str | None:
    if token.kind == "iri":
        return resolve_iri(iri_value(token), base)
    if token.kind == "word" and ":" in token.text:
        prefix, _, local = token.text.partition(":")
        namespace = namespaces.get(prefix)
        if namespace is not None:
            return namespace + _LOCAL_ESCAPE.sub(r"\1", local)
    return None


def split_dataset(text: str, base_iri: str | None,
                  prefixes: Mapping[str, str]) -> DatasetClauses:
    """Take the ``FROM`` / ``FROM NAMED`` clauses out of a query and resolve their graphs.

    Args:
        text: A query (already accepted by the parser).
        base_iri: The base IRI relative IRIs resolve against before any ``BASE``.
        prefixes: The prefixes the query may use without declaring them.
    """
    top = [token for token in tokens(text) if token.depth == 0]
    base = base_iri
    namespaces = dict(prefixes)
    cuts: list[tuple[int, int]] = []
    default: list[str] = []
    named: list[str] = []
    index = 0
    while index < len(top):
        token = top[index]
        following = top[index + 1:index + 3]
        if token.is_word("BASE") and following and following[0].kind == "iri":
            base = resolve_iri(iri_value(following[0]), base)
            index += 2
        elif token.is_word("PREFIX") and len(following) == 2 and following[1].kind == "iri":
            namespace = resolve_iri(iri_value(following[1]), base)
            label = following[0].text[:-1] if following[0].text.endswith(":") else None
            if namespace is not None and label is not None:
                namespaces[label] = namespace
            index += 3
        elif token.is_word("FROM"):
            is_named = bool(following) and following[0].is_word("NAMED")
            position = index + (2 if is_named else 1)
            if position >= len(top):
                break
            graph = top[position]
            cuts.append((token.start, graph.start + len(graph.text)))
            if (iri := _graph(graph, base, namespaces)) is not None:
                (named if is_named else default).append(iri)
            index = position + 1
        else:
            index += 1
    for start, end in reversed(cuts):
        text = f"{text[:start]} {text[end:]}"
    return DatasetClauses(text, bool(cuts), tuple(default), tuple(named))
