"""Property-based fuzzing of what users hand the tool (issue 16): whatever the bytes of a Turtle
file or the text of a workbook cell, ``load`` and ``import`` end with a result or a message
(exit 0, 1 or 2), never a traceback, and a failure leaves the store exactly as it was."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policygraph.cli.main import main
from policygraph.planner.xlsx_export import PlanRows
from policygraph.planner.xlsx_write import write_csv_dir
from policygraph.store import OxigraphStore

TOKENS = [
    "@prefix pg: <https://w3id.org/policygraph/ontology#> .", "@prefix : <https://e.org/> .",
    "@base <https://e.org/> .", ":a", ":b", "<https://e.org/x>", "<javascript:alert(1)>",
    "<a b>", "<>", "pg:partOf", "pg:supports", "pg:Plan", "pg:planLevel", "pg:Level1",
    "pg:Alignment", "pg:fromElement", "pg:toElement", "pg:basis", "pg:Stated", "a", ".", ";",
    ",", "[", "]", "(", ")", '"x"', '"ยุทธศาสตร์"@th', '"""long\n"""', '"\\u0000"', '"\\uD800"',
    "'x'", "42", "-1.5e3", "1e", '"2024"^^<http://www.w3.org/2001/XMLSchema#gYear>',
    '"abc"^^<http://www.w3.org/2001/XMLSchema#integer>', "_:b1", "_:", "@th", "^^", "#c\n",
    "\n", " ", "\x00", "\ufeff", "\\", "<<", ">>", "{", "}", "GRAPH", "true",
]
TURTLE = st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join)
BYTES = st.one_of(st.binary(max_size=300), TURTLE.map(lambda text: text.encode("utf-8")),
                  st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")))
CELLS = st.one_of(st.text(max_size=60), st.sampled_from(
    ["", "-", "—", "๑.๑", "1e999", "NaN", "-5", "=1+1", "\x00", "\t", "\r\n", "ไม่ระบุ",
     "2567-13-45", "doc:doc:x", "<script>", "a" * 5000]))
FUZZ = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("fuzz") / "store"
    assert CliRunner().invoke(main, ["--store", str(path), "load"]).exit_code == 0
    yield path


def _state(path: Path) -> list[bytes]:
    with OxigraphStore(path, read_only=True) as opened:
        return sorted(opened.dump("nquads").splitlines())


def _clean(result: Result) -> None:
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


@FUZZ
@given(data=BYTES)
def test_load_of_any_bytes_ends_in_a_message(store: Path, tmp_path: Path, data: bytes) -> None:
    before = _state(store)
    path = tmp_path / "fuzz.ttl"
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["--store", str(store), "load", str(path)])
    _clean(result)
    if result.exit_code == 0:  # it was a conforming plan: take it out again
        _clean(CliRunner().invoke(main, ["--store", str(store), "drop",
                                         "https://w3id.org/policygraph/graph/fuzz"]))
    assert _state(store) == before


@FUZZ
@given(sheet=st.sampled_from(["Plan", "Hierarchy", "Budgets", "Schedule", "Alignments"]),
       row=st.integers(min_value=0, max_value=20), column=st.integers(min_value=0, max_value=9),
       value=CELLS)
def test_import_of_any_cell_ends_in_a_message(store: Path, tmp_path: Path, rows: PlanRows,
                                              sheet: str, row: int, column: int,
                                              value: str) -> None:
    sheets = copy.deepcopy(rows.sheets)
    table = sheets[sheet]
    cells = table[row % len(table)]
    key = sorted(cells)[column % len(cells)]
    cells[key] = value
    folder = tmp_path / "csv"
    write_csv_dir(sheets, folder)
    result = CliRunner().invoke(main, ["--store", str(store), "import", str(folder),
                                       "--dry-run", "--no-suggest"])
    _clean(result)
