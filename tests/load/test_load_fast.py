"""The embedded store's fast load path (pyoxigraph throughout) against the rdflib path."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from policygraph.endpoint.service import OxigraphService
from policygraph.endpoint.worker import Job, execute
from policygraph.errors import LoadError, ValidationFailed
from policygraph.load import loader, parsing
from policygraph.load.checks import check_files
from policygraph.load.derive import derive, derive_in_store
from policygraph.load.loader import load_many
from policygraph.load.validate import VALIDATOR
from policygraph.namespaces import DERIVED_GRAPH, GRAPH, PG
from policygraph.resources import data_files, ontology_files
from policygraph.settings import Settings
from policygraph.store import OxigraphStore, graph_triples, oxwrite
from policygraph.store.oxwrite import visible_graphs
from policygraph.store.terms import triple_to_rdflib
from tests.helpers import RESOURCES, snapshot

MINIMAL = RESOURCES / "minimal.ttl"
OTHER = RESOURCES / "other.ttl"
SHAPES = RESOURCES / "shapes"
BUNDLED = [*ontology_files(), *data_files()]


def _rdflib_derive(graph: Graph) -> Iterable[tuple]:
    return derive(graph)  # a plain function: the loader cannot take the fast path with it


def _rdflib_validate(data: Graph, context: Graph | None) -> object:
    return VALIDATOR(data, context)


def _graphs(store: OxigraphStore) -> dict[URIRef, Graph]:
    result = {}
    for name in store.graphs():
        graph = Graph()
        for triple in graph_triples(store, name):
            graph.add(triple)
        result[name] = graph
    return result


def test_fast_and_rdflib_paths_store_the_same_graphs() -> None:
    with OxigraphStore() as fast, OxigraphStore() as slow:
        fast_reports = load_many(fast, BUNDLED, validate=VALIDATOR, derive=derive)
        slow_reports = load_many(slow, BUNDLED, validate=_rdflib_validate,  # type: ignore[arg-type]
                                 derive=_rdflib_derive)
        assert fast_reports[0].steps is not None and slow_reports[0].steps is None
        assert [(r.graph, r.triples, r.warnings_report) for r in fast_reports] == \
            [(r.graph, r.triples, r.warnings_report) for r in slow_reports]
        fast_graphs, slow_graphs = _graphs(fast), _graphs(slow)
        assert fast_graphs.keys() == slow_graphs.keys()
        for name, graph in fast_graphs.items():
            assert isomorphic(graph, slow_graphs[name]), name


def test_fast_path_builds_no_rdflib_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the fast path went through rdflib")

    monkeypatch.setattr(loader, "prepare_file", refuse)
    monkeypatch.setattr(parsing, "parse_file", refuse)
    monkeypatch.setattr("policygraph.shacl.engine.rdflib_quads", refuse)
    with OxigraphStore() as store:
        reports = load_many(store, BUNDLED, validate=VALIDATOR, derive=derive)
        by_graph = {report.graph: report.triples for report in reports}
        assert by_graph[GRAPH["opdc-acp-2567"]] == store.triple_count(GRAPH["opdc-acp-2567"]) > 0
    steps = reports[0].steps or {}
    assert set(steps) == {"parse", "derive", "context", "validate", "write"}


def test_fast_path_errors_are_the_same(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.ttl"
    latin.write_bytes(b'<https://e/a> <https://e/p> "caf\xe9" .\n')
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix ex: <https://example.org/ns#> .\n", "utf-8")
    bom = tmp_path / "bom.ttl"
    bom.write_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    with OxigraphStore() as store:
        with pytest.raises(LoadError, match="not valid UTF-8") as info:
            load_many(store, [MINIMAL, latin], derive=derive)
        assert (info.value.line, info.value.column) == (1, 33)
        with pytest.raises(LoadError, match="no triples"):
            load_many(store, [empty], derive=derive)
        with pytest.raises(LoadError) as syntax:
            load_many(store, [RESOURCES / "invalid-syntax.ttl"], validate=VALIDATOR)
        assert (syntax.value.line, "Parser error" in syntax.value.message) == (5, False)
        assert store.graphs() == []
        assert load_many(store, [bom])[0].triples == 15


def test_a_violation_writes_nothing_and_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text((SHAPES / "valid-plan.ttl").read_text("utf-8")
                   + (SHAPES / "invalid-ScheduleShape.ttl").read_text("utf-8"), "utf-8")
    with OxigraphStore() as store:
        load_many(store, [MINIMAL])
        before = snapshot(store)
        with pytest.raises(ValidationFailed) as info:
            load_many(store, [*ontology_files(), bad], validate=VALIDATOR, derive=derive)
        assert snapshot(store) == before
    line = next(n for n, text in enumerate(bad.read_text("utf-8").splitlines(), 1)
                if text.startswith("ex:backwards-schedule"))
    assert info.value.file == bad and f"{bad}:{line}:" in info.value.report.text()


class _CountingDerive:
    """The project's derivation (both entry points), counting the graphs it is run on."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self, graph: Graph) -> Iterable[tuple]:
        self.runs += 1
        return derive(graph)

    def in_store(self, store: ox.Store, graph: ox.NamedNode) -> list[ox.Quad]:
        self.runs += 1
        return derive.in_store(store, graph)


