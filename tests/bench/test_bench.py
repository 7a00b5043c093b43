"""The benchmark harness works end to end on the tiny dataset (its numbers are not asserted)."""

from __future__ import annotations

import re
from pathlib import Path

from policygraph.bench.report import table
from policygraph.bench.run import BENCH_QUERIES, measure, run_engine
from policygraph.bench.synth import SynthSpec, write_dataset


def test_measure_embedded_in_a_child_process(tmp_path: Path) -> None:
    for _ in write_dataset(SynthSpec(agencies=3, years=1), tmp_path):
        pass
    result = measure("embedded", tmp_path, runs=2, timeout_s=300)
    assert result.triples > 1000 and result.load_s is not None and result.peak_mb > 0
    assert set(result.queries) == set(BENCH_QUERIES)
    for latency in result.queries.values():
        assert latency["rows"] > 0 and latency["p50"] > 0
    assert result.replace_s is not None and result.replace_s > 0
    assert result.replace_again_s is not None and result.replace_again_s > 0
    rows = list(table("tiny", [result]))
    assert any(row.startswith("| embedded (pyoxigraph, on disk) |") for row in rows)
    assert any("replacing one agency's yearly plan" in row for row in rows)


def test_served_engines_keep_answers_and_the_rdflib_ratios(tmp_path: Path) -> None:
    for _ in write_dataset(SynthSpec(agencies=2, years=1), tmp_path):
        pass
    results = [run_engine(engine, tmp_path, 3)
               for engine in ("embedded", "served", "served-memory", "rdflib")]
    embedded, served, served_memory, rdflib = results
    for result in (served, served_memory):
        assert result.triples == embedded.triples
        for label, latency in result.queries.items():
            assert latency["rows"] == embedded.queries[label]["rows"] > 0, label
            assert latency["first"] > 0
    assert served.pages is not None and set(served.pages) == {"/reports/budget",
                                                               "/reports/coverage"}
    assert all(times["first"] > 0 and times["again"] > 0 for times in served.pages.values())
    rows = list(table("tiny", results))
    assert any(row.startswith("\nThe web app (`policygraph serve`") and "`/reports/budget` first"
               in row for row in rows)
    cells = next(row for row in rows if row.startswith("| embedded, served (`serve`:"))
    assert all(re.search(r"\d / \d+\.\d\d \(first \d+\.\d\d\)$", cell)
               for cell in cells.strip("| ").split(" | ")[4:]), cells
    for name in ("embedded (on disk)", "served (on disk, kept)", "served (--memory, kept)"):
        ratio = next(row for row in rows if row.startswith(f"| rdflib / {name} (goal"))
        parts = ratio.strip("| ").split(" | ")[1:]
        assert all(re.fullmatch(r"[\d,]+x [✓✗]|—", part) for part in parts), ratio
        assert all(re.fullmatch(r"[\d,]+x [✓✗]", part) for part in parts[1:]), ratio
    for label, latency in rdflib.queries.items():  # the plain forms give the same answers
        if "rows" in latency:
            assert latency["rows"] == embedded.queries[label]["rows"], label
    assert not any(row.startswith(("| Oxigraph server's own", "| Virtuoso's own", "| remote"))
                   or "/ Virtuoso" in row for row in rows)  # no server ran
