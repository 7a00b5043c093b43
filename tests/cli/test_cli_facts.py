"""The derived facts on the command line: `validate` checks them, `derive` makes them again,
`drop` removes graphs with their facts, and a store without them says so."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from policygraph.cli.context import AppContext
from policygraph.cli.main import main
from policygraph.load.derive import derive
from policygraph.load.materialise import check_facts
from policygraph.namespaces import DERIVED_GRAPH
from policygraph.store import OxigraphStore
from tests.helpers import conforming

PLAN = """@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix : <https://w3id.org/policygraph/id/cli-facts/> .
:plan a pg:Plan ; pg:planLevel pg:Level3 .
:s1 a pg:Strategy ; pg:partOf :plan .
:s1-a1 a pg:Activity ; pg:partOf :s1 .
"""
ABOVE = """@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix : <https://w3id.org/policygraph/id/cli-facts/> .
:ns a pg:Plan ; pg:planLevel pg:Level1 .
:ns-s1 a pg:Strategy ; pg:partOf :ns .
:link a pg:Alignment ; pg:fromElement :plan ; pg:toElement :ns-s1 ; pg:basis pg:Stated .
"""


def run(store: Path, *args: str) -> Result:
    app = AppContext(validate=conforming, derive=derive)
    return CliRunner().invoke(main, ["--store", str(store), *args], obj=app)


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    (tmp_path / "plan.ttl").write_text(PLAN)
    (tmp_path / "above.ttl").write_text(ABOVE)
    store = tmp_path / "store"
    result = run(store, "load", str(tmp_path / "plan.ttl"), str(tmp_path / "above.ttl"))
    assert result.exit_code == 0, result.output
    return store


def _reaches(store: Path) -> int:
    with OxigraphStore(store, read_only=True) as opened:
        return len(opened.query("SELECT ?e ?t WHERE { ?e pg:reachesStated ?t }").rows)


def test_validate_checks_the_facts_and_derive_mends_them(loaded: Path) -> None:
    ok = run(loaded, "validate")
    assert ok.exit_code == 0 and "derived facts: current" in ok.stdout
    with OxigraphStore(loaded) as store:  # an edit behind policygraph's back
        store.oxigraph.update(
            "DELETE WHERE { GRAPH ?g { ?a <https://w3id.org/policygraph/ontology#basis> ?b } }")
    stale = run(loaded, "validate")
    assert stale.exit_code == 1 and "derived facts: OUT OF DATE" in stale.stdout
    assert "run 'policygraph derive'" in stale.stdout
    mended = run(loaded, "derive")
    assert mended.exit_code == 0 and f"{DERIVED_GRAPH}:" in mended.stdout
    assert run(loaded, "validate").exit_code == 0


def test_drop_removes_graphs_and_their_facts(loaded: Path) -> None:
    assert _reaches(loaded) == 4 + 3 + 2 + 1  # from s1-a1, s1, plan and ns-s1 up to ns
    result = run(loaded, "drop", "above")
    assert result.exit_code == 0 and "dropped https://w3id.org/policygraph/graph/above" in \
        result.stdout
    assert _reaches(loaded) == 3  # s1-a1 -> s1, plan; s1 -> plan
    unknown = run(loaded, "drop", "nonesuch")
    assert unknown.exit_code == 2 and "nonesuch" in unknown.stderr
    derived = run(loaded, "drop", str(DERIVED_GRAPH))
    assert derived.exit_code == 2 and "derived from the other graphs" in derived.stderr
    with OxigraphStore(loaded, read_only=True) as store:
        assert check_facts(store).current


def test_a_store_without_facts_warns_when_read_and_gets_them_when_written(loaded: Path) -> None:
    with OxigraphStore(loaded) as store:  # as an older policygraph left it
        store.oxigraph.remove_graph(ox.NamedNode(str(DERIVED_GRAPH)))
    read = run(loaded, "export", "-f", "nquads")
    assert "has no derived facts" in read.stderr and "policygraph derive" in read.stderr
    assert run(loaded, "drop", "plan").exit_code == 0  # any writable open derives them
    with OxigraphStore(loaded, read_only=True) as store:
        assert DERIVED_GRAPH in store.graphs() and check_facts(store).current


@pytest.mark.parametrize("bad", ['pg:fromElement "text"', "pg:fromElement 42",
                                 'pg:toElement "text" ; pg:fromElement :s1'])
def test_a_literal_where_an_element_belongs_is_a_finding_not_a_crash(tmp_path: Path,
                                                                      bad: str) -> None:
    """A literal where an alignment names an element is the shapes' to report (exit 1), before
    anything is derived: nothing is written, and there is no traceback, in ``validate`` and in
    ``load`` with the project's shapes."""
    store = tmp_path / "store"
    assert CliRunner().invoke(main, ["--store", str(store), "load"]).exit_code == 0
    path = tmp_path / "bad-link.ttl"
    to = "" if "toElement" in bad else " ; pg:toElement <https://w3id.org/policygraph/id/ns/s6>"
    path.write_text(PLAN + f":link a pg:Alignment ; {bad}{to} ; pg:basis pg:Stated .\n",
                    encoding="utf-8")
    with OxigraphStore(store, read_only=True) as opened:
        before = opened.dump("nquads")
    for command in ("validate", "load"):
        result = CliRunner().invoke(main, ["--store", str(store), command, str(path)])
        assert result.exit_code == 1, (command, result.output, result.stderr)
        assert "Traceback" not in result.output + result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "alignment" in (result.output + result.stderr).lower(), result.output
    with OxigraphStore(store, read_only=True) as opened:
        assert opened.dump("nquads") == before
