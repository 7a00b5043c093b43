"""Hostile IRIs in a real browser (issue 16): on the pages that cite source documents whose
pages are ``javascript:``, ``data:`` and ``vbscript:`` IRIs, clicking every link runs no script
and opens no dialog, and the Content-Security-Policy stops script the pages did not ship."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Opener = Callable[..., tuple[Any, Any]]
PAGES = ("/id/hostile/s1?lang=th", "/id/hostile/s2?lang=en")


def test_clicking_every_link_runs_no_script(open_page: Opener, hostile_url: str) -> None:
    page, traffic = open_page()
    clicked = 0
    for path in PAGES:
        page.goto(hostile_url + path)
        assert "VbScript:msgbox(1)" in page.content() or path.endswith("s1?lang=th")
        count = page.locator("main a[href]").count()
        assert count > 3
        for index in range(count):
            page.goto(hostile_url + path)
            link = page.locator("main a[href]").nth(index)
            href = link.get_attribute("href") or ""
            assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
            # Activated as a user's click would (some are in folded sections, not visible).
            if href.startswith("/"):
                with page.expect_navigation():
                    link.evaluate("a => a.click()")
            else:  # an external page: asked for, and blocked (the tests stay offline)
                link.evaluate("a => a.click()")
                page.wait_for_timeout(300)
            page.wait_for_load_state()
            clicked += 1
    assert clicked > 6
    assert traffic.dialogs == []
    # The one external page (https://example.org/plan.pdf) was asked for and blocked, offline.
    assert traffic.blocked == ["https://example.org/plan.pdf"]
    assert traffic.errors == [], traffic.errors


def test_the_policy_stops_script_the_page_did_not_ship(open_page: Opener,
                                                       hostile_url: str) -> None:
    page, traffic = open_page()
    page.goto(hostile_url + PAGES[0])
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    page.evaluate("""() => {
        const inline = document.createElement("script");
        inline.textContent = "window.__pwned = 1";
        document.body.appendChild(inline);
        const link = document.createElement("a");
        link.href = "javascript:window.__pwned = 2";
        document.body.appendChild(link);
        link.click();
    }""")
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.__pwned") is None
    assert any("Content Security Policy" in text for text in violations), violations
    assert traffic.dialogs == []
