"""The benchmark's Markdown: one table of engines per size, then the servers' own times and the
ratios the goals ask for (see :mod:`policygraph.bench`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policygraph.bench import (
    BENCH_QUERIES,
    REMOTE_OVERHEAD_GOAL,
    SERVER_ENGINES,
    TIMEOUT_S,
    VIRTUOSO_GOAL,
    Measurement,
)
from policygraph.remotestore import DEFAULT_BATCH

__all__ = ["table"]


def _latency_cell(q: dict[str, Any]) -> str:
    if q.get("timeout"):
        return f"timeout (> {TIMEOUT_S} s)"
    if "p50" in q:
        return f"{q['p50']:.2f} / {q['p95']:.2f}"
    return "error: " + str(q.get("error", q.get("message", "?")))[:60]


def table(size: str, results: list[Measurement]) -> Iterator[str]:
    """Markdown: one row per engine (load, peak memory, p50/p95 per question), then the
    server engines' own times and the goal ratios when any server engine ran."""
    labels = list(BENCH_QUERIES)
    yield f"\n### {size}\n"
    yield "| engine | triples | load (s) | peak RSS (MB) | " + " | ".join(
        f"{label} p50 / p95 (ms)" for label in labels) + " |"
    yield "|" + "---|" * (4 + len(labels))
    reference = next((m for m in results if m.key in ("embedded", "embedded+shacl")
                      and m.error is None), None)
    differ = False
    for m in results:
        if m.error is not None:
            message = " ".join(m.error.split())[:200].replace("|", "\\|")
            cells = ["error: " + message, *("—" for _ in labels[1:])]
        else:
            cells = []
            for label in labels:
                q = m.queries.get(label, m.queries.get("error", {}))
                cell = _latency_cell(q)
                expected = reference.queries.get(label, {}).get("rows") if reference else None
                if "p50" in q and expected is not None and q.get("rows") != expected:
                    cell += f" ⚠ {q.get('rows')} rows"
                    differ = True
                cells.append(cell)
        load = f"{m.load_s:.1f}" if m.load_s is not None else "—"
        triples = f"{m.triples:,}" if m.error is None else "—"
        peak = "—" if m.error is not None else f"{m.peak_mb:.0f}" + (
            f" (server {m.server_mb:.0f})" if m.server_mb is not None else "")
        row = f"| {m.engine} | {triples} | {load} | {peak} | "
        yield row + " | ".join(cells) + " |"
    if differ and reference is not None:
        counts = ", ".join(str(reference.queries.get(label, {}).get("rows", "?"))
                           for label in labels)
        yield (f"\n⚠ a different number of rows than the embedded store's answer ({counts} "
               "rows): that engine answers the question differently.")
    yield from _ratio_table(results)


def _p50(q: dict[str, Any] | None) -> float | None:
    return float(q["p50"]) if q and "p50" in q else None


def _ratio(numerator: float | None, denominator: float | None, goal: float,
           rows: tuple[Any, Any] | None = None) -> str:
    if numerator is None or denominator is None or denominator <= 0:
        return "—"
    ratio = numerator / denominator
    cell = f"{ratio:.2f}x " + ("✓" if ratio <= goal else "✗")
    if rows is not None and rows[0] != rows[1]:
        cell += f" (rows {rows[0]} vs {rows[1]})"
    return cell


def _ratio_table(results: list[Measurement]) -> Iterator[str]:
    """Server engines' own p50, remote store / server, and embedded / Virtuoso's own time."""
    labels = list(BENCH_QUERIES)
    servers = [m for m in results if m.key in SERVER_ENGINES and m.error is None]
    if not servers:
        return
    yield ("\nThe server's own time (the same request sent with urllib, the answer read but not "
           f"parsed) and the goals: remote store ≤ {REMOTE_OVERHEAD_GOAL:g}x the server's own "
           "time; embedded no slower than Virtuoso on coverage and budget roll-up "
           "(ratios of p50, ✓ = goal met).\n")
    yield "| p50 | " + " | ".join(labels) + " |"
    yield "|" + "---|" * (1 + len(labels))
    for m in servers:
        name = "Oxigraph server" if m.key == "oxigraph-server" else "Virtuoso"
        own = [m.server_queries.get(label) for label in labels]
        yield f"| {name}'s own time (ms) | " + " | ".join(
            _latency_cell(q).split(" / ")[0] if q else "—" for q in own) + " |"
        yield f"| remote store / {name} | " + " | ".join(
            _ratio(_p50(m.queries.get(label)), _p50(q), REMOTE_OVERHEAD_GOAL,
                   (m.queries.get(label, {}).get("rows"), (q or {}).get("rows")))
            for label, q in zip(labels, own, strict=True)) + " |"
    virtuoso = next((m for m in servers if m.key == "virtuoso"), None)
    for embedded in (m for m in results if m.key in ("embedded", "embedded-memory")
                     and m.error is None and virtuoso is not None):
        assert virtuoso is not None
        where = "in memory" if embedded.key == "embedded-memory" else "on disk"
        yield f"| embedded ({where}) / Virtuoso's own time | " + " | ".join(
            _ratio(_p50(embedded.queries.get(label)), _p50(virtuoso.server_queries.get(label)),
                   1.0) if label in VIRTUOSO_GOAL else "—" for label in labels) + " |"
    yield ("\nServer engines: load = parse + derive in the client, then writes over HTTP "
           "in requests of the remote store's default size (Oxigraph: Graph Store Protocol POSTs; "
           f"Virtuoso: SPARQL Updates; {DEFAULT_BATCH:,} triples each); "
           "peak RSS = the client process plus the server process (its VmHWM), the server's "
           "share in brackets.")
