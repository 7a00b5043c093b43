"""Tests for the click CLI: exit codes, messages and output, on real on-disk stores."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result
from rdflib import Graph
from rdflib.compare import isomorphic

from policygraph import __version__
from policygraph.cli.context import AppContext
from policygraph.cli.main import main
from policygraph.config import default_store_path
from policygraph.load.checks import ValidateFn
from policygraph.store import OxigraphStore
from tests.helpers import QUERIES, RESOURCES, conforming, rejects_hostile

MINIMAL = str(RESOURCES / "minimal.ttl")
OTHER = str(RESOURCES / "other.ttl")
HOSTILE = str(RESOURCES / "hostile.ttl")
INVALID = str(RESOURCES / "invalid-syntax.ttl")


def run(store: Path, *args: str, validate: ValidateFn = conforming) -> Result:
    """Invoke the CLI on ``store`` with test callables injected."""
    app = AppContext(validate=validate, derive=lambda graph: [], queries_dir=QUERIES,
                     build_graph=lambda s: nx.DiGraph([("a", "b")]))
    return CliRunner().invoke(main, ["--store", str(store), *args], obj=app)


def assert_clean_error(result: Result, code: int, *fragments: str) -> None:
    """The command failed with ``code``, an ``error:`` line and no traceback."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """An on-disk store with minimal.ttl and other.ttl loaded."""
    path = tmp_path / "store"
    result = run(path, "load", MINIMAL, OTHER)
    assert result.exit_code == 0, result.output
    return path


def test_version_and_help() -> None:
    assert __version__ in CliRunner().invoke(main, ["--version"]).output
    help_text = CliRunner().invoke(main, ["--help"]).output
    for command in ("load", "validate", "query", "export"):
        assert command in help_text
    assert "POLICYGRAPH_STORE" in help_text
    assert "Examples:" in CliRunner().invoke(main, ["query", "--help"]).output


def test_load_prints_graph_triples_seconds_and_total(tmp_path: Path) -> None:
    result = run(tmp_path / "store", "load", MINIMAL, OTHER)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("https://w3id.org/policygraph/graph/minimal")
    assert "15 triples" in lines[0] and lines[0].endswith(" s")
    assert lines[-1].startswith("total: 2 file(s), 20 triples")


def dump(store: Path) -> set[bytes]:
    """The whole store as a set of N-Quads lines, via the CLI."""
    return set(run(store, "export", "-f", "nquads").stdout_bytes.splitlines())


def test_load_syntax_error_is_exit_2_with_location(store_path: Path) -> None:
    before = dump(store_path)
    result = run(store_path, "load", MINIMAL, INVALID)
    assert_clean_error(result, 2, f"error: {INVALID}:5:", "Turtle syntax error")
    assert dump(store_path) == before


def test_load_non_conforming_is_exit_1_and_writes_nothing(store_path: Path) -> None:
    before = dump(store_path)
    result = run(store_path, "load", HOSTILE, validate=rejects_hostile)
    assert_clean_error(result, 1, "ex:Hostile is not allowed", "nothing was written")
    assert dump(store_path) == before
    assert run(store_path, "query", "has-type", "-p",
               "type=https://example.org/ns#Hostile").stdout == "false\n"


def test_load_into_locked_store_is_clear_error(store_path: Path) -> None:
    holder = OxigraphStore(store_path)
    try:
        result = run(store_path, "load", HOSTILE)
        assert_clean_error(result, 2, f"error: the store at {store_path} is in use", "--store")
        # Reads open the store read-only, so they still work while a writer holds it.
        assert run(store_path, "query", "count-by-type").exit_code == 0
    finally:
        holder.close()


def test_query_table_csv_json(store_path: Path) -> None:
    table = run(store_path, "query", "labels")
    assert table.exit_code == 0, table.output
    assert "ยุทธศาสตร์ชาติด้านความมั่นคง" in table.stdout_bytes.decode("utf-8")
    assert "—" in table.stdout  # goal2 has no Thai label
    assert "(4 rows)" in table.stderr
    rows = list(csv.reader(io.StringIO(run(store_path, "query", "labels", "-f", "csv").stdout)))
    assert rows[0] == ["thing", "type", "label"] and len(rows) == 5
    document = json.loads(run(store_path, "query", "labels", "-p", "lang=en", "--format",
                              "json").stdout)
    assert document["head"]["vars"] == ["thing", "type", "label"]


def test_query_params_with_thai_date(store_path: Path) -> None:
    result = run(store_path, "query", "started-before", "-p", "before=2 มี.ค. 67", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 3


def test_unknown_query_lists_valid_names(store_path: Path) -> None:
    result = run(store_path, "query", "nope")
    assert_clean_error(result, 2, "error: unknown query 'nope'; valid: by-label, contributors")


def test_unknown_param_lists_valid_params(store_path: Path) -> None:
    result = run(store_path, "query", "labels", "-p", "language=en")
    assert_clean_error(result, 2, "error: unknown param 'language'; valid: lang")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("query", "contributors"), "needs --param target=<iri>"),
        (("query", "contributors", "-p", "target"), "must look like NAME=VALUE"),
        (("query", "contributors", "-p", "target=not an iri"), "expected an absolute IRI"),
        (("query", "labels", "-p", "lang=th", "-p", "lang=en"), "given twice"),
        (("query",), "give a query NAME"),
        (("export", "-g", "nope"),
         "unknown graph 'nope'; valid: https://w3id.org/policygraph/derived, minimal, other"),
        (("export", "-f", "graphml", "-g", "minimal"), "drop --graph"),
    ],
)
def test_user_errors_exit_2(store_path: Path, args: tuple[str, ...], message: str) -> None:
    assert_clean_error(run(store_path, *args), 2, message)


def test_query_on_missing_store(tmp_path: Path) -> None:
    result = run(tmp_path / "nowhere", "query", "labels")
    assert_clean_error(result, 2, "error: no store at", "policygraph load")
    assert not (tmp_path / "nowhere").exists()


def test_query_list(tmp_path: Path) -> None:
    result = run(tmp_path / "unused", "query", "--list")
    assert result.exit_code == 0, result.output
    assert "labels  —  Every typed thing with its label" in result.stdout
    assert "-p lang=<lang>  (optional, default th)  Preferred label language." in result.stdout
    assert "returns: thing, type, label" in result.stdout


def test_validate_exit_codes(store_path: Path, tmp_path: Path) -> None:
    ok = run(store_path, "validate", MINIMAL, HOSTILE)
    assert ok.exit_code == 0 and f"{HOSTILE}: conforms" in ok.stdout
    bad = run(store_path, "validate", MINIMAL, HOSTILE, validate=rejects_hostile)
    assert bad.exit_code == 1
    assert f"{HOSTILE}: DOES NOT CONFORM" in bad.stdout and "not allowed" in bad.stdout
    assert_clean_error(run(store_path, "validate", INVALID), 2, "invalid-syntax.ttl:5:")
    assert run(tmp_path / "no-store", "validate", MINIMAL).exit_code == 0  # no store needed


def test_validate_store_contents(store_path: Path, tmp_path: Path) -> None:
    result = run(store_path, "validate", "-v")
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/policygraph/graph/minimal: conforms" in result.stdout
    assert run(store_path, "load", HOSTILE).exit_code == 0
    assert run(store_path, "validate", validate=rejects_hostile).exit_code == 1
    empty = tmp_path / "empty"
    OxigraphStore(empty).close()
    assert_clean_error(run(empty, "validate"), 2, "the store is empty")


def test_export_to_file_and_stdout(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    result = run(store_path, "export", "-g", "minimal", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert isomorphic(Graph().parse(out, format="turtle"),
                      Graph().parse(MINIMAL, format="turtle"))
    nquads = run(store_path, "export", "-f", "nquads")
    assert nquads.exit_code == 0
    assert nquads.stdout_bytes.decode("utf-8").count("graph/other>") == 5
    graphml = run(store_path, "export", "-f", "graphml")
    assert graphml.exit_code == 0 and b"<graphml" in graphml.stdout_bytes


def test_store_from_environment(tmp_path: Path) -> None:
    path = tmp_path / "env-store"
    app = AppContext(validate=conforming, derive=lambda graph: [], queries_dir=QUERIES)
    result = CliRunner().invoke(main, ["load", MINIMAL], obj=app,
                                env={"POLICYGRAPH_STORE": str(path)})
    assert result.exit_code == 0, result.output
    assert (path / "CURRENT").exists()


def test_default_store_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POLICYGRAPH_STORE", str(tmp_path / "explicit"))
    assert default_store_path() == tmp_path / "explicit"
    monkeypatch.delenv("POLICYGRAPH_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_store_path() == tmp_path / "xdg" / "policygraph" / "store"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_store_path() == tmp_path / "home" / ".local/share/policygraph/store"


@pytest.mark.parametrize(("stem", "graph"), [
    ("a b", "a%20b"), ("%zz", "%25zz"), ("%41ok", "%41ok"), ("back\\slash", "back%5Cslash"),
    ("back`tick", "back%60tick"), ("caret^", "caret%5E"), ('quo"te', "quo%22te"),
    ("new\nline", "new%0Aline"), ("curly{x}|y", "curly%7Bx%7D%7Cy"), ("q?x#y", "q%3Fx%23y"),
    ("แผน ๒๕๖๗", "แผน%20๒๕๖๗"), ("plain-name_1.v2", "plain-name_1.v2"),
])
def test_any_file_name_loads_into_a_valid_graph(tmp_path: Path, stem: str, graph: str) -> None:
    """A file stem an IRI cannot hold is percent-encoded into its graph's name (the same name
    each time, so loading the file again replaces its graph); a valid stem is unchanged."""
    from policygraph.load.parsing import graph_iri
    from policygraph.store.terms import checked_iri

    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / f"{stem}.ttl"
    path.write_text(Path(MINIMAL).read_text(encoding="utf-8"), encoding="utf-8")
    assert str(graph_iri(path)) == f"https://w3id.org/policygraph/graph/{graph}"
    checked_iri(graph_iri(path))  # a valid IRI: no error
    for _ in range(2):
        result = run(tmp_path / "store", "load", str(path))
        assert result.exit_code == 0, result.output + result.stderr
        assert "Traceback" not in result.output + result.stderr
    with OxigraphStore(tmp_path / "store", read_only=True) as store:
        names = [str(g) for g in store.graphs() if "/graph/" in str(g)]
        assert names == [f"https://w3id.org/policygraph/graph/{graph}"]


def test_a_term_past_the_parsers_limit_is_refused_with_its_line(tmp_path: Path) -> None:
    """pyoxigraph's Turtle parser reads terms of up to 16 MiB: a longer literal is a message
    naming the file and line (exit 2), in load and validate, and nothing is written; one
    under the limit loads."""
    from policygraph.load.parsing import MAX_TERM_BYTES

    store = tmp_path / "store"
    assert run(store, "load", MINIMAL).exit_code == 0
    exported = run(store, "export", "-f", "nquads")
    before = exported.output
    assert exported.exit_code == 0 and "ยุทธศาสตร์ชาติ" in before
    huge = tmp_path / "huge.ttl"
    huge.write_text('@prefix ex: <https://example.org/ns#> .\n\nex:a ex:note "'
                    + "ก" * (MAX_TERM_BYTES // 3 + 10) + '" .\n', encoding="utf-8")
    for command in ("load", "validate"):
        result = run(store, command, str(huge))
        assert_clean_error(result, 2, f"{huge}:3:", "16 MiB")
    assert run(store, "export", "-f", "nquads").output == before
    large = tmp_path / "large.ttl"
    large.write_text('@prefix ex: <https://example.org/ns#> .\nex:a ex:note "'
                     + "x" * 2_000_000 + '" .\n', encoding="utf-8")
    assert run(store, "load", str(large)).exit_code == 0
