"""Where an element's page lives in the app, and small display helpers for templates."""

from __future__ import annotations

from urllib.parse import quote

from policygraph.namespaces import ID
from policygraph.thaidate import BE_OFFSET

__all__ = ["be_year", "element_url", "iri_for_path", "money"]



def element_url(iri: object) -> str:
    """The app path of an element's page: ``/id/<path>`` for data IRIs, ``/resource?iri=`` else."""
    text = str(iri)
    if text.startswith(str(ID)):
        return "/id/" + quote(text.removeprefix(str(ID)), safe="/-._~")
    return "/resource?iri=" + quote(text, safe="")


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
