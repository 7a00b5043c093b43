"""The /graph page: local assets only, both languages, and hostile labels shown as text."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from policygraph.namespaces import ID

RESOURCES = Path(__file__).parents[1] / "resources"
HOSTILE_TH = "แผน <script>alert('x')</script>"
HOSTILE_STRATEGY_EN = "Strategy <b>bold</b> & 'quote'"


def embedded(page: str) -> dict[str, Any]:
    """The JSON the page embeds for its script (the first </script> ends it: '<' is escaped)."""
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page,
                      re.DOTALL)
    assert match, "the page embeds its data"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_page_draws_with_local_assets_only(client: Any) -> None:
    response = client.get("/graph?lang=th")
    assert response.status_code == 200
    page = response.text
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    for url in urls:
        assert not re.match(r"^(https?:)?//", url), url
        assert not url.startswith(("javascript:", "data:")), url
    scripts = re.findall(r'<script src="(/static/graph/[^"]+)"', page)
    assert scripts == ["/static/graph/vis-network/vis-network.min.js", "/static/graph/graph.js"]
    for asset in [*scripts, "/static/graph/graph.css"]:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert not re.search(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", served.text)
    vis = client.get(scripts[0]).text
    assert "@version 9." in vis[:400] and "vis.js is dual licensed" in vis[:1000]
    for licence in ("LICENSE-MIT", "LICENSE-APACHE-2.0"):
        assert client.get(f"/static/graph/vis-network/{licence}").status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for tag in re.findall(r"<script(?: [^>]*)?>", page):  # no inline script: the CSP forbids it
        assert " src=" in tag or 'type="application/json"' in tag, tag


def test_page_is_in_the_requested_language_with_filters(client: Any) -> None:
    thai = client.get("/graph?lang=th")
    assert thai.headers["content-language"] == "th"
    assert "กราฟความเชื่อมโยงของแผน" in thai.text
    assert re.search(r'href="/graph\?lang=th"\s+aria-current="page"', thai.text)  # the nav
    assert '<option value="2024">2567</option>' in thai.text  # fiscal year in the Buddhist era
    assert 'id="filter-unit"' in thai.text and "กองขับเคลื่อนรัฐบาลดิจิทัล" in thai.text
    data = embedded(thai.text)
    assert data["view"]["lang"] == "th" and data["text"]["stated"] == "ระบุไว้ในเอกสาร"
    english = client.get("/graph?lang=en")
    assert english.headers["content-language"] == "en" and "Plan linkage graph" in english.text
    nodes = {n["id"]: n for n in embedded(english.text)["view"]["nodes"]}
    assert nodes[f"{ID}opdc-acp-2567/s1-a3"]["label"] == (
        "One-stop service centre development project")


def test_focus_selects_only_known_elements(client: Any) -> None:
    element = f"{ID}opdc-acp-2567/s1-a3"
    assert embedded(client.get("/graph", params={"lang": "th", "focus": element}).text)[
        "focus"] == element
    assert embedded(client.get("/graph", params={"focus": "x</script>"}).text)["focus"] is None


def test_hostile_labels_are_data_in_json_and_text_in_the_page(hostile_client: Any) -> None:
    api = hostile_client.get("/api/graph?lang=th").json()
    nodes = {n["id"]: n for n in api["nodes"]}
    plan = nodes[f"{ID}hostile"]
    assert plan["labels"]["th"] == HOSTILE_TH and plan["label"] == HOSTILE_TH
    assert plan["title"].startswith(HOSTILE_TH)  # a plain-text tooltip, verbatim
    strategy = nodes[f"{ID}hostile/s1"]
    assert strategy["labels"]["en"] == HOSTILE_STRATEGY_EN and strategy["plan"] == f"{ID}hostile"
    assert any(e["source"] == strategy["id"] and e["target"] == f"{ID}ns/s6"
               and e["basis"] == "Stated" for e in api["edges"])

    page = hostile_client.get("/graph?lang=th").text
    assert "<script>alert" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page  # the plan filter's option
    assert "\\u003cscript\\u003ealert" in page  # the embedded JSON escapes '<'
    data = embedded(page)
    embedded_nodes = {n["id"]: n for n in data["view"]["nodes"]}
    assert embedded_nodes[f"{ID}hostile"]["labels"]["th"] == HOSTILE_TH
    assert embedded_nodes[f"{ID}hostile/s1"]["labels"]["en"] == HOSTILE_STRATEGY_EN


def test_the_script_never_writes_html(client: Any) -> None:
    script = client.get("/static/graph/graph.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    assert "textContent" in script
