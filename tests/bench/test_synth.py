"""The synthetic national dataset: conforms to the shapes, reproducible, sized as promised."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from policygraph.bench.synth import PRESETS, SynthSpec, write_dataset
from policygraph.cli.main import main
from policygraph.load.derive import derive
from policygraph.load.loader import load_many
from policygraph.load.validate import VALIDATOR
from policygraph.query.registry import run_query
from policygraph.resources import ontology_files
from policygraph.store import OxigraphStore


def test_tiny_dataset_conforms_and_answers_queries(tmp_path: Path) -> None:
    files = [path for path, _ in write_dataset(SynthSpec(agencies=6, years=2), tmp_path)]
    with OxigraphStore() as store:
        # With the ontology, as `load` does: queries read plan levels' notations from it.
        reports = load_many(store, [*ontology_files(), *files], validate=VALIDATOR,
                            derive=derive)  # raises ValidationFailed on any violation
        assert all("0 violation" in (r.warnings_report or "0 violation") for r in reports)
        gaps = run_query(store, "coverage-gaps", {"level": "2"}).rows
        covered = run_query(store, "coverage", {"level": "2"}).rows
        assert 0 < len(gaps) < len(covered)  # some sub-plan targets served, some gaps
        assert run_query(store, "work-item-without-level1-violation", {}).rows == []
        plans = run_query(store, "plans", {}).rows
        assert sum(1 for p in plans if str(p["level"]) == "3") == 12  # 6 agencies x 2 years


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    spec = SynthSpec(agencies=4, years=1, seed=7)
    first = {p.name: p.read_bytes() for p, _ in write_dataset(spec, tmp_path / "a")}
    second = {p.name: p.read_bytes() for p, _ in write_dataset(spec, tmp_path / "b")}
    other = {p.name: p.read_bytes() for p, _ in write_dataset(SynthSpec(4, 1, seed=8),
                                                                  tmp_path / "c")}
    assert first == second and first != other


def test_the_100k_preset_is_about_100k_triples(tmp_path: Path) -> None:
    agencies, years = PRESETS["100k"]
    total = sum(n for _, n in write_dataset(SynthSpec(agencies, years), tmp_path))
    assert 80_000 <= total <= 120_000


def test_synth_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["synth", str(tmp_path), "--size", "tiny"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "synth-national.ttl").exists() and "total:" in result.output
