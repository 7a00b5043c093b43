"""SHACL validation: which validator runs, and the pySHACL reference validator.

Two validators give the same findings (``tests/shacl/test_validate_equivalence.py`` holds them to
it), in the same words (:mod:`policygraph.shacl.findings`):

- :data:`VALIDATOR`, :class:`~policygraph.shacl.engine.SparqlValidator`: the shapes compiled to
  SPARQL and run on pyoxigraph. Always used by ``policygraph load``, ``validate`` and
  ``import``, whatever the store and size: on the embedded store it validates the parsed data
  in place without building rdflib graphs; on rdflib graphs (the importer, loads into a remote
  store) it copies them into an in-memory pyoxigraph store first. It checks 1M triples in
  about 3 s, where pySHACL needs about 70 s for 100k, so one validator serves small files
  and national-scale loads alike.
- :data:`REFERENCE_VALIDATOR`, :class:`ShaclValidator`: pySHACL, the reference for what the
  shapes mean, kept for the equivalence tests and for checking a doubt by hand
  (:func:`validate_graph`). Too slow for large data (about 70 s per 100k triples).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policygraph.namespaces import PREFIXES, SH, SKOS
from policygraph.shacl.engine import SparqlValidator
from policygraph.shacl.findings import Finding, ValidationReport, label_of, short_name
from policygraph.shacl.shapes import ONTOLOGY_FILE, SHAPE_FILES, load_shapes

__all__ = ["ONTOLOGY_FILE", "REFERENCE_VALIDATOR", "SHAPE_FILES", "VALIDATOR", "Finding",
           "ShaclValidator", "SparqlValidator", "ValidationReport", "load_shapes",
           "validate_graph", "validate_graphs"]


def validate_graph(
    data: Graph, context: Graph | None = None, *, shapes_dir: Path | None = None
) -> ValidationReport:
    """Validate ``data`` against the shapes, with ``context`` available for references.

    ``context`` holds the other graphs already in the store, so that links to elements of other
    plans resolve; findings are reported only for elements described in ``data``.
    """
    return validate_graphs([data], context, shapes_dir=shapes_dir)[0]


def validate_graphs(
    graphs: Sequence[Graph], context: Graph | None = None, *, shapes_dir: Path | None = None
) -> list[ValidationReport]:
    """Validate several graphs in one SHACL run; each report holds its own elements' findings.

    One run over the union is much faster than one run per file, and each graph still sees the
    others (and ``context``) when its references are checked.
    """
    shapes, ontology = load_shapes(shapes_dir)
    combined = Graph()
    for prefix, namespace in PREFIXES.items():
        combined.bind(prefix, namespace)
    for graph in [*graphs, *([context] if context is not None else [])]:
        for triple in graph:
            combined.add(triple)
    _, results, _ = shacl_validate(
        combined,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    findings = list(_findings(results, combined, shapes))
    reports = []
    described = set(combined.subjects())
    for graph in graphs:
        # A finding belongs to the graph that describes its focus; one on a focus nothing
        # describes (a literal or dangling IRI reached by sh:targetObjectsOf) to the graph
        # that mentions it.
        own_subjects = set(graph.subjects())
        mentioned = set(graph.objects())
        own = [f for f in findings if f.focus in own_subjects
               or (f.focus not in described and f.focus in mentioned)]
        own.sort(key=lambda f: (f.severity != "violation", str(f.focus), f.path, f.message_en))
        reports.append(ValidationReport(findings=own))
    return reports


class ShaclValidator:
    """The project's validator as loaders use it: one graph at a time, or a batch in one run."""

    def __call__(self, data: Graph, context: Graph | None) -> ValidationReport:
        """Validate one graph; see :func:`validate_graph`."""
        return validate_graph(data, context)

    def many(self, graphs: Sequence[Graph], context: Graph | None) -> list[ValidationReport]:
        """Validate several graphs in one run; see :func:`validate_graphs`."""
        return validate_graphs(graphs, context)


#: The pySHACL validator, the reference the fast one is tested against.
REFERENCE_VALIDATOR = ShaclValidator()
#: The default validator for :func:`policygraph.load.loader.load_many` and the CLI (see above).
VALIDATOR = SparqlValidator()


def _node_shape(shapes: Graph, shape: Node | None) -> str:
    """The named node shape a (possibly blank, nested) result shape belongs to."""
    seen: set[Node] = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parents = [s for s, _ in shapes.subject_predicates(shape)]
        shape = parents[0] if parents else None
    return str(shape or "")


def _findings(results: Graph, data: Graph, shapes: Graph) -> Iterable[Finding]:
    severities: dict[Node, str] = {
        SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
    for result in results.subjects(predicate=SH.resultSeverity):
        severity = severities.get(results.value(result, SH.resultSeverity) or SH.Violation,
                                  "violation")
        focus = results.value(result, SH.focusNode)
        if focus is None:
            continue
        messages = {m.language: str(m) for m in results.objects(result, SH.resultMessage)
                    if isinstance(m, Literal)}
        # pySHACL reports one message for a SPARQL constraint: take the others from the shape.
        for source in (results.value(result, SH.sourceConstraint),
                       results.value(result, SH.sourceShape)):
            for message in shapes.objects(source, SH.message) if source is not None else ():
                if isinstance(message, Literal):
                    messages.setdefault(message.language, str(message))
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        yield Finding(
            severity=severity,
            focus=focus,
            focus_label=_label(data, focus),
            path=short_name(path) if isinstance(path, URIRef) else "",
            value=short_name(value) if value is not None else "",
            message_th=messages.get("th", messages.get(None, "")),
            message_en=messages.get("en", messages.get(None, "")),
            shape=_node_shape(shapes, results.value(result, SH.sourceShape)),
        )


def _label(graph: Graph, node: Node) -> str:
    return label_of((lit.language, str(lit)) for lit in graph.objects(node, SKOS.prefLabel)
                    if isinstance(lit, Literal))
