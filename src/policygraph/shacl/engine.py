"""SHACL validation as SPARQL on pyoxigraph: the validator loads and ``validate`` use.

The shapes (``ontology/shapes*.ttl``) are compiled to SPARQL (:mod:`policygraph.shacl.sparql`)
and run over an in-memory pyoxigraph store holding the data, its context and the ontology;
the rows become the same :class:`~policygraph.shacl.findings.Finding` objects, in the same words,
that :mod:`policygraph.load.validate` makes from pySHACL's report. pySHACL remains the reference:
``tests/shacl/test_validate_equivalence.py`` checks both give the same findings on every fixture,
the bundled data and synthetic data with planted errors.

Two entry points: :meth:`SparqlValidator.check_dataset` validates named graphs already in a
pyoxigraph store (the embedded store's load path: nothing goes through rdflib), and calling
the validator on rdflib graphs (the :data:`~policygraph.load.checks.ValidateFn` interface, used
by the importer and by loads into a remote store) copies them into such a store first.

Where the two validators differ (none of it arises with conforming data or the fixtures):

- values are shown as the store keeps them: numbers and dates in canonical form ("-5" where
  the file says "-5.00"); pySHACL shows the file's spelling;
- ``sh:lessThanOrEquals`` with a blank node is a violation here; pySHACL stops with an error;
- an ``sh:sparql`` query runs once with ``$this`` unbound and its rows are kept for the focus
  nodes, which equals pySHACL's pre-binding for queries that project ``$this`` and use it in
  plain patterns and filters (all of ours); a query not projecting ``$this`` is refused;
- a length or pattern test on a typed literal would see the canonical form (our shapes only
  apply them to strings).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from policygraph.shacl.findings import Finding, ValidationReport, label_of, short_name
from policygraph.shacl.literals import violates
from policygraph.shacl.shapes import load_shapes, reporting_shapes
from policygraph.shacl.sparql import Check, Test, compile_checks, sparql_term
from policygraph.store.terms import to_oxigraph, to_rdflib

__all__ = ["ONTOLOGY_GRAPH", "SparqlValidator", "rdflib_quads"]

#: Where the validator puts the ontology in the validation store (pySHACL's ``ont_graph``).
ONTOLOGY_GRAPH = ox.NamedNode("urn:x-policygraph:validation:ontology")
_DATA = "urn:x-policygraph:validation:data:"
_CONTEXT = ox.NamedNode("urn:x-policygraph:validation:context")
_SUBCLASSES = f"SELECT DISTINCT ?k WHERE {{{{ ?k <{RDFS.subClassOf}>* {{}} }}}}"
_LABEL = ox.NamedNode(str(SKOS.prefLabel))
#: Checks run side by side on this many threads.
_WORKERS = max(1, min(4, os.cpu_count() or 1))

GraphName = ox.NamedNode | ox.BlankNode


@dataclass(frozen=True)
class _Result:
    test: Test
    focus: object
    value: object | None


class SparqlValidator:
    """Validate with the project's shapes compiled to SPARQL (see the module docstring).

    Args:
        shapes_dir: Where ``shapes*.ttl`` and the ontology are; None for the bundled ones.
    """

    def __init__(self, shapes_dir: Path | None = None) -> None:
        self.shapes_dir = shapes_dir

    def __call__(self, data: Graph, context: Graph | None) -> ValidationReport:
        """Validate one rdflib graph, ``context`` available for references."""
        return self.many([data], context)[0]

    def many(self, graphs: Sequence[Graph], context: Graph | None) -> list[ValidationReport]:
        """Validate several rdflib graphs in one run; each report holds its own subjects'."""
        store = ox.Store()
        blanks: dict[str, BNode] = {}
        names = [ox.NamedNode(f"{_DATA}{i}") for i in range(len(graphs))]
        for name, graph in zip(names, graphs, strict=True):
            store.extend(rdflib_quads(graph, name, blanks))
        if context is not None:
            store.extend(rdflib_quads(context, _CONTEXT, blanks))
        reports = self.check_dataset(store, names)
        return [_restore_blanks(report, blanks) for report in reports]

    def check_dataset(self, store: ox.Store,
                      checked: Sequence[GraphName]) -> list[ValidationReport]:
        """Validate the named graphs ``checked`` of ``store``, all its graphs as context.

        The union of the store's graphs is the data graph; the ontology is added to the store
        (as :data:`ONTOLOGY_GRAPH`) if it is not there yet. Each report holds the findings
        whose focus node is a subject in that graph, as :func:`validate.validate_graphs` does.
        """
        shapes, ontology = load_shapes(self.shapes_dir)
        if not store.contains_named_graph(ONTOLOGY_GRAPH):
            store.extend(_ontology_quads(ontology))
        checks = compile_checks(reporting_shapes(shapes), _Closure(store))
        # pyoxigraph evaluates without the GIL: run the checks side by side, SPARQL
        # constraints (the slowest) first.
        checks.sort(key=lambda check: check.sparql is None)
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            found = list(pool.map(lambda check: _run(store, check), checks))
        return _reports(store, [result for results in found for result in results], checked)


