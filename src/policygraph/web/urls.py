"""Where an element's page lives in the app, and small display helpers for templates."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from policygraph.namespaces import ID
from policygraph.thaidate import BE_OFFSET

__all__ = ["LINK_SCHEMES", "be_year", "element_url", "external_href", "iri_for_path", "money"]

#: The only schemes an IRI from the data may have to be rendered as a link's target: others
#: (``javascript:``, ``data:``, ``vbscript:``, ``file:``…) are shown as text.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})



def element_url(iri: object) -> str:
    """The app path of an element's page: ``/id/<path>`` for data IRIs, ``/resource?iri=`` else."""
    text = str(iri)
    if text.startswith(str(ID)):
        return "/id/" + quote(text.removeprefix(str(ID)), safe="/-._~")
    return "/resource?iri=" + quote(text, safe="")


def external_href(iri: object) -> str | None:
    """``iri`` when it may be a link's target (an http, https or mailto IRI with no spaces or
    control characters, which browsers strip before reading the scheme), else None."""
    text = "" if iri is None else str(iri)
    if not text or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        return None
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return None
    return text if scheme in LINK_SCHEMES else None


def iri_for_path(path: str) -> str:
    """The data IRI an ``/id/<path>`` page stands for."""
    return str(ID) + path


def be_year(year: object) -> str:
    """A Gregorian year (int, ``"2024"`` or an xsd:gYear literal) as a Buddhist-era year."""
    try:
        return str(int(str(year)[:4]) + BE_OFFSET)
    except ValueError:
        return str(year)


def money(amount: object) -> str:
    """An amount with thousands separators and two decimals: ``9,460,600.00``."""
    try:
        return f"{float(str(amount)):,.2f}"
    except ValueError:
        return str(amount)
