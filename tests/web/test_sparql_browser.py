"""The query page in a real browser (Debian's Chromium, driven by Playwright), served by
uvicorn on 127.0.0.1 from a read-only store on disk: the editor loads offline, Ctrl+Enter
runs the query, and named queries run with JavaScript disabled.

Without Chromium the tests skip on a workstation but fail in CI, like tests/web/browser.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest

from policygraph.store import OxigraphStore
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, browser_unavailable, serving


@pytest.fixture(scope="module")
def base_url(bundled_store: OxigraphStore,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a copy of the bundled store on disk, served by uvicorn on a free port."""
    path = tmp_path_factory.mktemp("sparql-browser") / "store"
    with OxigraphStore(path) as copy:
        copy.oxigraph.load(input=bundled_store.dump("nquads"), format=ox.RdfFormat.N_QUADS)
    with serving(path, query_timeout=5) as url:
        yield url


@pytest.fixture(scope="module")
def in_browser() -> Callable[[Callable[[Any], None]], None]:
    """Run ``check(browser)`` with a headless Chromium of its own.

    Playwright's sync API allows one instance per thread, and tests/web/browser keeps one open
    in the main thread for the whole session, so each check runs in a thread of its own.
    """
    if not CHROMIUM.exists():
        browser_unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a test dependency
        browser_unavailable(f"playwright is not installed: {exc}")

    def run(check: Callable[[Any], None]) -> None:
        failures: list[BaseException] = []

        def body() -> None:
            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                         args=CHROMIUM_ARGS)
                    try:
                        check(browser)
                    finally:
                        browser.close()
            except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
                failures.append(exc)

        thread = threading.Thread(target=body)
        thread.start()
        thread.join(timeout=120)
        assert not thread.is_alive(), "the browser check did not finish"
        if failures:
            raise failures[0]

    return run


def _page(browser: Any, **options: Any) -> tuple[Any, dict[str, list[str]]]:
    seen: dict[str, list[str]] = {"requests": [], "blocked": [], "errors": [], "dialogs": []}
    context = browser.new_context(service_workers="block", **options)

    def route(request_route: Any) -> None:
        url = request_route.request.url
        seen["requests"].append(url)
        if urlsplit(url).hostname == "127.0.0.1":
            request_route.continue_()
        else:
            seen["blocked"].append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    return page, seen


def _editor_runs_the_query(browser: Any, base_url: str) -> None:
    page, seen = _page(browser)
    page.goto(f"{base_url}/query?lang=en")
    page.wait_for_selector(".CodeMirror")
    assert page.is_hidden("#sparql-editor")  # the textarea became the editor
    page.evaluate("""() => document.querySelector('.CodeMirror').CodeMirror.setValue(
        'SELECT ?plan WHERE { ?plan a pg:Plan } ORDER BY ?plan')""")
    page.click(".CodeMirror")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    cells = page.locator("table.results tbody tr td:first-child").all_inner_texts()
    assert cells[:2] == ["id:acp2", "id:ethics-strategy"] and len(cells) == 7
    assert "SELECT ?plan" in page.evaluate(
        "() => document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert seen["blocked"] == [] and seen["errors"] == []
    assert any("/static/query/codemirror/sparql.js" in url for url in seen["requests"])
    page.context.close()


def _named_query_without_javascript(browser: Any, base_url: str) -> None:
    page, seen = _page(browser, java_script_enabled=False)
    page.goto(f"{base_url}/query?lang=en")
    page.click("text=budget-rollup")
    page.fill("#param-plan", "id:ns")
    page.click("text=Run this query")
    row = page.locator("table.results tbody tr", has_text="id:ns/s1").first
    assert "12512400" in row.inner_text()
    assert row.locator("a").first.get_attribute("href") == "/id/ns/s1?lang=en"
    assert page.is_visible("#sparql-editor")  # a plain textarea without JavaScript
    assert seen["blocked"] == []
    page.context.close()


def _hostile_value_stays_text(browser: Any, base_url: str) -> None:
    page, seen = _page(browser)
    page.goto(f"{base_url}/query?name=find-element&lang=en")
    page.fill("#param-text", "<script>alert(1)</script>")
    page.click("text=Run this query")
    assert page.input_value("#param-text") == "<script>alert(1)</script>"
    assert seen["dialogs"] == [] and seen["errors"] == []
    page.context.close()


Runner = Callable[[Callable[[Any], None]], None]


def test_the_editor_loads_offline_and_ctrl_enter_runs_the_query(in_browser: Runner,
                                                                 base_url: str) -> None:
    in_browser(lambda browser: _editor_runs_the_query(browser, base_url))


def test_named_queries_run_with_javascript_disabled(in_browser: Runner, base_url: str) -> None:
    in_browser(lambda browser: _named_query_without_javascript(browser, base_url))


def test_hostile_values_stay_text_in_the_browser(in_browser: Runner, base_url: str) -> None:
    in_browser(lambda browser: _hostile_value_stays_text(browser, base_url))