@lru_cache(maxsize=4)
def _ontology_quads(ontology: Graph) -> tuple[ox.Quad, ...]:
    return tuple(rdflib_quads(ontology, ONTOLOGY_GRAPH, {}))


def rdflib_quads(graph: Iterable[tuple[Node, Node, Node]], name: GraphName,
                 blanks: dict[str, BNode]) -> Iterator[ox.Quad]:
    """The triples of an rdflib graph as quads in ``name``; ``blanks`` maps back blank nodes."""
    cache: dict[Node, object] = {}

    def convert(term: Node) -> object:
        found = cache.get(term)
        if found is None:
            found = cache[term] = to_oxigraph(term)
            if isinstance(term, BNode) and isinstance(found, ox.BlankNode):
                blanks[found.value] = term
        return found

    for s, p, o in graph:
        yield ox.Quad(convert(s), convert(p), convert(o), name)  # type: ignore[arg-type]


def _restore_blanks(report: ValidationReport, blanks: dict[str, BNode]) -> ValidationReport:
    if not any(isinstance(f.focus, BNode) for f in report.findings):
        return report
    from dataclasses import replace

    return ValidationReport(findings=[
        replace(f, focus=blanks.get(str(f.focus), f.focus)) if isinstance(f.focus, BNode) else f
        for f in report.findings])


