"""Where the bundled ontology, data and query files live (installed wheel or checkout)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["data_dir", "data_files", "ontology_dir", "ontology_files", "queries_dir", "web_dir"]


def _resource_dir(name: str) -> Path:
    # An installed wheel carries the files under policygraph/_bundled/; a
    # source checkout (editable install, tests) keeps them at the top level.
    bundled = Path(str(files("policygraph") / "_bundled" / name))
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parents[2] / name


def ontology_dir() -> Path:
    """Return the directory holding the ontology and SHACL shapes (``*.ttl``)."""
    return _resource_dir("ontology")


def web_dir() -> Path:
    """Return the directory holding the web app's ``templates/`` and ``static/`` files."""
    return _resource_dir("web")


def data_dir() -> Path:
    """Return the directory holding the instance data (``*.ttl``)."""
    return _resource_dir("data")


def queries_dir() -> Path:
    """Return the directory holding the named SPARQL queries (``*.rq``)."""
    return _resource_dir("queries")


def ontology_files() -> list[Path]:
    """Return the ontology's Turtle files, sorted by name."""
    return sorted(ontology_dir().glob("*.ttl"))


def data_files() -> list[Path]:
    """Return the instance data's Turtle files, sorted by name."""
    return sorted(data_dir().glob("*.ttl"))
