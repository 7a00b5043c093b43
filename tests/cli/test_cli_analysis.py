"""The analysis commands (trace, coverage, demo) and whole-pipeline behaviour on the real data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from policygraph.cli.main import main
from policygraph.load.derive import derive
from policygraph.namespaces import GRAPH, ID, PG
from policygraph.resources import data_dir
from tests.helpers import RESOURCES, canonical


def run(store: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--store", str(store), *args])


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store with the bundled files, loaded by the real `load` command."""
    path = tmp_path_factory.mktemp("cli") / "store"
    result = run(path, "load")
    assert result.exit_code == 0, result.output
    assert "total: 14 file(s)" in result.output
    return path


def test_trace_prints_chains_and_evidence(loaded: Path) -> None:
    result = run(loaded, "trace", "ศูนย์บริการครบวงจร")
    assert result.exit_code == 0, result.output
    assert "โครงการการพัฒนาศูนย์บริการครบวงจรแบบเบ็ดเสร็จ" in result.output
    assert "reaches Level 1:" in result.output
    assert "supports [inferred] → ไทยมีภาครัฐที่ทันสมัย" in result.output
    assert "“ซึ่งการพัฒนาตามหมวดหมู่ที่ 13" in result.output


def test_trace_json_and_english(loaded: Path) -> None:
    result = run(loaded, "trace", "id:opdc-acp-2567/s2-a5", "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["label"] == "Building integrity and ethics among OPDC staff"
    assert "https://w3id.org/policygraph/id/ns/s6" in data["level1"]
    bases = {item["element"].rsplit("/", 1)[-1]: item["basis"] for item in data["reached"]}
    assert bases["s6"] == "stated" and bases["opdc-strategy/s4-2".rsplit("/", 1)[-1]] == "inferred"


def test_trace_down_table(loaded: Path) -> None:
    result = run(loaded, "trace", "id:mp21/sp1-target", "--down", "-f", "csv")
    assert result.exit_code == 0, result.output
    work = [line for line in result.output.splitlines()
            if "opdc-acp-2567/s2-a" in line and ("#Activity," in line or "#Project," in line)]
    assert len(work) == 6


def test_trace_errors(loaded: Path) -> None:
    unknown = run(loaded, "trace", "ไม่มีสิ่งนี้แน่นอน")
    assert unknown.exit_code == 2 and "error: no element matches" in unknown.stderr
    ambiguous = run(loaded, "trace", "กิจกรรม")
    assert ambiguous.exit_code == 2 and "use one of these IRIs" in ambiguous.stderr


def test_coverage_summary_and_gaps(loaded: Path) -> None:
    result = run(loaded, "coverage")
    assert result.exit_code == 0, result.output
    # Level 1: 6 strategies, 2 goals and 2 issues the seed names; the plan serves 3 strategies.
    assert "Level 1 (Z): 10 targets, 3 supported, 7 gaps" in result.output
    assert "แผนย่อยการปราบปรามการทุจริต" in result.output
    level2 = run(loaded, "coverage", "--level", "2", "-f", "json")
    rows = json.loads(level2.output)["results"]["bindings"]
    assert {row["element"]["value"].rsplit("/id/", 1)[1] for row in rows} == {
        "mp21/sp2", "mp21/sp2-target"}


def test_demo_uses_the_loaded_store(loaded: Path) -> None:
    result = run(loaded, "demo", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "using the loaded store" in result.stderr
    assert "One-stop service centre development project" in result.output
    assert "9,460,600.00" in result.output
    assert "budget not stated" in result.output  # s2-a5's blank cell, never shown as zero
    assert "Level-1 targets with no supporting project or activity (7)" in result.output


def test_demo_loads_a_fresh_store(tmp_path: Path) -> None:
    result = run(tmp_path / "new", "demo")
    assert result.exit_code == 0, result.output
    assert "loaded 14 files" in result.stderr
    assert "ยุทธศาสตร์ชาติด้านการปรับสมดุลและพัฒนาระบบการบริหารจัดการภาครัฐ [stated]" in result.output


def test_validate_store_and_exit_codes(loaded: Path, tmp_path: Path) -> None:
    assert run(loaded, "validate").exit_code == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text((RESOURCES / "shapes" / "invalid-BudgetShape.ttl").read_text())
    result = run(loaded, "validate", str(broken))
    assert result.exit_code == 1
    assert "contradictory-budget" in result.output


def test_reload_keeps_iris_and_export_round_trips(loaded: Path, tmp_path: Path) -> None:
    source = data_dir() / "opdc-acp-2567.ttl"
    exported = tmp_path / "exported.ttl"
    assert run(loaded, "export", "-g", "opdc-acp-2567", "-o", str(exported)).exit_code == 0
    original = Graph().parse(source)
    again = Graph().parse(exported)
    # The export is the file plus the triples derived on load: one pg:supports per alignment
    # and one pg:inPlan per element of the plan.
    derived = set(derive(original))
    assert sum(1 for t in derived if t[1] == PG.supports) == 24  # 8 stated, 16 inferred
    assert (ID["opdc-acp-2567/s1-a3"], PG.inPlan, ID["opdc-acp-2567"]) in derived
    assert derived <= set(again)
    for triple in derived:
        again.remove(triple)
    assert isomorphic(canonical(original), canonical(again))
    # Loading the export again (it lands in the same named graph) changes nothing.
    copy = tmp_path / "opdc-acp-2567.ttl"
    copy.write_bytes(exported.read_bytes())
    before = run(loaded, "export", "-f", "nquads").output
    assert run(loaded, "load", str(copy)).exit_code == 0
    after = run(loaded, "export", "-f", "nquads").output
    a, b = Dataset(), Dataset()
    a.parse(data=before, format="nquads")
    b.parse(data=after, format="nquads")
    assert len(a) == len(b)
    assert isomorphic(canonical(a.graph(GRAPH["opdc-acp-2567"])),
                      canonical(b.graph(GRAPH["opdc-acp-2567"])))


def test_hostile_labels_round_trip_through_the_real_pipeline(loaded: Path, tmp_path: Path) -> None:
    plan = RESOURCES / "hostile-plan.ttl"
    assert run(loaded, "load", str(plan)).exit_code == 0
    found = run(loaded, "query", "find-element", "-p", "text=DROP", "-f", "json")
    labels = {b["label"]["value"] for b in json.loads(found.output)["results"]["bindings"]}
    assert "ยุทธศาสตร์ { } } { '; DROP GRAPH <x>" in labels
    assert 'Plan "}; DROP ALL; {"' in labels
    traced = run(loaded, "trace", "id:hostile/s1", "-f", "json")
    assert json.loads(traced.output)["chains"][0][0]["evidence"].endswith("<i>x</i>\nบรรทัดใหม่")
    out = tmp_path / "hostile.ttl"
    assert run(loaded, "export", "-g", "hostile-plan", "-o", str(out)).exit_code == 0
    exported = Graph().parse(out)
    original = Graph().parse(plan)
    for triple in derive(original):
        exported.remove(triple)
    assert isomorphic(canonical(exported), canonical(original))
