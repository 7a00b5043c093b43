"""User-level configuration: where the store lives, and how to reach a SPARQL server."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["STORE_ENV", "EndpointConfig", "default_store_path"]

#: Environment variable that overrides the store location.
STORE_ENV = "POLICYGRAPH_STORE"


def default_store_path() -> Path:
    """Return the store directory to use when none is given.

    Resolution order:

    1. ``$POLICYGRAPH_STORE`` if set and non-empty;
    2. ``$XDG_DATA_HOME/policygraph/store`` if ``XDG_DATA_HOME`` is set;
    3. ``~/.local/share/policygraph/store`` (the XDG default).

    Returns:
        The store directory (it may not exist yet).
    """
    explicit = os.environ.get(STORE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    # The XDG spec says relative values are invalid and must be ignored.
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "policygraph" / "store"


@dataclass(frozen=True)
class EndpointConfig:
    """Where and how to reach a SPARQL server: what ``--endpoint`` and the settings hold.

    :func:`policygraph.store.remote.store.open_endpoint` opens a store on it.
    """

    query_url: str
    update_url: str | None = None
    graph_store_url: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # secrets never in a repr
    token: str | None = field(default=None, repr=False)
    auth: str = "basic"
    timeout: float = 60.0
