"""A small SPARQL tokenizer: what the endpoint must know about a request text before running it.

It finds keywords outside strings, IRIs and comments, and how deeply each sits inside ``{}``,
``()`` and ``[]``, which is enough to tell a query's form, whether it names its own dataset
(``FROM``), whether an update has ``USING``/``WITH`` clauses, and where the ``WHERE`` of each
update operation starts, so that validated ``USING <iri>`` clauses can be put before it.
The text is never otherwise rewritten; Oxigraph's parser remains the judge of the syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

__all__ = [
    "Token",
    "UsingError",
    "blocked_keyword",
    "has_dataset_clause",
    "has_update_dataset_clause",
    "query_form",
    "tokens",
    "with_using",
]

_NAME_CHARS = r"\w\u00B7\u00C0-\uFFFF"
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][NAME]*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>(?:[NAME.:%-]|\\[_~.\-!$&'()*+,;=/?\#@%])+)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<semi>;)
  | (?P<other>.)
    """.replace("NAME", _NAME_CHARS),
    re.VERBOSE | re.DOTALL,
)
_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
_MANAGEMENT = {"LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
#: Keywords the endpoint refuses: both make the server fetch URLs (SSRF).
_BLOCKED = {
    "SERVICE": "SERVICE (federated query) is disabled: this endpoint does not fetch remote data",
    "LOAD": "LOAD is disabled: this endpoint does not fetch URLs; send the data with the Graph "
            "Store Protocol instead (PUT or POST /sparql/store?graph=IRI)",
}


class UsingError(ValueError):
    """``using-graph-uri`` parameters cannot be applied to this update."""


@dataclass(frozen=True)
class Token:
    """One token: its kind, text, offset in the request text and bracket depth."""

    kind: str
    text: str
    start: int
    depth: int

    def is_word(self, *words: str) -> bool:
        """True if this token is one of ``words`` (keywords, case-insensitive)."""
        return self.kind == "word" and self.text.upper() in words


def tokens(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL text, without whitespace and comments."""
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        if kind == "close":
            depth = max(depth - 1, 0)
        yield Token(kind, match.group(), match.start(), depth)
        if kind == "open":
            depth += 1


def _top_words(text: str) -> list[Token]:
    return [t for t in tokens(text) if t.depth == 0 and t.kind in ("word", "semi")]


def query_form(text: str) -> str | None:
    """``"select"``, ``"construct"``, ``"describe"`` or ``"ask"``; None if no form keyword."""
    for token in _top_words(text):
        if token.is_word(*_FORMS):
            return token.text.lower()
    return None


def has_dataset_clause(text: str) -> bool:
    """True if a query names its dataset itself (``FROM`` or ``FROM NAMED``)."""
    return any(token.is_word("FROM") for token in _top_words(text))


def has_update_dataset_clause(text: str) -> bool:
    """True if an update has a ``USING``, ``USING NAMED`` or ``WITH`` clause."""
    return any(token.is_word("USING", "WITH") for token in _top_words(text))


def blocked_keyword(text: str) -> str | None:
    """Why the text is refused (it uses SERVICE or LOAD), or None if it is not.

    Two checks, either of which refuses: the tokens of :func:`tokens`, and, for a text that
    mentions ``service`` or ``load`` at all (any case, ``\\u`` escapes decoded), a real SPARQL
    parser's reading (rdflib's): a ``ServiceGraphPattern`` or ``Load`` anywhere in the parse
    refuses it, and so does a text that mentions them but that rdflib cannot parse, or that is
    too long to parse here. (The tokenizer alone reads ``(1<'>')`` as an IRI then a string and
    misses what follows; the parser does not. The embedded store's workers cannot reach the
    network anyway, :mod:`policygraph.endpoint.sandbox`.)
    """
    for token in tokens(text):
        if token.kind == "word" and token.text.upper() in _BLOCKED:
            return _BLOCKED[token.text.upper()]
    mentioned = [word for word in _BLOCKED if word.lower() in _unescaped(text).lower()]
    if not mentioned:
        return None
    if len(text) > MAX_CHECKED:
        return (f"this text mentions {' and '.join(mentioned)} and is too long to check "
                f"(over {MAX_CHECKED:,} characters); SERVICE and LOAD are disabled here")
    parsed = _parsed_operations(text)
    if parsed is None:
        return (f"this text mentions {' and '.join(mentioned)} and could not be checked (the "
                "SPARQL parser that checks it refused the text); SERVICE and LOAD are disabled "
                "here")
    for name, word in (("ServiceGraphPattern", "SERVICE"), ("Load", "LOAD")):
        if name in parsed:
            return _BLOCKED[word]
    return None


#: The longest text that mentions SERVICE or LOAD which is parsed to check it (rdflib's parser
#: takes about 50 ms for a usual query; longer texts are refused rather than parsed).
MAX_CHECKED = 20_000
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescaped(text: str) -> str:
    """The text with SPARQL's ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes decoded."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _parsed_operations(text: str) -> set[str] | None:
    """The names of every part of the text as rdflib's SPARQL parser reads it (a query or an
    update), or None when it reads neither."""
    from pyparsing import ParseException, ParseResults
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    def walk(node: object, found: set[str]) -> set[str]:
        if isinstance(node, CompValue):
            found.add(node.name)
            for value in node.values():
                walk(value, found)
        elif isinstance(node, ParseResults | list | tuple):
            for value in node:
                walk(value, found)
        return found

    for parse in (parseQuery, parseUpdate):
        try:
            return walk(parse(text), set())
        except (ParseException, ValueError, TypeError, RecursionError):
            continue
    return None


def _operations(text: str) -> list[list[Token]]:
    operations: list[list[Token]] = [[]]
    for token in _top_words(text):
        if token.kind == "semi":
            operations.append([])
        else:
            operations[-1].append(token)
    return [operation for operation in operations if operation]


def _where_of(operation: list[Token]) -> Token | None:
    """The WHERE token of a DELETE/INSERT … WHERE operation; None for other operations."""
    verbs = [i for i, t in enumerate(operation) if t.is_word("INSERT", "DELETE", "WITH")
             or t.text.upper() in _MANAGEMENT]
    if not verbs or operation[verbs[0]].text.upper() in _MANAGEMENT:
        return None
    first = verbs[0]
    following = operation[first + 1] if first + 1 < len(operation) else None
    if following is not None and following.is_word("DATA"):
        return None
    if operation[first].is_word("DELETE") and following is not None and following.is_word("WHERE"):
        raise UsingError(
            "using-graph-uri and using-named-graph-uri cannot apply to a DELETE WHERE { … } "
            "operation (it has no USING clause); write it as DELETE { … } WHERE { … }")
    return next((t for t in operation[first + 1:] if t.is_word("WHERE")), None)


def with_using(text: str, graphs: Sequence[ox.NamedNode],
               named_graphs: Sequence[ox.NamedNode]) -> str:
    """Put ``USING <g>`` / ``USING NAMED <g>`` before the WHERE of each DELETE/INSERT operation.

    This is how the protocol's ``using-graph-uri`` and ``using-named-graph-uri`` parameters
    are applied (Oxigraph has no argument for them). The IRIs come in as validated
    ``NamedNode`` s, whose ``str()`` is a safe ``<…>`` IRI reference.

    Raises:
        UsingError: If the update has its own USING/WITH clause, or a DELETE WHERE operation.
    """
    if not graphs and not named_graphs:
        return text
    if has_update_dataset_clause(text):
        raise UsingError(
            "the update names its dataset with USING, USING NAMED or WITH, and the request "
            "also has using-graph-uri or using-named-graph-uri parameters: use one or the other")
    clause = " ".join([f"USING {g}" for g in graphs] + [f"USING NAMED {g}" for g in named_graphs])
    points = [where.start for operation in _operations(text)
              if (where := _where_of(operation)) is not None]
    for start in reversed(points):
        text = f"{text[:start]}{clause} {text[start:]}"
    return text
