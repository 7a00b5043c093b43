"""Typed query parameters: turn user-typed text into the RDF term a query is bound to."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from policygraph import thaidate
from policygraph.namespaces import PREFIXES
from policygraph.store.terms import checked_named_node

__all__ = ["EXPECTED", "PARAM_TYPES", "coerce", "expand_curie"]

_LANGTAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_CURIE = re.compile(r"^([A-Za-z][\w.-]*|):(.*)$", re.DOTALL)

#: What each parameter type expects, in words (used in error messages).
EXPECTED: dict[str, str] = {
    "iri": "an absolute IRI or a CURIE such as id:example (prefixes: "
    + ", ".join(sorted(PREFIXES))
    + ")",
    "string": "any text",
    "lang": "a BCP 47 language tag such as th or en",
    "integer": "a whole number such as 42",
    "decimal": "a decimal number such as 3.5",
    "date": "a date such as 2024-03-01, 2567-03-01, 1 มี.ค. 67 or 1 มีนาคม 2567",
    "month": "a month such as 2024-03, 2567-03, มี.ค. 67, มีนาคม 2567 or March 2024",
    "year": "a year such as 2024 or 2567 (Buddhist era)",
}
#: The parameter types a query header may declare.
PARAM_TYPES = tuple(EXPECTED)


def expand_curie(value: str) -> str | None:
    """Expand ``prefix:local`` using :data:`PREFIXES`; None if not a known CURIE."""
    match = _CURIE.match(value)
    if match and match.group(1) in PREFIXES and not match.group(2).startswith("//"):
        return PREFIXES[match.group(1)] + match.group(2)
    return None


def _iri(value: str) -> Identifier:
    text = value.strip()
    text = expand_curie(text) or text
    return URIRef(checked_named_node(text).value)


def _string(value: str) -> Identifier:
    return Literal(value)


def _lang(value: str) -> Identifier:
    text = value.strip()
    if not _LANGTAG.match(text):
        raise ValueError("not a language tag")
    return Literal(text)


def _integer(value: str) -> Identifier:
    text = thaidate.normalise_digits(value.strip())
    if not _INTEGER.match(text):
        raise ValueError("not an integer")
    return Literal(str(int(text)), datatype=XSD.integer)


def _decimal(value: str) -> Identifier:
    text = thaidate.normalise_digits(value.strip())
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError("not a decimal number") from exc
    if not number.is_finite():
        raise ValueError("not a finite number")
    return Literal(format(number, "f"), datatype=XSD.decimal)


def _date(value: str) -> Identifier:
    return Literal(thaidate.parse_date(value).isoformat(), datatype=XSD.date)


def _month(value: str) -> Identifier:
    return Literal(thaidate.parse_month(value))


def _year(value: str) -> Identifier:
    return Literal(f"{thaidate.parse_year(value):04d}", datatype=XSD.gYear)


_COERCERS: dict[str, Callable[[str], Identifier]] = {
    "iri": _iri,
    "string": _string,
    "lang": _lang,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "month": _month,
    "year": _year,
}


def coerce(type_name: str, value: str) -> Identifier:
    """Convert text to the RDF term for a parameter of ``type_name``.

    ``iri`` → URIRef (CURIEs expanded); ``string``, ``lang`` and ``month``
    (``"YYYY-MM"``) → plain literals; ``integer``/``decimal``/``date``/
    ``year`` → literals typed ``xsd:integer``/``decimal``/``date``/``gYear``.
    Dates and years may be Buddhist era and use Thai digits and month names.

    Raises:
        ValueError: If the value does not fit the type (message says why).
        KeyError: If ``type_name`` is not one of :data:`PARAM_TYPES`.
    """
    return _COERCERS[type_name](value)
