"""A local HTTP server playing a SPARQL server whose answers each test sets."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator

__all__ = ["serving"]


@contextlib.contextmanager
def serving(base: type[http.server.BaseHTTPRequestHandler],
            **attributes: object) -> Iterator[tuple[str, type]]:
    """Serve a fresh subclass of ``base`` (with ``attributes``) on 127.0.0.1.

    Yields:
        The server's ``/sparql`` URL and the handler class, for the test to set answers on.
    """
    handler = type("Handler", (base,), dict(attributes))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql", handler
    finally:
        httpd.shutdown()
        httpd.server_close()
