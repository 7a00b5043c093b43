"""Errors of the SPARQL endpoint, answered as plain text with their HTTP status."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.responses import PlainTextResponse

__all__ = ["SparqlError", "error_response"]


class SparqlError(Exception):
    """A request the endpoint answers with an error status and a plain-text message.

    Attributes:
        status: The HTTP status code.
        message: What went wrong and, where possible, what to do instead.
        headers: Extra response headers (``WWW-Authenticate``, ``Retry-After``, ``Allow``).
    """

    def __init__(self, status: int, message: str,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def error_response(error: SparqlError) -> PlainTextResponse:
    """The error as a ``text/plain`` response (no HTML: the clients are programs)."""
    return PlainTextResponse(error.message.rstrip("\n") + "\n", status_code=error.status,
                             headers=error.headers)
