"""Alignment suggestions: Thai segmentation, BM25 ranking with reasons, the leave-one-out metric.

The metric is computed and checked for consistency, never asserted to a fixed number.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from policygraph.cli.main import main
from policygraph.load.derive import derive
from policygraph.load.validate import validate_graph
from policygraph.namespaces import ID, PG
from policygraph.planner.suggest import candidates, tokens
from policygraph.planner.suggest_eval import evaluate
from policygraph.planner.suggest_report import accepted_alignment, store_graph, suggest_for
from policygraph.store import OxigraphStore

FIXTURE = Path(__file__).parents[1] / "resources" / "planner" / "opdc-acp-2568"


@pytest.fixture(scope="module")
def everything(bundled_store: OxigraphStore) -> Graph:
    return store_graph(bundled_store)


def test_thai_words_are_segmented_offline() -> None:
    words = tokens("โครงการการพัฒนาศูนย์บริการครบวงจรแบบเบ็ดเสร็จ One-stop service centre")
    assert {"ศูนย์", "บริการ", "ครบวงจร", "service", "centre"} <= set(words)


def test_candidates_leave_out_the_elements_own_chain(everything: Graph) -> None:
    element = ID["opdc-acp-2567/s2-a4"]
    pool = set(candidates(everything, element))
    assert ID["ns/s1"] in pool and ID["ethics-strategy/target"] in pool
    assert ID["opdc-acp-2567/goal"] in pool  # its own plan's target may be aligned to
    assert not {element, ID["opdc-acp-2567/s2-t2"], ID["opdc-acp-2567/s2"],
                ID["opdc-acp-2567/s2-a4-i1"], ID["opdc-acp-2567/s1-a3"]} & pool


def test_each_suggestion_says_why(everything: Graph) -> None:
    found = suggest_for(everything, ID["opdc-acp-2567/s2-a4"], 3)
    assert found and all(s.shared for s in found)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert all("shared terms" in s.reasoning() for s in found)
    linked = ID["acp2/sp1-target-1"]  # s2-a4's existing link is not suggested again
    assert linked not in {s.target for s in suggest_for(everything, ID["opdc-acp-2567/s2-a4"])}


def test_leave_one_out_metric_is_computed(everything: Graph) -> None:
    stated = sum(1 for a in everything.subjects(PG.basis, PG.Stated))
    result = evaluate(everything)
    assert 0 < result.cases <= stated
    assert result.hits_at_1 == sum(r == 1 for r in result.ranks)
    assert result.hits_at_3 == sum(r is not None and r <= 3 for r in result.ranks)
    assert result.hits_at_1 <= result.hits_at_3 <= result.cases
    assert 0.0 <= result.precision_at_1 <= result.recall_at_3 <= 1.0
    print(result.text("stated"))  # the measured values, for the record (-s shows them)


def test_accepted_suggestion_is_an_inferred_alignment_that_validates(
        everything: Graph, bundled_store: OxigraphStore) -> None:
    element = ID["opdc-acp-2567/s2-a4"]
    best = suggest_for(everything, element, 1)[0]
    accepted = accepted_alignment(element, best)
    alignment = next(accepted.subjects(PG.fromElement, element))
    assert accepted.value(alignment, PG.basis) == PG.Inferred
    assert str(accepted.value(alignment, PG.rationale)) == best.reasoning()
    data = Graph()
    data += accepted
    for triple in list(derive(data)):
        data.add(triple)
    assert validate_graph(data, everything).conforms


def test_cli_suggest_and_evaluate(tmp_path: Path) -> None:
    runner = CliRunner()
    store = ["--store", str(tmp_path / "store")]
    assert runner.invoke(main, [*store, "load"]).exit_code == 0
    out = runner.invoke(main, [*store, "suggest", "--evaluate"])
    assert out.exit_code == 0 and "precision@1 = " in out.output and "recall@3 = " in out.output
    out = runner.invoke(main, [*store, "suggest", "id:opdc-acp-2567/s2-a4", "-n", "2"])
    assert out.exit_code == 0 and out.output.startswith("1. ") and "shared terms" in out.output
    # The import report suggests targets for the new activity that has no alignment.
    out = runner.invoke(main, [*store, "import", str(FIXTURE), "--dry-run"])
    assert out.exit_code == 0, out.output
    assert "กิจกรรมอบรมหลักสูตรต่อต้านการทุจริตสำหรับผู้บริหาร" in out.output
    assert "Suggested targets" in out.output
