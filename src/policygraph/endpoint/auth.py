"""Who may write: the endpoint is read-only unless in admin mode with the bearer token."""

from __future__ import annotations

import secrets

from fastapi import Request

from policygraph.endpoint.errors import SparqlError
from policygraph.settings import Settings

__all__ = ["READ_ONLY_MESSAGE", "require_admin"]

#: The answer to a write when admin mode is off.
READ_ONLY_MESSAGE = (
    "This SPARQL endpoint is read-only: SPARQL Update and Graph Store Protocol writes are "
    "disabled. To enable them, start the server in admin mode by setting "
    "POLICYGRAPH_ADMIN_TOKEN to a secret of at least 16 characters, and send that secret "
    "with each write as 'Authorization: Bearer <token>'."
)
_CHALLENGE = 'Bearer realm="policygraph"'


def require_admin(request: Request, settings: Settings) -> None:
    """Allow the request only in admin mode with the right bearer token.

    Raises:
        SparqlError: 403 when admin mode is off; 401 with ``WWW-Authenticate: Bearer`` when
            the token is missing or wrong.
    """
    if settings.admin_token is None:
        raise SparqlError(403, READ_ONLY_MESSAGE)
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise SparqlError(401, "This operation needs the admin token: send "
                               "'Authorization: Bearer <token>'.",
                          {"WWW-Authenticate": _CHALLENGE})
    if not secrets.compare_digest(token.strip().encode("utf-8"),
                                  settings.admin_token.get_secret_value().encode("utf-8")):
        raise SparqlError(401, "The bearer token is not the admin token.",
                          {"WWW-Authenticate": _CHALLENGE + ', error="invalid_token"'})
