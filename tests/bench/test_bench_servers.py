"""The server engines of the benchmark: Oxigraph server and Virtuoso, really started, on a tiny
dataset; the table gets their rows and the ratio table (the numbers are not asserted)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from policygraph.bench import servers as pg_servers
from policygraph.bench.report import table
from policygraph.bench.run import BENCH_QUERIES, SERVER_ENGINES, measure, run_engine
from policygraph.bench.synth import SynthSpec, write_dataset
from tests.servers import REQUIRE_ENV

LATENCY = re.compile(r"^\d+\.\d\d / \d+\.\d\d( ⚠ \d+ rows)?$")  # ⚠: not the embedded rows
RATIO = re.compile(r"^(\d+\.\d\d|< 0\.01)x [✓✗]$")


def _installed(engine: str) -> bool:
    if engine == "oxigraph-server":
        return pg_servers.oxigraph_program() is not None
    return Path(pg_servers.VIRTUOSO).exists() and Path(pg_servers.ISQL).exists()


def _cells(rows: list[str], start: str) -> list[str]:
    found = [row for row in rows if row.startswith(start)]
    assert len(found) == 1, f"no single row starting {start!r} in:\n" + "\n".join(rows)
    return [cell.strip() for cell in found[0].strip("|").split("|")]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 5,000 triples: two agencies, one year, few master plans."""
    folder = tmp_path_factory.mktemp("bench-small")
    for _ in write_dataset(SynthSpec(agencies=2, years=1, master_plans=3, sub_plans=6), folder):
        pass
    return folder


def test_server_engines_side_by_side_with_the_ratio_table(small: Path) -> None:
    missing = [engine for engine in SERVER_ENGINES if not _installed(engine)]
    if missing and os.environ.get(REQUIRE_ENV) != "1":
        pytest.skip(f"not installed: {', '.join(missing)}")
    results = [measure(engine, small, runs=1, timeout_s=300)
               for engine in ("embedded", *SERVER_ENGINES)]
    for result in results:
        assert result.error is None, result.error
        assert result.triples > 1000 and result.load_s is not None
    embedded, oxigraph, virtuoso = results
    assert oxigraph.triples == virtuoso.triples == embedded.triples
    for result in (oxigraph, virtuoso):
        assert result.server_mb is not None and result.peak_mb > result.server_mb > 0
        assert set(result.queries) == set(BENCH_QUERIES) <= set(result.server_queries)
        for label, latency in result.queries.items():
            own = result.server_queries[label]
            assert latency["rows"] > 0 and latency["rows"] == own["rows"], label
            assert latency["p50"] > 0 and own["p50"] > 0

    assert embedded.load_peak_mb is not None and 0 < embedded.load_peak_mb <= embedded.peak_mb
    rows = list(table("small", results))
    for start in ("| embedded (pyoxigraph, on disk) |", "| remote store → Oxigraph server",
                  "| remote store → Virtuoso"):
        cells = _cells(rows, start)
        assert cells[1].replace(",", "").isdigit() and float(cells[2]) >= 0
        assert re.fullmatch(r"\d+( \(server \d+\))?( \(loading \d+\))?", cells[3])
        assert all(LATENCY.match(cell) for cell in cells[4:]), cells
    for name in ("Oxigraph server", "Virtuoso"):
        own = _cells(rows, f"| {name}'s own time (ms) |")[1:]
        assert len(own) == len(BENCH_QUERIES) and all(float(cell) > 0 for cell in own)
        ratios = _cells(rows, f"| remote store / {name} |")[1:]
        assert all(RATIO.match(cell) for cell in ratios), ratios
    # Virtuoso's other forms of each question answer as the named queries do, and its best
    # time is the fastest of them.
    forms = {label: q for label, q in virtuoso.server_queries.items() if "[" in label}
    assert {label.split(" [")[1].rstrip("]") for label in forms} == {"plain", "virtuoso"}
    for label, q in forms.items():
        assert q["rows"] == virtuoso.server_queries[label.split(" [")[0]]["rows"], label
    best = _cells(rows, "| Virtuoso at its best (ms) |")[1:]
    assert all(re.fullmatch(r"\d+\.\d\d \((named|plain|virtuoso)\)", cell) for cell in best)
    against = _cells(rows, "| embedded (on disk) / Virtuoso at its best |")[1:]
    assert against[:2] == ["—", "—"] and all(RATIO.match(cell) for cell in against[2:])


def test_a_missing_server_program_is_an_error_row(
        small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg_servers, "oxigraph_program", lambda: None)
    monkeypatch.setattr(pg_servers, "VIRTUOSO", str(small / "no-virtuoso-t"))
    results = [run_engine(engine, small, 1) for engine in SERVER_ENGINES]
    for result, what in zip(results, ("oxigraph program", "Virtuoso"), strict=True):
        assert result.error is not None and "cannot start the server" in result.error
        assert what in result.error and "not installed" in result.error
    rows = list(table("small", results))
    assert _cells(rows, "| remote store → Oxigraph server")[4].startswith("error: cannot start")
    assert _cells(rows, "| remote store → Virtuoso")[4].startswith("error: cannot start")
    assert not any("own time" in row for row in rows)  # no ratio table without measurements
