"""The replacement benchmark: one agency's yearly plan replaced in a loaded national store.

The synthetic data keeps all agencies of a fiscal year in one file; a planner replaces one
agency's plan. So the first agency's plan of the first year is moved into a file of its own
(its elements, the blank nodes they use and its alignments) and the year's file is loaded again
without it (not timed); then the agency's file, with one activity fewer, replaces its graph:
that load, with validation off as in the other loads, is what is timed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from policygraph.bench.synth import BASE
from policygraph.namespaces import PG

__all__ = ["replace_agency_year"]


def _split(year_file: Path, folder: Path) -> tuple[Path, Path, Path]:
    """Write the year without its first agency, the agency's plan, and the plan one activity
    short; return the three files (the first has the year file's name)."""
    graph = Graph()
    graph.parse(year_file, format="turtle")
    year = year_file.stem.rsplit("-", 1)[1]
    prefixes = (f"{BASE}agency-1/{year}", f"{BASE}doc/agency-1/{year}")
    own: set[Node] = {s for s in graph.subjects()
                      if isinstance(s, URIRef) and str(s).startswith(prefixes)}
    own |= {a for a, source in graph.subject_objects(PG.fromElement) if source in own}
    agency = Graph()
    todo: list[Node] = list(own)
    while todo:
        subject = todo.pop()
        for triple in graph.triples((subject, None, None)):
            if triple not in agency:
                agency.add(triple)
                if isinstance(triple[2], BNode):
                    todo.append(triple[2])
    rest = graph - agency
    folder.mkdir(parents=True, exist_ok=True)
    paths = (folder / year_file.name, folder / f"synth-agency-1-{year}.ttl",
             folder / "changed" / f"synth-agency-1-{year}.ttl")
    rest.serialize(paths[0], format="nt")
    agency.serialize(paths[1], format="nt")
    activity = sorted(str(s) for s in agency.subjects(None, PG.Activity))[0]
    shorter = Graph()
    shorter += (t for t in agency if activity not in (str(t[0]), str(t[2])))
    paths[2].parent.mkdir(parents=True, exist_ok=True)
    shorter.serialize(paths[2], format="nt")
    return paths


def replace_agency_year(directory: Path, folder: Path,
                        load: Callable[[list[Path]], object]) -> dict[str, float | int]:
    """Set up and time the replacement with ``load(files)`` (a load into the measured store).

    Returns:
        ``seconds`` of the timed replacement (right after the year's file was written again,
        while the store still settles that large write), ``again``: the same replacement
        once more after the agency's plan was put back (a store at rest), and ``triples`` in
        the agency's plan.
    """
    year_file = sorted(directory.glob("synth-plans-*.ttl"))[0]
    rest, agency, changed = _split(year_file, folder)
    load([rest, agency])
    times = []
    for files in ([changed], [agency], [changed]):
        started = time.perf_counter()
        load(files)
        times.append(time.perf_counter() - started)
    return {"seconds": times[0], "again": times[2],
            "triples": sum(1 for _ in changed.open(encoding="utf-8"))}
