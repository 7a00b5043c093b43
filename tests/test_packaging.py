"""Checks on the installed package: bundled resources and the console script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import policygraph
from policygraph import resources

CHECKOUT_SRC = Path(__file__).resolve().parents[1] / "src"


def test_resource_dirs_exist() -> None:
    for directory in (resources.ontology_dir(), resources.data_dir(), resources.queries_dir()):
        assert directory.is_dir(), directory
    assert all(p.suffix == ".ttl" for p in resources.ontology_files() + resources.data_files())


def test_installed_wheel_uses_bundled_resources() -> None:
    package = Path(policygraph.__file__).resolve().parent
    if CHECKOUT_SRC in package.parents:  # editable: the checkout's top-level folders are used
        if os.environ.get("POLICYGRAPH_REQUIRE_WHEEL") == "1":
            pytest.fail("CI must test the installed wheel, not an editable checkout")
        pytest.skip("an editable install reads the checkout's folders, not the wheel's")
    for directory in (resources.ontology_dir(), resources.data_dir(), resources.queries_dir()):
        assert package / "_bundled" in directory.parents, directory


def test_typed_marker_is_shipped() -> None:
    assert (Path(policygraph.__file__).parent / "py.typed").is_file()


def test_console_script_runs_from_anywhere(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "policygraph"
    result = subprocess.run(
        [str(script), "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: policygraph" in result.stdout
    for command in ("load", "validate", "query", "export"):
        assert command in result.stdout
