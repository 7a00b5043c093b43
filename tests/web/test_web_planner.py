"""The plan comparison page, on the bundled plan and the FY2568 fixture imported beside it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policygraph.namespaces import GRAPH
from tests.helpers import RESOURCES

FIXTURE = RESOURCES / "planner" / "opdc-acp-2568"


@pytest.fixture(scope="module")
def two_years() -> Iterator[Any]:
    """An app whose store has the FY2567 plan and the FY2568 fixture, imported as planners do."""
    from fastapi.testclient import TestClient

    from policygraph.load.derive import derive
    from policygraph.load.loader import load_many
    from policygraph.load.validate import VALIDATOR
    from policygraph.planner.import_run import import_workbook
    from policygraph.resources import data_files, ontology_files
    from policygraph.settings import Settings
    from policygraph.store import OxigraphStore
    from policygraph.web.app import create_app

    with OxigraphStore() as store:
        load_many(store, [*ontology_files(), *data_files()], validate=VALIDATOR, derive=derive)
        report = import_workbook(store, [FIXTURE], validate=VALIDATOR, derive=derive)
        assert report.written, report
        app = create_app(Settings(store=Path("/unused")), store=store)
        with TestClient(app) as client:
            yield client, report.graph


def test_diff_page_lists_changes(two_years: Any) -> None:
    client, graph_2568 = two_years
    chooser = client.get("/planner/diff?lang=en").text
    assert str(GRAPH["opdc-acp-2567"]) in chooser and str(graph_2568) in chooser
    page = client.get("/planner/diff", params={"a": str(GRAPH["opdc-acp-2567"]),
                                                "b": str(graph_2568), "lang": "en"}).text
    count = int(re.search(r'<strong id="change-count">(\d+)</strong>', page).group(1))  # type: ignore[union-attr]
    assert count > 0
    kinds = set(re.findall(r'data-kind="([^"]+)"', page))
    assert kinds & {"added", "removed", "renamed", "budget"}
    same = client.get("/planner/diff", params={"a": str(GRAPH["opdc-acp-2567"]),
                                                "b": str(GRAPH["opdc-acp-2567"])}).text
    assert '<strong id="change-count">0</strong>' in same
    bad = client.get("/planner/diff", params={"a": "<script>", "b": str(graph_2568)})
    assert bad.status_code == 400 and "<script>" not in bad.text