def test_derivation_never_runs_on_data_that_failed_the_shapes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text((SHAPES / "valid-plan.ttl").read_text("utf-8")
                   + (SHAPES / "invalid-AlignmentShape.ttl").read_text("utf-8"), "utf-8")
    counting = _CountingDerive()
    with OxigraphStore() as store:
        load_many(store, ontology_files(), validate=VALIDATOR)
        before = snapshot(store)
        for validate in (VALIDATOR, _rdflib_validate):  # the fast path and the rdflib one
            with pytest.raises(ValidationFailed):
                load_many(store, [MINIMAL, bad], validate=validate,  # type: ignore[arg-type]
                          derive=counting)
            assert counting.runs == 0 and snapshot(store) == before
        load_many(store, [SHAPES / "valid-plan.ttl"], validate=VALIDATOR, derive=counting)
        assert counting.runs == 1
        assert store.query(f"ASK {{ ?a <{PG.supports}> ?b }}").boolean


def _in_store(path_or_graph: Graph) -> set[tuple]:
    store = ox.Store()
    name = ox.NamedNode("https://example.org/g")
    store.extend(ox.Quad(*(_ox(t) for t in triple), name)  # type: ignore[misc]
                 for triple in path_or_graph)
    return {triple_to_rdflib(q) for q in derive_in_store(store, name)}


def _ox(term: object) -> object:
    from policygraph.store.terms import to_oxigraph

    return to_oxigraph(term)


@pytest.mark.parametrize("path", [*data_files(), SHAPES / "valid-plan.ttl"],
                         ids=lambda path: path.stem)
