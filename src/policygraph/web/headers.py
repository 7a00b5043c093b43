"""Security headers on every response of the app: a strict Content-Security-Policy and friends.

Pages run only the app's own scripts (no inline script, no ``eval``), load everything from the
app itself (offline, no CDN), cannot be framed, and send no referrer to other sites. Inline
styles stay allowed: vis-network and Swagger UI set them from their scripts. A pure ASGI
middleware, so streamed responses stream as before.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "SECURITY_HEADERS", "SecurityHeaders"]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.decode("latin-1").lower() for name, _ in headers}
                headers += [(name.encode("latin-1"), value.encode("latin-1"))
                            for name, value in SECURITY_HEADERS.items() if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
