"""The package's rooms hold: import-linter's contracts pass, and fail when one is broken."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "policygraph"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _lint(package_parent: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if package_parent is not None:  # analyse this copy of the package, not the installed one
        env["PYTHONPATH"] = str(package_parent)
    return subprocess.run([str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"),
                           "--no-cache"], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300)


def test_the_contracts_are_kept() -> None:
    result = _lint(PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("store/terms.py", "from policygraph.web import app", "Faces over services"),
    ("query/registry.py", "from policygraph.planner import diff", "Faces over services"),
    ("cli/serve.py", "from policygraph.cli import main", "Sub-commands share"),
    ("web/views/element.py", "from policygraph.web.routes import home", "Web: the app factory"),
    ("query/trace.py", "from policygraph.query import reach", "No import cycles"),
])
def test_a_broken_contract_is_reported(tmp_path: Path, module: str, line: str,
                                       broken: str) -> None:
    copy = tmp_path / "policygraph"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text("utf-8") + f"\n{line}  # noqa\n", "utf-8")
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout
    reported = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert any(row.startswith(broken) for row in reported), result.stdout  # (a layer broken
    # upwards is often a cycle too)


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_past_the_size_limit() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in _modules()
            if (n := len(p.read_text("utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_is_past_the_size_limit() -> None:
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE)}:{node.name}"] = lines
    assert long == {}


def test_every_room_says_what_lives_there_and_what_it_may_import() -> None:
    rooms = sorted(p for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE)
    assert len(rooms) >= 9
    for init in rooms:
        doc = ast.get_docstring(ast.parse(init.read_text("utf-8"))) or ""
        name = str(init.parent.relative_to(PACKAGE))
        assert "May import" in doc or "may import" in doc, name


def test_one_http_client_of_sparql_servers() -> None:
    """Only store/remote/wire.py opens HTTP connections (the remote store and the endpoint's
    pass-through both send through it); the bench, which fetches the app's own pages, aside."""
    package = PACKAGE
    opening = re.compile(r"urlopen|build_opener|HTTPConnection|^\s*import (requests|httpx)"
                         r"|SPARQLWrapper", re.M)
    found = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                   if "bench" not in path.parts and opening.search(path.read_text("utf-8")))
    assert found == ["store/remote/wire.py"]
