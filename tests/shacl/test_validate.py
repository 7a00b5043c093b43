"""SHACL shapes: the bundled data conforms, and every shape has a passing and a failing fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from policygraph.load.validate import validate_graph
from policygraph.namespaces import PG, SH
from policygraph.resources import data_files, ontology_dir
from tests.helpers import derived_graph

SHAPES_DIR = Path(__file__).parents[1] / "resources" / "shapes"


def _shape_names(filename: str) -> list[str]:
    graph = Graph().parse(ontology_dir() / filename)
    return sorted(str(s).removeprefix(str(PG)) for s in graph.subjects(RDF.type, SH.NodeShape)
                  if isinstance(s, URIRef))


VIOLATION_SHAPES = _shape_names("shapes.ttl")
WARNING_SHAPES = _shape_names("shapes-warnings.ttl")


_graph = derived_graph


def test_valid_fixture_has_no_findings() -> None:
    report = validate_graph(_graph(SHAPES_DIR / "valid-plan.ttl"))
    assert report.findings == [], report.text()


def test_shape_files_hold_the_expected_shapes() -> None:
    assert len(VIOLATION_SHAPES) >= 14 and len(WARNING_SHAPES) >= 5
    assert not set(VIOLATION_SHAPES) & set(WARNING_SHAPES)


@pytest.mark.parametrize("shape", VIOLATION_SHAPES)
def test_violation_shape_fails_its_fixture(shape: str) -> None:
    fixture = SHAPES_DIR / f"invalid-{shape}.ttl"
    assert fixture.exists(), f"no failing fixture for {shape}"
    report = validate_graph(_graph(SHAPES_DIR / "valid-plan.ttl", fixture))
    assert not report.conforms
    fired = {f.shape for f in report.violations}
    assert str(PG[shape]) in fired, report.text()


@pytest.mark.parametrize("shape", WARNING_SHAPES)
def test_warning_shape_warns_on_its_fixture_without_blocking(shape: str) -> None:
    fixture = SHAPES_DIR / f"invalid-{shape}.ttl"
    assert fixture.exists(), f"no failing fixture for {shape}"
    report = validate_graph(_graph(SHAPES_DIR / "valid-plan.ttl", fixture))
    assert report.conforms, report.text()
    assert str(PG[shape]) in {f.shape for f in report.warnings}, report.text()


def test_messages_are_in_thai_and_english() -> None:
    fixture = SHAPES_DIR / "invalid-BudgetShape.ttl"
    report = validate_graph(_graph(SHAPES_DIR / "valid-plan.ttl", fixture))
    finding = report.violations[0]
    assert "งบประมาณ" in finding.message_th and "budget" in finding.message_en
    assert "contradictory-budget" in report.text()


def test_bundled_data_conforms_and_reports_its_warnings() -> None:
    report = validate_graph(_graph(*data_files()))
    assert report.conforms, report.text()
    warned = {(str(f.focus).rsplit("/", 1)[-1], f.shape.removeprefix(str(PG)))
              for f in report.warnings}
    # Hand-derived from the sources: the blank budget cell of strategy 2 activity 5, and the
    # National Strategy's strategy 5 whose Thai name no source confirms.
    assert warned == {("s2-a5-budget", "BudgetQualityShape"), ("s5", "LabelQualityShape")}


def test_context_resolves_references_but_is_not_reported() -> None:
    files = {path.stem: path for path in data_files()}
    plan = _graph(files["opdc-acp-2567"])
    context = _graph(*(p for stem, p in files.items() if stem != "opdc-acp-2567"))
    assert validate_graph(plan, context).conforms
    alone = validate_graph(plan)
    assert not alone.conforms  # links to other plans' elements cannot resolve without them
    assert all(f.focus in set(plan.subjects()) for f in alone.findings)


def test_findings_point_at_the_line_of_their_element(tmp_path: Path) -> None:
    fixture = SHAPES_DIR / "invalid-PlanShape.ttl"
    report = validate_graph(_graph(SHAPES_DIR / "valid-plan.ttl", fixture)).locate(fixture)
    line = next(n for n, text in enumerate(fixture.read_text().splitlines(), 1)
                if text.startswith("ex:bad-plan"))
    assert {f.location for f in report.violations} == {f"{fixture}:{line}"}
    assert f"{fixture}:{line}: แผนผิด" in report.text()


def test_load_reports_file_and_line_of_a_violation(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from policygraph.cli.main import main

    bad = tmp_path / "bad.ttl"
    bad.write_text((SHAPES_DIR / "valid-plan.ttl").read_text()
                   + (SHAPES_DIR / "invalid-ScheduleShape.ttl").read_text())
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["--store", str(store), "load", str(bad)])
    assert result.exit_code == 1
    line = next(n for n, text in enumerate(bad.read_text().splitlines(), 1)
                if text.startswith("ex:backwards-schedule"))
    assert f"{bad}:{line}:" in result.stderr
    assert "nothing was written" in result.stderr or "error:" in result.stderr


@pytest.mark.parametrize("shape", VIOLATION_SHAPES + WARNING_SHAPES)
def test_every_finding_has_distinct_thai_and_english_messages(shape: str) -> None:
    fixture = SHAPES_DIR / f"invalid-{shape}.ttl"
    report = validate_graph(_graph(SHAPES_DIR / "valid-plan.ttl", fixture))
    for finding in report.findings:
        assert finding.message_th and finding.message_en
        assert finding.message_th != finding.message_en, finding
        assert any("\u0e00" <= c <= "\u0e7f" for c in finding.message_th)
