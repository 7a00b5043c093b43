"""The ``bench`` command: measure engines side by side on synthetic national data."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import click

from policygraph.bench.report import table
from policygraph.bench.run import ENGINE_HELP, ENGINES, measure
from policygraph.bench.synth import PRESETS, SynthSpec, write_dataset

__all__ = ["COMMANDS", "bench"]


_HELP = """Measure load time, peak memory and p50/p95 latency of the key questions per engine.

Runs on demand, never in the test suite. Each engine runs in its own process, one after
another; queries over 60 s are marked as timeouts.

The server engines (oxigraph-server, virtuoso) start their server on 127.0.0.1 in a temporary
folder (stopped at the end), load and query it through the remote store, and also time the
same requests sent straight to the server: its own time. A second table per size gives those
times, the remote store / server ratios, and the embedded store / Virtuoso ratio for coverage
and budget roll-up. A server whose program is missing gives an error row, not a failed run.

\b
Engines:
""" + "\n".join(f"  {name:<16} {text}" for name, text in ENGINE_HELP.items()) + """

\b
Examples:
  policygraph bench --sizes 100k,1m --engines embedded,rdflib -o BENCHMARKS-run.md
  policygraph bench --sizes tiny --runs 3 --engines embedded,oxigraph-server,virtuoso,rdflib
"""


@click.command(help=_HELP)
@click.option("--sizes", default="100k", show_default=True,
              help="Comma-separated dataset sizes: " + ", ".join(PRESETS) + ".")
@click.option("--engines", default="embedded,rdflib", show_default=True,
              help="Comma-separated engines: " + ", ".join(ENGINES) + " (see above).")
@click.option("--runs", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="Timed runs per query (after one warm-up).")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path),
              default=Path("/tmp/policygraph-bench"), show_default=True,
              help="Where the synthetic datasets are written (reused when present).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the Markdown table to this file.")
def bench(sizes: str, engines: str, runs: int, data: Path, output: Path | None) -> None:
    """Measure engines side by side (the help text is ``_HELP``)."""
    for name, known, what in ((sizes, PRESETS, "--sizes"), (engines, ENGINES, "--engines")):
        unknown = [item for item in name.split(",") if item not in known]
        if unknown:
            raise click.BadParameter(f"unknown: {', '.join(unknown)} (known: "
                                     f"{', '.join(known)})", param_hint=what)
    lines = [f"Command: `policygraph bench --sizes {sizes} --engines {engines} --runs {runs}`",
             f"Machine: {platform.platform()}, Python {sys.version.split()[0]}, "
             f"{_cpus()} CPUs"]
    for size in sizes.split(","):
        agencies, years = PRESETS[size]
        folder = data / size
        if not (folder / "synth-national.ttl").exists():
            for _path, _count in write_dataset(SynthSpec(agencies=agencies, years=years), folder):
                pass
        results = []
        for engine in engines.split(","):
            click.echo(f"{size}: {engine} …", err=True)
            results.append(measure(engine, folder, runs))
        lines.extend(table(size, results))
    text = "\n".join(lines) + "\n"
    click.echo(text)
    if output is not None:
        output.write_text(text, encoding="utf-8")


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


COMMANDS = (bench,)