def test_derive_in_store_is_derive(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert _in_store(graph) == set(derive(graph))


def test_in_plan_through_loops_does_not_depend_on_order() -> None:
    ex = "https://example.org/"
    links = [("x", "y"), ("y", "x"), ("y", "plan"), ("z", "x"), ("w", "w"), ("p2", "plan")]
    expected = {(URIRef(ex + n), PG.inPlan, URIRef(ex + "plan")) for n in ("x", "y", "z", "plan")}
    expected.add((URIRef(ex + "p2"), PG.inPlan, URIRef(ex + "p2")))  # a plan stops the chain
    for seed in range(6):
        shuffled = links[:]
        random.Random(seed).shuffle(shuffled)
        graph = Graph()
        for plan in ("plan", "p2"):
            graph.add((URIRef(ex + plan), PG.planLevel, PG.Level1))
        for child, parent in shuffled:
            graph.add((URIRef(ex + child), PG.partOf, URIRef(ex + parent)))
        assert set(derive(graph)) == expected
        assert _in_store(graph) == expected


_PAUSING = textwrap.dedent("""
    import sys
    from pathlib import Path
    from policygraph.load.derive import derive
    from policygraph.load.loader import load_many
    from policygraph.store import OxigraphStore, oxwrite

    def moment(name):
        # Say where the write is, then wait: the test kills the process here or lets it go on.
        print(name, flush=True)
        sys.stdin.readline()

    class Pausing:
        # The writer pool, writing one graph at a time with a moment after each.
        def __init__(self, max_workers): pass
        def __enter__(self):
            moment("journal")  # the journal is on disk, nothing written yet
            return self
        def __exit__(self, *exc): return False
        def map(self, write, graphs):
            for number, graph in enumerate(graphs, 1):
                write(graph)
                moment(f"graph-{number}")
            moment("written")  # every graph in place or staged; the swap comes next
            return []

    oxwrite.ThreadPoolExecutor = Pausing
    with OxigraphStore(Path(sys.argv[1])) as store:
        load_many(store, [Path(p) for p in sys.argv[2:]], derive=derive)
    print("done", flush=True)
""")
MOMENTS = ("journal", "graph-1", "graph-2", "written")


def _reader_sees(path: Path, before: set[str], answers: set[tuple[str, ...]], dumps: dict,
                 graphs: list[URIRef]) -> None:
    """A read-only open (as ``serve`` makes) answers the old state in every way it can be read."""
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    with OxigraphStore(path, read_only=True) as store:
        assert _answers(store.query(everything).rows) == answers
        assert store.graphs() == graphs
        assert store.triple_count() == len(before)
        assert not store.query(f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g NOT IN "
                               f"({', '.join(f'<{g}>' for g in graphs)})) }}").boolean
        visible = visible_graphs(store.oxigraph)
        job = Job(everything, None, True, None, None, "json", None, 100_000)
        reply = json.loads(execute(store.oxigraph, job, visible).body)
        assert len(reply["results"]["bindings"]) == len(before)
        assert {form: store.dump(form) for form in dumps} == dumps
        assert len(Dataset().parse(data=store.dump("jsonld"), format="json-ld")) == len(before)
        assert store.dump("nquads", GRAPH["other"]) == b""  # the new graph was never there
        service = OxigraphService(store, Settings(store=path), workers=1)  # Graph Store reads
        assert not service.graph_exists(ox.NamedNode(str(GRAPH["other"])))
        assert service.graph_exists(ox.NamedNode(str(GRAPH["minimal"])))
    copy = OxigraphStore.in_memory_copy(path)
    assert _answers(copy.query(everything).rows) == answers and copy.graphs() == graphs


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_load_killed_at_each_moment_of_its_write_leaves_the_old_state(
        tmp_path: Path, moment: str) -> None:
    """SIGKILL at each moment of the write, found by its steps (not by timing): then a read-only
    reader sees the old state, and the next writable open sweeps what the load left. (Not while
    the writer lives: pyoxigraph leaves a read-only open beside a writing process undefined.)"""
    path = tmp_path / "store"
    changed = tmp_path / "minimal.ttl"
    changed.write_text(MINIMAL.read_text("utf-8").replace("ex:weight 12 .", "ex:weight 13 ."))
    with OxigraphStore(path) as store:
        load_many(store, [MINIMAL], derive=derive)
        before = snapshot(store)
        answers = _answers(store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows)
        dumps = {form: store.dump(form) for form in ("nquads", "trig", "turtle")}
        graphs = store.graphs()
    script = tmp_path / "pausing.py"
    script.write_text(_PAUSING, "utf-8")
    # OTHER is new (written straight into place), minimal exists (written to staging), and the
    # derived facts change with both.
    child = subprocess.Popen([sys.executable, str(script), str(path), str(OTHER), str(changed)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdin is not None and child.stdout is not None
    try:
        seen = []
        while (line := child.stdout.readline().strip()) != moment:
            assert line in MOMENTS, (line, seen)
            seen.append(line)
            child.stdin.write("\n")
            child.stdin.flush()
        assert seen == list(MOMENTS[:MOMENTS.index(moment)])
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    _reader_sees(path, before, answers, dumps, graphs)
    with OxigraphStore(path) as store:  # the writable open sweeps what it left
        assert snapshot(store) == before
        assert {n.value for n in store.oxigraph.named_graphs()} == set(map(str, graphs))
        assert {form: store.dump(form) for form in dumps} == dumps


def test_a_load_let_through_every_moment_writes_the_new_state(tmp_path: Path) -> None:
    """The same load, not killed, passes every moment and writes the new graphs (so the moments
    above are the load's own)."""
    path = tmp_path / "store"
    with OxigraphStore(path) as store:
        load_many(store, [MINIMAL], derive=derive)
    script = tmp_path / "pausing.py"
    script.write_text(_PAUSING, "utf-8")
    changed = tmp_path / "minimal.ttl"
    changed.write_text(MINIMAL.read_text("utf-8").replace("ex:weight 12 .", "ex:weight 13 ."))
    done = subprocess.run([sys.executable, str(script), str(path), str(OTHER), str(changed)],
                          input="\n" * 20, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [*MOMENTS, "done"]
    with OxigraphStore(path, read_only=True) as store:
        assert store.graphs() == sorted([GRAPH["minimal"], GRAPH["other"], DERIVED_GRAPH])
        assert store.triple_count(GRAPH["other"]) > 0


def _answers(rows: Iterable[dict[str, object]]) -> set[tuple[str, ...]]:
    return {tuple(str(row[v]) for v in ("s", "p", "o")) for row in rows}


class _Failing:
    """A writer pool that writes the first graph, then fails as a full disk would."""

    def __init__(self, max_workers: int) -> None:
        pass

    def __enter__(self) -> _Failing:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(self, write: object, graphs: Iterable[URIRef]) -> list[None]:
        first = next(iter(graphs))
        write(first)  # type: ignore[operator]
        raise OSError("No space left on device")


def test_a_failed_write_leaves_the_previous_graphs(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    changed = tmp_path / "minimal.ttl"
    changed.write_text(MINIMAL.read_text("utf-8").replace("ex:weight 12 .", "ex:weight 13 ."))
    with OxigraphStore(tmp_path / "store") as store:
        load_many(store, [MINIMAL])
        before = snapshot(store)
        monkeypatch.setattr(oxwrite, "ThreadPoolExecutor", _Failing)
        with pytest.raises(OSError, match="No space"):
            load_many(store, [OTHER, changed])
        assert snapshot(store) == before
        assert {n.value for n in store.oxigraph.named_graphs()} == {str(GRAPH["minimal"])}


def test_reloading_on_disk_replaces_graphs_and_leaves_nothing_behind(tmp_path: Path) -> None:
    files = {path.stem: path for path in BUNDLED}
    with OxigraphStore(tmp_path / "store") as store:
        load_many(store, BUNDLED, validate=VALIDATOR, derive=derive)
        before = _graphs(store)
        changed = tmp_path / "opdc-acp-2567.ttl"
        changed.write_text(files["opdc-acp-2567"].read_text("utf-8").replace(
            "ยุทธศาสตร์", "ยุทธศาสตร์ใหม่", 1), "utf-8")
        reports = load_many(store, [files["organisations"], changed], validate=VALIDATOR,
                            derive=derive)
        after = _graphs(store)
        assert store.graphs() == sorted(before)
        assert {n.value for n in store.oxigraph.named_graphs()} == {str(g) for g in before}
        assert isomorphic(after[GRAPH["organisations"]], before[GRAPH["organisations"]])
        assert not isomorphic(after[GRAPH["opdc-acp-2567"]], before[GRAPH["opdc-acp-2567"]])
        assert reports[1].triples == store.triple_count(GRAPH["opdc-acp-2567"])
        assert all(isomorphic(after[g], before[g]) for g in before
                   if g not in (GRAPH["opdc-acp-2567"],))


def test_check_files_takes_the_fast_path_with_and_without_a_store(
        bundled_store: OxigraphStore) -> None:
    files = {path.stem: path for path in data_files()}
    [(path, report)] = check_files(bundled_store, [files["opdc-acp-2567"]], validate=VALIDATOR)
    assert report.conforms and len(report.warnings) == 1  # its context comes from the store
    [(_, alone)] = check_files(None, [files["opdc-acp-2567"]], validate=VALIDATOR)
    assert not alone.conforms  # links to the other plans cannot resolve without them
    assert bundled_store.triple_count(GRAPH["opdc-acp-2567"]) > 0


def test_every_alignment_supports_link_is_derived_on_the_fast_path() -> None:
    with OxigraphStore() as store:
        load_many(store, BUNDLED, validate=VALIDATOR, derive=derive)
        alignments = store.query("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pg:Alignment }")
        supports = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s pg:supports ?o }")
        plans = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?p pg:inPlan ?p }")
    assert int(supports.rows[0]["n"]) >= int(alignments.rows[0]["n"]) > 0
    assert int(plans.rows[0]["n"]) > 0
