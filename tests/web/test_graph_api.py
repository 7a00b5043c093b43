"""GET /api/graph and the graph view behind it, checked against the bundled data.

Expected values come from the seed (the FY B.E. 2567 plan's elements by kind, its 10 projects and
activities s1-a1…a4 and s2-a1…a6, their budgets, the national strategies its section 2 names) and
from the data files read with rdflib, never from the queries the view is built from.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from policygraph.namespaces import ID, PG
from policygraph.resources import data_files
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


def test_every_element_and_link_of_the_data_files_is_in_the_graph(graph: dict[str, Any]) -> None:
    """Held to the data files read with rdflib, not to the queries the view is built from."""
    data = Graph()
    for path in data_files():
        data.parse(path)
    typed = {str(s): str(o).removeprefix(str(PG)) for s, o in data.subject_objects(RDF.type)
             if str(o).removeprefix(str(PG)) in KIND_STYLES}
    assert {n["id"]: n["kind"] for n in graph["nodes"]} == typed
    structure = {(str(s), str(p).removeprefix(str(PG)), str(o)) for p in
                 (PG.partOf, PG.targetOf, PG.indicatorOf) for s, o in data.subject_objects(p)}
    alignments = {(str(data.value(a, PG.fromElement)), "supports", str(data.value(a, PG.toElement)),
                   str(data.value(a, PG.basis)).removeprefix(str(PG)))
                  for a in data.subjects(RDF.type, PG.Alignment)}
    drawn = {(e["source"], e["relation"], e["target"], e["basis"]) for e in graph["edges"]}
    assert drawn == {(*edge, None) for edge in structure} | alignments
    assert {e["style"] for e in graph["edges"] if e["relation"] != "supports"} == {"structural"}
    assert sum(k["count"] for k in graph["kinds"]) == len(graph["nodes"])


def test_the_fy2567_plan_is_drawn_as_the_seed_gives_it(graph: dict[str, Any]) -> None:
    """Section 4's table: 2 strategies, 4 tactics, 3 projects and 7 activities, 14 indicators of
    them and the plan goal's one, and one target; section 2 names national strategies 1, 3, 6."""
    mine = [n for n in graph["nodes"] if n["id"].startswith(PLAN + "/")]
    kinds: dict[str, int] = {}
    for node in mine:
        kinds[node["kind"]] = kinds.get(node["kind"], 0) + 1
    assert kinds == {"Strategy": 2, "Tactic": 4, "Project": 3, "Activity": 7, "Indicator": 15,
                     "Target": 1}
    supports = {(e["source"], e["target"], e["basis"]) for e in graph["edges"]
                if e["relation"] == "supports"}
    for n in (1, 3, 6):
        assert (PLAN, f"{ID}ns/s{n}", "Stated") in supports
    assert not {(PLAN, f"{ID}ns/s{n}") for n in (2, 4, 5)} & {(s, t) for s, t, _ in supports}


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
