"""/graph on a store too large to draw whole: start from an element, expand on demand, cap.

The large store is the synthetic national dataset with 40 agencies over three fiscal years (about
7,000 elements, well over the 400 drawn whole; the National Strategy alone has more than 150
elements two levels down), loaded with the ontology into memory once for this module. The small
case is the bundled data (the ``client`` fixture), which /graph still draws whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policygraph.bench.synth import SynthSpec, write_dataset
from policygraph.namespaces import ID
from policygraph.store import OxigraphStore
from policygraph.web.views.graph.build import graph_view
from policygraph.web.views.graph.focus import (
    PAGE_CAP,
    SLICE_CAP,
    SMALL_GRAPH,
    element_count,
    node_slice,
)
from policygraph.web.views.graph.models import GraphSlice

SYNTH = f"{ID}synth/"
NS = f"{SYNTH}ns"
TARGET = f"{SYNTH}mp3/sp1-target"
STRATEGY = f"{SYNTH}ns/s1"
PROJECT = f"{ID}opdc-acp-2567/s1-a3"


def embedded(page: str) -> dict[str, Any]:
    """The JSON the page embeds for its script."""
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page,
                      re.DOTALL)
    assert match
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@pytest.fixture(scope="module")
def large_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """40 synthetic agencies, three fiscal years, with the ontology (plan levels)."""
    from policygraph.load.derive import derive
    from policygraph.load.loader import load_many
    from policygraph.resources import ontology_files

    directory = tmp_path_factory.mktemp("synth")
    files = [path for path, _ in write_dataset(SynthSpec(agencies=40, years=3), directory)]
    with OxigraphStore() as memory_store:
        load_many(memory_store, [*ontology_files(), *files], derive=derive)
        yield memory_store


@pytest.fixture(scope="module")
def large(large_store: OxigraphStore) -> Iterator[Any]:
    """A test client of the app on the large store."""
    from fastapi.testclient import TestClient

    from policygraph.settings import Settings
    from policygraph.web.app import create_app

    app = create_app(Settings(store=Path("/nonexistent-store-unused")), store=large_store)
    with TestClient(app) as test_client:
        yield test_client


def node_api(client: Any, iri: str, **params: Any) -> dict[str, Any]:
    response = client.get("/api/graph/node", params={"iri": iri, "lang": "en", **params})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    GraphSlice.model_validate(data)
    assert len(data["nodes"]) <= min(params.get("limit", SLICE_CAP), SLICE_CAP) <= PAGE_CAP
    return data


# The small store: drawn whole, exactly as before -----------------------------------------------

def test_a_small_store_is_drawn_whole(client: Any, bundled_store: OxigraphStore) -> None:
    assert element_count(bundled_store) <= SMALL_GRAPH
    data = embedded(client.get("/graph", params={"lang": "en", "focus": PROJECT}).text)
    assert data["mode"] == "full" and data["focus"] == PROJECT
    assert len(data["view"]["nodes"]) == len(graph_view(bundled_store, "en").nodes)
    assert "limits" not in data
    page = client.get("/graph?lang=en").text
    assert 'id="graph-expand"' not in page and 'class="graph-start"' not in page


def test_a_node_of_a_small_store_matches_the_whole_view(client: Any,
                                                         bundled_store: OxigraphStore) -> None:
    data = node_api(client, PROJECT)
    whole = {n["id"]: n for n in graph_view(bundled_store, "en").model_dump(mode="json")["nodes"]}
    nodes = {n["id"]: n for n in data["nodes"]}
    assert data["nodes"][0]["id"] == PROJECT and not data["truncated"]
    assert {f"{ID}opdc-acp-2567/s1-t2", f"{ID}opdc-acp-2567", f"{ID}nesdp13/m13",
            f"{ID}ns/s6", f"{ID}ns"} <= set(nodes)  # its chain up to Level 1
    for iri, node in nodes.items():  # the same facts as the whole-store view, rows aside
        assert {k: v for k, v in node.items() if k != "row"} == {
            k: v for k, v in whole[iri].items() if k != "row"}, iri
    assert {(e["source"], e["relation"], e["target"]) for e in data["edges"]} >= {
        (PROJECT, "partOf", f"{ID}opdc-acp-2567/s1-t2"),
        (PROJECT, "supports", f"{ID}nesdp13/m13")}


# The large store: never everything -------------------------------------------------------------

def test_a_large_store_starts_from_a_chooser(large: Any, large_store: OxigraphStore) -> None:
    assert element_count(large_store) > SMALL_GRAPH
    response = large.get("/graph?lang=th")
    assert response.status_code == 200
    data = embedded(response.text)
    assert data["mode"] == "focus" and data["focus"] is None and data["view"]["nodes"] == []
    assert data["limits"] == {"page": PAGE_CAP, "slice": SLICE_CAP,
                              "total": element_count(large_store)}
    assert "ข้อมูลมีขนาดใหญ่เกินกว่าจะวาดทั้งหมดพร้อมกัน" in response.text
    assert "เริ่มจากแผน" in response.text
    starts = re.findall(r'href="/graph\?lang=th&amp;focus=([^"]+)"', response.text)
    assert len(starts) == 1 + 23 + 1  # the National Strategy, 23 master plans, the NESDP
    assert "https%3A//w3id.org/policygraph/id/synth/ns" in starts
    english = large.get("/graph?lang=en").text
    assert "too large to draw at once" in english and "Start from a plan" in english


def test_the_whole_graph_api_refuses_a_large_store(large: Any) -> None:
    assert large.get("/api/graph").status_code == 413


def test_focus_draws_the_chain_and_the_children_under_the_cap(large: Any) -> None:
    page = large.get("/graph", params={"lang": "en", "focus": f"{SYNTH}mp3"}).text
    data = embedded(page)
    nodes = {n["id"]: n for n in data["view"]["nodes"]}
    assert data["focus"] == f"{SYNTH}mp3" and 1 < len(nodes) <= SLICE_CAP
    assert NS in nodes  # up to Level 1
    assert {f"{SYNTH}mp3/sp1", f"{SYNTH}mp3/sp1-target"} <= set(nodes)  # two levels down
    assert nodes[NS]["row"] < nodes[f"{SYNTH}mp3"]["row"] < nodes[f"{SYNTH}mp3/sp1"]["row"]
    assert 'id="graph-expand"' in page


def test_a_crowded_focus_is_capped_with_a_message(large: Any) -> None:
    for lang, words in (("en", "narrow with a filter or expand a node"),
                        ("th", "ใช้ตัวกรองให้แคบลง หรือขยายทีละรายการ")):
        data = embedded(large.get("/graph", params={"lang": lang, "focus": NS}).text)
        assert len(data["view"]["nodes"]) == SLICE_CAP
        piece = data["slice"]
        assert piece["truncated"] and piece["available"] > SLICE_CAP
        assert words in piece["message"]
        assert f"{SLICE_CAP:,}" in piece["message"] and f"{piece['available']:,}" in piece[
            "message"]


def test_expanding_a_node_adds_what_supports_it(large: Any) -> None:
    data = node_api(large, TARGET)
    ids = [n["id"] for n in data["nodes"]]
    assert ids[0] == TARGET and NS in ids and len(ids) == len(set(ids))
    below = [e for e in data["edges"] if e["target"] == TARGET and e["relation"] == "supports"]
    assert below and all(e["source"] in ids for e in below)
    assert {n["kind"] for n in data["nodes"]} >= {"Target", "SubPlan", "Plan"}
    assert not any(n["kind"] == "Indicator" for n in data["nodes"])
    assert all(e["source"] in ids for e in data["edges"])  # each node brings its upward links
    work = [n for n in data["nodes"] if n["kind"] in ("Project", "Activity")]
    assert work and all(n["fiscal_year_be"] in (2567, 2568, 2569) and n["level"] == "3"
                    for n in work)
    assert all(n["units"] and n["budget"] for n in work)


def test_every_response_stays_under_its_limit(large: Any) -> None:
    full = node_api(large, TARGET)
    small = node_api(large, TARGET, limit=5)
    assert len(small["nodes"]) == 5 and small["truncated"]
    assert small["available"] == full["available"] > 5
    assert small["message"].startswith(full["nodes"][0]["label"])
    assert f"showing 5 of {small['available']:,}" in small["message"]
    deep = node_api(large, NS, depth=2)
    assert len(deep["nodes"]) == SLICE_CAP and deep["truncated"]
    assert large.get("/api/graph/node", params={"iri": NS, "limit": SLICE_CAP + 1}
                     ).status_code == 422
    assert large.get("/api/graph/node", params={"iri": NS, "depth": 3}).status_code == 422


def test_year_and_indicator_options_narrow_an_expansion(large: Any) -> None:
    years = {n["fiscal_year"] for n in node_api(large, TARGET)["nodes"] if n["fiscal_year"]}
    assert years == {2024, 2025, 2026}
    one_year = node_api(large, TARGET, year=2025)
    assert {n["fiscal_year"] for n in one_year["nodes"] if n["fiscal_year"]} == {2025}
    other_year = node_api(large, TARGET, year=2030)
    assert not any(n["kind"] in ("Project", "Activity") for n in other_year["nodes"])
    activity = next(n["id"] for n in node_api(large, TARGET)["nodes"]
                    if n["kind"] in ("Project", "Activity"))
    with_indicators = node_api(large, activity, indicators="true")
    assert any(n["kind"] == "Indicator" for n in with_indicators["nodes"])
    assert not any(n["kind"] == "Indicator" for n in node_api(large, activity)["nodes"])


def test_unknown_elements(large: Any) -> None:
    assert large.get("/api/graph/node", params={"iri": f"{SYNTH}nothing"}).status_code == 404
    assert large.get("/api/graph/node", params={"iri": "not an iri"}).status_code == 400
    for focus in (f"{SYNTH}nothing", "x</script>"):
        data = embedded(large.get("/graph", params={"focus": focus}).text)
        assert data["focus"] is None and data["view"]["nodes"] == []


def test_search_finds_starting_points(large: Any) -> None:
    hits = large.get("/api/graph/search", params={"q": "กรมสังเคราะห์ที่ 12", "lang": "en"}).json()
    assert sorted(hit["id"] for hit in hits) == [f"{SYNTH}agency-12/{year}"
                                                 for year in (2024, 2025, 2026)]
    assert hits[0]["kind"] == "Plan" and hits[0]["kind_name"] == "Plan"
    many = large.get("/api/graph/search", params={"q": "synthetic"}).json()
    assert 0 < len(many) <= 30
    assert large.get("/api/graph/search", params={"q": ""}).status_code == 422


def test_slices_of_the_view_module(large_store: OxigraphStore) -> None:
    piece = node_slice(large_store, NS, "th", depth=2, limit=40)
    assert piece is not None and len(piece.nodes) == 40 and piece.truncated
    assert piece.total == element_count(large_store)
    assert node_slice(large_store, f"{SYNTH}nothing") is None
