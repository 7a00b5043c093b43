"""The benchmark harness works end to end on the tiny dataset (its numbers are not asserted)."""

from __future__ import annotations

from pathlib import Path

from policygraph.bench import BENCH_QUERIES, measure
from policygraph.bench_report import table
from policygraph.synth import SynthSpec, write_dataset


def test_measure_embedded_in_a_child_process(tmp_path: Path) -> None:
    for _ in write_dataset(SynthSpec(agencies=3, years=1), tmp_path):
        pass
    result = measure("embedded", tmp_path, runs=2, timeout_s=300)
    assert result.triples > 1000 and result.load_s is not None and result.peak_mb > 0
    assert set(result.queries) == set(BENCH_QUERIES)
    for latency in result.queries.values():
        assert latency["rows"] > 0 and latency["p50"] > 0
    rows = list(table("tiny", [result]))
    assert rows[-1].startswith("| embedded (pyoxigraph, on disk) |")
