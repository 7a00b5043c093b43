"""The benchmark's Markdown: one table of engines per size, then the servers' own times and the
ratios the goals ask for (see :mod:`policygraph.bench.run`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policygraph.bench.pages import ASKERS
from policygraph.bench.run import (
    BENCH_QUERIES,
    REMOTE_OVERHEAD_GOAL,
    SERVER_ENGINES,
    VIRTUOSO_FORMS,
    VIRTUOSO_GOAL,
)
from policygraph.bench.timing import TIMEOUT_S, Measurement
from policygraph.store.remote.store import DEFAULT_BATCH

#: The engines whose answers are kept (see ``_embedded``'s "served").
SERVED = ("served", "served-memory")
#: The embedded-store engines compared with Virtuoso's own time and with rdflib.
EMBEDDED_NAMES = {"embedded": "embedded (on disk)", "embedded-memory": "embedded (in memory)",
                  "served": "served (on disk, kept)", "served-memory": "served (--memory, kept)"}
#: Coverage and budget roll-up should be at least this many times faster than rdflib (a goal).
RDFLIB_GOAL = 100.0

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
                if m.key in SERVED and "first" in q:
                    cell += f" (first {q['first']:.2f})"
                expected = reference.queries.get(label, {}).get("rows") if reference else None
                if "p50" in q and expected is not None and q.get("rows") != expected:
                    cell += f" ⚠ {q.get('rows')} rows"
                    differ = True
                cells.append(cell)
        load = f"{m.load_s:.1f}" if m.load_s is not None else "—"
        triples = f"{m.triples:,}" if m.error is None else "—"
        peak = "—" if m.error is not None else f"{m.peak_mb:.0f}" + (
            f" (server {m.server_mb:.0f})" if m.server_mb is not None else "") + (
            f" (loading {m.load_peak_mb:.0f})" if m.load_peak_mb is not None else "")
        row = f"| {m.engine} | {triples} | {load} | {peak} | "
        yield row + " | ".join(cells) + " |"
    for m in results:
        if m.replace_s is not None:
            yield (f"\n{m.engine}: replacing one agency's yearly plan (agency 1's plan of the "
                   f"first year, one activity fewer) in the loaded store took {m.replace_s:.2f} s "
                   "right after the year's file was written again"
                   + (f", {m.replace_again_s:.2f} s on a store at rest"
                      if m.replace_again_s is not None else "")
                   + " (see `policygraph.bench.replace`).")
    for m in results:
        if m.pages:
            timed = "; ".join(f"`{page}` first {t['first']:.0f} ms, again {t['again']:.0f} ms"
                              for page, t in m.pages.items())
            yield (f"\nThe web app (`policygraph serve` started on the loaded store, pages "
                   f"fetched over HTTP): {timed} (see `policygraph.bench.pages`).")
        if m.suggestions:
            s = m.suggestions
            yield (f"\nSuggestions under load (`policygraph.bench.pages.suggestion_load`): the "
                   f"index read in {s['index_s']:.1f} s after the first ask; a light page's p95 "
                   f"{s['alone_p95_ms']:.1f} ms alone, {s['loaded_p95_ms']:.1f} ms while "
                   f"{ASKERS} clients asked for suggestions at once "
                   f"({s['loaded_p95_ms'] / max(s['alone_p95_ms'], 1e-9):.1f}x; "
                   f"{s['answered']:.0f} answered, {s['refused']:.0f} refused with 503).")
    if any(m.load_peak_mb is not None for m in results):
        yield ("\nPeak RSS is the engine process's over the whole run (load, the questions, "
               "the replacement); \"loading\" is its peak when the load was done.")
    if any(m.key in SERVED for m in results):
        yield ("\nServed rows: the store reopened as `policygraph serve` opens it, which keeps "
               "its answers (it cannot change while open): p50 / p95 are of repeats, the first "
               "call (not kept yet) in brackets; load includes the copy into memory for "
               "`--memory`.")
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
    cell = ("< 0.01x " if ratio < 0.005 else f"{ratio:.2f}x ") + ("✓" if ratio <= goal else "✗")
    if rows is not None and rows[0] != rows[1]:
        cell += f" (rows {rows[0]} vs {rows[1]})"
    return cell


def _times(slow: float | None, fast: float | None) -> str:
    if slow is None or fast is None or fast <= 0:
        return "—"
    return f"{slow / fast:,.0f}x " + ("✓" if slow / fast >= RDFLIB_GOAL else "✗")


def _rows_note(q: dict[str, Any], virtuoso: Measurement, label: str) -> str:
    named = virtuoso.server_queries.get(label, {}).get("rows")
    return "" if q.get("rows") == named else f" ⚠ {q.get('rows')} rows, not {named}"


def _best(virtuoso: Measurement, label: str) -> dict[str, Any] | None:
    """Virtuoso's fastest own time for the question among the forms that answer it right (the
    rows of the named query's answer): the named query reads the derived facts, the others
    walk the links."""
    named = virtuoso.server_queries.get(label)
    forms = [("named", named)] + [(form, virtuoso.server_queries.get(f"{label} [{form}]"))
                                  for form in VIRTUOSO_FORMS]
    right = [(q["p50"], form) for form, q in forms
             if q and "p50" in q and named and q.get("rows") == named.get("rows")]
    return {"p50": min(right)[0], "form": min(right)[1]} if right else None


def _ratio_table(results: list[Measurement]) -> Iterator[str]:
    """Server engines' own p50, remote store / server, embedded / Virtuoso's own time, and
    rdflib / embedded."""
    labels = list(BENCH_QUERIES)
    servers = [m for m in results if m.key in SERVER_ENGINES and m.error is None]
    virtuoso = next((m for m in servers if m.key == "virtuoso"), None)
    rdflib = next((m for m in results if m.key == "rdflib" and m.error is None), None)
    embedded = [m for m in results if m.key in EMBEDDED_NAMES and m.error is None]
    if not servers and not (rdflib and embedded):
        return
    yield ("\nThe goals, as ratios of p50 (✓ = goal met): the remote store ≤ "
           f"{REMOTE_OVERHEAD_GOAL:g}x the server's own time (the same request sent with urllib, "
           "the answer read but not parsed); the embedded store no slower than Virtuoso on "
           f"coverage and budget roll-up, and at least {RDFLIB_GOAL:g}x faster than rdflib running "
           "the plain form of each question (`queries/plain/`: rdflib has no derived facts).\n")
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
    best: dict[str, dict[str, Any] | None] = {}
    if virtuoso is not None:
        for form in VIRTUOSO_FORMS:
            own = [virtuoso.server_queries.get(f"{label} [{form}]") for label in labels]
            if any(own):
                yield f"| Virtuoso's own time, {form} form (ms) | " + " | ".join(
                    _latency_cell(q).split(" / ")[0] + _rows_note(q, virtuoso, label) if q
                    else "—" for label, q in zip(labels, own, strict=True)) + " |"
        best = {label: _best(virtuoso, label) for label in labels}
        yield "| Virtuoso at its best (ms) | " + " | ".join(
            f"{q['p50']:.2f} ({q['form']})" if q else "—" for q in best.values()) + " |"
    for m in embedded:
        name = EMBEDDED_NAMES[m.key]
        if virtuoso is not None:
            yield f"| {name} / Virtuoso at its best | " + " | ".join(
                _ratio(_p50(m.queries.get(label)), _p50(best.get(label)), 1.0)
                if label in VIRTUOSO_GOAL else "—" for label in labels) + " |"
        if rdflib is not None:
            yield f"| rdflib / {name} (goal ≥ {RDFLIB_GOAL:g}x) | " + " | ".join(
                _times(_p50(rdflib.queries.get(label)), _p50(m.queries.get(label)))
                for label in labels) + " |"
    if servers:
        yield ("\nServer engines: load = parse + derive in the client, then writes over HTTP "
               "in requests of the remote store's default size (Oxigraph: Graph Store Protocol "
               f"POSTs; Virtuoso: SPARQL Updates; {DEFAULT_BATCH:,} triples each); "
               "peak RSS = the client process plus the server process (its VmHWM), the "
               "server's share in brackets.")
