"""GET /api/graph and the graph view behind it, checked against the bundled data.

Counts come from the data, not from the view: the 10 projects and activities of the FY B.E. 2567
plan (s1-a1…a4, s2-a1…a6), its budgets (tests/query/test_named_queries.py gives them from the seed),
and the alignment and structure counts of the graph-nodes / graph-edges / alignments queries.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from policygraph.namespaces import ID
from policygraph.query.registry import run_query
from policygraph.store import OxigraphStore
from policygraph.web.views.graph.build import KIND_STYLES, graph_view
from policygraph.web.views.graph.caption import caption
from policygraph.web.views.graph.models import GraphView

PLAN = f"{ID}opdc-acp-2567"
WORK = {f"{PLAN}/s1-a{n}" for n in range(1, 5)} | {f"{PLAN}/s2-a{n}" for n in range(1, 7)}


@pytest.fixture(scope="module")
def graph(client: Any) -> dict[str, Any]:
    response = client.get("/api/graph?lang=th")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    data: dict[str, Any] = response.json()
    GraphView.model_validate(data)
    return data


def nodes_by_id(graph: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in graph["nodes"]}


def test_every_element_and_link_of_the_data_is_in_the_graph(
        graph: dict[str, Any], bundled_store: OxigraphStore) -> None:
    kinds = {str(row["node"]): str(row["kind"]).rsplit("#", 1)[-1]
             for row in run_query(bundled_store, "graph-nodes").rows}
    drawn = {node: kind for node, kind in kinds.items() if kind in KIND_STYLES}
    assert {n["id"]: n["kind"] for n in graph["nodes"]} == drawn
    edges = run_query(bundled_store, "graph-edges").rows
    assert len(graph["edges"]) == len(edges)
    alignments = run_query(bundled_store, "alignments").rows
    for basis in ("Stated", "Inferred"):
        expected = sum(1 for row in alignments if str(row["basis"]).endswith(basis))
        assert sum(1 for e in graph["edges"] if e["basis"] == basis) == expected
    assert {e["style"] for e in graph["edges"] if e["relation"] != "supports"} == {"structural"}
    assert sum(k["count"] for k in graph["kinds"]) == len(graph["nodes"])


def test_the_plans_ten_projects_and_activities_with_year_units_and_budgets(
        graph: dict[str, Any]) -> None:
    nodes = nodes_by_id(graph)
    work = {n["id"] for n in graph["nodes"] if n["kind"] in ("Project", "Activity")}
    assert work == WORK
    for iri in WORK:
        assert nodes[iri]["plan"] == PLAN and nodes[iri]["level"] == "3"
        assert (nodes[iri]["fiscal_year"], nodes[iri]["fiscal_year_be"]) == (2024, 2567)
        assert nodes[iri]["units"], iri
    project = nodes[f"{PLAN}/s1-a3"]
    assert project["labels"]["th"] == "โครงการการพัฒนาศูนย์บริการครบวงจรแบบเบ็ดเสร็จ"
    assert project["budget"] == {"status": "BudgetStated", "status_name": "ระบุจำนวน",
                                 "amount": 9460600.0, "amount_text": "9,460,600.00"}
    assert [u["id"] for u in project["units"]] == [f"{ID}org/opdc-digital-government-division"]
    assert project["url"] == "/id/opdc-acp-2567/s1-a3"
    # A blank budget cell is "not stated", never zero; "no budget used" has no amount.
    assert nodes[f"{PLAN}/s2-a5"]["budget"]["status"] == "BudgetNotStated"
    assert nodes[f"{PLAN}/s2-a5"]["budget"]["amount"] is None
    assert nodes[f"{PLAN}/s1-a1"]["budget"]["status"] == "NoBudget"
    assert graph["fiscal_years"] == [{"year": 2024, "year_be": 2567}]


def test_edges_carry_relation_and_basis(graph: dict[str, Any]) -> None:
    edges = {(e["source"], e["relation"], e["target"]): e for e in graph["edges"]}
    inferred = edges[(f"{PLAN}/s1-a3", "supports", f"{ID}nesdp13/m13")]
    assert (inferred["basis"], inferred["style"]) == ("Inferred", "inferred")
    structure = edges[(f"{PLAN}/s1-a3", "partOf", f"{PLAN}/s1-t2")]
    assert (structure["basis"], structure["style"]) == (None, "structural")
    styles = graph["edge_styles"]
    assert styles["inferred"]["dashes"] and not styles["stated"]["dashes"]
    assert styles["structural"]["width"] < styles["stated"]["width"]


def test_rows_put_level_1_on_top_and_projects_at_the_bottom(graph: dict[str, Any]) -> None:
    nodes = nodes_by_id(graph)
    rows_of = {level: {n["row"] for n in graph["nodes"] if n["level"] == level}
               for level in ("1", "2", "3")}
    assert nodes[f"{ID}ns"]["row"] == 0
    assert max(rows_of["1"]) < min(rows_of["2"]) and max(rows_of["2"]) < min(rows_of["3"])
    not_indicators = [n["row"] for n in graph["nodes"] if n["kind"] != "Indicator"]
    assert {nodes[iri]["row"] for iri in WORK} == {max(not_indicators)}
    for child, parent in ((f"{PLAN}/s1", PLAN), (f"{PLAN}/s1-t2", f"{PLAN}/s1"),
                          (f"{PLAN}/s1-a3", f"{PLAN}/s1-t2")):
        assert nodes[child]["row"] == nodes[parent]["row"] + 1


def test_language_switches_labels_and_names(client: Any) -> None:
    english = client.get("/api/graph?lang=en").json()
    project = nodes_by_id(english)[f"{PLAN}/s1-a3"]
    assert project["label"] == "One-stop service centre development project"
    assert project["kind_name"] == "Project"
    assert project["title"].splitlines() == [
        "One-stop service centre development project",
        "โครงการการพัฒนาศูนย์บริการครบวงจรแบบเบ็ดเสร็จ", "Project · Level 3"]
    assert client.get("/api/graph?lang=xx").status_code == 422


def test_openapi_documents_the_graph_response(client: Any) -> None:
    spec = client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/graph"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/GraphView")
    assert {"GraphNode", "GraphEdge", "NodeBudget"} <= set(spec["components"]["schemas"])
    assert [p["name"] for p in operation["parameters"]] == ["lang"]


def test_view_is_the_same_in_python_and_over_http(
        graph: dict[str, Any], bundled_store: OxigraphStore) -> None:
    assert graph_view(bundled_store, "th").model_dump(mode="json") == graph


@pytest.mark.parametrize("text", [
    "โครงการการพัฒนาศูนย์บริการครบวงจรแบบเบ็ดเสร็จ",
    "ยุทธศาสตร์ชาติด้านการปรับสมดุลและพัฒนาระบบการบริหารจัดการภาครัฐ",
    "กิจกรรมการยกระดับการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน (ITA) ของสำนักงาน ก.พ.ร.",
    "Master Plan under the National Strategy, issue (21): Anti-Corruption",
])
def test_captions_are_short_and_never_split_a_thai_cluster(text: str) -> None:
    lines = caption(text).split("\n")
    assert 1 <= len(lines) <= 2 and caption(text).endswith("…")
    for line in lines:
        assert len(line.rstrip("…")) <= 18
        assert unicodedata.category(line[0])[0] != "M"  # no vowel or tone mark starts a line
        assert line[0] not in "ะาำ" and line.rstrip("…")[-1] not in "เแโใไ"
    assert "".join(line.rstrip("…") for line in lines).replace(" ", "") in text.replace(" ", "")
    assert caption("สั้น") == "สั้น"


def test_an_empty_store_gives_an_empty_graph(store: OxigraphStore) -> None:
    view = graph_view(store, "en")
    assert (view.nodes, view.edges, view.kinds, view.plans, view.units) == ([], [], [], [], [])
