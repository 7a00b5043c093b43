"""Traces through the alignment graph, what they reach, and finding elements by name."""

from __future__ import annotations

import networkx as nx
import pytest

from policygraph.namespaces import ID, PG
from policygraph.query.reach import reached
from policygraph.query.resolve import AmbiguousElementError, UnknownElementError, resolve_element
from policygraph.query.trace import alignment_graph, trace_up
from policygraph.store import GraphStore
from tests.servers import (  # noqa: F401 - fixtures used by name
    bundled_store_on_each_engine,
    embedded_bundled,
    oxigraph_bundled,
    oxigraph_server,
    virtuoso_bundled,
    virtuoso_server,
)


def test_trace_up_enters_level1_at_the_strategies(bundled_store: GraphStore) -> None:
    trace = trace_up(bundled_store, ID["opdc-acp-2567/s1-a3"])
    # Strategies 1, 3 and 6 through the plan; the National Strategy as a whole through OPDC's
    # strategy 4, which the plan says serves "the targets of the National Strategy".
    assert set(trace.level1()) == {ID["ns"], ID["ns/s1"], ID["ns/s3"], ID["ns/s6"]}
    chains = trace.chains()
    assert chains and all(chain[0].source == trace.element for chain in chains)
    assert all(chain[-1].target in trace.level1() for chain in chains)
    shortest = chains[0]
    # Via NESDP milestone 13 (inferred), which states its link to national strategy 6.
    assert [h.target for h in shortest] == [ID["nesdp13/m13"], ID["ns/s6"]]
    assert [h.relation_name for h in shortest] == ["supports [inferred]", "supports [stated]"]
    assert shortest[1].evidence.startswith("ซึ่งการพัฒนาตามหมวดหมู่ที่ 13")


def test_reached_marks_what_only_inference_reaches(bundled_store: GraphStore) -> None:
    found = {r.node: r for r in reached(trace_up(bundled_store, ID["opdc-acp-2567/s2-a5"]))}
    # The plan states its links to strategies 1, 3 and 6 of the National Strategy.
    assert found[ID["ns/s6"]].basis == "stated" and found[ID["ns/s6"]].level == "1"
    # Only the analyst's reading of section 3 links strategy 2 to OPDC's tactic 4.2.
    assert found[ID["opdc-strategy/s4-2"]].basis == "inferred"
    assert ID["opdc-strategy/s4-1"] not in found


def test_a_level1_element_has_nothing_above_it(bundled_store: GraphStore) -> None:
    trace = trace_up(bundled_store, ID["ns/s2"])
    assert trace.level1() == [] and trace.chains() == []
    assert [h.target for h in trace.hops] == [ID["ns"]]


def test_alignment_graph(bundled_store: GraphStore) -> None:
    graph = alignment_graph(bundled_store)
    activity = str(ID["opdc-acp-2567/s1-a3"])
    assert graph.nodes[activity]["kind"] == "Project"
    assert graph.nodes[activity]["level"] == "3"
    assert graph.nodes[activity]["label_en"] == "One-stop service centre development project"
    edge = graph.get_edge_data(activity, str(ID["nesdp13/m13"]))
    assert edge["supports"]["basis"] == "Inferred"
    assert nx.has_path(graph, activity, str(ID["ns/s6"]))
    assert not nx.has_path(graph, activity, str(ID["ns/s2"]))


@pytest.mark.parametrize("text", [
    "https://w3id.org/policygraph/id/opdc-acp-2567/s1-a3",
    "id:opdc-acp-2567/s1-a3",
    "opdc-acp-2567/s1-a3",
    "ศูนย์บริการครบวงจร",
    "one-stop service",
    "โครงการการพัฒนาศูนย์บริการครบวงจรแบบเบ็ดเสร็จ",
])
def test_resolve_element(bundled_store: GraphStore, text: str) -> None:
    assert resolve_element(bundled_store, text) == ID["opdc-acp-2567/s1-a3"]


def test_resolve_by_notation_and_errors(bundled_store: GraphStore) -> None:
    assert resolve_element(bundled_store, "4.1") == ID["opdc-strategy/s4-1"]
    with pytest.raises(UnknownElementError, match="no element matches"):
        resolve_element(bundled_store, "ไม่มีสิ่งนี้แน่นอน")
    with pytest.raises(AmbiguousElementError, match="use one of these IRIs") as info:
        resolve_element(bundled_store, "กิจกรรม")
    assert str(ID["opdc-acp-2567/s2-a6"]) in str(info.value) or "more" in str(info.value)
    with pytest.raises(UnknownElementError):
        resolve_element(bundled_store, "   ")
    assert PG.Activity  # the namespace is the one the data uses
