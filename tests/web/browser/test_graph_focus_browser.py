"""/graph on a large store in a real browser: it starts from the focus, expands a node on
demand without moving what is drawn, and never holds more than the page's cap."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policygraph.namespaces import ID
from policygraph.web.views.graph.focus import PAGE_CAP, SLICE_CAP

from .test_graph_browser import assert_offline, positions, wait_until_drawn

SYNTH = f"{ID}synth/"
PLAN = f"{SYNTH}mp3"
TARGET = f"{SYNTH}mp3/sp1-target"
Opener = Callable[..., tuple[Any, Any]]


def count(page: Any) -> int:
    return int(page.get_attribute("#graph", "data-count"))


def test_focus_then_expand_stays_under_the_cap(open_page: Opener, large_url: str) -> None:
    page, traffic = open_page()
    page.goto(f"{large_url}/graph?lang=en&focus={PLAN}")
    wait_until_drawn(page)
    page.wait_for_function(f"document.querySelector('#graph').dataset.selected === '{PLAN}'")
    first = count(page)
    assert 1 < first <= SLICE_CAP
    assert page.locator("#graph-status").text_content().startswith(f"Showing {first} of ")
    assert page.locator(".graph-start a").count() == 25  # the Level 1-2 plans to start from
    before = positions(page)
    assert TARGET in before and f"{SYNTH}ns" in before  # two levels down, and up to Level 1

    # Select the target, expand it from the panel: what supports it is added.
    page.evaluate(f"() => window.linkageGraph.select('{TARGET}', false)")
    expand = page.locator("#graph-expand")
    assert expand.text_content() == "Expand: show what is under it or supports it"
    expand.click()
    page.wait_for_function("(n) => Number(document.querySelector('#graph').dataset.count) > n",
                           arg=first)
    page.wait_for_function(
        f"() => (document.querySelector('#graph').dataset.expanded || '').includes('{TARGET}')")
    grown = count(page)
    assert first < grown <= min(PAGE_CAP, first + SLICE_CAP)
    after = positions(page)
    assert all(after[node] == before[node] for node in before)  # nothing drawn moved
    supporters = page.evaluate(f"""() => window.linkageGraph.edges.get()
      .filter((e) => e.to === '{TARGET}').map((e) => e.from)""")
    assert len(supporters) > 10 and all(node in after for node in supporters)
    assert page.locator("#graph-status").text_content().startswith(f"Showing {grown} of ")
    assert expand.text_content() == "Everything linked is shown"

    # Expanding more never goes past the page's cap.
    for node in [f"{SYNTH}ns/s{n}" for n in range(1, 7)] + [f"{SYNTH}ns", f"{SYNTH}nesdp13"]:
        if not page.evaluate(f"() => window.linkageGraph.nodes.get('{node}') !== null"):
            continue
        page.evaluate(f"() => window.linkageGraph.expand('{node}')")
        page.wait_for_function(
            f"() => (document.querySelector('#graph').dataset.expanded || '').includes('{node}')"
            f" || Number(document.querySelector('#graph').dataset.count) >= {PAGE_CAP}")
        assert count(page) <= PAGE_CAP
    assert count(page) > grown
    assert page.evaluate("() => window.linkageGraph.nodes.length") == count(page)
    assert_offline(traffic, large_url)


def test_the_chooser_and_the_store_search(open_page: Opener, large_url: str) -> None:
    page, traffic = open_page()
    page.goto(f"{large_url}/graph?lang=th")
    page.wait_for_selector('#graph[data-ready="true"]', state="attached", timeout=15_000)
    assert count(page) == 0
    assert "เลือกแผนระดับที่ 1–2" in page.locator("#graph-status").text_content()
    page.locator("#graph-search").press_sequentially("กรมสังเคราะห์ที่ 12", delay=10)
    hit = page.locator(f'#graph-results button[data-id="{SYNTH}agency-12/2024"]')
    hit.wait_for()
    hit.click()
    page.wait_for_url("**/graph?lang=th&focus=*agency-12*2024")
    page.wait_for_function(
        f"document.querySelector('#graph').dataset.selected === '{SYNTH}agency-12/2024'")
    assert count(page) > 1
    assert_offline(traffic, large_url)
