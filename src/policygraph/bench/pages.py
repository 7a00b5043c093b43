"""The served web app, uncached: the first report pages after a restart of ``policygraph serve``.

``policygraph serve`` is started on the loaded store (its own process, on 127.0.0.1, a free
port), exactly as a user starts it; once it answers, each report page is fetched once over HTTP
(the first, uncached answer: nothing is kept across a restart), then once more (kept). The
server is stopped at the end, even on errors.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from policygraph.bench.servers import free_port

__all__ = ["PAGES", "first_pages"]

#: The pages timed, as the web app's paths.
PAGES = ("/reports/budget", "/reports/coverage")
#: Seconds ``serve`` may take to answer at all (it opens the store; at 5M this is seconds).
_START_S = 300
_PAGE_S = 600


def _get(url: str, timeout: float) -> float:
    """Seconds to fetch ``url`` whole (an error status raises)."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        answer.read()
    return time.perf_counter() - started


def first_pages(store: Path) -> dict[str, dict[str, float]]:
    """Each page's first and second fetch (ms) from a freshly started ``serve`` on ``store``."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "policygraph", "--store", str(store), "serve", "--port",
         str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")})
    try:
        deadline = time.monotonic() + _START_S
        while True:
            try:
                _get(f"{base}/static/favicon.svg", 5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("policygraph serve did not start") from None
                time.sleep(0.2)
        return {page: {"first": _get(base + page, _PAGE_S) * 1000,
                       "again": _get(base + page, _PAGE_S) * 1000} for page in PAGES}
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
