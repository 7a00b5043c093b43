"""Tests for the store interface, its Oxigraph implementation and term conversion."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, XSD

from policygraph.errors import QueryError, StoreError, UnknownNameError
from policygraph.namespaces import GRAPH
from policygraph.store import DUMP_FORMATS, OxigraphStore, QueryResult, graph_triples
from policygraph.store.terms import to_oxigraph, to_rdflib
from tests.helpers import EX, snapshot

G1 = GRAPH["one"]
G2 = GRAPH["two"]
TRIPLES = [
    (EX.a, RDFS.label, Literal("ยุทธศาสตร์", lang="th")),
    (EX.a, RDFS.label, Literal("strategy", lang="en")),
    (EX.a, EX.weight, Literal("7", datatype=XSD.integer)),
    (EX.a, EX.start, Literal("2024-03-01", datatype=XSD.date)),
    (EX.a, EX.plain, Literal("plain")),
    (EX.a, EX.note, BNode("n1")),
    (BNode("n1"), RDFS.label, Literal("note")),
]


def test_replace_graph_writes_and_counts(store: OxigraphStore) -> None:
    assert store.replace_graph(G1, TRIPLES + TRIPLES[:2]) == len(TRIPLES)
    assert store.graphs() == [G1]
    assert store.triple_count(G1) == len(TRIPLES)
    assert store.triple_count() == len(TRIPLES)
    assert store.triple_count(G2) == 0


def test_replace_graph_replaces_not_appends(store: OxigraphStore) -> None:
    store.replace_graph(G1, TRIPLES)
    store.replace_graph(G2, TRIPLES[:1])
    store.replace_graph(G1, TRIPLES[:2])
    assert store.triple_count(G1) == 2
    assert store.triple_count(G2) == 1


def test_replace_with_nothing_drops_graph(store: OxigraphStore) -> None:
    store.replace_graph(G1, TRIPLES)
    assert store.replace_graph(G1, []) == 0
    assert store.graphs() == []


def test_query_select_returns_rdflib_terms_with_lang_and_datatype(store: OxigraphStore) -> None:
    store.replace_graph(G1, TRIPLES)
    result = store.query("SELECT ?subject ?p ?o WHERE { ?subject ?p ?o }", {"subject": EX.a})
    assert result.kind == "select"
    assert result.variables == ["subject", "p", "o"]
    objects = {row["o"] for row in result.rows}
    assert Literal("ยุทธศาสตร์", lang="th") in objects
    assert Literal("plain") in objects
    weight = next(row["o"] for row in result.rows if row["p"] == EX.weight)
    assert weight.datatype == XSD.integer and str(weight) == "7"
    assert any(isinstance(row["o"], BNode) for row in result.rows)


def test_oxigraph_canonicalises_valid_typed_literals(store: OxigraphStore) -> None:
    # Documented behaviour: "07"^^xsd:integer is stored as "7"; ill-typed ones stay verbatim.
    store.replace_graph(G1, [(EX.a, EX.n, Literal("07", datatype=XSD.integer, normalize=False)),
                             (EX.a, EX.m, Literal("x", datatype=XSD.integer, normalize=False))])
    values = {str(row["o"]) for row in store.query("SELECT ?o WHERE { ?s ?p ?o }").rows}
    assert values == {"7", "x"}


def test_default_graph_is_union_of_named_graphs(store: OxigraphStore) -> None:
    store.replace_graph(G1, TRIPLES[:1])
    store.replace_graph(G2, TRIPLES[1:2])
    result = store.query("SELECT ?o WHERE { ?s rdfs:label ?o }")  # PREFIX-less: PREFIXES apply
    assert len(result.rows) == 2
    per_graph = store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {row["g"] for row in per_graph.rows} == {G1, G2}


def test_unbound_values_are_none(store: OxigraphStore) -> None:
    store.replace_graph(G1, TRIPLES[:1])
    result = store.query(
        "SELECT ?s ?missing WHERE { ?s ?p ?o OPTIONAL { ?s <https://e.org/nope> ?missing } }"
    )
    assert result.rows == [{"s": EX.a, "missing": None}]


def test_ask_and_construct(store: OxigraphStore) -> None:
    store.replace_graph(G1, TRIPLES)
    assert store.query("ASK { ?s rdfs:label ?o }") == QueryResult(kind="ask", boolean=True)
    graph = store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert graph.kind == "graph"
    expected = Graph()
    for triple in TRIPLES:
        expected.add(triple)
    got = Graph()
    for triple in graph.triples:
        got.add(triple)
    assert isomorphic(got, expected)


def test_bindings_are_terms_not_text(store: OxigraphStore) -> None:
    store.replace_graph(G1, [(EX.x, RDFS.label, Literal('} ; DROP ALL ; "'))])
    before = snapshot(store)
    result = store.query(
        "SELECT ?s ?label WHERE { ?s rdfs:label ?label }", {"label": Literal('} ; DROP ALL ; "')}
    )
    assert [row["s"] for row in result.rows] == [EX.x]
    assert snapshot(store) == before


def test_invalid_sparql_and_updates_are_query_errors(store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match="invalid SPARQL"):
        store.query("SELECT WHERE {")
    with pytest.raises(QueryError):
        store.query("DROP ALL")
    with pytest.raises(QueryError, match="binding"):
        store.query("SELECT ?s WHERE { ?s ?p ?o }", {"not a var": EX.a})


def test_replace_graph_is_atomic_when_triples_fail_midway(store: OxigraphStore) -> None:
    store.replace_graph(G1, TRIPLES)
    before = snapshot(store)

    def exploding() -> Iterator[tuple]:
        yield (EX.new, RDFS.label, Literal("half-written"))
        raise RuntimeError("source broke")

    with pytest.raises(RuntimeError, match="source broke"):
        store.replace_graph(G1, exploding())
    assert snapshot(store) == before
    assert store.graphs() == [G1]
    assert "urn:x-policygraph:loading" not in store.dump("nquads").decode()


def test_replace_graphs_is_all_or_nothing(store: OxigraphStore) -> None:
    store.replace_graph(G1, TRIPLES[:1])
    before = snapshot(store)

    def exploding() -> Iterator[tuple]:
        yield TRIPLES[0]
        raise ValueError("second graph broke")

    with pytest.raises(ValueError):
        store.replace_graphs({G1: TRIPLES, G2: exploding()})
    assert snapshot(store) == before
    counts = store.replace_graphs({G1: TRIPLES, G2: TRIPLES[:3]})
    assert counts == {G1: len(TRIPLES), G2: 3}


def test_write_staged_streams_generated_graphs_all_or_nothing(tmp_path: Path) -> None:
    """A generated graph (the derived facts' way in) is written from its function's quads,
    into place when new and over the old content when it exists; a function that fails
    midway leaves every graph as it was."""
    with OxigraphStore(tmp_path / "store") as store:
        staged = ox.Store()
        staged.add(ox.Quad(*map(to_oxigraph, TRIPLES[0]), ox.NamedNode(str(G1))))  # type: ignore[misc]

        def made(count: int) -> Callable[[ox.NamedNode], Iterator[ox.Quad]]:
            def quads(graph: ox.NamedNode) -> Iterator[ox.Quad]:
                for n in range(count):
                    yield ox.Quad(ox.NamedNode(f"{EX}n{n}"), ox.NamedNode(str(RDFS.label)),
                                  ox.Literal(f"{n}"), graph)
            return quads

        assert store.write_staged(staged, [G1], generated={G2: made(3)}) == {G1: 1, G2: 3}
        assert store.write_staged(ox.Store(), [], generated={G2: made(2)}) == {G2: 2}
        assert sorted(str(o) for _, _, o in graph_triples(store, G2)) == ["0", "1"]
        before = snapshot(store)

        def broken(graph: ox.NamedNode) -> Iterator[ox.Quad]:
            yield from made(5)(graph)
            raise RuntimeError("facts broke")

        with pytest.raises(RuntimeError, match="facts broke"):
            store.write_staged(staged, [G1], generated={G2: broken})
        assert snapshot(store) == before
        assert "urn:x-policygraph:loading" not in store.dump("nquads").decode()


def test_invalid_terms_leave_store_untouched(store: OxigraphStore) -> None:
    store.replace_graph(G1, TRIPLES)
    before = snapshot(store)
    with pytest.raises(TypeError):
        store.replace_graph(G1, [(Literal("subject"), RDFS.label, Literal("x"))])
    with pytest.raises(StoreError, match="invalid IRI"):
        store.replace_graph(URIRef("https://x/g> } ; DROP ALL ; <y"), TRIPLES)
    with pytest.raises(StoreError, match="invalid IRI"):
        store.replace_graph(URIRef("relative"), TRIPLES)
    assert snapshot(store) == before


def test_drop_graph(store: OxigraphStore) -> None:
    store.replace_graph(G1, TRIPLES)
    store.replace_graph(G2, TRIPLES)
    store.drop_graph(G1)
    store.drop_graph(GRAPH["absent"])
    assert store.graphs() == [G2]


@pytest.mark.parametrize("fmt", DUMP_FORMATS)
def test_dump_round_trips(store: OxigraphStore, fmt: str) -> None:
    store.replace_graph(G1, TRIPLES)
    store.replace_graph(G2, [(EX.b, RDFS.label, Literal("บี", lang="th"))])
    rdflib_format = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
                     "jsonld": "json-ld"}[fmt]
    expected = Graph()
    for triple in TRIPLES:
        expected.add(triple)
    if fmt in ("nquads", "trig"):  # quad formats keep the graph name
        parsed = Dataset()
        parsed.parse(data=store.dump(fmt, G1), format=rdflib_format)
        assert {g.identifier for g in parsed.graphs() if len(g)} == {G1}
        one = parsed.graph(G1)
    else:
        one = Graph().parse(data=store.dump(fmt, G1), format=rdflib_format)
    assert isomorphic(one, expected)
    whole = Dataset()
    whole.parse(data=store.dump(fmt), format=rdflib_format)
    assert len(whole) == len(TRIPLES) + 1  # quads or union triples, either way all of them


def test_dump_unknown_format(store: OxigraphStore) -> None:
    with pytest.raises(UnknownNameError, match="valid: jsonld, nquads"):
        store.dump("rdfxml")


def test_graph_triples_reads_one_graph(store: OxigraphStore) -> None:
    store.replace_graph(G1, TRIPLES[:2])
    store.replace_graph(G2, TRIPLES[2:])
    assert set(graph_triples(store, G1)) == set(TRIPLES[:2])


def test_on_disk_store_persists(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with OxigraphStore(path) as disk:
        disk.replace_graph(G1, TRIPLES[:2])
    with OxigraphStore(path, read_only=True) as again:
        assert again.triple_count(G1) == 2
        with pytest.raises(StoreError, match="read-only"):
            again.replace_graph(G1, [])


def test_missing_store_is_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at .*policygraph load"):
        OxigraphStore(tmp_path / "nowhere", read_only=True)
    with pytest.raises(StoreError, match="no store at"):
        OxigraphStore(tmp_path / "nowhere", create=False)


def test_locked_store_in_same_process(tmp_path: Path) -> None:
    path = tmp_path / "store"
    first = OxigraphStore(path)
    with pytest.raises(StoreError) as info:
        OxigraphStore(path)
    assert str(path) in str(info.value)
    assert "in use" in str(info.value) and "--store" in str(info.value)
    first.close()
    with OxigraphStore(path) as reopened:
        assert reopened.graphs() == []


def test_locked_store_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "store"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, pyoxigraph
            store = pyoxigraph.Store({str(path)!r})
            print("ready", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="in use by another policygraph process"):
            OxigraphStore(path)
    finally:
        holder.communicate("", timeout=30)


def test_stale_staging_graphs_are_swept_on_open(tmp_path: Path) -> None:
    path = tmp_path / "store"
    raw = ox.Store(str(path))
    staging = ox.NamedNode("urn:x-policygraph:loading:deadbeef")
    raw.add(ox.Quad(ox.NamedNode(str(EX.a)), ox.NamedNode(str(RDFS.label)), ox.Literal("x"),
                    staging))
    raw.flush()
    del raw
    with OxigraphStore(path) as store:
        assert store.triple_count() == 0


def test_closed_store_refuses_work() -> None:
    store = OxigraphStore()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.graphs()


@pytest.mark.parametrize(
    "term",
    [
        URIRef("https://example.org/ns#x"),
        BNode("b0"),
        Literal("ไทย", lang="th"),
        Literal("plain"),
        Literal("007", datatype=XSD.integer, normalize=False),
        Literal("2567-03-01", datatype=XSD.string),
        Literal("x", datatype=URIRef("https://example.org/dt")),
    ],
)
def test_term_round_trip(term: object) -> None:
    back = to_rdflib(to_oxigraph(term))
    if isinstance(term, Literal) and term.datatype == XSD.string:
        assert back == Literal(str(term))  # xsd:string is the plain literal in RDF 1.1
    else:
        assert back == term and type(back) is type(term)


def test_unrepresentable_blank_node_ids_map_deterministically() -> None:
    first = to_oxigraph(BNode("not valid!"))
    assert isinstance(first, ox.BlankNode)
    assert first == to_oxigraph(BNode("not valid!"))
