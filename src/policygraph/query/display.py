"""Render query results as a terminal table, CSV or SPARQL 1.1 Results JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from wcwidth import wcswidth, wcwidth

from policygraph.errors import UnknownNameError
from policygraph.namespaces import PREFIXES
from policygraph.store import QueryResult
from policygraph.thaidate import format_be

__all__ = [
    "FORMATS",
    "NONE_MARK",
    "cell_text",
    "display_width",
    "render",
    "render_csv",
    "spreadsheet_safe",
    "render_json",
    "render_table",
    "short_iri",
    "truncate",
]

#: Output formats understood by :func:`render`.
FORMATS = ("table", "csv", "json")
#: Shown for an unbound value: "not stated" is never silently empty.
NONE_MARK = "—"
_ELLIPSIS = "…"
_NUMERIC = {
    str(XSD[name])
    for name in ("integer", "decimal", "double", "float", "int", "long", "short",
                 "nonNegativeInteger", "positiveInteger", "negativeInteger",
                 "nonPositiveInteger", "unsignedInt", "unsignedLong")
}
# Longest namespace first, so the most specific prefix wins.
_NAMESPACES = sorted(PREFIXES.items(), key=lambda item: len(item[1]), reverse=True)


def short_iri(iri: str) -> str:
    """Shorten an IRI to a CURIE using :data:`PREFIXES` when one applies."""
    for prefix, namespace in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace):]
            if not any(c.isspace() for c in local):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def cell_text(term: object) -> str:
    """Text for one table cell: CURIE for IRIs, lexical form for literals.

    Dates also show their Buddhist-era form, as planners read them: ``2023-10-01 (1 ต.ค. 2566)``;
    CSV and JSON keep the Gregorian value alone.
    """
    if term is None:
        return NONE_MARK
    if isinstance(term, URIRef):
        return short_iri(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal) and term.datatype == XSD.date:
        value = term.toPython()
        if isinstance(value, dt.date):
            return f"{term} ({format_be(value)})"
    return str(term)


def _printable(text: str) -> str:
    # Control characters have no width (wcswidth returns -1) and would break
    # the layout; make line breaks visible instead of dropping them.
    text = text.replace("\r\n", "\n").replace("\n", "↵").replace("\t", " ")
    return "".join(
        "\ufffd" if unicodedata.category(c) == "Cc" or wcwidth(c) < 0 else c for c in text
    )


def display_width(text: str) -> int:
    """Terminal columns ``text`` occupies (Thai combining marks count as zero)."""
    return max(wcswidth(text), 0)


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` columns, ending with "…" if cut.

    Combining marks stay with their base character, so Thai vowels and
    tone marks are never orphaned.
    """
    if width <= 0 or display_width(text) <= width:
        return text
    budget = width - 1
    kept: list[str] = []
    used = 0
    for char in text:
        char_width = max(wcwidth(char), 0)
        if char_width and used + char_width > budget:
            break
        kept.append(char)
        used += char_width
    result = "".join(kept)
    while result and display_width(result) > budget:
        result = result[:-1]
    return result + _ELLIPSIS


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def _is_numeric(term: object) -> bool:
    return isinstance(term, Literal) and str(term.datatype) in _NUMERIC


def render_table(result: QueryResult, *, max_width: int = 48) -> str:
    """Render a SELECT result as an aligned text table.

    Args:
        result: The query result.
        max_width: Longest cell, in terminal columns; 0 disables truncation.

    Returns:
        Header, rule and one line per row, each the same display width.
    """
    if result.kind != "select":
        return _render_other(result, "table")
    headers = [truncate(name, max_width) for name in result.variables]
    cells = [
        [truncate(_printable(cell_text(row.get(name))), max_width) for name in result.variables]
        for row in result.rows
    ]
    widths = [display_width(header) for header in headers]
    for line in cells:
        widths = [max(width, display_width(cell)) for width, cell in zip(widths, line, strict=True)]
    right = [
        bool(result.rows) and all(_is_numeric(row.get(name)) or row.get(name) is None
                                  for row in result.rows)
        for name in result.variables
    ]
    lines = [" | ".join(_pad(h, w, False) for h, w in zip(headers, widths, strict=True))]
    lines.append("-+-".join("-" * width for width in widths))
    for line in cells:
        lines.append(
            " | ".join(_pad(c, w, r) for c, w, r in zip(line, widths, right, strict=True))
        )
    return "\n".join(lines) + "\n"


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


#: What a spreadsheet program reads as the start of a formula (or a cell it runs as one).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that a spreadsheet program shows as text, never runs as a formula (CSV
    injection): text starting with ``= + - @``, a tab or a carriage return gets a leading
    apostrophe; numbers, numeric literals and anything else are left as they are."""
    if _is_numeric(value):
        return value
    # str() first: an rdflib Literal is a str whose startswith does not take a tuple.
    if isinstance(value, str) and str(value).startswith(_FORMULA_STARTS):
        return "'" + str(value)
    return value


def render_csv(result: QueryResult, *, for_spreadsheets: bool = False) -> str:
    """Render a SELECT result as SPARQL 1.1 CSV: full IRIs, lexical values, UTF-8.

    ``for_spreadsheets`` (downloads from the pages): text cells pass :func:`spreadsheet_safe`;
    the SPARQL endpoint's CSV results stay as the standard writes them.
    """
    if result.kind != "select":
        return _render_other(result, "csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        cells = [row.get(name) for name in result.variables]
        writer.writerow([_csv_value(spreadsheet_safe(cell) if for_spreadsheets else cell)
                         for cell in cells])
    return buffer.getvalue()


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        value: dict[str, str] = {"type": "literal", "value": str(term)}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype not in (XSD.string, RDF.langString):
            value["datatype"] = str(term.datatype)
        return value
    raise TypeError(f"cannot express {term!r} in SPARQL JSON results")


def render_json(result: QueryResult) -> str:
    """Render a result in the SPARQL 1.1 Query Results JSON format.

    SELECT → ``head.vars`` and ``results.bindings`` (unbound variables are
    omitted from a binding); ASK → ``boolean``; CONSTRUCT → JSON-LD.
    """
    document: dict[str, Any]
    if result.kind == "graph":
        return _render_other(result, "json")
    if result.kind == "ask":
        document = {"head": {}, "boolean": bool(result.boolean)}
    else:
        document = {
            "head": {"vars": list(result.variables)},
            "results": {
                "bindings": [
                    {name: _json_term(value) for name, value in row.items() if value is not None}
                    for row in result.rows
                ]
            },
        }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _render_other(result: QueryResult, fmt: str) -> str:
    if result.kind == "ask":
        if fmt == "json":
            return render_json(result)
        return ("true" if result.boolean else "false") + "\n"
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in result.triples:
        graph.add(triple)
    if fmt == "json":
        return graph.serialize(format="json-ld", context=dict(PREFIXES), indent=2)
    return graph.serialize(format="turtle")


def render(result: QueryResult, fmt: str = "table", *, max_width: int = 48) -> str:
    """Render a result in ``fmt`` (one of :data:`FORMATS`).

    ASK results print ``true``/``false`` (JSON: ``{"boolean": …}``); graph
    results print Turtle (JSON: JSON-LD).

    Raises:
        UnknownNameError: For an unknown format.
    """
    if fmt == "table":
        return render_table(result, max_width=max_width)
    if fmt == "csv":
        return render_csv(result)
    if fmt == "json":
        return render_json(result)
    raise UnknownNameError("format", fmt, FORMATS)
