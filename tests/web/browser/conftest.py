"""Real-browser fixtures: the app served by uvicorn on 127.0.0.1, and Debian's Chromium.

Playwright cannot download browsers here, so it drives ``/usr/bin/chromium`` (Debian's
``chromium`` package; ``.ci/run`` installs it with ``fonts-thai-tlwg`` when missing). Without it
the tests skip on a workstation but fail in CI (``CI=true`` or ``POLICYGRAPH_REQUIRE_BROWSER=1``).
Every page blocks and records any request that leaves localhost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.helpers import CHROMIUM, CHROMIUM_ARGS, browser_unavailable, load_synthetic, serving

RESOURCES = Path(__file__).parents[2] / "resources"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def load_store(store_dir: Path, extra: list[Path] | None = None) -> Path:
    """Load the bundled ontology and data (and ``extra`` files) into a store at ``store_dir``."""
    from policygraph.load.derive import derive
    from policygraph.load.loader import load_many
    from policygraph.load.validate import VALIDATOR
    from policygraph.resources import data_files, ontology_files
    from policygraph.store import OxigraphStore

    with OxigraphStore(store_dir) as store:
        load_many(store, [*ontology_files(), *data_files(), *(extra or [])],
                  validate=VALIDATOR, derive=derive)
    return store_dir


@pytest.fixture(scope="session")
def bundled_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on an on-disk store of the bundled files, in a temporary directory."""
    with serving(load_store(tmp_path_factory.mktemp("bundled") / "store")) as url:
        yield url


@pytest.fixture(scope="session")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the bundled files plus a plan whose labels carry markup."""
    store = load_store(tmp_path_factory.mktemp("hostile") / "store",
                       [RESOURCES / "hostile-plan.ttl"])
    with serving(store) as url:
        yield url


@pytest.fixture(scope="session")
def large_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a store too large to draw whole: 40 synthetic agencies over 3 fiscal years."""
    root = tmp_path_factory.mktemp("large")
    from policygraph.store import OxigraphStore

    with OxigraphStore(root / "store") as store:
        load_synthetic(store, root / "data", agencies=40, years=3, validate=False)
    with serving(root / "store") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright."""
    if not CHROMIUM.exists():
        browser_unavailable(f"{CHROMIUM} not found (apt-get install chromium fonts-thai-tlwg)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a test dependency
        browser_unavailable(f"playwright is not installed: {exc}")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Traffic:
    """What a page asked for: every URL, the ones blocked for leaving localhost, script errors."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., tuple[Any, Traffic]]]:
    """A factory of offline pages: ``page, traffic = open_page()``."""
    contexts: list[Any] = []

    def make(**options: Any) -> tuple[Any, Traffic]:
        traffic = Traffic()
        context = browser.new_context(viewport={"width": 1600, "height": 1000},
                                      service_workers="block", **options)
        contexts.append(context)

        def route(request_route: Any) -> None:
            url = request_route.request.url
            traffic.requests.append(url)
            if urlsplit(url).hostname in LOCAL_HOSTS:
                request_route.continue_()
            else:
                traffic.blocked.append(url)
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda error: traffic.errors.append(str(error)))
        page.on("console", lambda message: traffic.errors.append(message.text)
                if message.type == "error" else None)

        def dialog(opened: Any) -> None:
            traffic.dialogs.append(opened.message)
            opened.dismiss()

        page.on("dialog", dialog)
        return page, traffic

    yield make
    for context in contexts:
        context.close()
