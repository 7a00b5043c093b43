"""The ``synth`` command: write a synthetic national dataset for tests and benchmarks."""

from __future__ import annotations

import time
from pathlib import Path

import click

from policygraph.bench.synth import PRESETS, SynthSpec, write_dataset

__all__ = ["COMMANDS", "synth"]


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--size", type=click.Choice(list(PRESETS)), default="100k", show_default=True,
              help="About how many triples: tiny (~9k), 100k, 1m, 5m.")
@click.option("--agencies", type=click.IntRange(min=1), help="Override the preset's agencies.")
@click.option("--years", type=click.IntRange(min=1, max=50), help="Override its fiscal years.")
@click.option("--seed", type=int, default=2567, show_default=True, help="Random seed.")
def synth(directory: Path, size: str, agencies: int | None, years: int | None, seed: int) -> None:
    """Write a synthetic national dataset (real ontology, Thai labels) into DIRECTORY.

    Six national strategies, 23 master plans with 140 sub-plan targets, NESDP milestones,
    about 20 ministries and their departments, each with a yearly action plan: strategies,
    tactics, projects and activities with indicators, budgets (stated, none, not stated),
    schedules, units and 1-3 qualified alignments. The same options write the same files.

    \b
    Examples:
      policygraph synth /tmp/national --size 1m
      policygraph load /tmp/national/*.ttl
    """
    preset_agencies, preset_years = PRESETS[size]
    spec = SynthSpec(agencies=agencies or preset_agencies, years=years or preset_years, seed=seed)
    started = time.perf_counter()
    total = 0
    for path, count in write_dataset(spec, directory):
        total += count
        click.echo(f"{path}  {count:>10,} triples")
    click.echo(f"total: {total:,} triples in {time.perf_counter() - started:.1f} s")


COMMANDS = (synth,)
