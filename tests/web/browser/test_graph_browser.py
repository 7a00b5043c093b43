"""The /graph page in a real browser: it settles fast, searches Thai, highlights a chain, keeps
its layout under filters, renders Thai glyphs (not tofu), shows hostile labels as text, and never
leaves localhost."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from policygraph.namespaces import ID

PROJECT = f"{ID}opdc-acp-2567/s1-a3"
PROJECT_TH = "โครงการการพัฒนาศูนย์บริการครบวงจรแบบเบ็ดเสร็จ"
PROJECT_EN = "One-stop service centre development project"
HOSTILE_TH = "แผน <script>alert('x')</script>"
SETTLE_LIMIT_MS = 2000
Opener = Callable[..., tuple[Any, Any]]

#: Draws each character alone in the given CSS font on a canvas and returns one fingerprint of
#: its pixels per character: a font without the glyph draws the same box (tofu) for all.
GLYPH_PRINTS = """([chars, font]) => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  return [...chars].map((ch) => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.font = font; ctx.fillStyle = "#000"; ctx.textBaseline = "middle";
    ctx.fillText(ch, 8, 32);
    const alpha = ctx.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3);
    return Array.from(alpha, (a) => (a > 127 ? "1" : "0")).join("");
  });
}"""

#: Consonants and vowels of the search word, and as many code points of the Thai block that are
#: unassigned (U+0E5C…), which every font draws as its missing-glyph box: the tofu reference.
THAI_SAMPLE = "ศนยบรกา"
TOFU_SAMPLE = "".join(chr(0x0E5C + i) for i in range(len(THAI_SAMPLE)))


def wait_until_drawn(page: Any) -> int:
    """Wait for the first drawing after the layout; its time in ms since navigation started."""
    page.wait_for_selector('#graph[data-ready="true"]', state="attached", timeout=15_000)
    return int(page.get_attribute("#graph", "data-ready-ms"))


def assert_offline(traffic: Any, base: str) -> None:
    assert traffic.blocked == [], f"requests left localhost: {traffic.blocked}"
    assert traffic.requests and all(url.startswith(base) for url in traffic.requests)
    assert traffic.errors == [], traffic.errors


def positions(page: Any) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = page.evaluate(
        "() => window.linkageGraph.network.getPositions()")
    return result


def test_search_select_highlight_and_thai_glyphs(open_page: Opener, bundled_url: str,
                                                 tmp_path: Path) -> None:
    page, traffic = open_page()
    page.goto(f"{bundled_url}/graph?lang=th")
    settle_ms = wait_until_drawn(page)
    (tmp_path / "timing.json").write_text(json.dumps({"settle_ms": settle_ms}))
    print(f"\n/graph drawn {settle_ms} ms after navigation started")
    assert settle_ms < SETTLE_LIMIT_MS

    # Filters hide and show, and nothing moves.
    before = positions(page)
    page.select_option("#filter-unit", f"{ID}org/opdc-digital-government-division")
    page.uncheck("#filter-inferred")
    shown = int(page.get_attribute("#graph", "data-visible"))
    after = positions(page)  # vis-network reports the nodes shown
    assert 0 < shown == len(after) < len(before)
    assert all(after[node] == before[node] for node in after)
    page.select_option("#filter-unit", "")
    page.check("#filter-inferred")

    # Search in Thai, part of a word; pick the project; its chain lights up.
    page.locator("#graph-search").press_sequentially("ศูนย์บริการ", delay=20)
    result = page.locator("#graph-results button", has_text=PROJECT_TH)
    result.wait_for()
    assert result.get_attribute("data-id") == PROJECT
    result.click()
    page.wait_for_function(f"document.querySelector('#graph').dataset.selected === '{PROJECT}'")
    chain = set(page.get_attribute("#graph", "data-chain").split())
    assert {PROJECT, f"{ID}opdc-acp-2567/s1-t2", f"{ID}opdc-acp-2567", f"{ID}nesdp13/m13",
            f"{ID}ns/s6", f"{ID}ns"} <= chain
    assert f"{ID}ns/s2" not in chain and f"{ID}opdc-acp-2567/s1-a2" not in chain
    opacity = page.evaluate(
        "(ids) => ids.map((id) => window.linkageGraph.nodes.get(id).opacity)",
        [f"{ID}ns/s6", f"{ID}ns/s2", PROJECT])
    assert opacity[0] == 1 and opacity[1] < 0.5 and opacity[2] == 1
    assert positions(page) == before  # selecting dims, never re-lays out

    panel = page.locator("#graph-panel")
    assert panel.locator('[data-field="label"]').text_content() == PROJECT_TH
    assert panel.locator('[data-field="other-label"]').text_content() == PROJECT_EN
    assert panel.locator('[data-field="budget"]').text_content() == "9,460,600.00 บาท"
    assert panel.locator('[data-field="year"]').text_content() == "2567"
    assert panel.locator('[data-field="units"]').text_content() == "กองขับเคลื่อนรัฐบาลดิจิทัล"
    alignment = panel.locator('[data-field="alignments"] li')
    assert alignment.count() == 1 and alignment.get_attribute("data-basis") == "Inferred"
    assert "ไทยมีภาครัฐที่ทันสมัย" in alignment.text_content()
    assert panel.locator('[data-field="url"]').get_attribute("href") == (
        "/id/opdc-acp-2567/s1-a3?lang=th")

    # Thai glyphs, not tofu: the page's own Thai font is loaded, and in it every sample letter
    # has its own shape, while the tofu reference draws one box for all (so this can fail).
    family = page.evaluate(
        "() => getComputedStyle(document.querySelector('#graph-panel h3')).fontFamily")
    assert family.startswith(("Sarabun", '"Sarabun"'))
    loaded = page.evaluate("""async () => { await document.fonts.ready;
      return document.fonts.check('16px Sarabun', 'ศูนย์บริการ')
        && [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Sarabun'
          && f.unicodeRange.includes('E01') && f.status === 'loaded'); }""")
    assert loaded, "the Thai subset of Sarabun did not load"
    thai = page.evaluate(GLYPH_PRINTS, [THAI_SAMPLE, f"32px {family}"])
    tofu = page.evaluate(GLYPH_PRINTS, [TOFU_SAMPLE, f"32px {family}"])
    assert len(set(tofu)) == 1, "the tofu reference should draw one box for every code point"
    assert len(set(thai)) == len(THAI_SAMPLE) and not set(thai) & set(tofu)
    # The same on screen: screenshots of each letter as the page draws it differ, tofu do not.
    page.evaluate("""([thai, tofu]) => {
      const box = document.createElement('div'); box.id = 'glyph-check';
      [...thai + tofu].forEach((ch, i) => { const s = document.createElement('span');
        s.textContent = ch;  // whole pixels, so equal glyphs give byte-equal screenshots
        s.style.cssText = `position:fixed;left:${10 + 60 * i}px;top:10px;width:48px;`
          + 'height:40px;line-height:40px;font-size:24px;background:#fff;color:#000;'
          + 'text-align:center;z-index:10';
        box.appendChild(s); });
      document.querySelector('#graph-panel').appendChild(box); }""", [THAI_SAMPLE, TOFU_SAMPLE])
    shots = [span.screenshot() for span in page.locator("#glyph-check span").all()]
    on_screen_thai, on_screen_tofu = shots[:len(THAI_SAMPLE)], shots[len(THAI_SAMPLE):]
    assert len(set(on_screen_tofu)) == 1 and len(set(on_screen_thai)) == len(THAI_SAMPLE)
    assert not set(on_screen_thai) & set(on_screen_tofu)
    page.evaluate("() => document.getElementById('glyph-check').remove()")

    screenshot = tmp_path / "graph-selected.png"
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 20_000
    assert_offline(traffic, bundled_url)


def test_english_page_and_focus_parameter(open_page: Opener, bundled_url: str) -> None:
    page, traffic = open_page()
    page.goto(f"{bundled_url}/graph?lang=en&focus={PROJECT}")
    wait_until_drawn(page)
    page.wait_for_function(f"document.querySelector('#graph').dataset.selected === '{PROJECT}'")
    assert page.locator('#graph-panel [data-field="label"]').text_content() == PROJECT_EN
    assert page.locator('#graph-panel [data-field="other-label"]').text_content() == PROJECT_TH
    assert page.locator('#graph-panel [data-field="budget"]').text_content() == (
        "9,460,600.00 THB")
    page.fill("#graph-search", "ONE-STOP")  # case-insensitive
    page.press("#graph-search", "Enter")
    assert page.locator("#graph-results button").first.get_attribute("data-id") == PROJECT
    page.click("#graph-clear")
    assert page.get_attribute("#graph", "data-selected") is None
    assert_offline(traffic, bundled_url)


def test_hostile_label_is_text_everywhere(open_page: Opener, hostile_url: str,
                                          tmp_path: Path) -> None:
    page, traffic = open_page()
    page.goto(f"{hostile_url}/graph?lang=th")
    wait_until_drawn(page)
    scripts = page.evaluate("() => document.scripts.length")
    # The tooltip of the node on the canvas: hover it and read the text vis-network shows
    # (before anything is selected: selecting animates the view).
    point = page.evaluate(f"""() => {{ const g = window.linkageGraph.network;
      const p = g.canvasToDOM(g.getPosition('{ID}hostile'));
      const r = document.getElementById('graph').getBoundingClientRect();
      return [r.left + p.x, r.top + p.y]; }}""")
    page.mouse.move(point[0] + 6, point[1] + 6, steps=5)
    page.mouse.move(point[0], point[1], steps=5)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert tooltip.inner_text().startswith(HOSTILE_TH)
    # Set as innerText: text, with the line breaks as <br> and no other element.
    assert page.evaluate("""() => [...document.querySelector('div.vis-tooltip').children]
      .map((child) => child.tagName)""") == ["BR", "BR"]
    page.fill("#graph-search", "<script>")
    result = page.locator("#graph-results button").first
    result.wait_for()
    assert result.get_attribute("data-id") == f"{ID}hostile"
    assert page.evaluate("""() => { const b = document.querySelector('#graph-results button');
      return [b.firstChild.nodeValue, b.children.length, b.children[0].tagName]; }""") == [
        HOSTILE_TH, 1, "SPAN"]  # the label is a text node; the one element is the kind badge
    result.click()
    label = page.locator('#graph-panel [data-field="label"]')
    assert label.text_content() == HOSTILE_TH
    assert page.evaluate(
        "() => document.querySelector('#graph-panel [data-field=label]').children.length") == 0
    assert page.evaluate("() => document.scripts.length") == scripts
    assert traffic.dialogs == [], "a label ran as script"
    page.screenshot(path=str(tmp_path / "graph-hostile.png"))
    assert_offline(traffic, hostile_url)