class _Closure:
    """Each class with its subclasses, read from the validation store (once per class)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.cache: dict[URIRef, list[URIRef]] = {}

    def __call__(self, cls: URIRef) -> list[URIRef]:
        if cls not in self.cache:
            rows = self.store.query(_SUBCLASSES.format(sparql_term(cls)),
                                    use_default_graph_as_union=True)
            found = {URIRef(row["k"].value) for row in _solutions(rows)
                     if isinstance(row["k"], ox.NamedNode)}
            self.cache[cls] = sorted(found | {cls})
        return self.cache[cls]


def _solutions(result: object) -> Iterator[ox.QuerySolution]:
    if isinstance(result, ox.QuerySolutions):
        yield from result


def _run(store: ox.Store, check: Check) -> list[_Result]:
    if check.sparql is not None:
        return list(_run_sparql(store, check))
    results: list[_Result] = []
    for row in _solutions(store.query(check.query, use_default_graph_as_union=True)):
        branch = row["b"]
        tests = check.tests.get(int(branch.value), ()) if isinstance(branch, ox.Literal) else ()
        for test in tests:
            flag = row[test.var]
            if isinstance(flag, ox.Literal) and flag.value == "true":
                continue
            results.extend(_results(store, test, row))
    return results


def _results(store: ox.Store, test: Test, row: ox.QuerySolution) -> Iterator[_Result]:
    focus = row["this"]
    if test.unique_lang is not None:
        # One result per language used more than once, as pySHACL reports.
        yield from (_Result(test, focus, None) for _ in _repeated_languages(store, focus, test))
        return
    if test.decide is not None:
        value, other = row["v"], row["w"]
        if value is not None and violates(test.decide, to_rdflib(value),
                                          to_rdflib(other) if other is not None else None):
            yield _Result(test, focus, value)
        return
    value = row["v"] if test.value == "v" else focus if test.value == "focus" else None
    yield _Result(test, focus, value)


def _repeated_languages(store: ox.Store, focus: object, test: Test) -> list[str]:
    path = test.unique_lang
    assert path is not None and isinstance(focus, (ox.NamedNode, ox.BlankNode))
    predicate = ox.NamedNode(path.predicate)
    quads = (store.quads_for_pattern(None, predicate, focus, None) if path.inverse
             else store.quads_for_pattern(focus, predicate, None, None))
    values = {quad.subject if path.inverse else quad.object for quad in quads}
    seen: dict[str, int] = {}
    for value in values:
        if isinstance(value, ox.Literal) and value.language:
            seen[value.language.lower()] = seen.get(value.language.lower(), 0) + 1
    return [lang for lang, count in seen.items() if count > 1]


def _run_sparql(store: ox.Store, check: Check) -> Iterator[_Result]:
    # pySHACL pre-binds $this per focus node; with $this projected, one run over all nodes
    # and keeping the focus nodes' rows gives the same rows for queries like ours.
    sparql = check.sparql
    assert sparql is not None
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sparql.prefixes)
    result = store.query(prefixes + sparql.select, use_default_graph_as_union=True)
    if not isinstance(result, ox.QuerySolutions):
        raise ValueError(f"{sparql.node}: sh:select must be a SELECT query")
    variables = [v.value for v in result.variables]
    rows = list(result)
    if not rows:
        return
    focus_rows = _solutions(store.query(check.focus, use_default_graph_as_union=True))
    focus = {row["this"] for row in focus_rows}
    if "this" not in variables:
        raise ValueError(f"{sparql.node}: the SELECT query must project $this")
    seen: set[tuple[object, ...]] = set()
    for row in rows:
        key = tuple(row[v] for v in variables)
        this = row["this"]
        if this is None or this not in focus or key in seen:
            continue
        seen.add(key)
        value = row["value"] if "value" in variables else None
        assert check.sparql_test is not None
        yield _Result(check.sparql_test, this, value if value is not None else this)


def _reports(store: ox.Store, results: list[_Result],
             checked: Sequence[GraphName]) -> list[ValidationReport]:
    by_focus: dict[object, list[_Result]] = {}
    for result in results:
        by_focus.setdefault(result.focus, []).append(result)
    labels: dict[object, str] = {}
    reports = []
    for graph in checked:
        findings = []
        for focus, items in by_focus.items():
            if not _reported_in(store, focus, graph):
                continue
            if focus not in labels:
                labels[focus] = (_label(store, focus)
                                 if isinstance(focus, (ox.NamedNode, ox.BlankNode)) else "")
            findings += [_finding(item, labels[focus]) for item in items]
        findings.sort(key=lambda f: (f.severity != "violation", str(f.focus), f.path,
                                     f.message_en, f.value))
        reports.append(ValidationReport(findings=findings))
    return reports


def _reported_in(store: ox.Store, focus: object, graph: GraphName) -> bool:
    """Whether a finding on ``focus`` belongs to the report of ``graph``: the graph describes
    it (it is a subject there), or nothing describes it (a literal, a dangling IRI, reached by
    ``sh:targetObjectsOf``) and the graph mentions it as an object."""
    def any_quad(s: object, o: object, g: object) -> bool:
        return next(iter(store.quads_for_pattern(s, None, o, g)), None) is not None  # type: ignore[arg-type]

    if isinstance(focus, (ox.NamedNode, ox.BlankNode)):
        if any_quad(focus, None, graph):
            return True
        if any_quad(focus, None, None):
            return False  # another graph describes it: reported there
    return any_quad(None, focus, graph)


def _label(store: ox.Store, focus: ox.NamedNode | ox.BlankNode) -> str:
    return label_of((quad.object.language, quad.object.value)
                    for quad in store.quads_for_pattern(focus, _LABEL, None, None)
                    if isinstance(quad.object, ox.Literal))


def _finding(result: _Result, label: str) -> Finding:
    check = result.test
    messages = dict(check.messages)
    path = check.path
    return Finding(
        severity=check.severity,
        focus=to_rdflib(result.focus),
        focus_label=label,
        path=short_name(path) if isinstance(path, URIRef) else "",
        value=short_name(to_rdflib(result.value)) if result.value is not None else "",
        message_th=messages.get("th", messages.get(None, "")),
        message_en=messages.get("en", messages.get(None, "")),
        shape=check.shape,
    )
