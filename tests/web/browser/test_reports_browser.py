"""The reports' plan picker in a real browser, on a synthetic national store (none of the
bundled plans in it): the defaults come from the store, and choosing a plan redraws the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from policygraph.namespaces import ID

from .test_graph_browser import assert_offline

SYNTH = f"{ID}synth/"
Opener = Callable[..., tuple[Any, Any]]


def test_the_budget_picker_starts_at_level_1_and_changes_plan(open_page: Opener,
                                                              large_url: str) -> None:
    page, traffic = open_page()
    page.goto(f"{large_url}/reports/budget?lang=th")
    picker = page.locator("select[name=plan]")
    assert picker.input_value() == f"{SYNTH}ns"
    first = page.locator("#budget tbody tr").count()
    assert first > 0
    assert page.locator("#budget tbody tr a").first.get_attribute("href").startswith("/id/synth/")
    picker.select_option(f"{SYNTH}mp3")
    with page.expect_navigation():
        page.locator("form.picker button").click()
    query = parse_qs(urlsplit(page.url).query)
    assert query["plan"] == [f"{SYNTH}mp3"] and query["lang"] == ["th"]  # the language is kept
    assert page.locator("select[name=plan]").input_value() == f"{SYNTH}mp3"
    assert page.locator("#budget tbody tr").count() > 0
    assert "/id/synth/mp3" in (page.locator("#budget tbody tr a").first.get_attribute("href")
                               or "")
    assert_offline(traffic, large_url)


def test_the_timeline_starts_at_the_latest_plan(open_page: Opener, large_url: str) -> None:
    page, traffic = open_page()
    page.goto(f"{large_url}/reports/timeline?lang=en")
    chosen = page.locator("select[name=plan] option:checked").text_content() or ""
    assert "FY B.E. 2569" in chosen  # three fiscal years from 2024: the latest is 2026
    assert page.locator(".bar").count() > 0
    assert_offline(traffic, large_url)
