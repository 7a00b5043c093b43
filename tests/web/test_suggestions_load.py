"""Suggestions asked by many clients at once on a 100k-triple store: every request is answered
or refused with 503, none stalls, and the index is read once (the p95 figures themselves go to
BENCHMARKS.md through ``policygraph bench``; nothing here asserts a time)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.bench.pages import ASKERS, ASKS, suggestion_load
from policygraph.bench.synth import PRESETS
from policygraph.store import OxigraphStore
from tests.helpers import load_synthetic, serving


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("suggestions-100k")
    agencies, years = PRESETS["100k"]
    with OxigraphStore(folder / "store") as store:
        load_synthetic(store, folder / "data", agencies, years, validate=False)
        assert store.triple_count() > 90_000
    return folder / "store"


def test_twenty_clients_asking_for_suggestions_are_all_answered_or_refused(
        national: Path) -> None:
    with OxigraphStore(national, read_only=True) as store:
        work = [str(row["w"]) for row in store.query(
            "SELECT ?w WHERE { ?w a <https://w3id.org/policygraph/ontology#Activity> } "
            "ORDER BY ?w LIMIT 60").rows]
    assert len(work) == 60
    with serving(national) as base:
        result = suggestion_load(base, work, "/id/" + work[0].removeprefix(
            "https://w3id.org/policygraph/id/") + "?lang=en", samples=10)
    assert result["answered"] + result["refused"] == ASKERS * ASKS
    assert result["answered"] >= 1, result
