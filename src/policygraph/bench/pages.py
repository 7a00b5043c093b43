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
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from policygraph.bench.servers import free_port

__all__ = ["ASKERS", "PAGES", "first_pages", "suggestion_load"]

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


def first_pages(store: Path, work: list[str] | None = None
                ) -> tuple[dict[str, dict[str, float]], dict[str, float] | None]:
    """Each page's first and second fetch (ms) from a freshly started ``serve`` on ``store``;
    then, given projects or activities ``work``, :func:`suggestion_load` on their pages."""
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
        pages = {page: {"first": _get(base + page, _PAGE_S) * 1000,
                        "again": _get(base + page, _PAGE_S) * 1000} for page in PAGES}
        light = "/id/" + work[0].removeprefix(_DATA) + "?lang=en" if work else ""
        return pages, suggestion_load(base, work, light) if work else None
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


#: Suggestion pages asked at once, and how often each asker asks, in :func:`suggestion_load`.
ASKERS = 20
ASKS = 3
_DATA = "https://w3id.org/policygraph/id/"


def _status(url: str, timeout: float) -> tuple[int, float, bytes]:
    """(status, seconds, body) of one GET; an error status is returned, not raised."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            body = answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return status, time.perf_counter() - started, body


def _p95(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def suggestion_load(base: str, work: list[str], light: str, samples: int = 40
                    ) -> dict[str, float]:
    """A light page's p95 alone and while ``ASKERS`` clients ask ``/api/suggestions`` at once.

    Args:
        base: The served app's URL.
        work: IRIs of projects or activities (one asker each, round robin).
        light: The path of the light page (fetched once first, so its answer is kept).
        samples: Light fetches per measurement.

    Returns:
        ``alone_p95_ms``, ``loaded_p95_ms``, ``index_s`` (from the first ask until the index
        was ready), ``answered`` and ``refused`` (503) suggestion requests; any other status
        raises.
    """
    def page(iri: str) -> str:
        return base + "/api/suggestions?" + urllib.parse.urlencode({"element": iri})

    _status(base + light, _PAGE_S)
    alone = [_status(base + light, _PAGE_S)[1] for _ in range(samples)]
    started = time.perf_counter()
    while _status(page(work[0]), _PAGE_S)[0] == 503:  # the index is being read
        if time.perf_counter() - started > _PAGE_S:
            raise RuntimeError("the suggestion index was not ready in time")
        time.sleep(0.2)
    index_s = time.perf_counter() - started
    statuses: list[int] = []

    def ask(number: int) -> None:
        for turn in range(ASKS):
            status, _, _ = _status(page(work[(number + turn * ASKERS) % len(work)]), _PAGE_S)
            statuses.append(status)

    askers = [threading.Thread(target=ask, args=(n,)) for n in range(ASKERS)]
    for asker in askers:
        asker.start()
    loaded = [_status(base + light, _PAGE_S)[1] for _ in range(samples)]
    for asker in askers:
        asker.join(_PAGE_S)
    if any(asker.is_alive() for asker in askers):
        raise RuntimeError("suggestion requests stalled")
    wrong = sorted({s for s in statuses if s not in (200, 503)})
    if wrong:
        raise RuntimeError(f"suggestion requests answered {wrong}")
    return {"alone_p95_ms": _p95(alone), "loaded_p95_ms": _p95(loaded), "index_s": index_s,
            "answered": float(statuses.count(200)), "refused": float(statuses.count(503))}
